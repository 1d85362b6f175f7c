package screens

import (
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/acquirer"
)

// takings are a day's: ¥7.00 in cash and ¥12.00 by card.
func takings(t *testing.T) models.Takings {
	t.Helper()
	return models.SumTakings([]models.TakingRow{{Tender: models.TenderCash, Count: 1, Amount: 700},
		{Tender: models.TenderCard, Count: 1, Amount: 1200}})
}

// batch12 is an open batch with card and QR payments, and what settling
// it gives.
var (
	batch12 = models.BatchContents{Batch: 12, Payments: 5, Requests: 3,
		Totals: models.BatchTotals{DebitCount: 2, DebitAmount: 1900, CreditCount: 1, CreditAmount: 500}}
	settled12 = acquirer.Settlement{Batch: 12, Totals: batch12.Totals, Uploaded: 2, Code: "00",
		Terminal: acquirer.Terminal{TID: "T0000001", MID: "898310012345678"}, At: testNow,
		Schemes: []models.SchemeTotals{{Tender: models.TenderCard, Scheme: "unionpay", BatchTotals: batch12.Totals}}}
)

func TestDayEndTakingsSyncAndSettle(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	svc := &fakeDayEnd{takings: takings(t)}
	host := &fakeHost{pending: 3, last: time.Date(2025, 3, 14, 9, 15, 0, 0, time.Local), connected: true, progress: []int{1, 2, 3},
		batch: batch12, settle: settled12}
	slips := &fakeSlips{}
	d := NewDayEnd(ui, svc, host, &fakeStaff{}, slips, nil)
	showOn(ui, d.Content())
	d.Refresh()

	from := midnight(testNow)
	if len(svc.asked) != 1 || !svc.asked[0].from.Equal(from) || !svc.asked[0].to.Equal(from.AddDate(0, 0, 1)) {
		t.Fatalf("TakingsBetween asked %+v", svc.asked)
	}
	mustShow(t, w, "2 payments · ¥19.00")
	mustShow(t, w, "Cash · 1 payments")
	mustShow(t, w, "¥7.00")
	mustShow(t, w, "Card · 1 payments")
	mustShow(t, w, "¥12.00")
	mustShow(t, w, "3 payments not yet reported · last report 09:15")

	// Settling shows the batch's counts and totals first, and the payments
	// unreported; Cancel leaves the batch open.
	tap(t, w, "Settle the batch")
	mustShow(t, w, "Settle batch 12?")
	mustShow(t, w, "Cards and QR · sales: 2, ¥19.00 · refunds: 1, ¥5.00")
	mustShow(t, w, "Payments in the batch, all tenders: 5")
	mustShow(t, w, "3 payments have not been reported to the acquirer yet.")
	tap(t, w, "Cancel")
	if host.settles != 0 {
		t.Fatal("cancelling still settled")
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

	// Everything reported: confirm, and the manager signed in settles.
	tap(t, w, "Settle the batch")
	if shown(w, "not been reported") {
		t.Fatal("the confirmation still warns of unreported payments")
	}
	tap(t, w, "Settle")
	if host.settles != 1 || host.by[0] != manager.Name {
		t.Fatalf("settled %d times, by %q", host.settles, host.by)
	}
	if want := "Batch 12 settled · sales: 2, ¥19.00 · refunds: 1, ¥5.00 · after uploading 2 transactions"; d.Result() != want {
		t.Fatalf("result %q, want %q", d.Result(), want)
	}
	// Its slip is shown and printed.
	mustShow(t, w, "Batch 12 settled")
	if len(slips.slips) != 1 || !slipHas(slips.slips[0], "SETTLEMENT", "000012", "UnionPay", "¥19.00", "898310012345678",
		"T0000001", "00 Approved", "Agreed after upload (2)") {
		t.Fatalf("settlement slip:\n%s", receipt.PlainText(d.Slip(), 40))
	}
	tap(t, w, "Done")
	if d.Printed() != "Settlement slip printed" {
		t.Fatalf("printing: %q", d.Printed())
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
	tap(t, w, "Settle the batch", "Settle")
	if d.Result() != "The bank's totals still differ from this terminal's after the batch upload; the batch stays open" ||
		button(t, w, "Settle the batch").Disabled() || d.Printed() != "" || len(slips.slips) != 1 {
		t.Fatalf("failed settlement: %q, printed %q", d.Result(), d.Printed())
	}
}

func TestDayEndCashierSettlesWithAManagersCode(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	host := &fakeHost{connected: true, batch: batch12, settle: settled12}
	staff := &fakeStaff{}
	slips := &fakeSlips{err: &models.Error{Code: models.EINVALID, Key: "error.printer.none_slip",
		Fallback: "No receipt printer is set in Settings: the slip was not printed"}}
	d := NewDayEnd(ui, &fakeDayEnd{}, host, staff, slips, nil)
	showOn(ui, d.Content())
	d.Refresh()
	tap(t, w, "Settle the batch", "Settle")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "1111")
	tap(t, w, "OK")
	mustShow(t, w, "A manager must authorize this")
	if host.settles != 0 {
		t.Fatal("the cashier's code settled")
	}
	tap(t, w, "C")
	keys(t, w, "8888")
	tap(t, w, "OK")
	if host.settles != 1 || host.by[0] != manager.Name {
		t.Fatalf("settled %d times, by %q", host.settles, host.by)
	}
	tap(t, w, "Done")
	// Without a printer the settlement stands, and the screen says so.
	if !strings.HasPrefix(d.Result(), "Batch 12 settled") ||
		d.Printed() != "The batch is settled; its slip was not printed: No receipt printer is set in Settings: the slip was not printed" {
		t.Fatalf("result %q, printed %q", d.Result(), d.Printed())
	}
}

func TestDayEndRefusesAnEmptyBatch(t *testing.T) {
	ui := newTestUI(t, manager)
	host := &fakeHost{connected: true, batch: models.BatchContents{Batch: 13}}
	d := NewDayEnd(ui, &fakeDayEnd{}, host, &fakeStaff{}, nil, nil)
	showOn(ui, d.Content())
	d.Refresh()
	tap(t, ui.Window, "Settle the batch")
	if d.Result() != "Nothing to settle: batch 13 has no payments" || dialogShown(ui.Window) || host.settles != 0 {
		t.Fatalf("an empty batch: result %q, settled %d times", d.Result(), host.settles)
	}
}

func TestDayEndOfflineHost(t *testing.T) {
	ui := newTestUI(t, manager)
	d := NewDayEnd(ui, &fakeDayEnd{}, &fakeHost{pending: 4}, &fakeStaff{}, nil, nil)
	showOn(ui, d.Content())
	d.Refresh()
	mustShow(t, ui.Window, "4 payments not yet reported · last report — · acquirer offline")
	mustShow(t, ui.Window, "0 payments · ¥0.00")
}

func TestDayEndWithoutAnAcquirer(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	svc := &fakeDayEnd{takings: takings(t)}
	d := NewDayEnd(ui, svc, nil, &fakeStaff{}, nil, nil)
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

// TestDayEndShowsStoredValueApart: a top-up is money taken but owed to the
// member, a balance payment is a sale but not money taken again; net sales
// say what was sold.
func TestDayEndShowsStoredValueApart(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	svc := &fakeDayEnd{takings: models.SumTakings([]models.TakingRow{
		{Tender: models.TenderCash, Count: 2, Amount: 20700}, {Tender: models.TenderCash, TopUp: true, Count: 1, Amount: 20000},
		{Tender: models.TenderFingerprint, Count: 1, Amount: 350}})}
	d := NewDayEnd(ui, svc, nil, &fakeStaff{}, nil, nil)
	showOn(ui, d.Content())
	d.Refresh()
	mustShow(t, w, "3 payments · ¥407.00")
	mustShow(t, w, "of which members' top-ups (owed to them)")
	mustShow(t, w, "¥200.00")
	mustShow(t, w, "Paid from members' balances (not taken again)")
	mustShow(t, w, "¥3.50")
	mustShow(t, w, "¥210.50") // net sales: 407.00 − 200.00 + 3.50
}
