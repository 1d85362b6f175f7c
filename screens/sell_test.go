package screens

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
)

func newTestSell(t *testing.T, op models.Operator) (*Sell, *UI, *fakeCatalog, *fakeSell, *fakeStaff) {
	t.Helper()
	ui := newTestUI(t, op)
	cat, svc, staff := newFakeCatalog(), &fakeSell{limit: 1000}, &fakeStaff{}
	s := NewSell(ui, cat, svc, staff)
	showOn(ui, s.Content())
	return s, ui, cat, svc, staff
}

func TestSellSearchAddsProductsAndTotals(t *testing.T) {
	s, ui, cat, _, _ := newTestSell(t, cashier)
	w := ui.Window

	if got := tiles(w); len(got) != 3 {
		t.Fatalf("all products: tiles %v", got)
	}
	if pay := buttonContaining(t, w, "Pay"); !pay.Disabled() || pay.Text != "Pay ¥0.00" {
		t.Fatalf("empty order: pay button %q disabled=%v", pay.Text, pay.Disabled())
	}

	// A category tab shows its products only.
	tap(t, w, "Snacks")
	if got := tiles(w); len(got) != 1 || got["Potato crisps"] == nil {
		t.Fatalf("Snacks: tiles %v", got)
	}
	tap(t, w, "All")

	// Searching asks the catalog and shows what it found; a tap adds it.
	entry := entries(w)[0]
	test.Type(entry, "water")
	if n := len(cat.searches); n == 0 || cat.searches[n-1] != "water" {
		t.Fatalf("searches: %q", cat.searches)
	}
	found := tiles(w)
	if len(found) != 1 || found["Spring water 550ml"] == nil {
		t.Fatalf("search for water: tiles %v", found)
	}
	test.Tap(found["Spring water 550ml"])
	if s.Status() != "Added Spring water 550ml" {
		t.Fatalf("status after a tap = %q", s.Status())
	}

	// A barcode typed with "2*" and Enter adds two colas.
	entry.SetText("2*" + colaCode)
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	o := s.Order()
	if len(o.Lines) != 2 || o.Lines[1].ProductID != cola.ID || o.Lines[1].Qty != models.Units(2) {
		t.Fatalf("after 2*scan: %+v", o.Lines)
	}
	if entry.Text != "" {
		t.Fatalf("the search box kept %q after a scan", entry.Text)
	}
	// An unknown barcode adds nothing and says so.
	s.Scan("6900000000000")
	if len(o.Lines) != 2 || s.Status() != "No product has the barcode 6900000000000" {
		t.Fatalf("unknown barcode: %d lines, status %q", len(o.Lines), s.Status())
	}

	// 2.00 + 2 × 3.50 = 9.00, VAT included.
	if o.Total != 900 || s.total.Text != "¥9.00" || s.subtotal.Text != "¥9.00" || s.discount.Text != "¥0.00" {
		t.Fatalf("totals: order %d, shown total %q subtotal %q discount %q", o.Total, s.total.Text, s.subtotal.Text, s.discount.Text)
	}
	if s.tax.Text != (models.Money{Minor: o.TaxTotal, Currency: models.CNY}).String() || o.TaxTotal == 0 {
		t.Fatalf("VAT shown %q, order VAT %d", s.tax.Text, o.TaxTotal)
	}
	mustShow(t, w, "Coca-Cola 330ml")
	var paid *models.Order
	s.OnPay = func(o *models.Order) { paid = o }
	tap(t, w, "Pay ¥9.00")
	if paid != o {
		t.Fatal("Pay did not hand the order on")
	}
}

func TestSellHoldAndRecall(t *testing.T) {
	s, ui, _, svc, _ := newTestSell(t, cashier)
	w := ui.Window
	if !button(t, w, "Hold").Disabled() {
		t.Fatal("Hold is enabled on an empty order")
	}
	// Nothing held yet: Recall says so.
	tap(t, w, "Recall")
	mustShow(t, w, "No orders are held.")
	tap(t, w, "OK")

	test.Tap(tiles(w)["Coca-Cola 330ml"])
	tap(t, w, "Hold")
	if len(svc.holds) != 1 || svc.holds[0] != (holdCall{lines: 1, total: 350, label: "10:30"}) {
		t.Fatalf("held: %+v", svc.holds)
	}
	if !s.Order().IsEmpty() || s.Status() != "Order held at 10:30" || !button(t, w, "Hold").Disabled() {
		t.Fatalf("after hold: %d lines, status %q", len(s.Order().Lines), s.Status())
	}

	svc.held = []models.HeldOrder{{ID: 7, Lines: 1, Total: 350, Currency: models.CNY, CreatedAt: testNow.Add(-time.Minute)}}
	svc.recall = orderOf(t, cola, 1)
	tap(t, w, "Recall")
	tap(t, w, "10:29 · 1 items · ¥3.50")
	if len(svc.recalled) != 1 || svc.recalled[0] != 7 {
		t.Fatalf("recalled: %v", svc.recalled)
	}
	if len(s.Order().Lines) != 1 || s.Status() != "Order recalled" || button(t, w, "Pay ¥3.50").Disabled() {
		t.Fatalf("after recall: %+v, status %q", s.Order().Lines, s.Status())
	}
	if len(svc.holds) != 1 {
		t.Fatal("recalling into an empty cart held something")
	}

	// Recalling over a cart with items holds those first.
	test.Tap(tiles(w)["Potato crisps"])
	tap(t, w, "Recall")
	tap(t, w, "10:29 · 1 items · ¥3.50")
	if len(svc.holds) != 2 || svc.holds[1].lines != 2 || svc.holds[1].total != 950 {
		t.Fatalf("the cart was not held before the recall: %+v", svc.holds)
	}
	if o := s.Order(); len(o.Lines) != 1 || o.Total != 350 {
		t.Fatalf("after the second recall: %+v", o.Lines)
	}
}

func TestSellOpenDrawer(t *testing.T) {
	s, ui, _, svc, staff := newTestSell(t, cashier)
	w := ui.Window

	// Without a printer to kick it, the drawer is refused with the reason.
	svc.drawerErr = &models.Error{Code: models.EINVALID, Key: "error.drawer.no_printer", Fallback: "No receipt printer is set up to open the drawer"}
	tap(t, w, "Open drawer")
	mustShow(t, w, "No receipt printer is set up to open the drawer")
	if len(svc.opened) != 0 || len(staff.managers) != 0 {
		t.Fatal("a refused drawer asked for a manager or opened")
	}
	tap(t, w, "OK")

	// A cashier needs a manager's code: their own is refused.
	svc.drawerErr = nil
	tap(t, w, "Open drawer")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "1111")
	tap(t, w, "OK")
	mustShow(t, w, "A manager must authorize this")
	if len(svc.opened) != 0 {
		t.Fatal("the drawer opened on a cashier's code")
	}
	tap(t, w, "C")
	keys(t, w, "8888")
	tap(t, w, "OK")
	if len(svc.opened) != 1 || svc.opened[0].Name != manager.Name {
		t.Fatalf("opened: %+v", svc.opened)
	}
	if s.Status() != "Drawer opened, approved by Boss Wang" || dialogShown(w) {
		t.Fatalf("status %q, dialog left open %v", s.Status(), dialogShown(w))
	}
	if got := staff.managers; len(got) != 2 || got[1] != "8888" {
		t.Fatalf("codes checked: %q", got)
	}
}

func TestSellDiscountAboveTheLimitNeedsAManager(t *testing.T) {
	s, ui, _, _, staff := newTestSell(t, cashier)
	w := ui.Window
	test.Tap(tiles(w)["Potato crisps"])
	tap(t, w, "Order discount")
	tap(t, w, "Percent %")
	keys(t, w, "20")
	tap(t, w, "OK")
	// 20% is above the 10% limit: a manager approves it.
	mustShow(t, w, "A manager's code is needed")
	if s.Order().DiscountTotal != 0 {
		t.Fatal("the discount was set before a manager approved it")
	}
	keys(t, w, "8888")
	tap(t, w, "OK")
	o := s.Order()
	if o.DiscountTotal != 120 || o.Total != 480 || s.discount.Text != "-¥1.20" || s.Status() != "Approved by Boss Wang" {
		t.Fatalf("after approval: discount %d total %d shown %q status %q", o.DiscountTotal, o.Total, s.discount.Text, s.Status())
	}
	if len(o.Approvals) != 1 || len(staff.managers) != 1 {
		t.Fatalf("approvals %+v, codes %q", o.Approvals, staff.managers)
	}
}
