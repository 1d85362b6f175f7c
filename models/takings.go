package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Takings is what a terminal took in a period, each payment dated when it
// was taken (a refund when the money was given back, whatever day the sale
// was), with stored value kept apart.
type Takings struct {
	// Tenders is the money into (and, for refunds, out of) the till by
	// tender: cash, card, QR, net of refunds, in that order. It includes
	// the money of members' top-ups: it is in the drawer or the bank.
	Tenders []TenderTotal
	// TopUps is the part of Tenders that members paid onto their balance:
	// a liability to them, not sales.
	TopUps TenderTotal
	// BalanceSpent is what members paid from their balance: sales, but
	// money taken before, at their top-up, so not takings again.
	BalanceSpent TenderTotal
}

// Taken is the sum of Tenders and how many payments it counts.
func (t Takings) Taken() (count int, amount int64) {
	for _, x := range t.Tenders {
		count += x.Count
		amount += x.Amount
	}
	return count, amount
}

// NetSales is the period's sales: the money taken, less the top-ups sold,
// plus what balances paid.
func (t Takings) NetSales() int64 {
	_, taken := t.Taken()
	return taken - t.TopUps.Amount + t.BalanceSpent.Amount
}

// SalePayments is how many payments of sales the takings count: the
// payments taken (Taken) less those of top-ups, plus those from members'
// balances.
func (t Takings) SalePayments() int {
	n, _ := t.Taken()
	return n - t.TopUps.Count + t.BalanceSpent.Count
}

// TakingRow is one group of payments as TakingsBetween sums them.
type TakingRow struct {
	Tender Tender
	TopUp  bool // paid for a member's top-up
	Count  int  // payments in (a refund is not counted)
	Amount int64
}

// SumTakings is the Takings of rows: the rule of what is takings, what is
// a top-up and what is balance spent lives here alone.
func SumTakings(rows []TakingRow) Takings {
	t := Takings{TopUps: TenderTotal{Tender: "top_up"}, BalanceSpent: TenderTotal{Tender: TenderFingerprint}}
	by := map[Tender]*TenderTotal{}
	for _, r := range rows {
		if r.Tender == TenderFingerprint {
			t.BalanceSpent.Count += r.Count
			t.BalanceSpent.Amount += r.Amount
			continue
		}
		if r.TopUp {
			t.TopUps.Count += r.Count
			t.TopUps.Amount += r.Amount
		}
		x := by[r.Tender]
		if x == nil {
			x = &TenderTotal{Tender: r.Tender}
			by[r.Tender] = x
		}
		x.Count += r.Count
		x.Amount += r.Amount
	}
	for _, x := range by {
		t.Tenders = append(t.Tenders, *x)
	}
	sortTenders(t.Tenders)
	return t
}

// TakingsBetween is what terminal terminalID took in [from, to): approved
// payments of paid (or refunded) orders, dated by the payment.
func (s *Store) TakingsBetween(ctx context.Context, terminalID string, from, to time.Time) (Takings, error) {
	var rows []TakingRow
	err := s.read(ctx, func(db *gorm.DB) error {
		where, args := takenPayments(terminalID, from, to)
		return db.Select(`payments.tender AS tender, orders.top_up_member_id <> 0 AS top_up,
				`+takenCount+` AS count, SUM(payments.amount) AS amount`).
			Table(takenFrom).Where(where, args...).
			Group("payments.tender, orders.top_up_member_id <> 0").Scan(&rows).Error
	})
	if err != nil {
		return Takings{}, fmt.Errorf("store: takings of %s: %w", terminalID, err)
	}
	return SumTakings(rows), nil
}

// takenFrom and takenPayments are the payments TakingsBetween counts in
// [from, to), as a FROM and a WHERE clause: approved payments (and
// refunds) of the terminal's paid or refunded orders. Payments drive the
// join (CROSS JOIN keeps them the outer loop): the range's payments by
// their index, each one's order by its key; never the terminal's whole
// history. Reports read the same payments.
const takenFrom = "payments CROSS JOIN orders"

func takenPayments(terminalID string, from, to time.Time) (string, []any) {
	return "orders.id = payments.order_id AND orders.terminal_id = ? AND orders.status IN ? AND payments.status IN ? AND payments.created_at >= ? AND payments.created_at < ?",
		[]any{terminalID, []OrderStatus{OrderPaid, OrderRefunded}, takenStatuses, from, to}
}

// takenCount counts, among payments, those that took money in: a refund
// is not counted.
const takenCount = "SUM(CASE WHEN payments.amount > 0 THEN 1 ELSE 0 END)"

// takenStatuses are the payment statuses whose money was taken
// (PaymentStatus.Taken).
var takenStatuses = []PaymentStatus{PaymentApproved, PaymentOfflineApproved, PaymentAdvised, PaymentRefunded}
