package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// startDemoWithHost starts demo mode with its simulated acquirer connected.
func startDemoWithHost(t *testing.T) *Till {
	t.Helper()
	till := startDemo(t, "en")
	if err := till.host.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	return till
}

func TestDemoCardTapPaysAnOrder(t *testing.T) {
	till := startDemoWithHost(t)
	w := till.Window()
	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Card", "Tap demo card: UnionPay")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after a demo tap: screen %s, message %q", till.Shell().Current(), till.Shell().Card.Message())
	}
	orders := todaysOrders(t, till)
	if len(orders) != 1 || orders[0].Status != models.OrderPaid {
		t.Fatalf("orders: %+v", orders)
	}
	p := orders[0].Payments[0]
	if p.Tender != models.TenderCard || p.Status != models.PaymentApproved || p.MaskedPAN != "**** **** **** 1232" ||
		p.Scheme != "unionpay" || p.CVM != "no_cvm" || p.CVMReason != "cvm.reason.small_amount" || p.AuthCode == "" || len(p.CardToken) != 64 || p.CardExpiry == "" {
		t.Fatalf("card payment stored: %+v", p)
	}
	if !shownText(w, "No PIN, no signature") || !shownText(w, "**** **** **** 1232") {
		t.Fatal("the receipt does not show the card and its verification")
	}
	var sales int
	for _, e := range till.host.Simulator().Ledger() {
		if e.MTI == acquirer.MTISaleRequest && e.ProcCode == acquirer.ProcPurchase && e.Code == "00" && e.Amount == 700 {
			sales++
		}
	}
	if sales != 1 {
		t.Fatalf("host approved %d sales of ¥7.00", sales)
	}
}

func TestCardDeclinedThenCashOnTheSameOrder(t *testing.T) {
	till := startDemoWithHost(t)
	w := till.Window()
	// The simulated host declines amounts ending in .51 with 51.
	for i := 0; i < 15; i++ {
		scan(w, colaCode)
	}
	o := till.Shell().Sell.Order()
	if err := o.SetDiscount(models.AmountDiscount(199)); err != nil { // ¥52.50 - ¥1.99 = ¥50.51
		t.Fatal(err)
	}
	till.Shell().Sell.SetOrder(o)
	tapKeys(t, till, "Pay ¥50.51", "Card", "Tap demo card: Visa")
	card := till.Shell().Card
	if till.Shell().Current() != "pay" || card.Message() == "" {
		t.Fatalf("a declined card left screen %s, message %q", till.Shell().Current(), card.Message())
	}
	if card.Message() != "Insufficient funds" {
		t.Fatalf("decline message %q", card.Message())
	}
	tapKeys(t, till, "Other tender", "Exact ¥50.51", "Take cash")
	orders := todaysOrders(t, till)
	if len(orders) != 1 || orders[0].Status != models.OrderPaid || len(orders[0].Payments) != 2 {
		t.Fatalf("after cash: %+v", orders)
	}
	if orders[0].Payments[0].Status != models.PaymentDeclined || orders[0].Payments[1].Tender != models.TenderCash {
		t.Fatalf("payments: %+v", orders[0].Payments)
	}
}

// TestExpiredCardRefusedLocallyAndAboveNoPINTheCardholderSigns: an
// expired card never reaches the bank; above the no-PIN limit a card is
// still taken, the cardholder signing, and the bank is told so.
func TestExpiredCardRefusedLocallyAndAboveNoPINTheCardholderSigns(t *testing.T) {
	till := startDemoWithHost(t)
	w := till.Window()
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Card", "Tap demo card: Expired")
	if msg := till.Shell().Card.Message(); msg != "The card has expired" {
		t.Fatalf("expired card: %q", msg)
	}
	if n := len(till.host.Simulator().Ledger()); n != 0 {
		t.Fatalf("an expired card reached the host: %d entries", n)
	}
	test.Tap(button(t, w, "Other tender"))
	if till.Shell().Current() != "pay" {
		t.Fatal("no way to another tender")
	}
	l := till.cards.Limits()
	l.NoCVM = 100 // ¥1: above it the cardholder must be verified
	if err := till.cards.SetLimits(context.Background(), l, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	// No member linked the Mastercard: the cardholder signs.
	tapKeys(t, till, "Card", "Tap demo card: Mastercard")
	signOnScreen(t, till)
	if till.Shell().Current() != "receipt" {
		t.Fatalf("over the no-PIN limit: screen %s, message %q", till.Shell().Current(), till.Shell().Card.Message())
	}
	if p := todaysOrders(t, till)[0].Payments; p[len(p)-1].CVM != "signature" {
		t.Fatalf("payments: %+v", p)
	}
	l.NoCVM = l.Contactless
	if err := till.cards.SetLimits(context.Background(), l, shopOwner(t, till)); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a no-PIN limit at the contactless limit: %v", err)
	}
}
