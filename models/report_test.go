package models

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// takingsOf is everything terminal took, whenever.
func takingsOf(t *testing.T, s *Store, terminal string) Takings {
	t.Helper()
	tt, err := s.TakingsBetween(bg, terminal, time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

// TestSumTakingsOrdersTendersAndKeepsStoredValueApart: tenders come cash,
// card, QR; a top-up counts as money taken and as a top-up; a balance
// payment is not money taken.
func TestSumTakingsOrdersTendersAndKeepsStoredValueApart(t *testing.T) {
	got := SumTakings([]TakingRow{
		{Tender: TenderQR, Count: 1, Amount: 500},
		{Tender: TenderCard, Count: 2, Amount: 1900},
		{Tender: TenderCash, Count: 2, Amount: 550},
		{Tender: TenderCash, TopUp: true, Count: 1, Amount: 10000},
		{Tender: TenderFingerprint, Count: 3, Amount: 1200},
	})
	want := []TenderTotal{{TenderCash, 3, 10550}, {TenderCard, 2, 1900}, {TenderQR, 1, 500}}
	if len(got.Tenders) != len(want) {
		t.Fatalf("got %+v", got.Tenders)
	}
	for i := range want {
		if got.Tenders[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got.Tenders[i], want[i])
		}
	}
	if got.TopUps.Amount != 10000 || got.BalanceSpent.Amount != 1200 || got.BalanceSpent.Count != 3 {
		t.Fatalf("stored value: %+v %+v", got.TopUps, got.BalanceSpent)
	}
	if n, sum := got.Taken(); n != 6 || sum != 12950 || got.NetSales() != 12950-10000+1200 {
		t.Fatalf("taken %d %d, net sales %d", n, sum, got.NetSales())
	}
	// 6 payments taken, 1 of them a top-up, and 3 from balances.
	if got.SalePayments() != 8 {
		t.Fatalf("sale payments %d, want 8", got.SalePayments())
	}
}

// TestRefundTax: a refund's VAT is in proportion to the order's, rounded
// half up to the fen, and refunds one after another give back the order's
// VAT exactly.
func TestRefundTax(t *testing.T) {
	o := &Order{Total: 1330, TaxTotal: 153}
	for _, c := range []struct{ before, amount, want int64 }{
		{0, 500, 58},     // 153 × 500 / 1330 = 57.52
		{500, 830, 95},   // 153 − 58
		{0, 1330, 153},   // the whole order
		{0, 0, 0},        // nothing
		{100, 10, 1},     // 153 × 110 / 1330 = 12.65 → 13, less 153 × 100 / 1330 = 11.50 → 12
		{1000, 1, 0},     // 115.11 → 115, less 115.04 → 115
		{0, 665, 77},     // 76.5, half up
		{1320, 10, 1},    // 153 − 151.85 → 152
		{0, 9_000, 1035}, // more than the order: proportional still
	} {
		if got := RefundTax(o, c.before, c.amount); got != c.want {
			t.Errorf("RefundTax(%d after %d) = %d, want %d", c.amount, c.before, got, c.want)
		}
	}
	if got := RefundTax(&Order{Total: MaxAmount, TaxTotal: MaxAmount / 10}, 0, MaxAmount); got != MaxAmount/10 {
		t.Errorf("large order: %d", got)
	}
	if got := RefundTax(&Order{}, 0, 100); got != 0 {
		t.Errorf("order of nothing: %d", got)
	}
}

// reportFixture is a terminal's hand-computed fortnight (TestReport).
type reportFixture struct {
	s                      *Store
	day1, day2, weekBefore time.Time
	cashier2               Operator
}

// reportClock is h:m on day.
func reportClock(day time.Time, h, m int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
}

// dateSale dates order id's creation, payment and payments taken (not
// refunds) at.
func dateSale(t *testing.T, s *Store, id uint, at time.Time) {
	t.Helper()
	if err := s.db.Exec("UPDATE orders SET created_at = ?, paid_at = ? WHERE id = ?", at, at, id).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec("UPDATE payments SET created_at = ? WHERE order_id = ? AND amount > 0", at, id).Error; err != nil {
		t.Fatal(err)
	}
}

// newReportFixture stores the fortnight TestReport reads. Products: cola
// (D1) ¥3.50 and water (D2) ¥2.00, drinks, VAT 13%; apples (F1) ¥12.80 a
// kg, fresh, VAT 9%; prices include VAT.
//
// Day 1 (VAT of each sale in brackets):
//
//	A 10:15 收银员 2 colas ¥7.00, cash                                 (0.81)
//	B 11:30 李娜   1.5 kg apples ¥19.20 + 1 water ¥2.00, ¥1.20 off the
//	               order (apples 1.09, water 0.11): ¥20.00 by Visa card
//	               (apples 18.11 → 1.50, water 1.89 → 0.22)           (1.72)
//	C 14:05 收银员 3 colas ¥10.50, QR Alipay                           (1.21)
//	D 15:20 收银员 a member's top-up ¥100.00, cash                   (none)
//	E 15:25 李娜   1 cola ¥3.50 from that balance                      (0.40)
//	F 16:40 收银员 1 water ¥2.00, cash, voided by the manager
//	G 21:50 李娜   4 colas ¥14.00, 5% off the line (0.70): ¥13.30 cash (1.53)
//
// Day 2:
//
//	00:30 ¥5.00 of G given back in cash       (VAT 1.53 × 5.00 / 13.30 = 0.5752 → 0.58)
//	09:10 ¥3.00 of B given back to the card   (VAT 1.72 × 3.00 / 20.00 = 0.258 → 0.26)
//	I 10:00 收银员 1 cola ¥3.50, cash                                  (0.40)
//
// A week before day 1: 12:20 收银员 2 colas ¥7.00 cash; 18:45 李娜 1
// water ¥2.00, QR WeChat.
func newReportFixture(t *testing.T) reportFixture {
	s := newTestStore(t)
	f := reportFixture{s: s, day1: time.Date(2026, 3, 10, 0, 0, 0, 0, time.Local),
		cashier2: Operator{ID: 3, Name: "李娜", Role: RoleCashier}}
	f.day2, f.weekBefore = f.day1.AddDate(0, 0, 1), f.day1.AddDate(0, 0, -7)
	onStaff(t, s, cashier, manager, f.cashier2)
	by := func(op Operator) SaleContext { return SaleContext{TerminalID: "T01", Operator: op} }
	cash := func(o *Order, op Operator, at time.Time) *Order {
		t.Helper()
		if err := s.CommitSale(bg, o, cashFor(o, o.Total), by(op)); err != nil {
			t.Fatal(err)
		}
		dateSale(t, s, o.ID, at)
		return o
	}
	orderOf := func(code string, qty Quantity) *Order {
		t.Helper()
		o := NewOrder(CNY, TaxInclusive)
		if _, err := o.AddProduct(product(t, s, code), qty); err != nil {
			t.Fatal(err)
		}
		return o
	}
	const cola, water = "6901234567892", "6921168509256"
	// tendered pays o by tender through the host (card or QR), scheme or
	// wallet as given, and returns its payment.
	rrn := 70
	tendered := func(o *Order, op Operator, tender Tender, scheme string, at time.Time) Payment {
		t.Helper()
		rrn++
		p, err := s.StartPayment(bg, o, Payment{Tender: tender, Amount: o.Total, Scheme: scheme, MaskedPAN: "**** **** **** 4242"}, by(op))
		if err != nil {
			t.Fatal(err)
		}
		r := &HostRequest{TerminalID: "T01", Key: p.Key, MTI: "0200", ProcCode: "000000", Amount: p.Amount, Currency: CNY}
		if err := s.RecordRequest(bg, r); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: fmt.Sprintf("%012d", rrn), AuthCode: "700000"}); err != nil {
			t.Fatal(err)
		}
		dateSale(t, s, o.ID, at)
		return p
	}

	// The week before.
	cash(colaOrder(t, s, 2), cashier, reportClock(f.weekBefore, 12, 20))
	tendered(orderOf(water, Units(1)), f.cashier2, TenderQR, "wechat", reportClock(f.weekBefore, 18, 45))

	// Day 1.
	cash(colaOrder(t, s, 2), cashier, reportClock(f.day1, 10, 15))
	b := NewOrder(CNY, TaxInclusive)
	apples, err := s.ProductByID(bg, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddProduct(*apples, 1500); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddProduct(product(t, s, water), Units(1)); err != nil {
		t.Fatal(err)
	}
	b.Discount = AmountDiscount(120)
	if err := b.Recalc(); err != nil {
		t.Fatal(err)
	}
	if b.Total != 2000 || b.TaxTotal != 172 || b.Lines[0].Net != 1811 || b.Lines[1].Net != 189 {
		t.Fatalf("order B computed as %d, VAT %d, lines %+v", b.Total, b.TaxTotal, b.Lines)
	}
	bPay := tendered(b, f.cashier2, TenderCard, "visa", reportClock(f.day1, 11, 30))
	tendered(colaOrder(t, s, 3), cashier, TenderQR, "alipay", reportClock(f.day1, 14, 5))
	m, err := s.AddMember(bg, "张伟", "138 0013 5678", cashier, "T01")
	if err != nil {
		t.Fatal(err)
	}
	topUp, err := NewTopUpOrder(CNY, m, 10000)
	if err != nil {
		t.Fatal(err)
	}
	cash(topUp, cashier, reportClock(f.day1, 15, 20))
	e := colaOrder(t, s, 1)
	if err := s.PayFromBalance(bg, e, m.ID, e.Total, by(f.cashier2)); err != nil {
		t.Fatal(err)
	}
	dateSale(t, s, e.ID, reportClock(f.day1, 15, 25))
	voided := cash(orderOf(water, Units(1)), cashier, reportClock(f.day1, 16, 40))
	if _, err := s.VoidOrder(bg, Undo{OrderID: voided.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	g := colaOrder(t, s, 4)
	if err := g.SetLineDiscount(0, PercentDiscount(500)); err != nil {
		t.Fatal(err)
	}
	if g.Total != 1330 || g.TaxTotal != 153 {
		t.Fatalf("order G computed as %d, VAT %d", g.Total, g.TaxTotal)
	}
	cash(g, f.cashier2, reportClock(f.day1, 21, 50))

	// Day 2.
	if _, err := s.RefundOrder(bg, Undo{OrderID: g.ID, PaymentID: g.Payments[0].ID, Amount: 500, Manager: manager,
		Now: reportClock(f.day2, 0, 30)}); err != nil {
		t.Fatal(err)
	}
	key, err := s.UndoKey(bg, b, 'R')
	if err != nil {
		t.Fatal(err)
	}
	refund := &HostRequest{TerminalID: "T01", Key: key, Original: bPay.Key, MTI: "0200", ProcCode: "200000", Amount: 300, Currency: CNY}
	if err := s.RecordRequest(bg, refund); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAnswer(bg, refund.ID, HostAnswer{Code: "00", RRN: "000000000099", AuthCode: "700001"}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec("UPDATE payments SET created_at = ? WHERE key = ?", reportClock(f.day2, 9, 10), key).Error; err != nil {
		t.Fatal(err)
	}
	cash(colaOrder(t, s, 1), cashier, reportClock(f.day2, 10, 0))
	return f
}

// TestReport reads newReportFixture's days, every figure computed by hand.
func TestReport(t *testing.T) {
	f := newReportFixture(t)
	s := f.s
	cola, water := product(t, s, "6901234567892"), product(t, s, "6921168509256")
	ap, err := s.ProductByID(bg, 3)
	if err != nil {
		t.Fatal(err)
	}
	apples := *ap
	var drinks, fresh Category
	if err := s.db.Where("code = ?", "drinks").First(&drinks).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Where("code = ?", "fresh").First(&fresh).Error; err != nil {
		t.Fatal(err)
	}
	if cola.CategoryID != drinks.ID || water.CategoryID != drinks.ID || apples.CategoryID != fresh.ID {
		t.Fatalf("catalog: %d %d %d", cola.CategoryID, water.CategoryID, apples.CategoryID)
	}
	hours := func(set map[int]HourTotal) (h [24]HourTotal) {
		for k, v := range set {
			h[k] = v
		}
		return h
	}
	item := func(p Product, qty Quantity, amount int64) ItemTotal {
		return ItemTotal{ID: p.ID, Name: p.Name, NameEN: p.NameEN, Qty: qty, Amount: amount}
	}
	cat := func(c Category, qty Quantity, amount int64) ItemTotal {
		return ItemTotal{ID: c.ID, Name: c.Name, NameEN: c.NameEN, Qty: qty, Amount: amount}
	}
	// The member topped up ¥100.00 and spent ¥3.50.
	const balance = 9650

	for _, c := range []struct {
		name string
		from time.Time
		want Report
	}{
		{"day 1", f.day1, Report{
			// A, B, C, E, G; D is a top-up, F voided.
			Orders: 5,
			Gross:  700 + 1920 + 200 + 1050 + 350 + 1400,
			// B's order discount, G's line discount.
			Discounts: 120 + 70,
			Refunds:   TenderTotal{"refund", 0, 0},
			Voids:     TenderTotal{"void", 1, 200},
			// Taken 700 + 2000 + 1050 + 10000 + 1330, less the top-up,
			// plus the balance's 350.
			NetSales: 5430,
			Tax:      81 + 172 + 121 + 40 + 153,
			Takings: Takings{
				Tenders: []TenderTotal{{TenderCash, 3, 700 + 10000 + 1330}, {TenderCard, 1, 2000}, {TenderQR, 1, 1050}},
				TopUps:  TenderTotal{"top_up", 1, 10000}, BalanceSpent: TenderTotal{TenderFingerprint, 1, 350}},
			Schemes: []SchemeTotal{{TenderCard, "visa", 1, 2000}, {TenderQR, "alipay", 1, 1050}},
			// The top-up at 15:20 is no sale; F was voided.
			Hours: hours(map[int]HourTotal{10: {1, 700}, 11: {1, 2000}, 14: {1, 1050}, 15: {1, 350}, 21: {1, 1330}}),
			Products: []ItemTotal{item(cola, Units(2+3+1+4), 700+1050+350+1330), item(apples, 1500, 1811),
				item(water, Units(1), 189)},
			Categories: []ItemTotal{cat(drinks, Units(11), 3430+189), cat(fresh, 1500, 1811)},
			Cashiers: []CashierTotal{
				{OperatorID: f.cashier2.ID, Name: "李娜", Orders: 3, NetSales: 2000 + 350 + 1330},
				// A and C; the top-up's money is no sale.
				{OperatorID: cashier.ID, Name: "收银员", Orders: 2, NetSales: 700 + 1050, Voids: 200},
			},
			MembersBalance: balance,
			Prior:          ReportSummary{Orders: 2, NetSales: 900, Hours: hours(map[int]HourTotal{12: {1, 700}, 18: {1, 200}})},
		}},
		{"day 2", f.day2, Report{
			Orders:   1,
			Gross:    350,
			Refunds:  TenderTotal{"refund", 2, 500 + 300},
			Voids:    TenderTotal{"void", 0, 0},
			NetSales: 350 - 500 - 300,
			// I's VAT, less the refunds' 0.58 and 0.26.
			Tax: 40 - 58 - 26,
			Takings: Takings{
				Tenders: []TenderTotal{{TenderCash, 1, 350 - 500}, {TenderCard, 0, -300}},
				TopUps:  TenderTotal{"top_up", 0, 0}, BalanceSpent: TenderTotal{TenderFingerprint, 0, 0}},
			// B's refund is Visa's, though the refund's payment names no scheme.
			Schemes:    []SchemeTotal{{TenderCard, "visa", 0, -300}},
			Hours:      hours(map[int]HourTotal{0: {0, -500}, 9: {0, -300}, 10: {1, 350}}),
			Products:   []ItemTotal{item(cola, Units(1), 350)},
			Categories: []ItemTotal{cat(drinks, Units(1), 350)},
			Cashiers: []CashierTotal{
				{OperatorID: cashier.ID, Name: "收银员", Orders: 1, NetSales: 350},
				// G's and B's refunds, of 李娜's sales of day 1.
				{OperatorID: f.cashier2.ID, Name: "李娜", NetSales: -800, Refunds: 800},
			},
			MembersBalance: balance,
		}},
	} {
		to := c.from.AddDate(0, 0, 1)
		got, err := s.Report(bg, "T01", c.from, to)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := c.want
		want.From, want.To = c.from, to
		checkReport(t, c.name, got, want)
		// The takings are TakingsBetween's, and net sales its rule's.
		tk, err := s.TakingsBetween(bg, "T01", c.from, to)
		if err != nil || !reflect.DeepEqual(tk, got.Takings) || got.NetSales != tk.NetSales() {
			t.Errorf("%s: takings %+v, TakingsBetween %+v %v", c.name, got.Takings, tk, err)
		}
		var sum int64
		for _, h := range got.Hours {
			sum += h.Amount
		}
		if sum != got.NetSales {
			t.Errorf("%s: hours add up to %d, net sales %d", c.name, sum, got.NetSales)
		}
	}
	// Another terminal sold nothing; the members' balances are the shop's.
	other, err := s.Report(bg, "T02", f.day1, f.day2)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, "T02", other, Report{From: f.day1, To: f.day2, Refunds: TenderTotal{"refund", 0, 0}, Voids: TenderTotal{"void", 0, 0},
		Takings: Takings{TopUps: TenderTotal{"top_up", 0, 0}, BalanceSpent: TenderTotal{TenderFingerprint, 0, 0}}, MembersBalance: balance})
}

// checkReport compares got with want field by field.
func checkReport(t *testing.T, name string, got, want Report) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		if reflect.ValueOf(g).Kind() == reflect.Slice && reflect.ValueOf(g).Len() == 0 && reflect.ValueOf(w).Len() == 0 {
			continue // nil or empty alike
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s = %+v\n\twant %+v", name, gv.Type().Field(i).Name, g, w)
		}
	}
}

// TestReportQueriesUseIndexes reads SQLite's plan of every statement a
// report runs over three days of history with a refund, a void, a top-up
// and a balance payment on its last day (so that every one of its queries
// runs): each searches an index by a range of dates or by keys, none
// walks the orders, payments or lines, nor all of the terminal's orders.
func TestReportQueriesUseIndexes(t *testing.T) {
	s := newTestStore(t)
	const n = 3 * historyPerDay
	fillHistory(t, s, n)
	onStaff(t, s, cashier, manager)
	lastDay := historyAt(n - 1)
	lastDay = time.Date(lastDay.Year(), lastDay.Month(), lastDay.Day(), 0, 0, 0, 0, time.Local)
	late := lastDay.Add(22 * time.Hour)
	sc := SaleContext{TerminalID: "T01", Operator: cashier, Now: late}
	// The history's last order was paid in cash: its payment has its ID.
	if _, err := s.RefundOrder(bg, Undo{OrderID: n, PaymentID: n, Amount: 100, Manager: manager, Now: late}); err != nil {
		t.Fatal(err)
	}
	m, err := s.AddMember(bg, "张伟", "138 0013 5678", cashier, "T01")
	if err != nil {
		t.Fatal(err)
	}
	topUp, err := NewTopUpOrder(CNY, m, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CommitSale(bg, topUp, cashFor(topUp, 10000), sc); err != nil {
		t.Fatal(err)
	}
	if err := s.PayFromBalance(bg, colaOrder(t, s, 1), m.ID, 350, sc); err != nil {
		t.Fatal(err)
	}
	voided := colaOrder(t, s, 1)
	if err := s.CommitSale(bg, voided, cashFor(voided, voided.Total), sc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: voided.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}

	rec := &sqlRecorder{Interface: s.db.Logger}
	s.db.Logger = rec
	r, err := s.Report(bg, "T01", lastDay, lastDay.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if r.Orders != historyPerDay+1 || r.Refunds.Count != 1 || r.Voids.Count != 1 || r.Takings.TopUps.Count != 1 ||
		r.Takings.BalanceSpent.Count != 1 || r.Prior.Orders != 0 || len(r.Products) != 1 {
		t.Fatalf("report of the last day: %+v", r)
	}
	// The payments, the orders (the period's and the week before's), the
	// refunds' orders, the lines, their products and categories, and the
	// members' balances.
	if len(rec.sqls) < 9 {
		t.Fatalf("%d statements recorded: %q", len(rec.sqls), rec.sqls)
	}
	checkPlans(t, s, "report", rec.sqls, true)
}

// TestStoredHour: a payment's hour is read from the time as SQLite keeps
// it and told in the report's location.
func TestStoredHour(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	for _, c := range []struct {
		key  string
		loc  *time.Location
		want int
	}{
		{"2026-03-10 15+08:00", shanghai, 15},
		{"2026-03-10 15+08:00", time.UTC, 7},
		{"2026-03-10 23+00:00", shanghai, 7},
		{"2026-03-10 02+00:00", time.FixedZone("", -5*3600), 21},
		{"2026-03-10 09Z", shanghai, 9}, // no offset: as written
		{"junk", shanghai, 0},
	} {
		if got := storedHour(c.key, c.loc); got != c.want {
			t.Errorf("storedHour(%q, %s) = %d, want %d", c.key, c.loc, got, c.want)
		}
	}
	// The store keeps a time so that its date, hour and offset read so.
	s := newTestStore(t)
	o := colaOrder(t, s, 1)
	at := time.Date(2026, 3, 10, 15, 25, 7, 123456789, shanghai)
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: cashier, Now: at}); err != nil {
		t.Fatal(err)
	}
	var key string
	if err := s.db.Raw("SELECT substr(created_at, 1, 13) || substr(created_at, -6) FROM payments WHERE order_id = ?", o.ID).
		Scan(&key).Error; err != nil {
		t.Fatal(err)
	}
	if parsed, err := time.Parse("2006-01-02 15-07:00", key); err != nil || !parsed.Equal(at.Truncate(time.Hour)) {
		t.Fatalf("stored %q: %v %v", key, parsed, err)
	}
	r, err := s.Report(bg, "T01", time.Date(2026, 3, 10, 0, 0, 0, 0, shanghai), time.Date(2026, 3, 11, 0, 0, 0, 0, shanghai))
	if err != nil || r.Hours[15] != (HourTotal{1, o.Total}) {
		t.Fatalf("hour 15 in Shanghai: %+v %v", r.Hours, err)
	}
}
