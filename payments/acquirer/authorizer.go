package acquirer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
)

// Journal keeps every request to the host, written before it is sent;
// *models.Store is one.
type Journal interface {
	RecordRequest(ctx context.Context, r *models.HostRequest) error
	RecordAnswer(ctx context.Context, id uint, a models.HostAnswer) error
	RecordTimeout(ctx context.Context, id uint) error
	RecordReversed(ctx context.Context, id uint) error
	OwedReversals(ctx context.Context, terminalID string) ([]models.HostRequest, error)
	NextSTAN(ctx context.Context, terminalID string) (int, error)
	RecordNotSent(ctx context.Context, id uint) error
	RecordOffline(ctx context.Context, id uint, sealedCard []byte) error
	RecordAdvised(ctx context.Context, id uint, rrn string) error
	HeldOffline(ctx context.Context, terminalID string) ([]models.HostRequest, error)
	BatchNumber(ctx context.Context, terminalID string) (int, error)
	BatchApproved(ctx context.Context, terminalID string, batch int) ([]models.HostRequest, error)
	CloseBatch(ctx context.Context, terminalID string, batch int, sent models.BatchTotals) (int, error)
	AwaitingRequests(ctx context.Context, terminalID string) ([]models.HostRequest, error)
	RequestByKey(ctx context.Context, terminalID, key string) (*models.HostRequest, error)
}

// Authorizer sends financial requests so that none is lost or doubled:
// each is journalled with its STAN before it goes on the wire, its answer is
// journalled when it comes, and a request whose answer never came is
// reversed, before any new request, until the host acknowledges it.
type Authorizer struct {
	Link       *Link // nil while the host cannot be reached
	Journal    Journal
	Terminal   Terminal
	TerminalID string          // Till's terminal ID, the journal's key
	Currency   models.Currency // the sale currency
	// Offline says which purchases may be approved while the host cannot be
	// reached; the zero policy approves none offline.
	Offline payments.OfflinePolicy
}

// ErrOnlineNeeded means the host cannot be reached and the payment may not
// be approved offline; the cashier can take another tender.
var ErrOnlineNeeded = &models.Error{Code: models.EINVALID, Key: "error.acquirer.online_needed",
	Fallback: "The bank cannot be reached and this payment needs online authorization; take another tender"}

// ErrNotConfigured means a card or QR payment needs the bank and no
// acquirer is set up.
var ErrNotConfigured = &models.Error{Code: models.EINVALID, Key: "error.acquirer.none",
	Fallback: "No link to the bank is set up: card and QR payments cannot be voided or refunded here"}

// ErrReversalOwed means a reversal the host has not acknowledged yet stops
// new online requests; the cashier can take another tender meanwhile.
var ErrReversalOwed = &models.Error{Code: models.ECONFLICT, Key: "error.acquirer.reversal_owed",
	Fallback: "The host has not confirmed an earlier reversal; try again in a moment or take another tender"}

// ErrNoAnswer means the host did not answer in time; the request was (or
// will be) reversed, so the customer was not charged.
var ErrNoAnswer = &models.Error{Code: models.EINVALID, Key: "error.acquirer.no_answer",
	Fallback: "The bank did not answer in time; the payment was cancelled and nothing was charged"}

// ErrUnreadableAnswer means the host's answer could not be read; the
// request was (or will be) reversed, so the customer was not charged.
var ErrUnreadableAnswer = &models.Error{Code: models.EINVALID, Key: "error.acquirer.bad_answer",
	Fallback: "The bank's answer could not be read; the payment was cancelled and nothing was charged"}

// numericCurrency is field 49 for a currency.
func numericCurrency(c models.Currency) string {
	switch c {
	case models.CNY:
		return "156"
	case "HKD":
		return "344"
	case "USD":
		return "840"
	case "EUR":
		return "978"
	}
	return ""
}

// Sale asks the host to approve a purchase of amount for the payment key.
// Track 2 and ICC data are sent and forgotten, never journalled.
func (a *Authorizer) Sale(ctx context.Context, key string, amount int64, entryMode, track2, icc string) (Response, error) {
	return a.financial(ctx, &models.HostRequest{TerminalID: a.TerminalID, Key: key, MTI: MTISaleRequest,
		ProcCode: ProcPurchase, Amount: amount, Currency: a.Currency, EntryMode: entryMode},
		Request{Track2: track2, ICC: icc})
}

// Void cancels an approved purchase of the open batch, in full; key is the
// void's own payment key.
func (a *Authorizer) Void(ctx context.Context, key string, original models.HostRequest) (Response, error) {
	return a.financial(ctx, &models.HostRequest{TerminalID: a.TerminalID, Key: key, Original: original.Key,
		MTI: MTISaleRequest, ProcCode: ProcVoid, Amount: original.Amount, Currency: original.Currency},
		Request{RRN: original.RRN, AuthCode: original.AuthCode})
}

// Refund gives back amount (all or part) of an approved purchase, usually
// from a closed batch, to the same card or wallet; key is the refund's own
// payment key.
func (a *Authorizer) Refund(ctx context.Context, key string, original models.HostRequest, amount int64) (Response, error) {
	return a.financial(ctx, &models.HostRequest{TerminalID: a.TerminalID, Key: key, Original: original.Key,
		MTI: MTISaleRequest, ProcCode: ProcRefund, Amount: amount, Currency: original.Currency},
		Request{RRN: original.RRN, AuthCode: original.AuthCode})
}

// Query asks the host what became of the payment with key: its response
// code and RRN, or 25 when the host never saw it (or it was undone).
func (a *Authorizer) Query(ctx context.Context, key string) (Response, error) {
	stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
	if err != nil {
		return Response{}, err
	}
	return a.Link.Authorize(Request{MTI: MTISaleRequest, ProcCode: ProcQuery, STAN: stan, Time: time.Now(), Reference: key})
}

// financial journals req, sends it with the extra fields of x, and journals
// the answer; a missing or untrustworthy answer leaves a reversal owed.
func (a *Authorizer) financial(ctx context.Context, req *models.HostRequest, x Request) (Response, error) {
	// A reversal the host has not acknowledged keeps new requests offline.
	var blocked error = ErrOnlineNeeded
	if a.Link != nil {
		blocked = a.SettleReversals(ctx)
	}
	if blocked != nil && req.ProcCode != ProcPurchase {
		return Response{}, blocked
	}
	if err := a.Journal.RecordRequest(ctx, req); err != nil {
		return Response{}, err
	}
	if blocked != nil {
		return a.unreachable(ctx, req, blocked)
	}
	x.MTI, x.ProcCode, x.Amount, x.Currency = req.MTI, req.ProcCode, req.Amount, numericCurrency(req.Currency)
	x.STAN, x.Time, x.EntryMode, x.Reference, x.Batch = req.STAN, req.SentAt, req.EntryMode, req.Key, req.Batch
	resp, err := a.Link.Authorize(x)
	if errors.Is(err, ErrUnreachable) {
		return a.unreachable(ctx, req, ErrOnlineNeeded)
	}
	if err != nil {
		// No trustworthy answer: owe a reversal, and try it at once.
		if jerr := a.Journal.RecordTimeout(ctx, req.ID); jerr != nil {
			return Response{}, jerr
		}
		a.SettleReversals(ctx)
		switch {
		case errors.Is(err, ErrTimeout), errors.Is(err, ErrConnectionLost):
			return Response{}, ErrNoAnswer
		case errors.Is(err, ErrBadAnswer), errors.Is(err, ErrBadMAC):
			return Response{}, fmt.Errorf("%w: %w", ErrUnreadableAnswer, err)
		}
		return Response{}, fmt.Errorf("%w: %w", ErrNoAnswer, err)
	}
	if err := a.Journal.RecordAnswer(ctx, req.ID, resp.answer()); err != nil {
		return Response{}, err
	}
	return resp, nil
}

// unreachable decides a journalled request the host could not be asked
// about: a purchase the offline policy allows is approved offline (Y1) and
// owes an advice; anything else is refused with refusal. Only requests that
// never reached the wire come here: one whose connection closed after it was
// written is reversed instead (ErrConnectionLost).
func (a *Authorizer) unreachable(ctx context.Context, req *models.HostRequest, refusal error) (Response, error) {
	if req.ProcCode == ProcPurchase && req.EntryMode != EntryQR { // a wallet needs the host
		held, err := a.Journal.HeldOffline(ctx, a.TerminalID)
		if err != nil {
			return Response{}, err
		}
		var sum int64
		for _, h := range held {
			sum += h.Amount
		}
		if a.Offline.Allows(req.Amount, len(held), sum) {
			if err := a.Journal.RecordOffline(ctx, req.ID, nil); err != nil {
				return Response{}, err
			}
			return Response{Code: OfflineApproved}, nil
		}
	}
	if err := a.Journal.RecordNotSent(ctx, req.ID); err != nil {
		return Response{}, err
	}
	return Response{}, refusal
}

// ForwardAdvices sends an advice (0220) for every purchase approved offline,
// oldest first, and returns how many the host acknowledged.
func (a *Authorizer) ForwardAdvices(ctx context.Context) (int, error) {
	if a.Link == nil {
		return 0, ErrUnreachable
	}
	held, err := a.Journal.HeldOffline(ctx, a.TerminalID)
	if err != nil {
		return 0, err
	}
	for i, r := range held {
		stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
		if err != nil {
			return i, err
		}
		resp, err := a.Link.Authorize(Request{MTI: MTIAdviceRequest, ProcCode: r.ProcCode, Amount: r.Amount,
			Currency: numericCurrency(r.Currency), STAN: stan, Time: r.SentAt, EntryMode: r.EntryMode,
			Reference: r.Key, Batch: r.Batch})
		if err != nil {
			return i, err
		}
		if resp.Code != Approved {
			return i, fmt.Errorf("acquirer: advice of %s: %w", r.Key, resp.Err())
		}
		if err := a.Journal.RecordAdvised(ctx, r.ID, resp.RRN); err != nil {
			return i, err
		}
	}
	return len(held), nil
}

// SettleReversals sends every reversal still owed, oldest first, and stops
// at the first the host does not acknowledge (ErrReversalOwed).
func (a *Authorizer) SettleReversals(ctx context.Context) error {
	owed, err := a.Journal.OwedReversals(ctx, a.TerminalID)
	if err != nil {
		return err
	}
	for _, r := range owed {
		stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
		if err != nil {
			return err
		}
		original := fmt.Sprintf("%s%06d%s%011d%011d", r.MTI, r.STAN, r.SentAt.UTC().Format("0102150405"), 0, 0)
		resp, err := a.Link.Authorize(Request{MTI: MTIReversalRequest, ProcCode: r.ProcCode, Amount: r.Amount,
			Currency: numericCurrency(r.Currency), STAN: stan, Time: time.Now(), Original: original,
			Reference: r.Key, Batch: r.Batch})
		// 25: the host never saw the original, so nothing was charged either.
		if err != nil || (resp.Code != Approved && resp.Code != "25") {
			return ErrReversalOwed
		}
		if err := a.Journal.RecordReversed(ctx, r.ID); err != nil {
			return err
		}
	}
	return nil
}
