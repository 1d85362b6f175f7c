package models

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// TenderTotal is the count and sum of payments of one tender.
type TenderTotal struct {
	Tender Tender
	Count  int
	Amount int64 // minor units, net of change
}

// sortTenders orders totals as reports show them: cash, card, QR code,
// fingerprint, then any other by name.
func sortTenders(out []TenderTotal) {
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := reportTenderRank(out[i].Tender), reportTenderRank(out[j].Tender); ri != rj {
			return ri < rj
		}
		return out[i].Tender < out[j].Tender
	})
}

// reportTenderRank is where a tender comes in a report: cash, card, QR
// code, fingerprint, then any other.
func reportTenderRank(t Tender) int {
	switch t {
	case TenderCash:
		return 0
	case TenderCard:
		return 1
	case TenderQR:
		return 2
	case TenderFingerprint:
		return 3
	}
	return 4
}

// Report is what an owner reads of a terminal's period [From, To).
//
// Two dates are at work. Money taken or given back (NetSales, Refunds,
// Takings, Schemes, Hours, the cashiers' NetSales and Refunds) is dated
// when it was taken or given back: by the payment, whatever day the sale
// was. Sales (Orders, Gross, Discounts, the sales' part of Tax, Products,
// Categories, the cashiers' Orders) are dated by when the order was paid.
// Voids are dated by when the voided order was paid: an order keeps no
// time of its void (its status changes, its payments become voided), and
// a void is only made while the order's batch is open, so on its day.
//
// Members' top-ups are not sales: they are in Takings (Tenders and TopUps)
// and Schemes, as money taken, and nowhere else. Payments from a member's
// balance are sales but not money taken (Takings.BalanceSpent).
type Report struct {
	From, To time.Time
	// Orders is how many sales (paid or refunded orders, not top-ups) were
	// paid in the period; Gross is their lines' gross amounts, Discounts
	// their line and order discounts.
	Orders    int
	Gross     int64
	Discounts int64
	// Refunds is the money of sales given back in the period: Count
	// refund payments (one per tender given back to), Amount a positive
	// sum. Refunds of top-ups are not here (they are in Takings.TopUps).
	Refunds TenderTotal
	// Voids is the sales voided, dated by when they were paid: Count
	// orders, Amount their totals.
	Voids TenderTotal
	// NetSales is Takings.NetSales(): the one rule of what was sold.
	NetSales int64
	// Tax is the VAT in the sales of the period (their orders' tax) less
	// the VAT in the refunds of the period (RefundTax).
	Tax int64
	// Takings is TakingsBetween of the period: by tender, stored value
	// apart.
	Takings Takings
	// Schemes is the card payments by scheme and the QR payments by
	// wallet, net of refunds, largest first (top-ups included, as in
	// Takings.Tenders).
	Schemes []SchemeTotal
	// Hours is the net sales by the local hour (in From's location) the
	// money was taken or given back, refunds negative in their hour.
	Hours [24]HourTotal
	// Products is the ten products of the largest net amount (lines' Net:
	// after discounts) in the period's sales, largest first; Categories is
	// every category's, largest first.
	Products   []ItemTotal
	Categories []ItemTotal
	// Cashiers is the figures by the order's operator, largest net sales
	// first.
	Cashiers []CashierTotal
	// MembersBalance is what all members have on their balances now: a
	// liability of the shop.
	MembersBalance int64
	// Prior is the same period 7 days earlier.
	Prior ReportSummary
}

// SchemeTotal is the card payments of one scheme ("unionpay", "visa") or
// the QR payments of one wallet ("alipay", "wechat"; "" when not known):
// Count payments in, Amount net of refunds.
type SchemeTotal struct {
	Tender Tender
	Scheme string
	Count  int
	Amount int64
}

// HourTotal is an hour's sales: Count payments of sales taken in it
// (Takings.SalePayments), Amount its net sales (Takings.NetSales).
type HourTotal struct {
	Count  int
	Amount int64
}

// ItemTotal is a product's (or a category's) part of the period's sales:
// the quantity sold (for a category, the sum of its lines' quantities,
// whatever their units) and the lines' net amount.
type ItemTotal struct {
	ID           uint
	Name, NameEN string
	Qty          Quantity
	Amount       int64
}

// CashierTotal is one operator's figures, by the operator of each order:
// Orders sales paid in the period, NetSales (Takings.NetSales of the
// payments of their orders), the totals of their voided sales and the
// money of their sales given back (positive).
type CashierTotal struct {
	OperatorID uint
	Name       string
	Orders     int
	NetSales   int64
	Voids      int64
	Refunds    int64
}

// ReportSummary is a period's headline figures, as Report has them.
type ReportSummary struct {
	Orders   int
	NetSales int64
	Hours    [24]HourTotal
}

// RefundTax is the VAT given back by a refund of amount from order o, of
// which before was given back already: the VAT of everything given back
// once this refund is made, less the VAT of what was given back before,
// each in proportion to the order's (o.TaxTotal × given back ÷ o.Total,
// integer arithmetic, rounded half up to the fen). Refunds made one after
// another thus give back, together, exactly the order's VAT once they have
// given back its total. Receipts and reports both ask this.
func RefundTax(o *Order, before, amount int64) int64 {
	return refundedTax(o, before+amount) - refundedTax(o, before)
}

// refundedTax is the VAT in back of o's total given back.
func refundedTax(o *Order, back int64) int64 {
	if o.Total <= 0 || o.TaxTotal <= 0 || back <= 0 {
		return 0
	}
	q, r := mulDivRem(back, o.TaxTotal, o.Total)
	if 2*r >= o.Total {
		q++
	}
	return q
}

// Report is what an owner reads of terminal terminalID's period [from,
// to), and of the same period 7 days earlier (Report's doc says how each
// figure is dated). Every query is driven by an indexed range of dates
// (payments by when they were taken, orders by when they were paid) or by
// keys, never by a walk of the history; the period's payments are summed
// in SQL by the hour they were stored in, told in from's location
// (reportPayments). Whether the caller may read it (PermReports) is the
// caller's to ask.
func (s *Store) Report(ctx context.Context, terminalID string, from, to time.Time) (Report, error) {
	r := Report{From: from, To: to}
	loc := from.Location()
	now := time.Now()
	spans := reportSpans(from, to, now)
	priorSpans := reportSpans(from.AddDate(0, 0, -7), to.AddDate(0, 0, -7), now)
	// A saving only: a day it could not keep is read from the history.
	_ = s.keepReportDays(ctx, terminalID, append(spans, priorSpans...), loc)
	err := s.read(ctx, func(db *gorm.DB) error {
		part, err := readSpans(db, terminalID, spans, loc)
		if err != nil {
			return err
		}
		priorPart, err := readSpans(db, terminalID, priorSpans, loc)
		if err != nil {
			return err
		}
		if r.Products, r.Categories, err = nameItems(db, part.Lines); err != nil {
			return err
		}
		if err := db.Model(&Member{}).Select("COALESCE(SUM(balance), 0)").Scan(&r.MembersBalance).Error; err != nil {
			return fmt.Errorf("members' balances: %w", err)
		}
		r.fill(part.Pays, part.Orders)
		if err := nameCashiers(db, r.Cashiers); err != nil {
			return err
		}
		r.Tax -= part.RefundTax
		prior := Report{}
		prior.fill(priorPart.Pays, priorPart.Orders)
		r.Prior = ReportSummary{Orders: prior.Orders, NetSales: prior.NetSales, Hours: prior.Hours}
		return nil
	})
	if err != nil {
		return Report{}, dbError(s.path, fmt.Errorf("store: report of %s from %s to %s: %w",
			terminalID, from.Format(time.RFC3339), to.Format(time.RFC3339), err))
	}
	return r, nil
}

// keepReportDays stores the whole days of spans that have no stored part
// yet, a day per write transaction so that a sale waits for one day's
// reading at most.
func (s *Store) keepReportDays(ctx context.Context, terminalID string, spans []reportSpan, loc *time.Location) error {
	var missing []reportSpan
	err := s.read(ctx, func(db *gorm.DB) error {
		days, err := storedReportDays(db, terminalID, spans)
		for _, sp := range spans {
			if row, ok := days[sp.from.Unix()]; sp.day && !(ok && row.usable(sp)) {
				missing = append(missing, sp)
			}
		}
		return err
	})
	for _, sp := range missing {
		if err != nil {
			break
		}
		err = s.write(ctx, func(tx *gorm.DB) error { return keepReportDays(tx, terminalID, []reportSpan{sp}, loc) })
	}
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: keep report days of %s: %w", terminalID, err))
	}
	return nil
}

// KeepReportDays stores the report of each of terminalID's last days whole
// days before now (in now's location) that has none stored yet, so that
// the first report an owner opens reads a row a day too. The till runs it
// in the background; a report stores what it misses itself.
func (s *Store) KeepReportDays(ctx context.Context, terminalID string, now time.Time, days int) error {
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return s.keepReportDays(ctx, terminalID, reportSpans(end.AddDate(0, 0, -days), end, now), now.Location())
}

// reportPayment is a group of payments TakingsBetween counts, with what a
// report reads of them and of their orders: the payments in of one hour,
// tender, scheme, kind and operator together; each refund alone.
type reportPayment struct {
	Hour       int // the local hour they were taken in
	Tender     Tender
	Scheme     string // a refund's: its original payment's
	TopUp      bool
	OperatorID uint
	Count      int   // payments in (takenCount)
	Amount     int64 // negative for a refund
	// A refund's payment, order and original payment, and the order's tax
	// and total, for its VAT.
	ID, OrderID, OriginalID uint
	OrderTax, OrderTotal    int64
}

// reportPayments are the payments TakingsBetween counts in [from, to),
// driven as it drives them (takenPayments): the range's payments by their
// index, each one's order by its key; a refund's original payment (for
// its scheme) by its key. They are summed by the hour of their stored
// time's date, hour and offset (SQLite keeps a time as text,
// "2006-01-02 15:04:05.999999999-07:00"), told in loc: exact whenever the
// offset it was stored with and loc's differ by whole hours, as they do
// for a till that stores its own local time.
func reportPayments(db *gorm.DB, terminalID string, from, to time.Time, loc *time.Location) ([]reportPayment, error) {
	where, args := takenPayments(terminalID, from, to)
	rows, err := db.Raw(`SELECT substr(payments.created_at, 1, 13) || substr(payments.created_at, -6),
			payments.tender, COALESCE(payments.scheme, ''), orders.top_up_member_id <> 0, orders.operator_id,
			CASE WHEN payments.amount < 0 THEN payments.id ELSE 0 END,
			`+takenCount+`, SUM(payments.amount),
			MAX(payments.order_id), MAX(payments.original_id), MAX(orders.tax_total), MAX(orders.total)
		FROM `+takenFrom+` WHERE `+where+` GROUP BY 1, 2, 3, 4, 5, 6`, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	defer rows.Close()
	var out []reportPayment
	hours := map[string]int{}
	for rows.Next() {
		var p reportPayment
		var at string
		if err := rows.Scan(&at, &p.Tender, &p.Scheme, &p.TopUp, &p.OperatorID, &p.ID, &p.Count, &p.Amount,
			&p.OrderID, &p.OriginalID, &p.OrderTax, &p.OrderTotal); err != nil {
			return nil, fmt.Errorf("payments: %w", err)
		}
		h, ok := hours[at]
		if !ok {
			h = storedHour(at, loc)
			hours[at] = h
		}
		p.Hour = h
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	// A refund names no scheme: its original payment does.
	var originals []uint
	for _, p := range out {
		if p.ID != 0 && p.OriginalID != 0 {
			originals = append(originals, p.OriginalID)
		}
	}
	if len(originals) > 0 {
		var orig []Payment
		if err := db.Select("id", "scheme").Where("id IN ?", originals).Find(&orig).Error; err != nil {
			return nil, fmt.Errorf("refunded payments: %w", err)
		}
		schemes := map[uint]string{}
		for _, o := range orig {
			schemes[o.ID] = o.Scheme
		}
		for i := range out {
			if out[i].ID != 0 && out[i].OriginalID != 0 {
				out[i].Scheme = schemes[out[i].OriginalID]
			}
		}
	}
	return out, nil
}

// storedHour is the hour, in loc, of a stored time's date, hour and offset
// ("2006-01-02 15-07:00"); the hour as written when it names no offset.
func storedHour(key string, loc *time.Location) int {
	if t, err := time.Parse("2006-01-02 15-07:00", key); err == nil {
		return t.In(loc).Hour()
	}
	if len(key) >= 13 {
		if h, err := strconv.Atoi(key[11:13]); err == nil && h >= 0 && h < 24 {
			return h
		}
	}
	return 0
}

// reportOrder is a group of orders paid in a period: by operator, status
// and whether they are top-ups.
type reportOrder struct {
	OperatorID   uint
	OperatorName string
	Status       OrderStatus
	TopUp        bool
	Count        int
	Gross        int64
	Discounts    int64
	Tax          int64
	Total        int64
}

// reportOrders groups terminalID's orders paid in [from, to) that were
// sold, refunded or voided since, through idx_orders_terminal_paid.
func reportOrders(db *gorm.DB, terminalID string, from, to time.Time) ([]reportOrder, error) {
	var out []reportOrder
	err := db.Model(&Order{}).Select(`operator_id, MAX(operator_name) AS operator_name, status,
			top_up_member_id <> 0 AS top_up, COUNT(*) AS count, SUM(subtotal) AS gross, SUM(discount_total) AS discounts,
			SUM(tax_total) AS tax, SUM(total) AS total`).
		Where("terminal_id = ? AND paid_at >= ? AND paid_at < ? AND status IN ?",
			terminalID, from, to, []OrderStatus{OrderPaid, OrderRefunded, OrderVoided}).
		Group("operator_id, status, top_up_member_id <> 0").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	return out, nil
}

// isSale says whether a group of orders is of sales that stand (paid, or
// refunded in part or whole): not top-ups, not voided.
func (o reportOrder) isSale() bool {
	return !o.TopUp && (o.Status == OrderPaid || o.Status == OrderRefunded)
}

// reportRefundTax is the VAT of the refunds among pays (RefundTax), each
// after what its order had given back before it: the orders' earlier
// refunds are read by the orders' keys.
func reportRefundTax(db *gorm.DB, pays []reportPayment) (int64, error) {
	orders := map[uint]*Order{}
	var ids []uint
	for _, p := range pays {
		if p.ID != 0 && orders[p.OrderID] == nil {
			orders[p.OrderID] = &Order{ID: p.OrderID, TaxTotal: p.OrderTax, Total: p.OrderTotal}
			ids = append(ids, p.OrderID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	var backs []Payment
	if err := db.Select("id", "order_id", "amount").
		Where("order_id IN ? AND amount < 0 AND status IN ?", ids, takenStatuses).
		Order("order_id, id").Find(&backs).Error; err != nil {
		return 0, fmt.Errorf("refunds: %w", err)
	}
	inPeriod := map[uint]bool{}
	for _, p := range pays {
		if p.ID != 0 {
			inPeriod[p.ID] = true
		}
	}
	before := map[uint]int64{}
	var tax int64
	for _, b := range backs {
		amount := -b.Amount
		if inPeriod[b.ID] {
			tax += RefundTax(orders[b.OrderID], before[b.OrderID], amount)
		}
		before[b.OrderID] += amount
	}
	return tax, nil
}

// reportLines are the lines of terminalID's sales paid in [from, to) by
// product (ID, Qty, Amount): the period's orders through
// idx_orders_terminal_paid, each one's lines by its key.
func reportLines(db *gorm.DB, terminalID string, from, to time.Time) ([]ItemTotal, error) {
	var lines []ItemTotal
	err := db.Select(`order_lines.product_id AS id, SUM(order_lines.qty) AS qty, SUM(order_lines.net) AS amount`).
		// The period's orders drive the join (CROSS JOIN keeps them the
		// outer loop), never the lines of the whole history.
		Table("orders CROSS JOIN order_lines").
		Where("order_lines.order_id = orders.id AND orders.terminal_id = ? AND orders.paid_at >= ? AND orders.paid_at < ? AND orders.status IN ? AND orders.top_up_member_id = 0",
			terminalID, from, to, []OrderStatus{OrderPaid, OrderRefunded}).
		Group("order_lines.product_id").Scan(&lines).Error
	return lines, wrapErr("lines", err)
}

// nameItems makes of a period's lines by product its products (the ten
// largest by net amount) and its categories, largest first. A product is
// named as the catalog names it now (products are never deleted); a line
// whose product has no category counts under category 0, unnamed.
func nameItems(db *gorm.DB, lines []ItemTotal) (products, categories []ItemTotal, err error) {
	if len(lines) == 0 {
		return nil, nil, nil
	}
	lines = append([]ItemTotal(nil), lines...)
	ids := make([]uint, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.ID)
	}
	var prods []Product
	if err := db.Select("id", "name", "name_en", "category_id").Where("id IN ?", ids).Find(&prods).Error; err != nil {
		return nil, nil, fmt.Errorf("products: %w", err)
	}
	byID := map[uint]Product{}
	var catIDs []uint
	for _, p := range prods {
		byID[p.ID] = p
		catIDs = append(catIDs, p.CategoryID)
	}
	var cats []Category
	if err := db.Where("id IN ?", catIDs).Find(&cats).Error; err != nil {
		return nil, nil, fmt.Errorf("categories: %w", err)
	}
	catByID := map[uint]Category{}
	for _, c := range cats {
		catByID[c.ID] = c
	}
	byCat := map[uint]*ItemTotal{}
	for i := range lines {
		l := &lines[i]
		p, ok := byID[l.ID]
		if ok {
			l.Name, l.NameEN = p.Name, p.NameEN
		}
		c := byCat[p.CategoryID]
		if c == nil {
			cat := catByID[p.CategoryID]
			c = &ItemTotal{ID: cat.ID, Name: cat.Name, NameEN: cat.NameEN}
			byCat[p.CategoryID] = c
		}
		c.Qty += l.Qty
		c.Amount += l.Amount
	}
	for _, c := range byCat {
		categories = append(categories, *c)
	}
	sortItems(lines)
	sortItems(categories)
	return lines[:min(len(lines), 10)], categories, nil
}

// nameCashiers names the cashiers whose orders of the period did not, as
// the staff list names them now.
func nameCashiers(db *gorm.DB, cs []CashierTotal) error {
	var ids []uint
	for _, c := range cs {
		if c.Name == "" {
			ids = append(ids, c.OperatorID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var ops []Operator
	if err := db.Select("id", "name").Where("id IN ?", ids).Find(&ops).Error; err != nil {
		return fmt.Errorf("operators: %w", err)
	}
	names := map[uint]string{}
	for _, op := range ops {
		names[op.ID] = op.Name
	}
	for i := range cs {
		if cs[i].Name == "" {
			cs[i].Name = names[cs[i].OperatorID]
		}
	}
	return nil
}

// wrapErr is err with what, or nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// sortItems orders items by amount, largest first (then by ID).
func sortItems(items []ItemTotal) {
	sort.Slice(items, func(i, j int) bool {
		if items[i].Amount != items[j].Amount {
			return items[i].Amount > items[j].Amount
		}
		return items[i].ID < items[j].ID
	})
}

// takingKey groups payments as TakingRow does.
type takingKey struct {
	tender Tender
	topUp  bool
}

// takingSums sums payments by takingKey, for SumTakings.
type takingSums map[takingKey]TakingRow

func (t takingSums) add(p reportPayment) {
	k := takingKey{p.Tender, p.TopUp}
	row := t[k]
	row.Tender, row.TopUp = p.Tender, p.TopUp
	row.Count += p.Count
	row.Amount += p.Amount
	t[k] = row
}

// takings is what SumTakings makes of the sums.
func (t takingSums) takings() Takings {
	rows := make([]TakingRow, 0, len(t))
	for _, r := range t {
		rows = append(rows, r)
	}
	return SumTakings(rows)
}

// fill sets r's figures from the period's payments and orders (the VAT of
// its refunds apart); a cashier whose orders were not paid in the period
// is left unnamed (nameCashiers).
func (r *Report) fill(pays []reportPayment, orders []reportOrder) {
	all := takingSums{}
	var hours [24]takingSums
	cashiers := map[uint]*CashierTotal{}
	cashier := func(id uint, name string) *CashierTotal {
		c := cashiers[id]
		if c == nil {
			c = &CashierTotal{OperatorID: id}
			cashiers[id] = c
		}
		if c.Name == "" {
			c.Name = name
		}
		return c
	}
	byOperator := map[uint]takingSums{}
	type schemeKey struct {
		tender Tender
		scheme string
	}
	schemes := map[schemeKey]*SchemeTotal{}
	for _, p := range pays {
		all.add(p)
		h := p.Hour
		if hours[h] == nil {
			hours[h] = takingSums{}
		}
		hours[h].add(p)
		if byOperator[p.OperatorID] == nil {
			byOperator[p.OperatorID] = takingSums{}
		}
		byOperator[p.OperatorID].add(p)
		if p.Tender == TenderCard || p.Tender == TenderQR {
			k := schemeKey{p.Tender, p.Scheme}
			st := schemes[k]
			if st == nil {
				st = &SchemeTotal{Tender: p.Tender, Scheme: p.Scheme}
				schemes[k] = st
			}
			st.Count += p.Count
			st.Amount += p.Amount
		}
		if p.ID != 0 && !p.TopUp {
			r.Refunds.Count++
			r.Refunds.Amount -= p.Amount
			cashier(p.OperatorID, "").Refunds -= p.Amount
		}
	}
	r.Refunds.Tender = "refund"
	r.Voids.Tender = "void"
	r.Takings = all.takings()
	r.NetSales = r.Takings.NetSales()
	for h, t := range hours {
		if t != nil {
			tk := t.takings()
			r.Hours[h] = HourTotal{Count: tk.SalePayments(), Amount: tk.NetSales()}
		}
	}
	for id, t := range byOperator {
		if net := t.takings().NetSales(); net != 0 {
			cashier(id, "").NetSales = net
		}
	}
	for _, o := range orders {
		switch {
		case o.isSale():
			r.Orders += o.Count
			r.Gross += o.Gross
			r.Discounts += o.Discounts
			r.Tax += o.Tax
			cashier(o.OperatorID, o.OperatorName).Orders += o.Count
		case o.Status == OrderVoided && !o.TopUp:
			r.Voids.Count += o.Count
			r.Voids.Amount += o.Total
			cashier(o.OperatorID, o.OperatorName).Voids += o.Total
		}
	}
	for _, st := range schemes {
		r.Schemes = append(r.Schemes, *st)
	}
	sort.Slice(r.Schemes, func(i, j int) bool {
		a, b := r.Schemes[i], r.Schemes[j]
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		if ra, rb := reportTenderRank(a.Tender), reportTenderRank(b.Tender); ra != rb {
			return ra < rb
		}
		return a.Scheme < b.Scheme
	})
	for _, c := range cashiers {
		r.Cashiers = append(r.Cashiers, *c)
	}
	sort.Slice(r.Cashiers, func(i, j int) bool {
		a, b := r.Cashiers[i], r.Cashiers[j]
		if a.NetSales != b.NetSales {
			return a.NetSales > b.NetSales
		}
		return a.OperatorID < b.OperatorID
	})
}
