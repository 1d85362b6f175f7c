package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services/demo"
)

// payColasByCard takes a card payment for n colas through the simulated host.
func payColasByCard(t *testing.T, till *Till, n int64, pan string) *models.Order {
	t.Helper()
	ctx := context.Background()
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	p, err := till.Store().ProductByBarcode(ctx, colaCode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.AddProduct(*p, models.Units(n)); err != nil {
		t.Fatal(err)
	}
	resp, err := till.sales.PayOnline(ctx, o, models.Payment{Tender: models.TenderCard, Amount: o.Total,
		MaskedPAN: pan}, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	if err != nil || !resp.Approved() || o.Status != models.OrderPaid {
		t.Fatalf("card payment: %+v %v, order %s", resp, err, o.Status)
	}
	return o
}

// shownText reports whether a text on the window or its top dialog contains s.
func shownText(w fyne.Window, s string) bool {
	found := false
	for _, root := range []fyne.CanvasObject{w.Canvas().Content(), w.Canvas().Overlays().Top()} {
		walk(root, func(o fyne.CanvasObject) bool {
			if tx, ok := o.(*canvas.Text); ok && strings.Contains(tx.Text, s) {
				found = true
			}
			return found
		})
	}
	return found
}

func slipText(till *Till) string { return receipt.PlainText(till.Shell().Orders.Slip(), 40) }

func TestVoidAndRefundFromTheTransactionQuery(t *testing.T) {
	till := startDemo(t, "en")
	ctx := context.Background()
	if err := till.host.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	w := till.Window()
	host := till.host.Simulator()
	sellColasForCash(t, w, 1)
	card := payColasByCard(t, till, 2, "**** **** **** 1234")

	// Find the card payment by its last four digits, and void it.
	tapKeys(t, till, "Orders")
	orders := till.Shell().Orders
	orders.SetQuery("1234")
	if got := orders.Shown(); len(got) != 1 || got[0].ID != card.ID {
		t.Fatalf("found by card: %+v", got)
	}
	orders.ShowOrder(card.ID)
	tapKeys(t, till, "Void", "1", "1", "1", "1", "OK")
	if !shownText(w, "That is not a manager's code") {
		t.Fatal("a cashier's code was not refused with a message")
	}
	tapKeys(t, till, "C", "8", "8", "8", "8", "OK")
	if s := slipText(till); !strings.Contains(s, "VOID") || !strings.Contains(s, "-¥7.00") || !strings.Contains(s, "1234") {
		t.Fatalf("void slip:\n%s", s)
	}
	tapKeys(t, till, "Done")
	got, _ := till.Store().OrderByID(ctx, card.ID)
	if got.Status != models.OrderVoided || got.Payments[0].Status != models.PaymentVoided {
		t.Fatalf("voided order: %s %s", got.Status, got.Payments[0].Status)
	}
	voids := 0
	for _, e := range host.Ledger() {
		if e.ProcCode == acquirer.ProcVoid && e.MTI == acquirer.MTISaleRequest && e.Code == "00" && e.Original == card.Payments[0].Key {
			voids++
		}
	}
	if voids != 1 {
		t.Fatalf("host recorded %d voids of %s", voids, card.Payments[0].Key)
	}
	var kinds []string
	for _, e := range orders.History() {
		kinds = append(kinds, e.Kind)
	}
	if k := strings.Join(kinds, ","); !strings.Contains(k, "audit:authorize") || !strings.Contains(k, "audit:void") {
		t.Fatalf("history of the voided order: %s", k)
	}

	// A partial refund of the cash sale, from the drawer.
	orders.SetQuery("3.50")
	cash := orders.Shown()
	if len(cash) != 1 {
		t.Fatalf("found by amount: %+v", cash)
	}
	orders.ShowOrder(cash[0].ID)
	tapKeys(t, till, "Refund", "8", "8", "8", "8", "OK")
	tapKeys(t, till, "C", "9", "OK") // more than was paid
	if !shownText(w, "at most ¥3.50") {
		t.Fatal("an over-refund was not refused with a message")
	}
	tapKeys(t, till, "C", "2", "OK")
	if s := slipText(till); !strings.Contains(s, "REFUND") || !strings.Contains(s, "-¥2.00") {
		t.Fatalf("refund slip:\n%s", s)
	}
	tapKeys(t, till, "Done")
	if got, _ := till.Store().OrderByID(ctx, cash[0].ID); got.Status != models.OrderRefunded || got.Refunded != 200 {
		t.Fatalf("refunded cash order: %s %d", got.Status, got.Refunded)
	}

	// After settlement a card payment is refunded at the bank, not voided.
	card2 := payColasByCard(t, till, 3, "**** **** **** 5678")
	manager, err := demo.Stored(ctx, till.Store(), demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := till.host.Settle(ctx, manager); err != nil {
		t.Fatal(err)
	}
	if _, err := till.sales.Void(ctx, card2.ID, manager); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("void after settlement: %v", err)
	}
	orders.SetQuery("5678")
	orders.ShowOrder(card2.ID)
	tapKeys(t, till, "Refund", "8", "8", "8", "8", "OK", "C", "4", "OK")
	if got, _ := till.Store().OrderByID(ctx, card2.ID); got.Status != models.OrderRefunded || got.Refunded != 400 {
		t.Fatalf("card refund after settlement: %s %d", got.Status, got.Refunded)
	}
	refunds := 0
	for _, e := range host.Ledger() {
		if e.ProcCode == acquirer.ProcRefund && e.MTI == acquirer.MTISaleRequest && e.Amount == 400 && e.Code == "00" {
			refunds++
		}
	}
	if refunds != 1 {
		t.Fatalf("host recorded %d refunds", refunds)
	}
	_ = test.Tap
}

func TestSignOutWarnsOfUnsyncedPaymentsThenTakesACode(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sellColasForCash(t, w, 2) // not reported: the link is not up in this test
	test.Tap(button(t, w, "Operator: 演示收银员"))
	if !shownText(w, "2 payments have not been reported") {
		t.Fatal("signing out with unsynced payments gave no warning")
	}
	tapKeys(t, till, "No")
	if till.login != nil {
		t.Fatal("signed out although the cashier said no")
	}
	test.Tap(button(t, w, "Operator: 演示收银员"))
	tapKeys(t, till, "Yes")
	if till.login == nil {
		t.Fatal("no login screen after signing out")
	}
	tapKeys(t, till, "1", "2", "3", "Sign in")
	if !shownText(w, "No operator has that code") || till.login == nil {
		t.Fatal("a wrong code was not refused with a message")
	}
	tapKeys(t, till, "8", "8", "8", "8", "Sign in")
	if till.login != nil || till.session.Operator().Name != "演示店长" {
		t.Fatalf("after signing in: %+v", shopOwner(t, till))
	}
	sellColasForCash(t, w, 1)
	orders := todaysOrders(t, till)
	if orders[0].OperatorName != "演示店长" {
		t.Fatalf("the next sale was made by %q", orders[0].OperatorName)
	}
}

func TestClosingTheWindowWarnsOfUnsyncedPayments(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sellColasForCash(t, w, 1)
	till.confirmClose() // what closing the window runs
	if !shownText(w, "1 payment has not been reported") {
		t.Fatal("closing with unsynced payments gave no warning")
	}
	tapKeys(t, till, "No")
}
