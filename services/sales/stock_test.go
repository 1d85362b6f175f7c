package sales

import (
	"context"
	"strings"
	"testing"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
)

func TestSellingBelowZeroStock(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	cola, err := r.store.ProductByBarcode(ctx, colaCode)
	if err != nil {
		t.Fatal(err)
	}
	stock := func() models.Quantity {
		t.Helper()
		l, err := r.sales.StockLevel(ctx, cola.ID)
		if err != nil {
			t.Fatal(err)
		}
		return l.Stock
	}
	if !r.sales.AllowBelowZero() || stock() != models.Units(120) {
		t.Fatalf("by default: allowed %v, stock %s", r.sales.AllowBelowZero(), stock())
	}

	// Only a manager turns it off; the setting is kept and audited.
	if err := r.sales.SetAllowBelowZero(ctx, false, r.cashier); !models.IsDenied(err) {
		t.Fatalf("turned off by a cashier: %v", err)
	}
	if !r.sales.AllowBelowZero() {
		t.Fatal("a refused change took effect")
	}
	if err := r.sales.SetAllowBelowZero(ctx, false, r.manager); err != nil {
		t.Fatal(err)
	}
	again, err := New(ctx, r.store, r.session, r.link, r.printing)
	if err != nil || again.AllowBelowZero() {
		t.Fatalf("read back after a restart: %v, allowed %v", err, again.AllowBelowZero())
	}
	entries, err := r.store.AuditEntries(ctx, "setting")
	if err != nil || len(entries) != 1 || entries[0].OperatorID != r.manager.ID || !strings.Contains(entries[0].Detail, "value=false") {
		t.Fatalf("audit: %+v %v", entries, err)
	}

	// 121 of 120 are refused in cash, and by card before the bank is asked.
	o := r.order(t, 121, 0)
	err = r.sales.CommitSale(ctx, o, []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: o.Total, Tendered: o.Total}})
	if errKey(err) != "error.stock.below_zero" || o.ID != 0 {
		t.Fatalf("cash sale of 121 of 120: %v", err)
	}
	before := len(r.link.Simulator().Ledger())
	o = r.order(t, 121, 0)
	if _, err := r.cards.Pay(ctx, o, "UnionPay", func(payments.CardStep) {}); errKey(err) != "error.stock.below_zero" {
		t.Fatalf("card sale of 121 of 120: %v", err)
	}
	if got := len(r.link.Simulator().Ledger()); got != before || stock() != models.Units(120) {
		t.Fatalf("a refused sale reached the bank (%d → %d) or moved the stock to %s", before, got, stock())
	}
	// All 120 may go.
	r.cashOrder(t, 120)
	if stock() != 0 {
		t.Fatalf("stock after selling 120: %s", stock())
	}
	// A coffee is made to order: its stock is not counted.
	coffee, err := r.store.ProductByID(ctx, productBySKU(t, r, "SKU-C001"))
	if err != nil {
		t.Fatal(err)
	}
	if l, err := r.sales.StockLevel(ctx, coffee.ID); err != nil || !l.Untracked {
		t.Fatalf("coffee stock: %+v %v", l, err)
	}
	o = models.NewOrder(models.CNY, models.TaxInclusive)
	o.AddProduct(*coffee, models.Units(5))
	if err := r.sales.CommitSale(ctx, o, []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: o.Total, Tendered: o.Total}}); err != nil {
		t.Fatalf("five coffees: %v", err)
	}

	// Allowed again: one more cola goes below zero, and its void puts it back.
	if err := r.sales.SetAllowBelowZero(ctx, true, r.manager); err != nil {
		t.Fatal(err)
	}
	one := r.cashOrder(t, 1)
	if stock() != models.Units(-1) {
		t.Fatalf("stock after one more: %s", stock())
	}
	if _, err := r.sales.Void(ctx, one.ID, r.manager); err != nil {
		t.Fatal(err)
	}
	if stock() != 0 {
		t.Fatalf("stock after the void: %s", stock())
	}
}

// productBySKU is the ID of the demo product sku.
func productBySKU(t *testing.T, r *rig, sku string) uint {
	t.Helper()
	var id uint
	idx, _, err := r.store.LoadCatalogIndex(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range idx.All().Items() {
		if it.SKU == sku {
			id = it.ID
		}
	}
	if id == 0 {
		t.Fatalf("no product %s", sku)
	}
	return id
}
