package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens"
)

// beeps counts the till's alerts.
type beeps struct{ n int }

func (b *beeps) Beep() { b.n++ }

// startStockDemo starts a demo Till on db with a fake clock and the
// alerts counted.
func startStockDemo(t *testing.T, db string, clock *fakeClock, b *beeps) *Till {
	t.Helper()
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", Demo: true, inlineUI: true,
		afterFunc: clock.AfterFunc, beep: b})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { till.Close() })
	till.Window().Resize(WindowSize)
	return till
}

func TestStockWarningThenSellingBelowZeroForbidden(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	clock, alerts := &fakeClock{}, &beeps{}
	till := startStockDemo(t, db, clock, alerts)
	w := till.Window()
	sell := till.Shell().Sell

	// 500 colas by "Qty ×" and a scan, 120 in stock: added, with a warning.
	tapKeys(t, till, "Qty ×", "5", "0", "0", "OK")
	scan(w, colaCode)
	if q := sell.Order().Lines[0].Qty; q != models.Units(500) {
		t.Fatalf("500× added %s", q)
	}
	if want := "Coca-Cola 330ml: only 120 in stock, 500 on this order"; sell.Notice() != want {
		t.Fatalf("notice %q, want %q", sell.Notice(), want)
	}
	if !uitest.Shown(w, "Stock 120") {
		t.Fatal("the cart line does not say the stock")
	}
	clock.Advance(6 * time.Second)
	if sell.Notice() != "" {
		t.Fatalf("the warning stayed: %q", sell.Notice())
	}

	// A manager turns selling below zero stock off in Settings.
	tapKeys(t, till, "Settings", "Not allowed")
	if !uitest.Shown(w, "A manager's code is needed") {
		t.Fatal("no manager asked")
	}
	tapKeys(t, till, "8", "8", "8", "8", "OK")
	if till.sales.AllowBelowZero() || till.Shell().Settings.AllowsBelowZero() != "forbidden" {
		t.Fatalf("after the manager's code: allowed %v", till.sales.AllowBelowZero())
	}

	// The 500 in the cart are refused where the sale is stored.
	tapKeys(t, till, "Sell")
	test.Tap(buttonContaining(t, w, "Pay "))
	test.Tap(buttonContaining(t, w, "Exact "))
	tapKeys(t, till, "Take cash")
	// The store names the product by its Chinese name, as its other
	// messages do.
	if !uitest.Shown(w, "可口可乐 330ml: only 120 in stock. Selling below zero stock is not allowed in this shop") || len(todaysOrders(t, till)) != 0 {
		t.Fatalf("cash for 500 of 120: orders %d; shown %q", len(todaysOrders(t, till)), uitest.Texts(w))
	}
	tapKeys(t, till, "OK", "Back to order", "Clear", "Yes")

	// On the sell screen 500 are now refused, saying why, with the alert.
	refusal := "Coca-Cola 330ml: only 120 in stock. Selling below zero stock is not allowed in this shop"
	before := alerts.n
	tapKeys(t, till, "Qty ×", "5", "0", "0", "OK")
	scan(w, colaCode)
	if !sell.Order().IsEmpty() || sell.Notice() != refusal || alerts.n != before+1 {
		t.Fatalf("500 of 120, forbidden: %d lines, notice %q, alerts %d", len(sell.Order().Lines), sell.Notice(), alerts.n-before)
	}

	// The setting survives a restart.
	till.Close()
	again := startStockDemo(t, db, &fakeClock{}, &beeps{})
	if again.sales.AllowBelowZero() {
		t.Fatal("selling below zero stock allowed again after a restart")
	}
	again.Shell().ShowSettings()
	if got := again.Shell().Settings.AllowsBelowZero(); got != "forbidden" {
		t.Fatalf("Settings after a restart: %q", got)
	}
	if v, _ := again.Store().Setting(context.Background(), models.SettingAllowBelowZero, ""); v != "false" {
		t.Fatalf("stored %q", v)
	}
}

func TestUnknownBarcodeIsToldForAFewSecondsWithTheAlert(t *testing.T) {
	clock, alerts := &fakeClock{}, &beeps{}
	till := startStockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock, alerts)
	w := till.Window()
	sell := till.Shell().Sell
	scan(w, "6900000000000")
	if sell.Notice() != "No product has the barcode 6900000000000" || alerts.n != 1 || !sell.Order().IsEmpty() {
		t.Fatalf("unknown barcode: notice %q, alerts %d", sell.Notice(), alerts.n)
	}
	clock.Advance(time.Second)
	if sell.Notice() == "" {
		t.Fatal("the notice went at once")
	}
	clock.Advance(5 * time.Second)
	if sell.Notice() != "" || uitest.Shown(w, "No product has the barcode") {
		t.Fatalf("the notice stayed: %q", sell.Notice())
	}
}

var _ screens.Beeper = (*beeps)(nil)
