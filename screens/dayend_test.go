package screens

import (
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// takings are a day's orders: ¥7.00 in cash, ¥12.00 by card, and a voided
// one that counts for nothing.
func takings(t *testing.T) []models.Order {
	t.Helper()
	cash := orderOf(t, cola, 2)
	cash.Status = models.OrderPaid
	cash.Payments = []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: 700, Tendered: 1000, Change: 300}}
	card := orderOf(t, crisps, 2)
	card.Status = models.OrderPaid
	card.Payments = []models.Payment{{Tender: models.TenderCard, Status: models.PaymentApproved, Amount: 1200, Tendered: 1200}}
	voided := orderOf(t, water, 5)
	voided.Status = models.OrderVoided
	voided.Payments = []models.Payment{{Tender: models.TenderCash, Status: models.PaymentVoided, Amount: 1000, Tendered: 1000}}
	return []models.Order{*cash, *card, *voided}
}

func TestDayEndTakingsSyncAndSettle(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	svc := &fakeDayEnd{orders: takings(t)}
	host := &fakeHost{pending: 3, last: time.Date(2025, 3, 14, 9, 15, 0, 0, time.Local), connected: true, progress: []int{1, 2, 3},
		settle: acquirer.Settlement{Batch: 12, Totals: models.BatchTotals{DebitCount: 2, DebitAmount: 1900, CreditCount: 1, CreditAmount: 500}, Uploaded: 2}}
	d := NewDayEnd(ui, svc, host)
	showOn(ui, d.Content())
	d.Refresh()

	from := midnight(testNow)
	if len(svc.asked) != 1 || !svc.asked[0].from.Equal(from) || !svc.asked[0].to.Equal(from.AddDate(0, 0, 1)) {
		t.Fatalf("OrdersBetween asked %+v", svc.asked)
	}
	mustShow(t, w, "2 payments · ¥19.00")
	mustShow(t, w, "Cash · 1 payments")
	mustShow(t, w, "¥7.00")
	mustShow(t, w, "Card · 1 payments")
	mustShow(t, w, "¥12.00")
	mustShow(t, w, "3 payments not yet reported · last report 09:15")

	// Settling with payments unreported asks first; No leaves the batch open.
	tap(t, w, "Settle the batch")
	mustShow(t, w, "3 payments have not been reported to the acquirer yet. Settle anyway?")
	tap(t, w, "No")
	if host.settles != 0 {
		t.Fatal("declining still settled")
	}

	// Sync, with progress.
	type seen struct {
		value          float64
		cancel, button bool // cancel shown, sync enabled
	}
	var steps []seen
	host.seen = func(int) {
		steps = append(steps, seen{d.progress.Value, d.cancel.Visible(), !d.syncBtn.Disabled()})
	}
	tap(t, w, "Sync now")
	if len(steps) != 3 || steps[0] != (seen{1.0 / 3, true, false}) || steps[1].value != 2.0/3 || steps[2].value != 1 {
		t.Fatalf("progress shown: %+v", steps)
	}
	if d.Result() != "Reported 3 payments" || d.progress.Visible() || d.cancel.Visible() || button(t, w, "Sync now").Disabled() {
		t.Fatalf("after the sync: result %q, progress shown %v", d.Result(), d.progress.Visible())
	}
	if len(svc.asked) != 2 {
		t.Fatal("the screen did not reload after the sync")
	}
	mustShow(t, w, "0 payments not yet reported")

	// Everything reported: settle at once.
	tap(t, w, "Settle the batch")
	if host.settles != 1 {
		t.Fatalf("settled %d times", host.settles)
	}
	if want := "Batch 12 settled: 2 sales ¥19.00, 1 refunds ¥5.00 · after uploading 2 transactions"; d.Result() != want {
		t.Fatalf("result %q, want %q", d.Result(), want)
	}

	// A failed sync says how far it got; a failed settlement why.
	host.pending, host.syncErr = 2, &models.Error{Code: models.EINVALID, Key: "error.host.offline", Fallback: "The acquirer cannot be reached"}
	host.progress = []int{1}
	host.seen = nil
	d.Refresh()
	tap(t, w, "Sync now")
	if d.Result() != "Reported 1, then: The acquirer cannot be reached" {
		t.Fatalf("failed sync: %q", d.Result())
	}
	host.pending, host.settleErr = 0, acquirer.ErrSettlementMismatch
	d.Refresh()
	tap(t, w, "Settle the batch")
	if d.Result() != "The bank's totals still differ from this terminal's after the batch upload; the batch stays open" ||
		button(t, w, "Settle the batch").Disabled() {
		t.Fatalf("failed settlement: %q", d.Result())
	}
}

func TestDayEndOfflineHost(t *testing.T) {
	ui := newTestUI(t, manager)
	d := NewDayEnd(ui, &fakeDayEnd{}, &fakeHost{pending: 4})
	showOn(ui, d.Content())
	d.Refresh()
	mustShow(t, ui.Window, "4 payments not yet reported · last report — · acquirer offline")
	mustShow(t, ui.Window, "0 payments · ¥0.00")
}

func TestDayEndWithoutAnAcquirer(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	svc := &fakeDayEnd{orders: takings(t)}
	d := NewDayEnd(ui, svc, nil)
	showOn(ui, d.Content())
	d.Refresh()
	mustShow(t, w, "2 payments · ¥19.00")
	mustShow(t, w, "No acquirer is configured")
	if !button(t, w, "Sync now").Disabled() || !button(t, w, "Settle the batch").Disabled() {
		t.Fatal("sync and settle are enabled without an acquirer")
	}
	d.SyncNow()
	d.Settle()
	if d.Result() != "" || dialogShown(w) {
		t.Fatalf("without an acquirer: result %q", d.Result())
	}
}
