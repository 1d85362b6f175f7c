package acquirer

import (
	"context"
	"fmt"
	"time"

	"github.com/till-pos/till/models"
)

// Processing codes of settlement (field 3 of 0500).
const (
	ProcSettle            = "920000"
	ProcSettleAfterUpload = "960000"
)

// Settlement is how an end of day went.
type Settlement struct {
	Batch    int                // the batch that was closed
	Totals   models.BatchTotals // the terminal's totals, which the host agreed to
	Uploaded int                // transactions sent in a batch upload first (0: balanced at once)
	Code     string             // the host's answer to the last totals sent (field 39)
	Terminal Terminal           // the terminal and merchant IDs it was settled under
	At       time.Time          // when the host answered
	// Schemes are the totals by card scheme and QR wallet; the settling
	// service fills them in from its store.
	Schemes []models.SchemeTotals
}

// Balanced reports whether the host agreed to the terminal's totals at
// once, without a batch upload.
func (s Settlement) Balanced() bool { return s.Code == Approved && s.Uploaded == 0 }

// ErrSettlementMismatch means the host's totals differ from the terminal's
// even after a batch upload; the batch stays open.
var ErrSettlementMismatch = &models.Error{Code: models.ECONFLICT, Key: "error.acquirer.settlement_mismatch",
	Fallback: "The bank's totals still differ from this terminal's after the batch upload; the batch stays open"}

// Settle closes the open batch with the host: it sends the terminal's totals
// (0500); if the host's differ (95), it uploads the batch's transactions
// (0320) and settles again. Reversals owed are settled first.
func (a *Authorizer) Settle(ctx context.Context) (Settlement, error) {
	if err := a.SettleReversals(ctx); err != nil {
		return Settlement{}, err
	}
	batch, err := a.Journal.BatchNumber(ctx, a.TerminalID)
	if err != nil {
		return Settlement{}, err
	}
	approved, err := a.Journal.BatchApproved(ctx, a.TerminalID, batch)
	if err != nil {
		return Settlement{}, err
	}
	res := Settlement{Batch: batch, Totals: models.TotalsOf(approved), Terminal: a.Terminal}
	code, err := a.sendTotals(ctx, batch, res.Totals, ProcSettle)
	if err != nil {
		return res, err
	}
	res.Code, res.At = code, time.Now()
	if code == "95" {
		for _, r := range approved {
			if err := a.upload(ctx, r); err != nil {
				return res, err
			}
			res.Uploaded++
		}
		if code, err = a.sendTotals(ctx, batch, res.Totals, ProcSettleAfterUpload); err != nil {
			return res, err
		}
		res.Code, res.At = code, time.Now()
	}
	switch code {
	case Approved:
	case "95":
		return res, ErrSettlementMismatch
	default:
		return res, ResponseError(code)
	}
	if _, err := a.Journal.CloseBatch(ctx, a.TerminalID, batch, res.Totals); err != nil {
		return res, err
	}
	return res, nil
}

// sendTotals sends a 0500 with the batch's counts and amounts.
func (a *Authorizer) sendTotals(ctx context.Context, batch int, t models.BatchTotals, proc string) (string, error) {
	stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
	if err != nil {
		return "", err
	}
	m, err := Request{MTI: MTISettlementRequest, ProcCode: proc, STAN: stan, Time: time.Now(), Batch: batch,
		Currency: numericCurrency(a.Currency)}.Build(a.Terminal)
	if err != nil {
		return "", err
	}
	for id, v := range map[int]string{
		74: fmt.Sprint(t.CreditCount), 86: fmt.Sprint(t.CreditAmount),
		76: fmt.Sprint(t.DebitCount), 88: fmt.Sprint(t.DebitAmount),
	} {
		if err := m.Field(id, v); err != nil {
			return "", fmt.Errorf("acquirer: field %d: %w", id, err)
		}
	}
	resp, err := a.Link.Send(m)
	if err != nil {
		return "", err
	}
	r, err := ParseResponse(resp)
	return r.Code, err
}

// upload sends one transaction of the batch (0320).
func (a *Authorizer) upload(ctx context.Context, r models.HostRequest) error {
	stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
	if err != nil {
		return err
	}
	resp, err := a.Link.Authorize(Request{MTI: MTIBatchUpload, ProcCode: r.ProcCode, Amount: r.Amount,
		Currency: numericCurrency(r.Currency), STAN: stan, Time: time.Now(), RRN: r.RRN, AuthCode: r.AuthCode,
		Reference: r.Key, Batch: r.Batch})
	if err != nil {
		return err
	}
	return resp.Err()
}
