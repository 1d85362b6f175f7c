package models

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestOpenItemIsALineOfItsOwn(t *testing.T) {
	o := NewOrder(CNY, TaxInclusive)
	for range 2 {
		if i, err := o.AddOpenItem(500, Units(1)); err != nil || i != len(o.Lines)-1 {
			t.Fatalf("add ¥5.00: line %d, %v", i, err)
		}
	}
	// Two amounts keyed are two lines, not one of quantity 2.
	if len(o.Lines) != 2 || o.Total != 1000 || o.Subtotal != 1000 {
		t.Fatalf("two open items: %d lines, total %d", len(o.Lines), o.Total)
	}
	l := o.Lines[0]
	if !l.IsOpenItem() || l.ProductID != 0 || l.SKU != OpenItemSKU || l.Name != "其他商品" || l.NameEN != "Other item" ||
		l.UnitPrice != 500 || l.Qty != Units(1) || l.TaxRateBP != 1300 || l.Weighed || l.Stocked() {
		t.Fatalf("open item line: %+v", l)
	}
	if l.DisplayName("en") != "Other item" || l.DisplayName("zh") != "其他商品" {
		t.Fatalf("names: %q, %q", l.DisplayName("en"), l.DisplayName("zh"))
	}
	// VAT at 13% included: 500 × 13/113 = 57.5 → 58 on each line.
	if l.Tax != 58 || o.TaxTotal != 116 {
		t.Fatalf("VAT: line %d, order %d", l.Tax, o.TaxTotal)
	}
	// A product of the catalog beside them still joins its own line.
	o.AddProduct(cola, Units(1))
	o.AddProduct(cola, Units(1))
	if len(o.Lines) != 3 || o.Lines[2].Qty != Units(2) || o.QtyOf(cola.ID) != Units(2) {
		t.Fatalf("colas beside open items: %+v", o.Lines)
	}
	// A quantity typed before the amount: 3 × ¥2.00, one line.
	if _, err := o.AddOpenItem(200, Units(3)); err != nil || len(o.Lines) != 4 || o.Lines[3].Gross != 600 {
		t.Fatalf("3 × ¥2.00: %+v, %v", o.Lines, err)
	}
	// Exclusive VAT is added at the standard rate.
	ex := NewOrder(CNY, TaxExclusive)
	ex.AddOpenItem(10000, Units(1))
	if ex.TaxTotal != 1300 || ex.Total != 11300 {
		t.Fatalf("exclusive VAT: tax %d total %d", ex.TaxTotal, ex.Total)
	}
}

func TestOpenItemRefusesBadAmounts(t *testing.T) {
	o := NewOrder(CNY, TaxInclusive)
	o.AddOpenItem(1250, Units(1))
	cases := []struct {
		price int64
		qty   Quantity
		key   string
	}{
		{0, Units(1), "error.open_item.zero"},
		{-100, Units(1), "error.open_item.zero"},
		{MaxAmount + 1, Units(1), "error.open_item.too_large"},
		{100, 1500, "error.qty.whole"},
		{100, 0, "error.qty.zero"},
		{MaxAmount, Units(1), "error.order.too_large"}, // ¥12.50 is on the order already
	}
	for _, c := range cases {
		if i, err := o.AddOpenItem(c.price, c.qty); errKey(err) != c.key || i != -1 {
			t.Errorf("%d × %s: line %d, %v; want %s", c.price, c.qty, i, err, c.key)
		}
	}
	if len(o.Lines) != 1 || o.Total != 1250 {
		t.Fatalf("a refused amount changed the order: %+v", o.Lines)
	}
	if _, err := NewOrder(CNY, TaxInclusive).AddOpenItem(MaxAmount, Units(1)); err != nil {
		t.Fatalf("the largest amount: %v", err)
	}
	var e *Error
	_, err := o.AddOpenItem(MaxAmount+1, Units(1))
	if !errors.As(err, &e) || e.Args["Max"] != "¥99,999,999.99" || e.Args["Amount"] != "¥100,000,000.00" {
		t.Fatalf("too large: %+v", err)
	}
}

// openItemOrder is an order of a cola (product 1, stock counted) and an
// open item of ¥12.50.
func openItemOrder(t *testing.T, s *Store) *Order {
	t.Helper()
	o := NewOrder(CNY, TaxInclusive)
	if _, err := o.AddProduct(product(t, s, "6901234567892"), Units(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := o.AddOpenItem(1250, Units(1)); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestStoreSellsHoldsVoidsAndRefundsOpenItems(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	sc := SaleContext{TerminalID: "T01", Operator: cashier}
	// Where selling below zero stock is not allowed, the open item, which
	// has no stock, is let through all the same.
	if err := s.SetSetting(bg, SettingAllowBelowZero, FormatAllowBelowZero(false)); err != nil {
		t.Fatal(err)
	}
	if l, err := s.StockLevel(bg, 0); err != nil || !l.Untracked {
		t.Fatalf("stock of an open item: %+v, %v", l, err)
	}
	if w, err := CheckStock(StockLevel{Untracked: true}, Units(1000), false); w != nil || err != nil {
		t.Fatalf("stock rule for an open item: %v, %v", w, err)
	}

	// Held and recalled, the open item comes back as it was.
	h, err := s.HoldOrder(bg, openItemOrder(t, s), "T01", cashier, "")
	if err != nil || h.Total != 350+1250 || h.Lines != 2 {
		t.Fatalf("held: %+v, %v", h, err)
	}
	o, err := s.RecallOrder(bg, h.ID, cashier)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Lines) != 2 || !o.Lines[1].IsOpenItem() || o.Lines[1].NameEN != OpenItemNameEN || o.Lines[1].UnitPrice != 1250 ||
		o.Lines[1].TaxRateBP != StandardVATRateBP || o.Total != 1600 {
		t.Fatalf("recalled: %+v", o)
	}

	// Sold for cash: stored whole, the cola's stock down by one, no error
	// about a product 0.
	if err := s.CommitSale(bg, o, cashFor(o, 2000), sc); err != nil {
		t.Fatal(err)
	}
	got, err := s.OrderByID(bg, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != OrderPaid || got.Total != 1600 || got.Subtotal != 1600 || got.TaxTotal != 40+144 || len(got.Lines) != 2 {
		t.Fatalf("stored: %+v", got)
	}
	if l := got.Lines[1]; l.ProductID != 0 || l.SKU != OpenItemSKU || l.Name != OpenItemName || l.NameEN != OpenItemNameEN ||
		l.Net != 1250 || l.Tax != 144 {
		t.Fatalf("stored open item: %+v", l)
	}
	if got := stockOf(t, s, "6901234567892"); got != Units(99) {
		t.Fatalf("cola stock after the sale: %s", got)
	}
	// Voided: the cola goes back on the shelf, the open item nowhere.
	if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	if got := stockOf(t, s, "6901234567892"); got != Units(100) {
		t.Fatalf("cola stock after the void: %s", got)
	}

	// Another, refunded in full after the day's settlement.
	o = openItemOrder(t, s)
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), sc); err != nil {
		t.Fatal(err)
	}
	if _, err := closeOpenBatch(t, s, "T01"); err != nil {
		t.Fatal(err)
	}
	r, err := s.RefundOrder(bg, Undo{OrderID: o.ID, PaymentID: o.Payments[0].ID, Amount: o.Total, Manager: manager})
	if err != nil || r.Status != OrderRefunded || r.Refunded != 1600 {
		t.Fatalf("refund: %+v, %v", r, err)
	}
	if got := stockOf(t, s, "6901234567892"); got != Units(99) {
		t.Fatalf("cola stock after the refund: %s", got)
	}
	var products int64
	s.db.Model(&Product{}).Where("id = 0").Count(&products)
	if products != 0 {
		t.Fatal("a product 0 was made")
	}
}

func TestShopWithNoCatalogSellsOpenItems(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetSetting(bg, SettingAllowBelowZero, FormatAllowBelowZero(false)); err != nil {
		t.Fatal(err)
	}
	o := NewOrder(CNY, TaxInclusive)
	o.AddOpenItem(1250, Units(1))
	o.AddOpenItem(1250, Units(1))
	if err := s.CommitSale(bg, o, cashFor(o, 5000), SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
		t.Fatal(err)
	}
	got, err := s.OrderByID(bg, o.ID)
	if err != nil || got.Total != 2500 || len(got.Lines) != 2 || got.Payments[0].Change != 2500 {
		t.Fatalf("stored: %+v, %v", got, err)
	}
	if tt := takingsOf(t, s, got.TerminalID); len(tt.Tenders) != 1 || tt.Tenders[0].Amount != 2500 {
		t.Fatalf("takings: %+v", tt)
	}
}
