package acquirer

import (
	"context"
	"encoding/json"
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
// reversed, before any new request, until the host acknowledges it. Every
// exchange holds the link (Link.Hold), so reversals and advices go out once
// whoever sends them, and nothing else is on the wire during a payment.
type Authorizer struct {
	Link       *Link // nil while the host cannot be reached
	Journal    Journal
	Terminal   Terminal
	TerminalID string          // Till's terminal ID, the journal's key
	Currency   models.Currency // the sale currency
	// Offline says which purchases may be approved while the host cannot be
	// reached; the zero policy approves none offline.
	Offline payments.OfflinePolicy
	// CardSeal seals the card data of an offline approval (track 2 and chip
	// data) until its advice is acknowledged; without it nothing is approved
	// offline, since the advice could never be charged.
	CardSeal []byte
	// Background marks the sync worker's authorizer: it gives way to a
	// payment waiting for the link.
	Background bool
	// Gate, when Link is nil, is the terminal's gate to the host (the
	// links' own), held while a payment is decided offline.
	Gate *Gate
}

// ErrOnlineNeeded means the host cannot be reached and the payment may not
// be approved offline; the cashier can take another tender.
var ErrOnlineNeeded = &models.Error{Code: models.EINVALID, Key: "error.acquirer.online_needed",
	Fallback: "The bank cannot be reached and this payment needs online authorization; take another tender"}

// ErrNotAuthenticatedOffline means the host cannot be reached and the card
// could not be authenticated offline (offline data authentication did not
// pass), so it may not be approved offline.
var ErrNotAuthenticatedOffline = &models.Error{Code: models.EINVALID, Key: "error.acquirer.not_authenticated_offline",
	Fallback: "The bank cannot be reached and this card could not be checked offline; take another tender"}

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

// ErrAnswerMismatch means the host's answer was for another request; the
// request was (or will be) reversed, so the customer was not charged.
var ErrAnswerMismatch = &models.Error{Code: models.EINVALID, Key: "error.acquirer.mismatch",
	Fallback: "The bank's answer did not match this payment; the payment was cancelled and nothing was charged"}

// ErrAnswerAmount means the host answered for another amount; the request
// was (or will be) reversed, so the customer was not charged.
var ErrAnswerAmount = &models.Error{Code: models.EINVALID, Key: "error.acquirer.wrong_amount",
	Fallback: "The bank answered for a different amount; the payment was cancelled and nothing was charged"}

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

// hold runs fn holding the link, as a payment or, for the sync worker, as
// background work; without a link fn runs alone.
func (a *Authorizer) hold(ctx context.Context, fn func() error) error {
	switch {
	case a.Link != nil:
		return a.Link.Hold(ctx, !a.Background, fn)
	case a.Gate != nil:
		return a.Gate.Hold(ctx, !a.Background, fn)
	}
	return fn()
}

// CardData is what a card read gives a sale.
type CardData struct {
	EntryMode string // field 22
	Track2    string // only in flight, encrypted under the data key
	ICC       string // field 55, hex
	// OfflineAuthenticated says the card passed offline data
	// authentication: only then may the sale be approved offline while the
	// host cannot be reached.
	OfflineAuthenticated bool
}

// Sale asks the host to approve a purchase of amount for the payment key.
// Track 2 and ICC data are sent (track 2 encrypted under the data key) and
// forgotten; only an offline approval keeps them, sealed, until its advice
// is acknowledged.
func (a *Authorizer) Sale(ctx context.Context, key string, amount int64, card CardData) (Response, error) {
	return a.financial(ctx, &models.HostRequest{TerminalID: a.TerminalID, Key: key, MTI: MTISaleRequest,
		ProcCode: ProcPurchase, Amount: amount, Currency: a.Currency, EntryMode: card.EntryMode},
		Request{Track2: card.Track2, ICC: card.ICC, offlineAuthenticated: card.OfflineAuthenticated})
}

// OriginalData is field 90 of a request about r: r's MTI as the host saw
// it (0220 for an offline approval it learnt of by advice), STAN and
// transmission time, then the acquirer and forwarder IDs (zeros).
func OriginalData(r models.HostRequest) string {
	mti := r.MTI
	if mti == "" {
		mti = MTISaleRequest
	}
	if r.State == models.RequestAdvised {
		mti = MTIAdviceRequest
	}
	return fmt.Sprintf("%s%06d%s%011d%011d", mti, r.STAN, r.SentAt.UTC().Format("0102150405"), 0, 0)
}

// Void cancels an approved purchase of the open batch, in full; key is the
// void's own payment key. It carries the original's RRN, authorization code
// and data elements, by which the host finds the card.
func (a *Authorizer) Void(ctx context.Context, key string, original models.HostRequest) (Response, error) {
	return a.financial(ctx, &models.HostRequest{TerminalID: a.TerminalID, Key: key, Original: original.Key,
		MTI: MTISaleRequest, ProcCode: ProcVoid, Amount: original.Amount, Currency: original.Currency},
		Request{RRN: original.RRN, AuthCode: original.AuthCode, Original: OriginalData(original)})
}

// Refund gives back amount (all or part) of an approved purchase, usually
// from a closed batch, to the same card or wallet; key is the refund's own
// payment key. Like a void it carries the original's data.
func (a *Authorizer) Refund(ctx context.Context, key string, original models.HostRequest, amount int64) (Response, error) {
	return a.financial(ctx, &models.HostRequest{TerminalID: a.TerminalID, Key: key, Original: original.Key,
		MTI: MTISaleRequest, ProcCode: ProcRefund, Amount: amount, Currency: original.Currency},
		Request{RRN: original.RRN, AuthCode: original.AuthCode, Original: OriginalData(original)})
}

// Query asks the host what became of the payment with key: its response
// code and RRN, or 25 when the host never saw it (or it was undone).
func (a *Authorizer) Query(ctx context.Context, key string) (Response, error) {
	var resp Response
	err := a.hold(ctx, func() (err error) {
		resp, err = a.query(ctx, key)
		return err
	})
	return resp, err
}

func (a *Authorizer) query(ctx context.Context, key string) (Response, error) {
	if a.Link == nil {
		return Response{}, ErrUnreachable
	}
	stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
	if err != nil {
		return Response{}, err
	}
	return a.Link.Authorize(ctx, Request{MTI: MTISaleRequest, ProcCode: ProcQuery, STAN: stan, Time: time.Now(), Reference: key})
}

// financial journals req, sends it with the extra fields of x, and journals
// the answer; a missing or untrustworthy answer leaves a reversal owed. It
// holds the link throughout.
func (a *Authorizer) financial(ctx context.Context, req *models.HostRequest, x Request) (Response, error) {
	var resp Response
	err := a.hold(ctx, func() (err error) {
		resp, err = a.financialHeld(ctx, req, x)
		return err
	})
	return resp, err
}

func (a *Authorizer) financialHeld(ctx context.Context, req *models.HostRequest, x Request) (Response, error) {
	// A reversal the host has not acknowledged keeps new requests offline.
	var blocked error = ErrOnlineNeeded
	if a.Link != nil {
		blocked = a.settleReversals(ctx)
	}
	if blocked != nil && req.ProcCode != ProcPurchase {
		return Response{}, blocked
	}
	if err := a.Journal.RecordRequest(ctx, req); err != nil {
		return Response{}, err
	}
	if blocked != nil {
		return a.unreachable(ctx, req, x, blocked)
	}
	x.MTI, x.ProcCode, x.Amount, x.Currency = req.MTI, req.ProcCode, req.Amount, numericCurrency(req.Currency)
	x.STAN, x.Time, x.EntryMode, x.Reference, x.Batch = req.STAN, req.SentAt, req.EntryMode, req.Key, req.Batch
	resp, err := a.Link.Authorize(ctx, x)
	if errors.Is(err, ErrNoSession) && !errors.Is(err, ErrUnreachable) {
		// The sign-on failed: the request did not go out.
		return a.unreachable(ctx, req, x, fmt.Errorf("%w: %w", ErrSignOnFailed, err))
	}
	if errors.Is(err, ErrUnreachable) {
		// Nothing went out: no connection.
		return a.unreachable(ctx, req, x, ErrOnlineNeeded)
	}
	if err != nil {
		// No trustworthy answer: owe a reversal, and try it at once.
		if jerr := a.Journal.RecordTimeout(ctx, req.ID); jerr != nil {
			return Response{}, jerr
		}
		a.settleReversals(ctx)
		return Response{}, answerError(err)
	}
	if err := a.Journal.RecordAnswer(ctx, req.ID, resp.answer()); err != nil {
		return Response{}, err
	}
	return resp, nil
}

// answerError is the cashier's message for a request whose answer was
// missing or untrustworthy, and is being reversed.
func answerError(err error) error {
	switch {
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrConnectionLost):
		return fmt.Errorf("%w: %w", ErrNoAnswer, err)
	case errors.Is(err, ErrBadAnswer), errors.Is(err, ErrBadMAC):
		return fmt.Errorf("%w: %w", ErrUnreadableAnswer, err)
	case errors.Is(err, ErrMismatchedAnswer):
		return fmt.Errorf("%w: %w", ErrAnswerMismatch, err)
	case errors.Is(err, ErrWrongAmount):
		return fmt.Errorf("%w: %w", ErrAnswerAmount, err)
	}
	return fmt.Errorf("%w: %w", ErrNoAnswer, err)
}

// cardData is what an offline approval keeps, sealed, for its advice.
type cardData struct {
	Track2 string `json:"t2"`
	ICC    string `json:"icc"`
}

// sealName binds sealed card data to its payment.
func sealName(key string) string { return "card:" + key }

// unreachable decides a journalled request the host could not be asked
// about: a purchase of a card that passed offline data authentication,
// within the offline policy, is approved offline (Y1) and owes an advice,
// its card data sealed until then; anything else is refused with refusal
// (ErrNotAuthenticatedOffline first for a card that did not pass). Only
// requests that never reached the wire come here: one whose connection closed after it was written is reversed
// instead (ErrConnectionLost).
func (a *Authorizer) unreachable(ctx context.Context, req *models.HostRequest, x Request, refusal error) (Response, error) {
	// A wallet needs the host; an advice needs the card's data.
	if req.ProcCode == ProcPurchase && req.EntryMode != EntryQR && len(a.CardSeal) > 0 && x.Track2 != "" && x.ICC != "" {
		held, err := a.Journal.HeldOffline(ctx, a.TerminalID)
		if err != nil {
			return Response{}, err
		}
		var sum int64
		for _, h := range held {
			sum += h.Amount
		}
		switch allowed := a.Offline.Allows(req.Amount, len(held), sum); {
		case allowed && !x.offlineAuthenticated:
			refusal = fmt.Errorf("%w: %w", ErrNotAuthenticatedOffline, refusal)
		case allowed:
			plain, err := json.Marshal(cardData{Track2: x.Track2, ICC: x.ICC})
			if err != nil {
				return Response{}, err
			}
			sealed, err := models.SealSecret(a.CardSeal, plain, sealName(req.Key))
			clear(plain)
			if err != nil {
				return Response{}, err
			}
			if err := a.Journal.RecordOffline(ctx, req.ID, sealed); err != nil {
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
	var n int
	err := a.hold(ctx, func() (err error) {
		n, err = a.forwardAdvices(ctx)
		return err
	})
	return n, err
}

// ErrAdviceRefused means the host refused an offline approval's advice: the
// payment stays held and the refusal is reported.
var ErrAdviceRefused = errors.New("acquirer: the host refused an advice")

// forwardAdvices sends each advice under the offline approval's own STAN
// and time, with its chip data and track 2 (encrypted under the data key),
// opened from the seal they were kept under; acknowledged, the seal is
// erased with it. An advice that cannot be built or that the host refuses
// is reported and the others go on.
func (a *Authorizer) forwardAdvices(ctx context.Context) (int, error) {
	if a.Link == nil {
		return 0, ErrUnreachable
	}
	held, err := a.Journal.HeldOffline(ctx, a.TerminalID)
	if err != nil {
		return 0, err
	}
	done := 0
	var refused error
	for _, r := range held {
		if a.Background && a.Link.PaymentWaiting() {
			return done, ErrYield
		}
		var card cardData
		plain, err := models.OpenSecret(a.CardSeal, r.SealedCard, sealName(r.Key))
		if err == nil {
			err = json.Unmarshal(plain, &card)
			clear(plain)
		}
		if err != nil {
			refused = errors.Join(refused, fmt.Errorf("%w: %s: its card data cannot be opened: %w", ErrAdviceRefused, r.Key, err))
			continue
		}
		resp, err := a.Link.Authorize(ctx, Request{MTI: MTIAdviceRequest, ProcCode: r.ProcCode, Amount: r.Amount,
			Currency: numericCurrency(r.Currency), STAN: r.STAN, Time: r.SentAt, EntryMode: r.EntryMode,
			Reference: r.Key, Batch: r.Batch, Track2: card.Track2, ICC: card.ICC})
		card = cardData{}
		if err != nil {
			return done, err
		}
		// 94: the host has it already (its answer to the first was lost).
		if resp.Code != Approved && resp.Code != "94" {
			refused = errors.Join(refused, fmt.Errorf("%w: %s: %w", ErrAdviceRefused, r.Key, resp.Err()))
			continue
		}
		if err := a.Journal.RecordAdvised(ctx, r.ID, resp.RRN); err != nil {
			return done, err
		}
		done++
	}
	return done, refused
}

// SettleReversals sends every reversal still owed, oldest first, and stops
// at the first the host does not acknowledge (ErrReversalOwed).
func (a *Authorizer) SettleReversals(ctx context.Context) error {
	return a.hold(ctx, func() error { return a.settleReversals(ctx) })
}

func (a *Authorizer) settleReversals(ctx context.Context) error {
	if a.Link == nil {
		return ErrReversalOwed
	}
	owed, err := a.Journal.OwedReversals(ctx, a.TerminalID)
	if err != nil {
		return err
	}
	for _, r := range owed {
		stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
		if err != nil {
			return err
		}
		resp, err := a.Link.Authorize(ctx, Request{MTI: MTIReversalRequest, ProcCode: r.ProcCode, Amount: r.Amount,
			Currency: numericCurrency(r.Currency), STAN: stan, Time: time.Now(), Original: OriginalData(r),
			Reference: r.Key, Batch: r.Batch})
		// 25: the host never saw the original, so nothing was charged
		// either; 94: the host applied this reversal already.
		if err != nil || (resp.Code != Approved && resp.Code != "25" && resp.Code != "94") {
			return ErrReversalOwed
		}
		if err := a.Journal.RecordReversed(ctx, r.ID); err != nil {
			return err
		}
	}
	return nil
}
