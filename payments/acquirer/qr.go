package acquirer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/till-pos/till/models"
)

// QRWait says how long a QR payment waits for the customer.
type QRWait struct {
	Poll        time.Duration // between two queries (5 s)
	RevokeAfter time.Duration // then the payment is revoked at the host
	MinRevoke   time.Duration // and never before this, even when the cashier cancels
}

// PayCodeWait is a customer's payment code: queried every 5 s, revoked
// after 30 s without a final answer, never before 15 s.
var PayCodeWait = QRWait{Poll: 5 * time.Second, RevokeAfter: 30 * time.Second, MinRevoke: 15 * time.Second}

// MerchantQRWait is the QR the terminal shows: queried every 3 s, closed
// after 2 minutes, or at once when the cashier cancels.
var MerchantQRWait = QRWait{Poll: 3 * time.Second, RevokeAfter: 2 * time.Minute}

// Clock is the time as the QR loop sees it; tests pass one that needs no
// waiting.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now is time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// StepClock is a Clock that moves on only when waited for, at once: a QR
// loop under test (or a simulation) runs without waiting. OnWait, when
// set, is told the number of each wait (1, 2, ...) before the clock moves,
// so a test can act at a given point (the customer pays, the cashier
// cancels). Its zero value starts at the zero time; set Now's start with
// At.
type StepClock struct {
	At     time.Time
	Waits  int
	OnWait func(n int)
}

// Now is the clock's time.
func (c *StepClock) Now() time.Time { return c.At }

// After moves the clock on by d and returns a channel that already holds
// the new time.
func (c *StepClock) After(d time.Duration) <-chan time.Time {
	c.Waits++
	if c.OnWait != nil {
		c.OnWait(c.Waits)
	}
	c.At = c.At.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.At
	return ch
}

// ErrRevoked means a QR payment got no final answer in time (or the cashier
// cancelled it) and was revoked at the host: nothing was charged, or what
// was is refunded by the host.
var ErrRevoked = &models.Error{Code: models.EINVALID, Key: "error.qr.revoked",
	Fallback: "The customer did not complete the payment; it was cancelled and nothing was charged"}

// QRSale asks the host for a QR payment of amount under the payment key:
// with a customer's payment code (field 48, sent and forgotten) the
// customer's wallet is charged; without one, a merchant QR order is opened
// for the customer to scan. An answer of 09 leaves the request awaiting the
// customer (AwaitCustomer follows it); giveUp is how long it may wait, kept
// with the request so that a restart resumes the loop. QR payments are
// never approved offline.
func (a *Authorizer) QRSale(ctx context.Context, key string, amount int64, payCode string, giveUp time.Duration) (Response, error) {
	return a.financial(ctx, &models.HostRequest{TerminalID: a.TerminalID, Key: key, MTI: MTISaleRequest,
		ProcCode: ProcPurchase, Amount: amount, Currency: a.Currency, EntryMode: EntryQR,
		GiveUpAfter: int(giveUp / time.Second)}, Request{PayCode: payCode})
}

// Poll asks the host what became of a QR payment awaiting the customer and
// journals a final answer (moving the payment): 00 or a decline. 09 means
// still waiting; 25 means the host no longer has it, so nothing was charged
// and it is journalled as reversed.
func (a *Authorizer) Poll(ctx context.Context, r models.HostRequest) (Response, error) {
	if a.Link == nil {
		return Response{}, ErrUnreachable
	}
	resp, err := a.Query(ctx, r.Key)
	if err != nil {
		return Response{}, err
	}
	switch resp.Code {
	case InProgress:
		return resp, nil
	case "25":
		return resp, a.Journal.RecordReversed(ctx, r.ID)
	}
	return resp, a.Journal.RecordAnswer(ctx, r.ID, resp.answer())
}

// Revoke gives up a QR payment awaiting the customer: it owes a reversal,
// sent at once (and, if the host cannot take it now, before any later
// request). The host closes the order, or refunds a payment that arrived
// meanwhile.
func (a *Authorizer) Revoke(ctx context.Context, r models.HostRequest) error {
	if err := a.Journal.RecordTimeout(ctx, r.ID); err != nil && models.ErrorCode(err) != models.ECONFLICT {
		return err
	}
	if a.Link == nil {
		return ErrReversalOwed
	}
	return a.SettleReversals(ctx)
}

// AwaitCustomer follows the QR payment with key until the customer pays or
// it is declined (the final answer comes back), or revokes it after
// w.RevokeAfter, or when ctx is cancelled (but not before w.MinRevoke).
// left, if set, is told the time left after each look. Every step is
// journalled before it goes out.
func (a *Authorizer) AwaitCustomer(ctx context.Context, key string, w QRWait, clk Clock, left func(time.Duration)) (Response, error) {
	bg := context.WithoutCancel(ctx) // the journal and the host are told even after a cancel
	for {
		// Read afresh each time: the sync worker may settle it meanwhile.
		r, err := a.Journal.RequestByKey(bg, a.TerminalID, key)
		if err != nil {
			return Response{}, err
		}
		start := r.SentAt
		if r.State != models.RequestAwaiting {
			return Response{Code: r.Code, RRN: r.RRN, AuthCode: r.AuthCode, Wallet: r.Wallet}, finalErr(r)
		}
		elapsed := clk.Now().Sub(start)
		if ctx.Err() != nil && elapsed >= w.MinRevoke {
			// Cancelled: revoke without looking again, so that a payment
			// arriving after the cancel is refunded by the host, not kept.
			return a.revoke(bg, *r)
		}
		if resp, err := a.Poll(bg, *r); err == nil && resp.Code != InProgress {
			continue // final: journalled; the next turn reports it
		}
		elapsed = clk.Now().Sub(start)
		if elapsed >= w.RevokeAfter {
			return a.revoke(bg, *r)
		}
		if left != nil {
			left(w.RevokeAfter - elapsed)
		}
		awaitNextLook(ctx, bg, w, clk, elapsed)
	}
}

// awaitNextLook waits, elapsed after a QR payment was sent, until it is time
// to look at it again: w.Poll later, but no later than w.RevokeAfter. Once
// ctx is cancelled it waits only until w.MinRevoke, from which a revoke is
// allowed, or until bg is done.
func awaitNextLook(ctx, bg context.Context, w QRWait, clk Clock, elapsed time.Duration) {
	wait := min(w.Poll, w.RevokeAfter-elapsed)
	if ctx.Err() != nil {
		wait = min(wait, w.MinRevoke-elapsed)
	}
	select {
	case <-clk.After(wait):
	case <-ctx.Done():
		// Cancelled: revoke as soon as allowed (the next turn decides).
		if w.MinRevoke > elapsed {
			select {
			case <-clk.After(w.MinRevoke - elapsed):
			case <-bg.Done():
			}
		}
	}
}

// revoke revokes r and reports it as ErrRevoked; a reversal the host could
// not take now stays owed and is sent before the next request.
func (a *Authorizer) revoke(ctx context.Context, r models.HostRequest) (Response, error) {
	if err := a.Revoke(ctx, r); err != nil && !errors.Is(err, ErrReversalOwed) {
		return Response{}, err
	}
	return Response{}, ErrRevoked
}

// finalErr is the error of a QR payment that ended as r: none when approved.
func finalErr(r *models.HostRequest) error {
	switch {
	case r.State == models.RequestReversed || r.State == models.RequestTimedOut:
		return ErrRevoked
	case r.State == models.RequestAnswered && r.Code == Approved:
		return nil
	case r.State == models.RequestAnswered:
		return ResponseError(r.Code)
	}
	return fmt.Errorf("acquirer: QR payment %s is %s", r.Key, r.State)
}

// ResolveAwaiting settles, after a restart, the QR payments left awaiting
// the customer: each is queried, and revoked if its time is up.
func (a *Authorizer) ResolveAwaiting(ctx context.Context, now time.Time) error {
	reqs, err := a.Journal.AwaitingRequests(ctx, a.TerminalID)
	if err != nil {
		return err
	}
	for _, r := range reqs {
		resp, err := a.Poll(ctx, r)
		if err != nil {
			return err
		}
		giveUp := time.Duration(r.GiveUpAfter) * time.Second
		if resp.Code == InProgress && now.Sub(r.SentAt) >= giveUp {
			if err := a.Revoke(ctx, r); err != nil {
				return err
			}
		}
	}
	return nil
}
