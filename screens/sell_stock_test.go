package screens

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// fakeClock starts the UI's timers; Advance fires those due.
type fakeClock struct {
	now    time.Duration
	timers []*manualTimer
	at     []time.Duration
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	tm := &manualTimer{d: d, f: f}
	c.timers = append(c.timers, tm)
	c.at = append(c.at, c.now+d)
	return tm
}

func (c *fakeClock) Advance(d time.Duration) {
	c.now += d
	for i, tm := range slices.Clone(c.timers) {
		if !tm.stopped && c.at[i] <= c.now {
			tm.stopped = true
			tm.f()
		}
	}
}

// countBeeps counts the till's beeps.
type countBeeps struct{ n int }

func (b *countBeeps) Beep() { b.n++ }

// newStockSell is the sell screen with cola's stock at colaStock, on a fake
// clock, counting beeps.
func newStockSell(t *testing.T, colaStock int64, forbid bool) (*Sell, fyne.Window, *fakeSell, *fakeClock, *countBeeps) {
	t.Helper()
	ui := newTestUI(t, cashier)
	clock, beeps := &fakeClock{}, &countBeeps{}
	ui.After, ui.Beep = clock.AfterFunc, beeps
	svc := &fakeSell{limit: 1000, stock: map[uint]models.Quantity{cola.ID: models.Units(colaStock)}, forbid: forbid}
	s := NewSell(ui, newFakeCatalog(), svc, &fakeStaff{})
	showOn(ui, s.Content())
	return s, ui.Window, svc, clock, beeps
}

// cartDetail is the details row of the cart line showing name.
func cartDetail(t *testing.T, w fyne.Window, name string) *widget.Label {
	t.Helper()
	var found *widget.Label
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if r, ok := o.(*cartRow); ok && r.name.Text == name {
			found = r.detail
			return true
		}
		return false
	})
	if found == nil {
		t.Fatalf("no cart line shows %q", name)
	}
	return found
}

func TestSellWarnsBeyondTheStock(t *testing.T) {
	s, w, svc, clock, beeps := newStockSell(t, 2, false)
	colaTile := tiles(w)["Coca-Cola 330ml"]
	test.Tap(colaTile)
	test.Tap(colaTile)
	if s.Notice() != "" || strings.Contains(cartDetail(t, w, "Coca-Cola 330ml").Text, "Stock") {
		t.Fatalf("two of two: notice %q", s.Notice())
	}
	// The third tap goes beyond the stock: added, with a warning naming the
	// product and what is left, and the line marked.
	test.Tap(colaTile)
	if q := s.Order().QtyOf(cola.ID); q != models.Units(3) {
		t.Fatalf("three taps added %s", q)
	}
	if want := "Coca-Cola 330ml: only 2 in stock, 3 on this order"; s.Notice() != want {
		t.Fatalf("notice %q, want %q", s.Notice(), want)
	}
	if d := cartDetail(t, w, "Coca-Cola 330ml"); d.Text != "¥3.50  ·  Stock 2" || d.Importance != widget.WarningImportance {
		t.Fatalf("cart line details %q (importance %v)", d.Text, d.Importance)
	}
	if beeps.n != 0 {
		t.Fatal("a warning beeped")
	}
	// "Qty ×" 500 then a scan: a warning too.
	if err := s.SetMultiplier("500"); err != nil {
		t.Fatal(err)
	}
	s.Scan(colaCode)
	if s.Order().QtyOf(cola.ID) != models.Units(503) || s.Notice() != "Coca-Cola 330ml: only 2 in stock, 503 on this order" {
		t.Fatalf("after 500×: %s, notice %q", s.Order().QtyOf(cola.ID), s.Notice())
	}
	// The stock was read once for the order; untracked crisps never warn.
	test.Tap(tiles(w)["Potato crisps"])
	if !slices.Equal(svc.stockReads, []uint{cola.ID, crisps.ID}) {
		t.Fatalf("stock read for %v", svc.stockReads)
	}
	// The notice goes after a few seconds; the line stays marked.
	clock.Advance(noticeTime)
	if s.Notice() != "" || !strings.Contains(cartDetail(t, w, "Coca-Cola 330ml").Text, "Stock 2") {
		t.Fatalf("after %s: notice %q", noticeTime, s.Notice())
	}
	// Back within the stock, the mark goes.
	s.ChangeQty(0, -501)
	if d := cartDetail(t, w, "Coca-Cola 330ml"); strings.Contains(d.Text, "Stock") || s.Order().QtyOf(cola.ID) != models.Units(2) {
		t.Fatalf("two again: details %q", d.Text)
	}
}

func TestSellForbidsBeyondTheStock(t *testing.T) {
	s, w, _, _, beeps := newStockSell(t, 120, true)
	refusal := "Coca-Cola 330ml: only 120 in stock. Selling below zero stock is not allowed in this shop"
	// 500 by "Qty ×" and a scan: nothing added, and the notice says why.
	tap(t, w, "Qty ×")
	keys(t, w, "500")
	tap(t, w, "OK")
	s.Scan(colaCode)
	if !s.Order().IsEmpty() || s.Notice() != refusal || beeps.n != 1 {
		t.Fatalf("500 of 120: %d lines, notice %q, beeps %d", len(s.Order().Lines), s.Notice(), beeps.n)
	}
	// All 120 may go.
	s.Scan("120*" + colaCode)
	if s.Order().QtyOf(cola.ID) != models.Units(120) {
		t.Fatalf("120 of 120: %s", s.Order().QtyOf(cola.ID))
	}
	// One more by +, a tap or a scan is refused, the line kept at 120.
	s.ChangeQty(0, 1)
	test.Tap(tiles(w)["Coca-Cola 330ml"])
	s.Scan(colaCode)
	if s.Order().QtyOf(cola.ID) != models.Units(120) || s.Notice() != refusal || beeps.n != 4 {
		t.Fatalf("121 of 120: %s, notice %q, beeps %d", s.Order().QtyOf(cola.ID), s.Notice(), beeps.n)
	}
	// On the line's keypad 121 is refused in the dialog; 100 is fine.
	s.askQty(0)
	tap(t, w, "C")
	keys(t, w, "121")
	tap(t, w, "OK")
	mustShow(t, w, refusal)
	if s.Order().QtyOf(cola.ID) != models.Units(120) {
		t.Fatalf("the keypad set %s", s.Order().QtyOf(cola.ID))
	}
	tap(t, w, "C")
	keys(t, w, "100")
	tap(t, w, "OK")
	if s.Order().QtyOf(cola.ID) != models.Units(100) || dialogShown(w) {
		t.Fatalf("the keypad's 100: %s", s.Order().QtyOf(cola.ID))
	}
	// A new sale reads the stock again.
	s.NewSale()
	if s.Notice() != "" {
		t.Fatalf("a new sale kept the notice %q", s.Notice())
	}
}

func TestSellUnknownBarcodeIsToldProminentlyForAFewSeconds(t *testing.T) {
	s, w, _, clock, beeps := newStockSell(t, 10, false)
	s.Scan("6900000000000")
	if s.Notice() != "No product has the barcode 6900000000000" || beeps.n != 1 || !s.Order().IsEmpty() {
		t.Fatalf("unknown barcode: notice %q, beeps %d", s.Notice(), beeps.n)
	}
	if !s.notice.Visible() || s.notice.bg.FillColor == nil || s.status.Text != "" {
		t.Fatalf("the notice is not up in its colour, or the small status line has %q", s.status.Text)
	}
	mustShow(t, w, "No product has the barcode 6900000000000")
	clock.Advance(noticeTime - time.Second)
	if s.Notice() == "" {
		t.Fatal("the notice went too soon")
	}
	// Another unknown code shows the new one for the whole time again.
	s.Scan("6900000000001")
	clock.Advance(2 * time.Second)
	if s.Notice() != "No product has the barcode 6900000000001" || beeps.n != 2 {
		t.Fatalf("second code: notice %q, beeps %d", s.Notice(), beeps.n)
	}
	clock.Advance(noticeTime)
	if s.Notice() != "" || s.notice.Visible() || shown(w, "No product has the barcode 6900000000001") {
		t.Fatalf("after %s the notice is still up: %q", noticeTime, s.Notice())
	}
	// A tap dismisses it at once.
	s.Scan("6900000000002")
	test.Tap(s.notice)
	if s.Notice() != "" {
		t.Fatal("a tap did not dismiss the notice")
	}
}

func TestSellKeepsTheOrderOfScansWhileTheStockIsRead(t *testing.T) {
	s, w, svc, _, _ := newStockSell(t, 10, false)
	// The stock reads take their time.
	var pending []func()
	s.ui.Async = func(work, done func()) { pending = append(pending, func() { work(); done() }) }
	var paid *models.Order
	s.OnPay = func(o *models.Order) { paid = o }
	s.Scan(colaCode)
	if len(pending) != 1 || !s.Order().IsEmpty() {
		t.Fatalf("before the read: %d reads, %d lines", len(pending), len(s.Order().Lines))
	}
	pending[0]()
	pending = nil
	// Water waits for its stock, and the next cola waits behind it; Pay
	// tapped meanwhile waits for both.
	test.Tap(tiles(w)["Spring water 550ml"])
	s.Scan(colaCode)
	tap(t, w, "Pay ¥3.50")
	if len(pending) != 1 || len(s.Order().Lines) != 1 || paid != nil {
		t.Fatalf("before the second read: %d reads, %d lines, paid %v", len(pending), len(s.Order().Lines), paid != nil)
	}
	for len(pending) > 0 {
		next := pending[0]
		pending = pending[1:]
		next()
	}
	o := s.Order()
	if len(o.Lines) != 2 || o.Lines[0].ProductID != cola.ID || o.Lines[0].Qty != models.Units(2) || o.Lines[1].ProductID != water.ID {
		t.Fatalf("lines %+v", o.Lines)
	}
	if paid != o || !slices.Equal(svc.stockReads, []uint{cola.ID, water.ID}) {
		t.Fatalf("paid %v, stock read for %v", paid != nil, svc.stockReads)
	}
}
