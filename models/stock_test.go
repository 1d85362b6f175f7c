package models

import (
	"testing"
)

func TestCheckStock(t *testing.T) {
	cola := StockLevel{ProductID: 1, Name: "Coca-Cola 330ml", Stock: Units(120)}
	for _, allow := range []bool{true, false} {
		if w, err := CheckStock(cola, Units(120), allow); w != nil || err != nil {
			t.Fatalf("all of the stock (allow %v): %v, %v", allow, w, err)
		}
		coffee := StockLevel{Name: "Americano", Untracked: true}
		if w, err := CheckStock(coffee, Units(3), allow); w != nil || err != nil {
			t.Fatalf("a product whose stock is not tracked (allow %v): %v, %v", allow, w, err)
		}
	}

	// Beyond the stock, allowed: a warning naming the product and what is left.
	w, err := CheckStock(cola, Units(500), true)
	if err != nil || errKey(w) != "error.stock.short" || ErrorCode(w) != EWARNING {
		t.Fatalf("500 of 120, allowed: %v, %v", w, err)
	}
	if got := w.Error(); got != "Coca-Cola 330ml: only 120 in stock, 500 on this order" {
		t.Fatalf("warning = %q", got)
	}
	out := cola
	out.Stock = Units(-2)
	if w, err := CheckStock(out, Units(1), true); err != nil || errKey(w) != "error.stock.out" ||
		w.Error() != "Coca-Cola 330ml is out of stock, 1 on this order" {
		t.Fatalf("none left, allowed: %v, %v", w, err)
	}

	// Beyond the stock, forbidden: refused, saying why.
	w, err = CheckStock(cola, Units(121), false)
	if w != nil || errKey(err) != "error.stock.below_zero" || ErrorCode(err) != EINVALID {
		t.Fatalf("121 of 120, forbidden: %v, %v", w, err)
	}
	if got := err.Error(); got != "Coca-Cola 330ml: only 120 in stock. Selling below zero stock is not allowed in this shop" {
		t.Fatalf("refusal = %q", got)
	}
	if _, err := CheckStock(out, Units(1), false); err == nil || err.(*Error).Args["Left"] != "0" {
		t.Fatalf("stock below zero is told as 0 left: %v", err)
	}
	// Weighed goods in thousandths.
	apples := StockLevel{Name: "Apples", Stock: 6000}
	if _, err := CheckStock(apples, 6001, false); err == nil || err.(*Error).Args["Want"] != "6.001" {
		t.Fatalf("6.001 kg of 6: %v", err)
	}

	for text, want := range map[string]bool{"true": true, "false": false, "": true, "x": true, FormatAllowBelowZero(false): false} {
		if ParseAllowBelowZero(text) != want {
			t.Errorf("allow below zero %q: %v", text, !want)
		}
	}
}

func TestOrderQtyOf(t *testing.T) {
	o := NewOrder(CNY, TaxInclusive)
	cola := Product{ID: 1, SKU: "D1", Name: "cola", Price: 350}
	o.AddProduct(cola, Units(2))
	if err := o.SetLineDiscount(0, PercentDiscount(500)); err != nil {
		t.Fatal(err)
	}
	o.AddProduct(cola, Units(3)) // a line of its own: the first is discounted
	o.AddProduct(Product{ID: 2, SKU: "D2", Name: "water", Price: 200}, Units(1))
	if len(o.Lines) != 3 || o.QtyOf(1) != Units(5) || o.QtyOf(2) != Units(1) || o.QtyOf(3) != 0 {
		t.Fatalf("lines %d, cola %s, water %s", len(o.Lines), o.QtyOf(1), o.QtyOf(2))
	}
}

func TestStoreRefusesSellingBelowZeroWhenForbidden(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, Operator{ID: 9, Name: "店长", Role: RoleManager})
	sc := SaleContext{TerminalID: "T01", Operator: cashier}
	cola := product(t, s, "6901234567892") // 100 in stock
	if l, err := s.StockLevel(bg, cola.ID); err != nil || l.Stock != Units(100) || l.Untracked || l.Name != cola.Name {
		t.Fatalf("stock level %+v, %v", l, err)
	}
	if _, err := s.StockLevel(bg, 999); errKey(err) != "error.product.not_found" {
		t.Fatalf("stock of no product: %v", err)
	}
	colas := func(n ...int64) *Order {
		o := NewOrder(CNY, TaxInclusive)
		for i, q := range n {
			if _, err := o.AddProduct(cola, Units(q)); err != nil {
				t.Fatal(err)
			}
			if i == 0 && len(n) > 1 {
				o.SetLineDiscount(0, PercentDiscount(100)) // the next goes on a line of its own
			}
		}
		return o
	}

	if err := s.SetSetting(bg, SettingAllowBelowZero, FormatAllowBelowZero(false)); err != nil {
		t.Fatal(err)
	}
	// 60 + 41 on two lines: 101 of 100 is refused, and nothing is stored.
	o := colas(60, 41)
	err := s.CommitSale(bg, o, cashFor(o, o.Total), sc)
	if errKey(err) != "error.stock.below_zero" || o.ID != 0 {
		t.Fatalf("101 of 100: %v, order %d", err, o.ID)
	}
	if count(t, s, &Order{}) != 0 || count(t, s, &AuditEntry{}) != 0 || stockOf(t, s, "6901234567892") != Units(100) {
		t.Fatal("a refused sale left something behind")
	}
	// Nor may a card payment start for it: the customer is not charged.
	o = colas(101)
	if _, err := s.StartPayment(bg, o, Payment{Tender: TenderCard, Amount: o.Total}, sc); errKey(err) != "error.stock.below_zero" {
		t.Fatalf("card payment for 101 of 100: %v", err)
	}
	if count(t, s, &Order{}) != 0 || count(t, s, &Payment{}) != 0 {
		t.Fatal("a refused card payment stored the order")
	}
	// All 100 may be sold.
	o = colas(100)
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), sc); err != nil {
		t.Fatal(err)
	}
	if got := stockOf(t, s, "6901234567892"); got != 0 {
		t.Fatalf("stock after selling all 100: %s", got)
	}

	// Allowed again: one more goes, with the stock below zero, and a void
	// puts it back.
	if err := s.SetSetting(bg, SettingAllowBelowZero, FormatAllowBelowZero(true)); err != nil {
		t.Fatal(err)
	}
	o = colas(1)
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), sc); err != nil {
		t.Fatal(err)
	}
	if got := stockOf(t, s, "6901234567892"); got != Units(-1) {
		t.Fatalf("stock after selling one more: %s", got)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: Operator{ID: 9, Name: "店长", Role: RoleManager}}); err != nil {
		t.Fatal(err)
	}
	if got := stockOf(t, s, "6901234567892"); got != 0 {
		t.Fatalf("stock after the void: %s", got)
	}
}

func TestCardOrderAwaitingIsCheckedBeforeEachPayment(t *testing.T) {
	s := newTestStore(t)
	sc := SaleContext{TerminalID: "T01", Operator: cashier}
	o := colaOrder(t, s, 60)
	_, r := startCard(t, s, o)
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "51", RRN: "000000000043"}); err != nil { // declined
		t.Fatal(err)
	}
	// Meanwhile 50 are sold elsewhere, and selling below zero is turned off.
	sellCola(t, s, "T02", 50)
	if err := s.SetSetting(bg, SettingAllowBelowZero, "false"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartPayment(bg, o, Payment{Tender: TenderQR, Amount: o.Total}, sc); errKey(err) != "error.stock.below_zero" {
		t.Fatalf("a second payment for 60 of 50: %v", err)
	}
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), sc); errKey(err) != "error.stock.below_zero" {
		t.Fatalf("cash for 60 of 50: %v", err)
	}
}

func TestCatalogWithoutStockIsUntracked(t *testing.T) {
	_, prods, err := ParseCatalogFile([]byte(`{"categories":[{"code":"c","name":"咖啡"}],"products":[
		{"sku":"C1","name":"美式","category":"c","price":"15","stock":""},
		{"sku":"C2","name":"豆","category":"c","price":"60","stock":"5"}]}`), CNY)
	if err != nil {
		t.Fatal(err)
	}
	if !prods[0].Untracked || prods[1].Untracked {
		t.Fatalf("untracked: %v %v", prods[0].Untracked, prods[1].Untracked)
	}
}
