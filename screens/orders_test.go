package screens

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
)

// dayOrders are a day's orders: paid in cash, refunded in part by card,
// voided.
func dayOrders(t *testing.T) []models.Order {
	t.Helper()
	paid := orderOf(t, cola, 2) // ¥7.00
	paid.ID, paid.Number, paid.Status, paid.OperatorName, paid.CreatedAt, paid.Batch = 1, "T01-00000001", models.OrderPaid, cashier.Name, testNow, 1
	paid.Payments = []models.Payment{{ID: 11, Tender: models.TenderCash, Status: models.PaymentApproved, Amount: 700, Tendered: 1000, Change: 300}}

	part := orderOf(t, crisps, 2) // ¥12.00, ¥5.00 refunded
	part.ID, part.Number, part.Status, part.Refunded, part.CreatedAt, part.Batch = 2, "T01-00000002", models.OrderRefunded, 500, testNow, 1
	part.Payments = []models.Payment{
		{ID: 12, Key: "T01-00000002-P1", Tender: models.TenderCard, Status: models.PaymentRefunded, Amount: 1200, Tendered: 1200, MaskedPAN: "**** **** **** 1234"},
		{ID: 13, Tender: models.TenderCard, Status: models.PaymentApproved, Amount: -500, OriginalID: 12}}

	voided := orderOf(t, water, 1)
	voided.ID, voided.Number, voided.Status, voided.CreatedAt, voided.Batch = 3, "T01-00000003", models.OrderVoided, testNow, 1
	voided.Payments = []models.Payment{{ID: 14, Tender: models.TenderCash, Status: models.PaymentVoided, Amount: 200, Tendered: 200}}
	return []models.Order{*paid, *part, *voided}
}

func newTestOrders(t *testing.T) (*Orders, *UI, *fakeOrders, *fakeStaff, *fakePrinter) {
	t.Helper()
	ui := newTestUI(t, cashier)
	svc, staff, printer := &fakeOrders{orders: dayOrders(t), open: 1}, &fakeStaff{}, &fakePrinter{}
	s := NewOrders(ui, svc, staff, printer)
	showOn(ui, s.Content())
	s.Refresh()
	return s, ui, svc, staff, printer
}

func TestOrdersListsTheDayAndFinds(t *testing.T) {
	s, ui, svc, _, _ := newTestOrders(t)
	w := ui.Window
	from := midnight(testNow)
	if len(svc.finds) != 1 || !svc.finds[0].from.Equal(from) || !svc.finds[0].to.Equal(from.AddDate(0, 0, 1)) || svc.finds[0].text != "" {
		t.Fatalf("FindOrders asked %+v", svc.finds)
	}
	if len(s.Shown()) != 3 {
		t.Fatalf("shown %d orders", len(s.Shown()))
	}
	// Takings: 7.00 + (12.00 − 5.00); the voided order takes nothing.
	mustShow(t, w, "3 orders · takings ¥14.00")
	mustShow(t, w, "Today, 2025-03-14")
	mustShow(t, w, "T01-00000002")

	tap(t, w, "Find: number, amount, card last 4")
	keys(t, w, "2")
	tap(t, w, "OK")
	if n := len(svc.finds); svc.finds[n-1].text != "2" {
		t.Fatalf("found with %+v", svc.finds[n-1])
	}
	if got := s.Shown(); len(got) != 1 || got[0].Number != "T01-00000002" {
		t.Fatalf("found %+v", got)
	}
	button(t, w, "Finding “2”")
	mustShow(t, w, "1 orders · takings ¥7.00")

	// The day before: asked for that day.
	test.Tap(iconButton(t, w, theme.NavigateBackIcon()))
	if n := len(svc.finds); !svc.finds[n-1].from.Equal(from.AddDate(0, 0, -1)) {
		t.Fatalf("previous day asked %+v", svc.finds[n-1])
	}
	mustShow(t, w, "2025-03-13")
	tap(t, w, "Today")
	mustShow(t, w, "Today, 2025-03-14")
}

func TestOrdersVoidOnlyWhenTheRulesAllow(t *testing.T) {
	s, ui, svc, staff, printer := newTestOrders(t)
	w := ui.Window

	// Refunded in part: no void, a refund of the rest.
	tapRow(t, w, "T01-00000002")
	if models.CanVoid(&svc.orders[1], 0) == nil {
		t.Fatal("fixture: order 2 should not be voidable")
	}
	if !button(t, w, "Void").Disabled() || button(t, w, "Refund").Disabled() {
		t.Fatal("order 2: Void should be disabled and Refund enabled")
	}
	mustShow(t, w, "Order T01-00000002 cannot be voided: it is not a paid order")
	// Voided: neither, and the rules say why.
	tapRow(t, w, "T01-00000003")
	if !button(t, w, "Void").Disabled() || !button(t, w, "Refund").Disabled() {
		t.Fatal("a voided order can still be voided or refunded")
	}
	mustShow(t, w, "Order T01-00000003 is voided already")
	mustShow(t, w, "Order T01-00000003 was voided: there is nothing to refund")
	// Paid: void it, with a manager's code.
	tapRow(t, w, "T01-00000001")
	mustShow(t, w, "Sale committed")
	tap(t, w, "Void")
	keys(t, w, "1111")
	tap(t, w, "OK")
	mustShow(t, w, "A manager must authorize this")
	tap(t, w, "C")
	keys(t, w, "8888")
	tap(t, w, "OK")
	if !slices.Equal(svc.voids, []undoCall{{1, 0, manager.Name}}) || !slices.Equal(staff.managers, []string{"1111", "8888"}) {
		t.Fatalf("voids %+v, codes %q", svc.voids, staff.managers)
	}
	if len(printer.slips) != 1 || !slipHas(printer.slips[0], "VOID", "-¥7.00", "Boss Wang") {
		t.Fatalf("void slip: %q", receipt.PlainText(s.Slip(), 40))
	}
	mustShow(t, w, "Order T01-00000001 voided")
	tap(t, w, "Done")
	// The list and the order shown are as stored now.
	if s.Shown()[0].Status != models.OrderVoided || !button(t, w, "Void").Disabled() {
		t.Fatal("after the void the order still looks voidable")
	}

	tap(t, w, "Reprint")
	if !slices.Equal(printer.receipts, []string{"T01-00000001 (reprint)"}) {
		t.Fatalf("reprinted %q", printer.receipts)
	}
}

func TestOrdersRefundIsBoundedByWhatIsLeft(t *testing.T) {
	s, ui, svc, _, printer := newTestOrders(t)
	w := ui.Window
	tapRow(t, w, "T01-00000002")
	tap(t, w, "Refund")
	keys(t, w, "8888")
	tap(t, w, "OK")
	// ¥12.00 paid, ¥5.00 given back: ¥7.00 is left.
	left := models.Refundable(&svc.orders[1])
	if left != 700 {
		t.Fatalf("fixture: refundable %d", left)
	}
	mustShow(t, w, "Up to ¥7.00 can be refunded, to the tender it was paid with")
	tap(t, w, "C")
	keys(t, w, "8")
	tap(t, w, "OK")
	mustShow(t, w, "A refund must be more than 0 and at most ¥7.00")
	if len(svc.refunds) != 0 {
		t.Fatal("a refund above what is left reached the service")
	}
	tap(t, w, "C")
	keys(t, w, "5")
	tap(t, w, "OK")
	if !slices.Equal(svc.refunds, []undoCall{{2, 500, manager.Name}}) {
		t.Fatalf("refunds %+v", svc.refunds)
	}
	if len(printer.slips) != 1 || !slipHas(printer.slips[0], "REFUND", "-¥5.00", "Refunded in all", "¥10.00") {
		t.Fatalf("refund slip: %q", receipt.PlainText(s.Slip(), 40))
	}
	mustShow(t, w, "Refund of ¥5.00 done")
	tap(t, w, "Done")
	// ¥2.00 is left now.
	tap(t, w, "Refund")
	keys(t, w, "8888")
	tap(t, w, "OK")
	mustShow(t, w, "Up to ¥2.00 can be refunded")
}

func slipHas(rows []receipt.Row, want ...string) bool {
	text := receipt.PlainText(rows, 40)
	for _, s := range want {
		if !strings.Contains(text, s) {
			return false
		}
	}
	return true
}

func TestOrdersSettledOrderIsRefundedNotVoided(t *testing.T) {
	s, ui, svc, staff, _ := newTestOrders(t)
	w := ui.Window
	svc.open = 2 // batch 1 was settled
	tapRow(t, w, "T01-00000001")
	if !button(t, w, "Void").Disabled() || button(t, w, "Refund").Disabled() || button(t, w, "Reprint").Disabled() {
		t.Fatal("a settled order: Void should be disabled, Refund and Reprint enabled")
	}
	mustShow(t, w, "Order T01-00000001 is in a settled batch: refund it instead")
	test.Tap(button(t, w, "Void"))
	if dialogShown(w) || len(staff.managers) != 0 || len(svc.voids) != 0 {
		t.Fatal("the disabled Void still asked for a manager's code")
	}
	// In the open batch the same order can be voided, and no reason shows.
	svc.open = 1
	s.ShowOrder(1)
	if button(t, w, "Void").Disabled() || shown(w, "settled batch") {
		t.Fatal("an order of the open batch cannot be voided")
	}
}
