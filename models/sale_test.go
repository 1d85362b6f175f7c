package models

import (
	"context"
	"testing"
	"time"
)

var bg = context.Background()

func product(t testing.TB, s *Store, code string) Product {
	t.Helper()
	p, err := s.ProductByBarcode(bg, code)
	if err != nil {
		t.Fatal(err)
	}
	return *p
}

func cashFor(o *Order, tendered int64) []Payment {
	return []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: o.Total, Tendered: tendered, Change: tendered - o.Total}}
}

var cashier = Operator{ID: 1, Name: "收银员"}

func sellCola(t testing.TB, s *Store, terminal string, n int64) *Order {
	t.Helper()
	o := NewOrder(CNY, TaxInclusive)
	if _, err := o.AddProduct(product(t, s, "6901234567892"), Units(n)); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: terminal, Operator: cashier}); err != nil {
		t.Fatal(err)
	}
	return o
}

func count(t testing.TB, s *Store, model any) int64 {
	t.Helper()
	var n int64
	if err := s.db.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCommitSaleStoresEverything(t *testing.T) {
	s := newTestStore(t)
	o := NewOrder(CNY, TaxInclusive)
	o.AddProduct(product(t, s, "6901234567892"), Units(2))
	o.AddProduct(product(t, s, "6921168509256"), Units(1))
	apple, _ := s.ProductByID(bg, 3)
	o.AddProduct(*apple, 1500)
	if err := s.CommitSale(bg, o, cashFor(o, 5000), SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
		t.Fatal(err)
	}
	if o.ID == 0 || o.Number != "T01-00000001" || o.Status != OrderPaid || o.PaidAt == nil {
		t.Fatalf("committed order = %+v", o)
	}
	got, err := s.OrderByID(bg, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Lines) != 3 || got.LineCount != 3 || got.Lines[0].LineNo != 1 || got.Lines[2].Qty != 1500 ||
		got.Total != 700+200+1920 || len(got.Payments) != 1 || got.Payments[0].Change != 5000-got.Total {
		t.Fatalf("stored order = %+v", got)
	}
	if n := count(t, s, &OutboxEntry{}); n != 1 {
		t.Fatalf("outbox rows = %d", n)
	}
	var audit AuditEntry
	if err := s.db.Where("action = ?", "sale").First(&audit).Error; err != nil || audit.Subject != o.Number {
		t.Fatalf("audit = %+v, %v", audit, err)
	}
	// Stock fell by what was sold.
	if p, _ := s.ProductByID(bg, 1); p.Stock != Units(98) {
		t.Fatalf("cola stock = %s", p.Stock)
	}
	if p, _ := s.ProductByID(bg, 3); p.Stock != 19000 {
		t.Fatalf("apple stock = %s", p.Stock)
	}
}

func TestOrderNumbersAreGaplessPerTerminal(t *testing.T) {
	s := newTestStore(t)
	want := []string{"T01-00000001", "T01-00000002", "T02-00000001", "T01-00000003"}
	for i, term := range []string{"T01", "T01", "T02", "T01"} {
		if o := sellCola(t, s, term, 1); o.Number != want[i] {
			t.Fatalf("sale %d: number %s, want %s", i, o.Number, want[i])
		}
	}
}

func TestRefusedSaleCommitsNothing(t *testing.T) {
	s := newTestStore(t)
	sellCola(t, s, "T01", 1)
	good := NewOrder(CNY, TaxInclusive)
	good.AddProduct(product(t, s, "6901234567892"), Units(1))
	stale := *good
	stale.Lines = append([]OrderLine(nil), good.Lines...)
	stale.Total = 1
	cases := map[string]struct {
		o    *Order
		pays []Payment
		key  string
	}{
		"empty order":       {NewOrder(CNY, TaxInclusive), nil, "error.sale.empty"},
		"no payment":        {good, nil, "error.sale.unpaid"},
		"underpaid":         {good, []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: 100, Tendered: 100}}, "error.sale.paid_mismatch"},
		"wrong change":      {good, []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: 350, Tendered: 500, Change: 100}}, "error.sale.bad_change"},
		"declined":          {good, []Payment{{Tender: TenderCard, Status: PaymentDeclined, Amount: 350}}, "error.sale.bad_payment"},
		"total out of date": {&stale, cashFor(&stale, 1), "error.sale.stale"},
	}
	for name, c := range cases {
		err := s.CommitSale(bg, c.o, c.pays, SaleContext{TerminalID: "T01", Operator: cashier})
		if errKey(err) != c.key {
			t.Errorf("%s: err = %v, want %s", name, err, c.key)
		}
	}
	// A commit that fails inside the transaction (cancelled) leaves nothing.
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if err := s.CommitSale(ctx, good, cashFor(good, 350), SaleContext{TerminalID: "T01", Operator: cashier}); err == nil {
		t.Fatal("cancelled commit succeeded")
	}
	for _, m := range []any{&Order{}, &Payment{}, &OutboxEntry{}} {
		if n := count(t, s, m); n != 1 {
			t.Fatalf("%T rows = %d after refused sales, want 1", m, n)
		}
	}
	if o := sellCola(t, s, "T01", 1); o.Number != "T01-00000002" {
		t.Fatalf("next number %s: a refused sale used a number", o.Number)
	}
}

func TestOrdersBetweenAndLookups(t *testing.T) {
	s := newTestStore(t)
	a := sellCola(t, s, "T01", 1)
	b := sellCola(t, s, "T01", 2)
	sellCola(t, s, "T02", 1)
	now := time.Now()
	got, err := s.OrdersBetween(bg, "T01", now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID || len(got[0].Payments) != 1 {
		t.Fatalf("orders = %+v, %v", got, err)
	}
	if got, _ := s.OrdersBetween(bg, "T01", now.Add(time.Hour), now.Add(2*time.Hour)); len(got) != 0 {
		t.Fatalf("future window has %d orders", len(got))
	}
	if _, err := s.OrderByID(bg, 999); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("missing order: %v", err)
	}
	if _, err := s.ProductByBarcode(bg, "6900000000000"); errKey(err) != "error.barcode.unknown" {
		t.Fatalf("unknown barcode: %v", err)
	}
}

func TestHoldAndRecall(t *testing.T) {
	s := newTestStore(t)
	var ids []uint
	for n := int64(1); n <= 3; n++ {
		o := NewOrder(CNY, TaxInclusive)
		o.AddProduct(product(t, s, "6901234567892"), Units(n))
		o.SetLineDiscount(0, PercentDiscount(1000))
		h, err := s.HoldOrder(bg, o, "T01", cashier, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	if _, err := s.HoldOrder(bg, NewOrder(CNY, TaxInclusive), "T01", cashier, ""); errKey(err) != "error.hold.empty" {
		t.Fatalf("holding nothing: %v", err)
	}
	held, err := s.HeldOrders(bg, "T01")
	if err != nil || len(held) != 3 || held[1].Total != 630 {
		t.Fatalf("held = %+v, %v", held, err)
	}
	o, err := s.RecallOrder(bg, ids[1], cashier)
	if err != nil || len(o.Lines) != 1 || o.Lines[0].Qty != Units(2) || o.Total != 630 || o.Status != OrderOpen {
		t.Fatalf("recalled = %+v, %v", o, err)
	}
	if _, err := s.RecallOrder(bg, ids[1], cashier); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("second recall: %v", err)
	}
	if held, _ := s.HeldOrders(bg, "T01"); len(held) != 2 {
		t.Fatalf("after recall %d held", len(held))
	}
}

func TestSettingsAndOperators(t *testing.T) {
	s := newTestStore(t)
	if v, err := s.Setting(bg, SettingLanguage, "zh"); err != nil || v != "zh" {
		t.Fatalf("default = %q, %v", v, err)
	}
	s.SetSetting(bg, SettingLanguage, "en")
	s.SetSetting(bg, SettingLanguage, "zh")
	if v, _ := s.Setting(bg, SettingLanguage, ""); v != "zh" {
		t.Fatalf("stored = %q", v)
	}
	a, err := s.EnsureOperator(bg, Operator{Name: "王", Role: RoleManager}, "007")
	b, err2 := s.EnsureOperator(bg, Operator{Name: "王", Role: RoleManager}, "007")
	if err != nil || err2 != nil || a.ID == 0 || a.ID != b.ID || count(t, s, &Operator{}) != 1 {
		t.Fatalf("operators %+v %+v %v %v", a, b, err, err2)
	}
}

func TestParseCatalogFileRejectsBadFiles(t *testing.T) {
	cases := map[string]string{
		`{"categories":[{"code":"a","name":"甲"}],"products":[{"sku":"1","name":"x","category":"a","price":"1.234"}]}`:                                               "error.amount.decimals",
		`{"categories":[{"code":"a","name":"甲"}],"products":[{"sku":"1","name":"x","category":"b","price":"1"}]}`:                                                   "error.catalog.no_category",
		`{"categories":[{"code":"a","name":"甲"}],"products":[{"sku":"1","name":"x","category":"a","price":"1"},{"sku":"1","name":"y","category":"a","price":"1"}]}`: "error.catalog.product",
		`{"categories":[`: "error.catalog.format",
		`{"categories":[{"code":"a","name":"甲"}],"products":[{"sku":"1","name":"x","category":"a","price":"1","tax_rate_bp":-5}]}`: "error.catalog.tax",
	}
	for in, key := range cases {
		if _, _, err := ParseCatalogFile([]byte(in), CNY); errKey(err) != key {
			t.Errorf("%s: err = %v, want %s", in, err, key)
		}
	}
}

func FuzzParseCatalogFile(f *testing.F) {
	f.Add([]byte(testCatalog))
	f.Add([]byte(`{"categories":[],"products":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cats, prods, err := ParseCatalogFile(data, CNY)
		if err != nil {
			return
		}
		for _, p := range prods {
			if p.Price < 0 || p.Price > MaxAmount || p.Category == nil || p.SKU == "" || p.Name == "" {
				t.Fatalf("accepted bad product %+v", p)
			}
		}
		_ = cats
	})
}
