package screens

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/payments"
)

// fakeSales is every sales service of the shell, and records the orders
// given up unpaid.
type fakeSales struct {
	*fakeSell
	*fakeCash
	*fakeOrders
	*fakeDayEnd
	cancelled []uint
}

func (f *fakeSales) CancelOrder(_ context.Context, id uint) error {
	f.cancelled = append(f.cancelled, id)
	return nil
}

type shellFakes struct {
	sales   *fakeSales
	host    *fakeHost
	printer *fakePrinter
	signOut int
}

// newTestShell builds the shell on fakes; change deps before it is built
// with edit.
func newTestShell(t *testing.T, edit func(*Deps, *shellFakes)) (*Shell, *UI, *shellFakes) {
	t.Helper()
	ui := newTestUI(t, cashier)
	f := &shellFakes{
		sales: &fakeSales{fakeSell: &fakeSell{limit: 1000}, fakeCash: &fakeCash{}, fakeOrders: &fakeOrders{orders: dayOrders(t)},
			fakeDayEnd: &fakeDayEnd{takings: takings(t)}},
		host:    &fakeHost{connected: true},
		printer: &fakePrinter{},
	}
	deps := Deps{
		Catalog:  newFakeCatalog(),
		Sales:    f.sales,
		Staff:    &fakeStaff{},
		Settings: SettingsDeps{Staff: &fakeStaff{}, AutoLock: &fakeAutoLock{minutes: 2}},
		Host:     f.host,
		Printer:  f.printer,
		SignOut:  func() { f.signOut++ },
	}
	if edit != nil {
		edit(&deps, f)
	}
	s := NewShell(ui, deps)
	showOn(ui, s.Content())
	return s, ui, f
}

// typeOnCanvas types s and Enter while nothing has focus, as a
// keyboard-wedge scanner does.
func typeOnCanvas(w fyne.Window, s string) {
	c := w.Canvas()
	for _, r := range s {
		c.OnTypedRune()(r)
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestShellNavigatesBetweenTheScreens(t *testing.T) {
	s, ui, f := newTestShell(t, nil)
	w := ui.Window
	if s.Current() != "sell" || len(tiles(w)) != 3 {
		t.Fatalf("starts on %q with %d tiles", s.Current(), len(tiles(w)))
	}
	mustShow(t, w, "Corner Shop · T01")
	button(t, w, "Operator: Zhang San")
	if findButton(w, "Members") != nil {
		t.Fatal("Members is offered without a members service")
	}

	tap(t, w, "Orders")
	if s.Current() != "orders" || len(f.sales.finds) != 1 {
		t.Fatalf("orders: current %q, finds %d", s.Current(), len(f.sales.finds))
	}
	mustShow(t, w, "3 orders · takings ¥14.00")
	tap(t, w, "Day end")
	if s.Current() != "dayend" || len(f.sales.asked) != 1 {
		t.Fatalf("day end: current %q, asked %d", s.Current(), len(f.sales.asked))
	}
	mustShow(t, w, "2 payments · ¥19.00")
	if button(t, w, "Sync now").Disabled() {
		t.Fatal("Sync now is disabled with an acquirer")
	}
	tap(t, w, "Settings")
	if s.Current() != "settings" {
		t.Fatalf("current %q", s.Current())
	}
	mustShow(t, w, "2 min without activity")
	tap(t, w, "Sell")
	if s.Current() != "sell" {
		t.Fatalf("current %q", s.Current())
	}

	// A scanner types on the sell screen while nothing has focus.
	typeOnCanvas(w, colaCode)
	if o := s.Sell.Order(); len(o.Lines) != 1 || o.Lines[0].ProductID != cola.ID {
		t.Fatalf("after a scan: %+v", o.Lines)
	}
}

func TestShellCashSaleToReceiptAndBack(t *testing.T) {
	s, ui, f := newTestShell(t, nil)
	w := ui.Window
	test.Tap(tiles(w)["Coca-Cola 330ml"])
	test.Tap(tiles(w)["Coca-Cola 330ml"])
	tap(t, w, "Pay ¥7.00")
	if s.Current() != "pay" || s.Pay == nil {
		t.Fatalf("current %q", s.Current())
	}
	// No acquirer: card and QR greyed, with the reason; no members service.
	for _, b := range []string{"Card", "QR code"} {
		if got := findButton(w, b); got == nil || !got.Disabled() {
			t.Errorf("%s without its service: %v", b, got)
		}
	}
	if findButton(w, "Fingerprint") != nil {
		t.Error("Fingerprint is offered without its service")
	}
	if !strings.Contains(s.Pay.Note(), "Card and QR payments are off until the acquirer is set up in Settings") {
		t.Errorf("why card and QR are off: %q", s.Pay.Note())
	}
	// Back to the order keeps it.
	tap(t, w, "Back to order")
	if s.Current() != "sell" || len(s.Sell.Order().Lines) != 1 || len(f.sales.cancelled) != 0 {
		t.Fatalf("back: current %q, lines %d, cancelled %v", s.Current(), len(s.Sell.Order().Lines), f.sales.cancelled)
	}
	tap(t, w, "Pay ¥7.00")
	tap(t, w, "¥50.00", "Take cash")
	if s.Current() != "receipt" || len(f.sales.commits) != 1 || f.sales.commits[0].payments[0].Change != 4300 {
		t.Fatalf("after the cash: current %q, commits %+v", s.Current(), f.sales.commits)
	}
	if !slices.Equal(f.printer.receipts, []string{"T01-00000101"}) {
		t.Fatalf("printed %q", f.printer.receipts)
	}
	if !s.Sell.Order().IsEmpty() {
		t.Fatal("the cart was not cleared after the sale")
	}
	mustShow(t, w, "Paid · order T01-00000101")
	tap(t, w, "New sale")
	if s.Current() != "sell" || s.Pay != nil {
		t.Fatalf("after New sale: %q", s.Current())
	}
}

func TestShellCardDeclinedThenBackCancelsTheStoredOrder(t *testing.T) {
	cards := &fakeCards{result: payments.CardResult{Code: "05"}}
	members := &fakeMembers{}
	s, ui, f := newTestShell(t, func(d *Deps, _ *shellFakes) {
		d.Cards = cards
		d.Members = members
	})
	w := ui.Window
	button(t, w, "Members")
	test.Tap(tiles(w)["Potato crisps"])
	tap(t, w, "Pay ¥6.00")
	button(t, w, "Fingerprint")
	if findButton(w, "QR code") != nil {
		t.Fatal("QR code is offered without a QR service")
	}
	// The card screen starts waiting for a tap at once (no demo cards).
	tap(t, w, "Card")
	if s.Card == nil || !slices.Equal(cards.paid, []int64{600}) {
		t.Fatalf("card screen: %v, attempts %v", s.Card, cards.paid)
	}
	mustShow(t, w, "Do not honour")
	tap(t, w, "Other tender")
	if s.Current() != "pay" || s.Pay == nil || s.Card != nil {
		t.Fatal("Other tender did not go back to cash")
	}
	// The declined attempt stored the order awaiting payment: going back
	// to the cart gives it up.
	tap(t, w, "Back to order")
	if !slices.Equal(f.sales.cancelled, []uint{41}) || s.Current() != "sell" || len(s.Sell.Order().Lines) != 1 {
		t.Fatalf("cancelled %v, current %q", f.sales.cancelled, s.Current())
	}

	// Approved on a second try: the receipt.
	cards.result = payments.CardResult{Approved: true, Code: "00", MaskedPAN: "**** **** **** 1234", AuthCode: "654321"}
	tap(t, w, "Pay ¥6.00", "Card")
	if s.Current() != "receipt" {
		t.Fatalf("current %q", s.Current())
	}
	mustShow(t, w, "Card **** **** **** 1234 · Auth code 654321")

	tap(t, w, "Members")
	if s.Current() != "members" || len(members.finds) != 1 {
		t.Fatalf("members: current %q, finds %v", s.Current(), members.finds)
	}
}

func TestShellWithoutAHost(t *testing.T) {
	s, ui, f := newTestShell(t, func(d *Deps, _ *shellFakes) { d.Host = nil })
	w := ui.Window
	tap(t, w, "Day end")
	if s.Current() != "dayend" {
		t.Fatalf("current %q", s.Current())
	}
	mustShow(t, w, "No acquirer is configured")
	if !button(t, w, "Sync now").Disabled() || !button(t, w, "Settle the batch").Disabled() {
		t.Fatal("sync and settle are enabled without a host")
	}
	// Signing out asks nothing: no payments can be waiting for the host.
	tap(t, w, "Operator: Zhang San")
	if f.signOut != 1 || dialogShown(w) {
		t.Fatalf("signed out %d times, dialog shown %v", f.signOut, dialogShown(w))
	}
}

func TestShellSignOutWithUnreportedPaymentsAsks(t *testing.T) {
	s, ui, f := newTestShell(t, func(_ *Deps, f *shellFakes) { f.host.pending = 2 })
	w := ui.Window
	tap(t, w, "Operator: Zhang San")
	mustShow(t, w, "2 payments have not been reported to the acquirer yet.")
	tap(t, w, "No")
	if f.signOut != 0 {
		t.Fatal("No still signed out")
	}
	tap(t, w, "Operator: Zhang San")
	tap(t, w, "Yes")
	if f.signOut != 1 {
		t.Fatal("Yes did not sign out")
	}

	s.SetSyncStatus(2, testNow, true)
	if s.SyncStatus() != "2 unsynced · last 10:30" {
		t.Fatalf("sync status %q", s.SyncStatus())
	}
	s.SetSyncStatus(0, testNow, false)
	if s.SyncStatus() != "Acquirer offline · 0 unsynced" {
		t.Fatalf("sync status %q", s.SyncStatus())
	}
}

func TestShellLeavingThePaymentByTheTopBarCancelsTheStoredOrder(t *testing.T) {
	cards := &fakeCards{result: payments.CardResult{Code: "05"}}
	s, ui, f := newTestShell(t, func(d *Deps, _ *shellFakes) { d.Cards = cards })
	w := ui.Window
	test.Tap(tiles(w)["Potato crisps"])
	tap(t, w, "Pay ¥6.00", "Card")
	mustShow(t, w, "Do not honour")
	// The declined attempt stored the order awaiting payment; the cashier
	// goes to the cart by the top bar instead of Other tender.
	tap(t, w, "Sell")
	if !slices.Equal(f.sales.cancelled, []uint{41}) || s.Current() != "sell" || s.Card != nil || s.Pay != nil {
		t.Fatalf("cancelled %v, current %q", f.sales.cancelled, s.Current())
	}
	// Back to the cart the usual way: cancelled once, not twice.
	tap(t, w, "Pay ¥6.00", "Card")
	tap(t, w, "Other tender", "Back to order")
	if !slices.Equal(f.sales.cancelled, []uint{41, 41}) {
		t.Fatalf("cancelled %v", f.sales.cancelled)
	}
}

func TestShellStaysOnACardPaymentInProgress(t *testing.T) {
	s, ui, _ := newTestShell(t, func(d *Deps, _ *shellFakes) { d.Cards = &fakeCards{} })
	w := ui.Window
	test.Tap(tiles(w)["Potato crisps"])
	// Hold the payment's end back: it is in progress.
	var pending []func()
	ui.Async = func(work, done func()) { pending = append(pending, func() { work(); done() }) }
	tap(t, w, "Pay ¥6.00", "Card")
	if !s.Busy() {
		t.Fatal("the card payment is not in progress")
	}
	for _, nav := range []func(){s.ShowOrders, s.ShowDayEnd, s.ShowSettings, s.ShowMembers, s.ShowSell} {
		nav()
		if s.Current() != "pay" || s.Card == nil {
			t.Fatalf("left the card payment in progress for %q", s.Current())
		}
	}
}
