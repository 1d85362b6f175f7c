package models

import "testing"

func TestTotalsByTender(t *testing.T) {
	pay := func(tender Tender, amt int64, st PaymentStatus) Payment {
		return Payment{Tender: tender, Amount: amt, Status: st}
	}
	orders := []Order{
		{Status: OrderPaid, Payments: []Payment{pay(TenderQR, 500, PaymentApproved)}},
		{Status: OrderPaid, Payments: []Payment{pay(TenderCash, 350, PaymentApproved), pay(TenderCard, 1000, PaymentApproved)}},
		{Status: OrderPaid, Payments: []Payment{pay(TenderCash, 200, PaymentApproved)}},
		{Status: OrderPaid, Payments: []Payment{pay(TenderCard, 900, PaymentOfflineApproved)}},
		{Status: OrderPaid, Payments: []Payment{pay(TenderCard, 700, PaymentDeclined)}},
		{Status: OrderVoided, Payments: []Payment{pay(TenderCash, 9999, PaymentApproved)}},
	}
	got := TotalsByTender(orders)
	want := []TenderTotal{{TenderCash, 2, 550}, {TenderCard, 2, 1900}, {TenderQR, 1, 500}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
