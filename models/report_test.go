package models

import (
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
}
