package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
	"github.com/till-pos/till/services/demo"
)

// startDemo starts Till on a fresh demo database in a test app.
func startDemo(t *testing.T, lng string) *Till {
	t.Helper()
	a := test.NewTempApp(t)
	till, err := Start(a, Options{DBPath: filepath.Join(t.TempDir(), "till.db"), Lang: lng, Demo: true, inlineUI: true})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { till.Close() })
	till.Window().Resize(WindowSize)
	return till
}

// Finding what the window shows (internal/uitest).
var (
	walk             = uitest.Walk
	button           = uitest.Button
	buttonContaining = uitest.ButtonContaining
)

// tile finds the product tile showing name on the window.
func tile(t *testing.T, w fyne.Window, name string) *widgets.ProductTile {
	t.Helper()
	var found *widgets.ProductTile
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if pt, ok := o.(*widgets.ProductTile); ok && pt.Name() == name {
			found = pt
			return true
		}
		return false
	})
	if found == nil {
		t.Fatalf("no tile shows %q", name)
	}
	return found
}

// scan types a barcode and Enter as a keyboard-wedge scanner does.
func scan(w fyne.Window, code string) {
	c := w.Canvas()
	for _, r := range code {
		c.OnTypedRune()(r)
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func todaysOrders(t *testing.T, till *Till) []models.Order {
	t.Helper()
	now := time.Now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	orders, err := till.Store().OrdersBetween(context.Background(), "T01", from, from.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	return orders
}

const (
	cola     = "可口可乐 330ml"
	colaCode = "6901234567892"
)

func TestCashSaleByTapAndScan(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sell := till.Shell().Sell
	colaItem, ok := till.catalog.Lookup(colaCode)
	if !ok {
		t.Fatalf("demo catalog lacks %s", colaCode)
	}
	colaName := colaItem.NameEN

	// Tap the cola tile twice: one line of two.
	test.Tap(tile(t, w, colaName))
	test.Tap(tile(t, w, colaName))
	o := sell.Order()
	if len(o.Lines) != 1 || o.Lines[0].Qty != models.Units(2) {
		t.Fatalf("after two taps: %+v", o.Lines)
	}
	// Scan it: the same line grows.
	scan(w, colaCode)
	if o.Lines[0].Qty != models.Units(3) {
		t.Fatalf("after scan qty = %s", o.Lines[0].Qty)
	}
	// "2*" then a scan adds two.
	scan(w, "2*"+colaCode)
	if o.Lines[0].Qty != models.Units(5) {
		t.Fatalf("after 2*scan qty = %s", o.Lines[0].Qty)
	}
	// An unknown barcode adds nothing and says so.
	scan(w, "6900000000000")
	if len(o.Lines) != 1 || !strings.Contains(sell.Status(), "6900000000000") {
		t.Fatalf("unknown barcode: lines %d, status %q", len(o.Lines), sell.Status())
	}
	want := 5 * colaItem.Price
	if o.Total != want {
		t.Fatalf("total = %d, want %d", o.Total, want)
	}

	// Pay: exact cash would do, but the customer hands over ¥100.
	test.Tap(button(t, w, "Pay "+models.Yuan(want).String()))
	if till.Shell().Current() != "pay" {
		t.Fatalf("screen = %s, want pay", till.Shell().Current())
	}
	test.Tap(button(t, w, "¥100.00"))
	if got := till.Shell().Pay.ChangeText(); got != models.Yuan(10000-want).String() {
		t.Fatalf("change shown = %q", got)
	}
	test.Tap(button(t, w, "Take cash"))
	if till.Shell().Current() != "receipt" {
		t.Fatalf("screen = %s, want receipt", till.Shell().Current())
	}
	rows := till.Shell().Receipt.Rows()
	var text []string
	for _, r := range rows {
		text = append(text, r.Left+" "+r.Right)
	}
	joined := strings.Join(text, "\n")
	for _, s := range []string{"T01-00000001", colaName, models.Yuan(want).String(), "Change", models.Yuan(10000 - want).String(), demo.Operator.Name, "收银台示范店"} {
		if !strings.Contains(joined, s) {
			t.Errorf("receipt lacks %q:\n%s", s, joined)
		}
	}
	if !sell.Order().IsEmpty() {
		t.Error("the cart was not cleared after the sale")
	}

	// The database holds the whole sale.
	orders := todaysOrders(t, till)
	if len(orders) != 1 {
		t.Fatalf("orders stored = %d", len(orders))
	}
	got, err := till.Store().OrderByID(context.Background(), orders[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "T01-00000001" || got.Total != want || len(got.Lines) != 1 || got.Lines[0].Qty != models.Units(5) ||
		len(got.Payments) != 1 || got.Payments[0].Tendered != 10000 || got.Payments[0].Change != 10000-want {
		t.Fatalf("stored order = %+v", got)
	}
}

func TestQuantityDiscountHoldRecall(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sell := till.Shell().Sell
	scan(w, colaCode)
	o := sell.Order()
	// +, + and − on the cart line.
	test.Tap(cartButtonAt(t, w, 2))
	test.Tap(cartButtonAt(t, w, 2))
	test.Tap(cartButtonAt(t, w, 0))
	if o.Lines[0].Qty != models.Units(2) {
		t.Fatalf("qty after + + − = %s", o.Lines[0].Qty)
	}
	gross := o.Lines[0].Gross

	// A 10% line discount through the dialog's keypad.
	test.Tap(cartButtonAt(t, w, 3))
	test.Tap(button(t, w, "Percent %"))
	test.Tap(button(t, w, "1"))
	test.Tap(button(t, w, "0"))
	test.Tap(button(t, w, "OK"))
	if o.Lines[0].LineDiscount != (gross+5)/10 {
		t.Fatalf("line discount = %d of %d", o.Lines[0].LineDiscount, gross)
	}
	// A discount above the line total is refused, the order unchanged.
	before := o.Total
	test.Tap(cartButtonAt(t, w, 3))
	test.Tap(button(t, w, "Amount ¥"))
	for _, k := range []string{"C", "9", "9", "9"} {
		test.Tap(button(t, w, k))
	}
	test.Tap(button(t, w, "OK"))
	if o.Total != before {
		t.Fatalf("too large discount changed the total: %d → %d", before, o.Total)
	}
	test.Tap(button(t, w, "Cancel"))

	// Hold this order, sell another, hold it too; both wait, then recall the first.
	test.Tap(button(t, w, "Hold"))
	if !sell.Order().IsEmpty() {
		t.Fatal("hold did not clear the cart")
	}
	scan(w, colaCode)
	test.Tap(button(t, w, "Hold"))
	held, err := till.sales.HeldOrders(context.Background())
	if err != nil || len(held) != 2 {
		t.Fatalf("held = %v, %v", held, err)
	}
	first := held[0]
	test.Tap(button(t, w, "Recall"))
	test.Tap(buttonContaining(t, w, models.Yuan(first.Total).String()))
	if got := sell.Order(); len(got.Lines) != 1 || got.Total != first.Total || got.Lines[0].LineDiscount == 0 {
		t.Fatalf("recalled order = %+v", got)
	}
	held, err = till.sales.HeldOrders(context.Background())
	if err != nil || len(held) != 1 {
		t.Fatalf("after recall held = %v, %v", held, err)
	}
	// Remove the line: the cart is empty and Pay is disabled.
	test.Tap(cartButtonAt(t, w, 5))
	if !sell.Order().IsEmpty() || !button(t, w, "Pay ¥0.00").Disabled() {
		t.Fatal("removing the only line left the order non-empty or Pay enabled")
	}
}

func typeName(o any) string { return fmt.Sprintf("%T", o) }

// cartButtonAt returns the n-th button of the first cart row: 0 −, 1 qty, 2 +, 3 %, 4 price, 5 remove.
func cartButtonAt(t *testing.T, w fyne.Window, n int) *widget.Button {
	t.Helper()
	var buttons []*widget.Button
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if strings.HasSuffix(typeName(o), "cartRow") {
			walk(o, func(c fyne.CanvasObject) bool {
				if b, ok := c.(*widget.Button); ok {
					buttons = append(buttons, b)
				}
				return false
			})
			return true
		}
		return false
	})
	if n >= len(buttons) {
		t.Fatalf("cart row has %d buttons", len(buttons))
	}
	return buttons[n]
}
