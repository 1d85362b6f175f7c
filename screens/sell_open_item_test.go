package screens

import (
	"testing"

	"github.com/till-pos/till/models"
)

func TestSellOpenItemAddsAKeyedAmount(t *testing.T) {
	s, ui, _, svc, _ := newTestSell(t, cashier)
	w := ui.Window
	svc.forbid = true // no stock to go below for an open item
	if s.noProducts.Visible() {
		t.Fatal("the hint for a shop with no products is shown over its products")
	}

	tap(t, w, "Amount")
	mustShow(t, w, "Amount of an item without a barcode")
	keys(t, w, "12.50")
	tap(t, w, "OK")
	o := s.Order()
	if dialogShown(w) || len(o.Lines) != 1 || o.Total != 1250 {
		t.Fatalf("after ¥12.50: dialog %v, lines %+v", dialogShown(w), o.Lines)
	}
	if l := o.Lines[0]; !l.IsOpenItem() || l.NameEN != "Other item" || l.Name != "其他商品" || l.UnitPrice != 1250 ||
		l.Qty != models.Units(1) || l.TaxRateBP != models.StandardVATRateBP {
		t.Fatalf("open item line: %+v", l)
	}
	mustShow(t, w, "Other item")
	if s.Status() != "Added Other item" || s.total.Text != "¥12.50" || button(t, w, "Pay ¥12.50").Disabled() {
		t.Fatalf("status %q, total %q", s.Status(), s.total.Text)
	}
	for _, id := range svc.stockReads {
		if id == 0 {
			t.Fatal("the stock of an open item was read")
		}
	}

	// Zero, nothing or too much is refused in the dialog, which stays open.
	tap(t, w, "Amount")
	for _, c := range []struct{ typed, says string }{
		{"0", "Enter an amount more than zero"},
		{"0.00", "Enter an amount more than zero"},
		{"", "Enter an amount"},
		{"99999999999", "99999999999 is too large"},
	} {
		tap(t, w, "C")
		keys(t, w, c.typed)
		tap(t, w, "OK")
		if !dialogShown(w) {
			t.Fatalf("%q closed the dialog", c.typed)
		}
		mustShow(t, w, c.says)
	}
	tap(t, w, "Cancel")
	if len(o.Lines) != 1 || o.Total != 1250 {
		t.Fatalf("a refused amount changed the order: %+v", o.Lines)
	}

	// The same amount again is a line of its own.
	tap(t, w, "Amount")
	keys(t, w, "12.5")
	tap(t, w, "OK")
	if len(o.Lines) != 2 || o.Lines[1].Qty != models.Units(1) || o.Total != 2500 {
		t.Fatalf("a second ¥12.50: %+v", o.Lines)
	}

	// A quantity typed first is taken by the open item.
	tap(t, w, "Qty ×")
	keys(t, w, "3")
	tap(t, w, "OK")
	tap(t, w, "Amount")
	keys(t, w, "2")
	tap(t, w, "OK")
	if len(o.Lines) != 3 || o.Lines[2].Qty != models.Units(3) || o.Lines[2].Gross != 600 || o.Total != 3100 ||
		s.multiplier.Text != "" {
		t.Fatalf("3 × ¥2.00: %+v, multiplier %q", o.Lines, s.multiplier.Text)
	}

	// Held and recalled like any order, no stock read for it.
	tap(t, w, "Hold")
	if len(svc.holds) != 1 || svc.holds[0].lines != 3 || svc.holds[0].total != 3100 {
		t.Fatalf("held: %+v", svc.holds)
	}
	svc.held = []models.HeldOrder{{ID: 8, Lines: 3, Total: 3100, Currency: models.CNY, CreatedAt: testNow}}
	svc.recall = o
	tap(t, w, "Recall")
	tap(t, w, "10:30 · 3 items · ¥31.00")
	if r := s.Order(); len(r.Lines) != 3 || !r.Lines[0].IsOpenItem() || r.Total != 3100 || button(t, w, "Pay ¥31.00").Disabled() {
		t.Fatalf("recalled: %+v", r.Lines)
	}
	for _, id := range svc.stockReads {
		if id == 0 {
			t.Fatal("the stock of an open item was read")
		}
	}
}

func TestSellOpenItemIsNamedInChinese(t *testing.T) {
	ui := newTestUI(t, cashier)
	ui.Shop.Lang = "zh"
	s := NewSell(ui, newFakeCatalog(), &fakeSell{}, &fakeStaff{})
	showOn(ui, s.Content())
	w := ui.Window
	tap(t, w, "Amount")
	keys(t, w, "12.50")
	tap(t, w, "OK")
	if o := s.Order(); len(o.Lines) != 1 || o.Total != 1250 {
		t.Fatalf("lines %+v", o.Lines)
	}
	mustShow(t, w, "其他商品")
	mustShow(t, w, "¥12.50")
}

func TestSellSaysHowToSellWithoutProducts(t *testing.T) {
	ui := newTestUI(t, cashier)
	cat := &fakeCatalog{idx: models.NewCatalogIndexBuilder(0, nil).Build(), loading: true}
	s := NewSell(ui, cat, &fakeSell{}, &fakeStaff{})
	showOn(ui, s.Content())
	// While the catalog loads, nothing is said of products.
	if s.noProducts.Visible() {
		t.Fatal("the hint for a shop with no products is shown while the catalog loads")
	}
	cat.loading = false
	s.ReloadCatalog()
	mustShow(t, ui.Window, "No products yet: tap Amount to sell an amount keyed on the keypad.")
	tap(t, ui.Window, "Amount")
	keys(t, ui.Window, "3")
	tap(t, ui.Window, "OK")
	if o := s.Order(); len(o.Lines) != 1 || o.Total != 300 {
		t.Fatalf("an amount sold with no products: %+v", o.Lines)
	}
}
