package models

import (
	"strings"
	"testing"
	"time"
)

func TestDiscountExceedsLimit(t *testing.T) {
	for _, c := range []struct {
		d     Discount
		base  int64
		limit int64
		want  bool
	}{
		{PercentDiscount(1000), 700, 1000, false},
		{PercentDiscount(1001), 700, 1000, true},
		{PercentDiscount(1), 700, 0, true},
		{AmountDiscount(70), 700, 1000, false},
		{AmountDiscount(71), 700, 1000, true},
		{AmountDiscount(1), 700, 0, true},
		{AmountDiscount(35), 355, 1000, false}, // 10% of 3.55 is 0.355: 0.35 is under, 0.36 is not
		{AmountDiscount(36), 355, 1000, true},
		{AmountDiscount(35), 350, 1000, false},
		{AmountDiscount(MaxAmount), MaxAmount, 10000, false},
		{Discount{}, 700, 0, false},
		{AmountDiscount(0), 700, 0, false},
	} {
		if got := c.d.ExceedsLimit(c.base, c.limit); got != c.want {
			t.Errorf("%+v of %d, limit %d: exceeds = %v, want %v", c.d, c.base, c.limit, got, c.want)
		}
	}
}

func TestSetUnitPriceRecalculatesAndRollsBack(t *testing.T) {
	o := NewOrder(CNY, TaxInclusive)
	cola := Product{ID: 1, SKU: "C1", Name: "可乐", Price: 350, TaxRateBP: 1300}
	o.AddProduct(cola, Units(2))
	if err := o.SetLineDiscount(0, AmountDiscount(500)); err != nil {
		t.Fatal(err)
	}
	if err := o.SetUnitPrice(0, 200); err == nil {
		t.Fatal("a price that makes the discount larger than the line was accepted")
	}
	if o.Lines[0].UnitPrice != 350 || o.Total != 200 {
		t.Fatalf("a refused price changed the order: %+v total %d", o.Lines[0], o.Total)
	}
	if err := o.SetUnitPrice(0, 300); err != nil {
		t.Fatal(err)
	}
	if o.Lines[0].Gross != 600 || o.Total != 100 {
		t.Fatalf("after the price override: gross %d total %d", o.Lines[0].Gross, o.Total)
	}
	if err := o.SetUnitPrice(0, -1); err == nil || o.Lines[0].UnitPrice != 300 {
		t.Fatalf("a negative price: %v, price %d", err, o.Lines[0].UnitPrice)
	}
	if err := o.SetUnitPrice(3, 100); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("no such line: %v", err)
	}
	// The same product scanned again is not sold at the overridden price.
	o.SetLineDiscount(0, Discount{})
	i, err := o.AddProduct(cola, Units(1))
	if err != nil || i != 1 || o.Lines[1].UnitPrice != 350 || o.Lines[0].Qty != Units(2) {
		t.Fatalf("added to an overridden line: %d %v %+v", i, err, o.Lines)
	}
}

func TestApprovalsAreAuditedWithTheSale(t *testing.T) {
	s := newTestStore(t)
	manager := Operator{ID: 9, Name: "店长", Role: RoleManager}
	onStaff(t, s, manager)
	o := NewOrder(CNY, TaxInclusive)
	o.AddProduct(product(t, s, "6901234567892"), Units(2))
	if err := o.SetUnitPrice(0, 300); err != nil {
		t.Fatal(err)
	}
	o.Approve(ActionPriceOverride, manager, cashier, o.PriceDetail(0, 350), o.CreatedAt)
	if err := o.SetLineDiscount(0, PercentDiscount(2000)); err != nil {
		t.Fatal(err)
	}
	o.Approve(ActionDiscountOverride, manager, cashier, o.DiscountDetail(0), o.CreatedAt)
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
		t.Fatal(err)
	}
	got, err := s.OrderByID(bg, o.ID)
	if err != nil || got.Lines[0].UnitPrice != 300 || got.Total != 480 {
		t.Fatalf("stored order: %+v %v", got, err)
	}
	events, err := s.OrderHistory(bg, o)
	if err != nil {
		t.Fatal(err)
	}
	details := map[string]string{}
	for _, e := range events {
		details[e.Kind] = e.Detail
	}
	for kind, want := range map[string][]string{
		"audit:price_override":    {"manager=9:店长", "cashier=1:收银员", "line=1", "old=350", "new=300"},
		"audit:discount_override": {"manager=9:店长", "cashier=1:收银员", "discount=percent:2000", "amount=120", "base=600"},
	} {
		for _, w := range want {
			if !strings.Contains(details[kind], w) {
				t.Errorf("%s detail %q lacks %q", kind, details[kind], w)
			}
		}
	}
	var entry AuditEntry
	s.db.Where("action = ?", ActionPriceOverride).First(&entry)
	if entry.OperatorID != manager.ID || entry.Subject != o.Number {
		t.Fatalf("audit entry %+v", entry)
	}
}

func TestApprovalsRollBackWithAFailedSale(t *testing.T) {
	s := newTestStore(t)
	o := NewOrder(CNY, TaxInclusive)
	o.AddProduct(product(t, s, "6901234567892"), Units(1))
	o.Approve(ActionPriceOverride, Operator{ID: 9, Name: "店长", Role: RoleManager}, cashier, "x", o.CreatedAt)
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{Operator: cashier}); err == nil {
		t.Fatal("a sale without a terminal was stored")
	}
	if n, _ := s.CountAudit(bg, ActionPriceOverride); n != 0 {
		t.Fatalf("%d approvals audited for a sale not stored", n)
	}
}

func TestAuditApprovalNeedsAManager(t *testing.T) {
	s := newTestStore(t)
	if err := s.AuditApproval(bg, "T01", ActionDrawerOpen, cashier, cashier, ""); ErrorCode(err) != EINVALID {
		t.Fatalf("a cashier approved: %v", err)
	}
	m := Operator{ID: 9, Name: "店长", Role: RoleOwner}
	if err := s.AuditApproval(bg, "T01", ActionDrawerOpen, m, cashier, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountAudit(bg, ActionDrawerOpen); n != 1 {
		t.Fatalf("%d drawer openings audited", n)
	}
}

func TestApprovalDetailIsCutAtACharacter(t *testing.T) {
	d := approvalDetail(Operator{ID: 1, Name: "店长"}, cashier, strings.Repeat("价", 300))
	if len(d) > 512 || !strings.HasSuffix(d, "价") {
		t.Fatalf("detail of %d bytes ends %q", len(d), d[len(d)-6:])
	}
}

func TestHeldOrderKeepsItsApprovals(t *testing.T) {
	s := newTestStore(t)
	manager := Operator{ID: 9, Name: "店长", Role: RoleManager}
	o := NewOrder(CNY, TaxInclusive)
	o.AddProduct(product(t, s, "6901234567892"), Units(1))
	o.SetUnitPrice(0, 300)
	o.Approve(ActionPriceOverride, manager, cashier, o.PriceDetail(0, 350), o.CreatedAt)
	h, err := s.HoldOrder(bg, o, "T01", cashier, "")
	if err != nil {
		t.Fatal(err)
	}
	back, err := s.RecallOrder(bg, h.ID, cashier)
	if err != nil {
		t.Fatal(err)
	}
	if back.Lines[0].UnitPrice != 300 || back.Total != 300 || len(back.Approvals) != 1 || back.Approvals[0].Manager.ID != 9 {
		t.Fatalf("recalled order %+v", back)
	}
}

func TestStoreRefusesAnUnapprovedDiscountAboveTheLimit(t *testing.T) {
	s := newTestStore(t)
	waiter := Operator{ID: 3, Name: "服务员", Role: RoleWaiter}
	onStaff(t, s, manager, waiter)
	build := func() *Order {
		o := colaOrder(t, s, 10)
		if err := o.SetDiscount(PercentDiscount(2000)); err != nil {
			t.Fatal(err)
		}
		return o
	}
	o := build()
	err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: waiter})
	if errorKey(err) != "error.discount.not_approved" || count(t, s, &Order{}) != 0 {
		t.Fatalf("unapproved 20%% discount: %v", err)
	}
	// The limit raised to 25%: no approval needed.
	if err := s.SetSetting(bg, SettingDiscountLimit, "2500"); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: waiter}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(bg, SettingDiscountLimit, "1000"); err != nil {
		t.Fatal(err)
	}
	// Approved by a manager, or given by one: stored.
	o = build()
	o.Approve(ActionDiscountOverride, manager, waiter, o.DiscountDetail(-1), time.Time{})
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: waiter}); err != nil {
		t.Fatal(err)
	}
	o = build()
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: manager}); err != nil {
		t.Fatal(err)
	}
	// A card payment's order is checked when it is first stored.
	o = build()
	if _, err := s.StartPayment(bg, o, Payment{Tender: TenderCard, Amount: o.Total}, SaleContext{TerminalID: "T01", Operator: waiter}); errorKey(err) != "error.discount.not_approved" {
		t.Fatalf("card payment of an unapproved discount: %v", err)
	}
}
