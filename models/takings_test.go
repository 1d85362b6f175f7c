package models

import (
	"testing"
	"time"
)

// TestTakingsDateEachPaymentAndKeepStoredValueApart: a hand-computed day.
// Yesterday a ¥7.00 cash sale; today ¥3.00 of it refunded in cash, a
// ¥200.00 top-up in cash, a ¥3.50 sale paid from that balance, a ¥7.00
// card sale, and a ¥3.50 cash sale voided. Yesterday keeps its ¥7.00;
// today took ¥200.00 − ¥3.00 in cash and ¥7.00 by card, of which ¥200.00
// is the top-up; ¥3.50 was spent from balances; net sales ¥7.50.
func TestTakingsDateEachPaymentAndKeepStoredValueApart(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	now := time.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	yesterday := today.AddDate(0, 0, -1)

	old := colaOrder(t, s, 2) // ¥7.00
	if err := s.CommitSale(bg, old, cashFor(old, old.Total), sc01); err != nil {
		t.Fatal(err)
	}
	at := yesterday.Add(20 * time.Hour)
	for _, q := range []string{"UPDATE orders SET created_at = ?, paid_at = ? WHERE id = ?", "UPDATE payments SET created_at = ?, created_at = ? WHERE order_id = ?"} {
		if err := s.db.Exec(q, at, at, old.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RefundOrder(bg, Undo{OrderID: old.ID, PaymentID: old.Payments[0].ID, Amount: 300, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	m := memberWith(t, s, 20000) // the top-up, in cash
	bal := colaOrder(t, s, 1)
	if err := s.PayFromBalance(bg, bal, m.ID, bal.Total, sc01); err != nil {
		t.Fatal(err)
	}
	card := colaOrder(t, s, 2)
	if err := s.CommitSale(bg, card, []Payment{{Tender: TenderCard, Status: PaymentApproved, Amount: card.Total, Tendered: card.Total}}, sc01); err != nil {
		t.Fatal(err)
	}
	voided := colaOrder(t, s, 1)
	if err := s.CommitSale(bg, voided, cashFor(voided, voided.Total), sc01); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: voided.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}

	day, err := s.TakingsBetween(bg, "T01", today, today.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(day.Tenders) != 2 || day.Tenders[0] != (TenderTotal{TenderCash, 1, 19700}) || day.Tenders[1] != (TenderTotal{TenderCard, 1, 700}) {
		t.Fatalf("today by tender: %+v", day.Tenders)
	}
	if n, sum := day.Taken(); n != 2 || sum != 20400 {
		t.Fatalf("taken today: %d payments, %d", n, sum)
	}
	if day.TopUps.Amount != 20000 || day.TopUps.Count != 1 || day.BalanceSpent.Amount != 350 || day.BalanceSpent.Count != 1 {
		t.Fatalf("stored value: top-ups %+v, balance spent %+v", day.TopUps, day.BalanceSpent)
	}
	if got := day.NetSales(); got != 750 {
		t.Fatalf("net sales %d, want 750", got)
	}
	before, err := s.TakingsBetween(bg, "T01", yesterday, today)
	if err != nil || len(before.Tenders) != 1 || before.Tenders[0] != (TenderTotal{TenderCash, 1, 700}) || before.NetSales() != 700 {
		t.Fatalf("yesterday: %+v %v", before, err)
	}
	if other, err := s.TakingsBetween(bg, "T02", yesterday, today.AddDate(0, 0, 1)); err != nil || len(other.Tenders) != 0 {
		t.Fatalf("another terminal's takings: %+v %v", other, err)
	}
}
