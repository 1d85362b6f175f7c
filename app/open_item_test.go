package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
)

// TestANewShopSellsAnAmountForCash: a shop set up a moment ago has no
// products, yet the owner signs in, keys ¥12.50 on the Amount key, takes
// ¥20 in cash and gets to the receipt; the order is stored with its
// totals and an "Other item" line of no product.
func TestANewShopSellsAnAmountForCash(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	setUpShop(t, db, "街角便利店")
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	till.Window().Resize(WindowSize)
	typeDigits(t, till, ownerCode, "Sign in")
	if till.Shell() == nil || till.session.Operator().Role != models.RoleOwner {
		t.Fatalf("the owner's sign-in: %+v", till.session.Operator())
	}
	if n := till.catalog.All().Len(); n != 0 {
		t.Fatalf("a new shop has %d products", n)
	}
	sell := till.Shell().Sell
	// In place of the products, the screen says how to sell without them.
	if !shownText(till.Window(), "No products yet: tap Amount") {
		t.Fatal("the empty catalog's hint is not shown")
	}

	// Zero is refused in the dialog; ¥12.50 goes on the order.
	tapKeys(t, till, "Amount")
	typeDigits(t, till, "0", "OK")
	if !shownText(till.Window(), "Enter an amount more than zero") || !sell.Order().IsEmpty() {
		t.Fatalf("zero: order %+v, shown %q", sell.Order().Lines, sell.Status())
	}
	tapKeys(t, till, "C")
	typeDigits(t, till, "12.50", "OK")
	o := sell.Order()
	if len(o.Lines) != 1 || o.Total != 1250 || o.Lines[0].DisplayName("en") != "Other item" {
		t.Fatalf("after ¥12.50: %+v", o.Lines)
	}

	// Paid in cash through the pay screen.
	tapKeys(t, till, "Pay ¥12.50")
	if till.Shell().Current() != "pay" {
		t.Fatalf("screen %s, want pay", till.Shell().Current())
	}
	typeDigits(t, till, "20", "Take cash")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("screen %s, want receipt", till.Shell().Current())
	}
	var rows []string
	for _, r := range till.Shell().Receipt.Rows() {
		rows = append(rows, r.Left+" "+r.Right)
	}
	text := strings.Join(rows, "\n")
	for _, want := range []string{"Other item", "1 × ¥12.50", "¥12.50", "Change ¥7.50", "街角便利店"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, text)
		}
	}

	// Stored whole: the total, the VAT at 13% included, the cash and change.
	orders := todaysOrders(t, till)
	if len(orders) != 1 {
		t.Fatalf("%d orders stored", len(orders))
	}
	got, err := till.Store().OrderByID(context.Background(), orders[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderPaid || got.Subtotal != 1250 || got.Total != 1250 || got.TaxTotal != 144 || got.DiscountTotal != 0 ||
		len(got.Payments) != 1 || got.Payments[0].Tender != models.TenderCash || got.Payments[0].Tendered != 2000 || got.Payments[0].Change != 750 {
		t.Fatalf("stored order: %+v", got)
	}
	if l := got.Lines; len(l) != 1 || l[0].ProductID != 0 || l[0].SKU != models.OpenItemSKU || l[0].Name != "其他商品" ||
		l[0].NameEN != "Other item" || l[0].UnitPrice != 1250 || l[0].Qty != models.Units(1) || l[0].TaxRateBP != 1300 {
		t.Fatalf("stored line: %+v", l)
	}
}
