package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens"
	"github.com/till-pos/till/services/demo"
)

func tapKeys(t *testing.T, till *Till, keys ...string) {
	t.Helper()
	for _, k := range keys {
		test.Tap(button(t, till.Window(), k))
	}
}

func TestWeighedItemMultiplierAndOrderDiscount(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sell := till.Shell().Sell

	// Tapping a weighed product asks its weight on the keypad.
	tapKeys(t, till, "Fresh food")
	test.Tap(tile(t, w, "Apples (loose)"))
	tapKeys(t, till, "0", ".", "2", "5", "5", "OK")
	o := sell.Order()
	if len(o.Lines) != 1 || o.Lines[0].Qty != 255 || o.Lines[0].Gross != 326 {
		t.Fatalf("weighed line = %+v", o.Lines)
	}
	// A bad weight keeps the dialog open and adds nothing.
	test.Tap(tile(t, w, "Apples (loose)"))
	tapKeys(t, till, "0", "OK")
	if len(o.Lines) != 1 {
		t.Fatalf("zero weight added a line")
	}
	tapKeys(t, till, "Cancel")

	// "Qty ×" on screen, 4, then a tap adds four.
	tapKeys(t, till, "Drinks", "Qty ×", "4", "OK")
	test.Tap(tile(t, w, "Coca-Cola 330ml"))
	if len(o.Lines) != 2 || o.Lines[1].Qty != models.Units(4) {
		t.Fatalf("after 4 × tap: %+v", o.Lines)
	}

	// A 10% order discount.
	tapKeys(t, till, "Order discount", "Percent %", "1", "0", "OK")
	if o.DiscountTotal != (326+1400+5)/10 || o.Total != 326+1400-o.DiscountTotal {
		t.Fatalf("order discount: discount %d total %d", o.DiscountTotal, o.Total)
	}

	// Pay exact, then the orders screen lists the sale and shows its lines.
	test.Tap(button(t, w, "Pay "+models.Yuan(o.Total).String()))
	tapKeys(t, till, "Exact "+models.Yuan(o.Total).String(), "Take cash")
	tapKeys(t, till, "New sale")
	if till.Shell().Current() != "sell" {
		t.Fatalf("after New sale: %s", till.Shell().Current())
	}
	tapKeys(t, till, "Orders")
	shown := till.Shell().Orders.Shown()
	if len(shown) != 1 || shown[0].Number != "T01-00000001" {
		t.Fatalf("orders shown = %+v", shown)
	}
	till.Shell().Orders.ShowOrder(shown[0].ID)
	found := false
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if tx, ok := o.(*canvas.Text); ok && strings.Contains(tx.Text, "Apples (loose)") {
			found = true
			return true
		}
		return false
	})
	if !found {
		t.Fatal("the order's lines are not shown")
	}
}

func TestPayScreenRefusesTooLittleCash(t *testing.T) {
	till := startDemo(t, "en")
	scan(till.Window(), colaCode)
	test.Tap(button(t, till.Window(), "Pay ¥3.50"))
	tapKeys(t, till, "2")
	if !button(t, till.Window(), "Take cash").Disabled() {
		t.Fatal("Take cash enabled with ¥2 for ¥3.50")
	}
	shown := false
	walk(till.Window().Canvas().Content(), func(o fyne.CanvasObject) bool {
		tx, ok := o.(*canvas.Text)
		shown = ok && tx.Text == "¥1.50 more is needed"
		return shown
	})
	if !shown {
		t.Fatal("no message says how much more is needed")
	}
	tapKeys(t, till, "Back to order")
	if till.Shell().Current() != "sell" || len(till.Shell().Sell.Order().Lines) != 1 {
		t.Fatal("going back lost the order")
	}
	if n := len(todaysOrders(t, till)); n != 0 {
		t.Fatalf("%d orders stored without payment", n)
	}
}

func TestLanguageSwitchKeepsOrder(t *testing.T) {
	till := startDemo(t, "")
	w := till.Window()
	// zh-CN by default.
	scan(w, colaCode)
	button(t, w, "收款 ¥3.50")
	tapKeys(t, till, "设置", "English")
	if till.ui.Shop.Lang != "en" || till.Shell().Current() != "settings" {
		t.Fatalf("lang %s screen %s", till.ui.Shop.Lang, till.Shell().Current())
	}
	tapKeys(t, till, "Sell")
	button(t, w, "Pay ¥3.50") // the order survived, now in English
	if v, _ := till.Store().Setting(context.Background(), models.SettingLanguage, ""); v != "en" {
		t.Fatalf("stored language %q", v)
	}
	tapKeys(t, till, "Settings", "简体中文")
	tapKeys(t, till, "收银")
	button(t, w, "收款 ¥3.50")
}

func TestStartErrorsAreTranslated(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte(strings.Repeat("not a database ", 500)), 0o600)
	a := test.NewTempApp(t)
	_, err := Start(a, Options{DBPath: bad, Lang: "zh", inlineUI: true})
	if msg := screens.Message(err); !strings.Contains(msg, "已损坏") || !strings.Contains(msg, bad) {
		t.Fatalf("corrupt database message = %q (%v)", msg, err)
	}
	// A data folder that cannot be created (its parent is a file).
	_, err = Start(a, Options{DBPath: filepath.Join(bad, "sub", "till.db"), Lang: "en", inlineUI: true})
	if msg := screens.Message(err); !strings.Contains(msg, "does not exist") {
		t.Fatalf("bad folder message = %q (%v)", msg, err)
	}
	// A missing folder that can be created is created.
	till, err := Start(a, Options{DBPath: filepath.Join(dir, "new", "deeper", "till.db"), Lang: "en", Demo: true, inlineUI: true})
	if err != nil {
		t.Fatalf("start in a new folder: %v", err)
	}
	till.Close()
}

func TestOnScreenKeyboardSearches(t *testing.T) {
	till := startDemo(t, "en")
	sell := till.Shell().Sell
	sell.ToggleKeyboard()
	for _, k := range []string{"k", "k", "k", "x", "⌫", "l"} {
		test.Tap(button(t, till.Window(), k))
	}
	items := sell.Items().Items()
	if len(items) == 0 || items[0].Name != cola {
		t.Fatalf("kkkl found %+v", items)
	}
	for range 4 {
		test.Tap(button(t, till.Window(), "⌫"))
	}
	if sell.Items().Len() < 50 {
		t.Fatalf("clearing the search shows %d items", sell.Items().Len())
	}
}

func TestBadQuantitiesAreRefusedWithAMessage(t *testing.T) {
	till := startDemo(t, "zh")
	sell := till.Shell().Sell
	w := till.Window()
	// Letters typed before "*" are no quantity.
	c := w.Canvas()
	for _, r := range "abc*" {
		c.OnTypedRune()(r)
	}
	if !strings.Contains(sell.Status(), "不是有效数量") {
		t.Fatalf("status = %q", sell.Status())
	}
	// A negative quantity typed in the search box.
	sell.Scan("-2*" + colaCode)
	if !sell.Order().IsEmpty() || !strings.Contains(sell.Status(), "不能为负数") {
		t.Fatalf("negative quantity: %d lines, status %q", len(sell.Order().Lines), sell.Status())
	}
	// A fraction of a counted product.
	sell.Scan("1.5*" + colaCode)
	if !sell.Order().IsEmpty() || !strings.Contains(sell.Status(), "只能按整数销售") {
		t.Fatalf("fractional quantity: status %q", sell.Status())
	}
	// The quantity keypad on a line refuses zero and keeps the line.
	sell.Scan(colaCode)
	test.Tap(cartButtonAt(t, w, 1))
	tapKeys(t, till, "C", "0", "确定")
	if sell.Order().Lines[0].Qty != models.Units(1) {
		t.Fatalf("zero quantity accepted: %s", sell.Order().Lines[0].Qty)
	}
	tapKeys(t, till, "取消")
}

// TestTouchTargets checks that every button on every screen, and in the
// dialogs, is at least 48 dp high and wide.
func TestTouchTargets(t *testing.T) {
	for _, lng := range []string{"zh", "en"} {
		till := startDemo(t, lng)
		w := till.Window()
		shell := till.Shell()
		check := func(where string, root fyne.CanvasObject) {
			t.Helper()
			n := 0
			smallest := fyne.NewSize(1e6, 1e6)
			walk(root, func(o fyne.CanvasObject) bool {
				if b, ok := o.(*widget.Button); ok {
					n++
					smallest = fyne.NewSize(min(smallest.Width, b.Size().Width), min(smallest.Height, b.Size().Height))
					if s := b.Size(); s.Height < 48 || s.Width < 48 {
						t.Errorf("%s %s: button %q is %.0f×%.0f", lng, where, b.Text, s.Width, s.Height)
					}
				}
				return false
			})
			if n == 0 {
				t.Errorf("%s %s: no buttons found", lng, where)
			}
			t.Logf("%s %s: %d buttons, smallest %.0f×%.0f", lng, where, n, smallest.Width, smallest.Height)
		}
		scan(w, colaCode)
		check("sell", w.Canvas().Content())
		shell.Sell.ToggleKeyboard()
		check("keyboard", w.Canvas().Overlays().Top())
		shell.Sell.ToggleKeyboard()
		test.Tap(cartButtonAt(t, w, 3))
		check("discount dialog", w.Canvas().Overlays().Top())
		closeTop := func() {
			top := w.Canvas().Overlays().Top()
			top.Hide()
			w.Canvas().Overlays().Remove(top)
		}
		closeTop()
		shell.ShowPay(shell.Sell.Order())
		check("pay", w.Canvas().Content())
		tr := func(en, zh string) string {
			if lng == "zh" {
				return zh
			}
			return en
		}
		test.Tap(button(t, w, tr("Fingerprint", "指纹支付")))
		check("pay by fingerprint", w.Canvas().Overlays().Top())
		closeTop()
		shell.ShowMembers()
		check("members", w.Canvas().Content())
		test.Tap(button(t, w, tr("New member", "新会员")))
		check("new member", w.Canvas().Overlays().Top())
		closeTop()
		test.Tap(button(t, w, tr("Link card", "绑定银行卡")))
		typeDigits(t, till, demo.ManagerCode, tr("OK", "确定")) // the cashier asks the manager
		check("link card", w.Canvas().Overlays().Top())
		closeTop()
		shell.ShowOrders()
		check("orders", w.Canvas().Content())
		shell.ShowDayEnd()
		check("day end", w.Canvas().Content())
		shell.ShowSettings()
		check("settings", w.Canvas().Content())
	}
}
