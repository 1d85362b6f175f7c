package models

import "testing"

func TestRulesOwnedHere(t *testing.T) {
	paid := &Order{Number: "T01-1", Status: OrderPaid, Total: 1000, Batch: 3,
		Payments: []Payment{{ID: 1, Status: PaymentApproved, Amount: 600}, {ID: 2, Status: PaymentApproved, Amount: 400}}}
	if CanVoid(paid, 3) != nil || CanVoid(paid, 0) != nil || errKey(CanVoid(paid, 4)) != "error.void.closed_batch" {
		t.Fatal("void of a paid order in and out of its batch")
	}
	refunded := *paid
	refunded.Status, refunded.Refunded = OrderRefunded, 100
	refunded.Payments = append([]Payment{{ID: 1, Status: PaymentRefunded, Amount: 600}}, paid.Payments[1],
		Payment{ID: 3, OriginalID: 1, Status: PaymentApproved, Amount: -100})
	if errKey(CanVoid(&refunded, 3)) != "error.void.not_paid" || Refundable(&refunded) != 900 {
		t.Fatalf("a refunded order: void %v, refundable %d", CanVoid(&refunded, 3), Refundable(&refunded))
	}
	if got := PaymentRefundable(&refunded, refunded.Payments[0]); got != 500 {
		t.Fatalf("left on payment 1: %d", got)
	}
	if errKey(CanRefund(&refunded, 501, 500)) != "error.refund.amount" || CanRefund(&refunded, 500, 500) != nil ||
		errKey(CanRefund(&refunded, 0, 500)) != "error.refund.amount" {
		t.Fatal("refund bounds")
	}
	awaiting := &Order{Status: OrderAwaiting, Total: 1000}
	if Refundable(awaiting) != 0 || errKey(CanRefund(awaiting, 100, 1000)) != "error.refund.not_paid" {
		t.Fatal("an order not paid is refundable")
	}
	for st, taken := range map[PaymentStatus]bool{PaymentApproved: true, PaymentOfflineApproved: true, PaymentAdvised: true,
		PaymentRefunded: true, PaymentPending: false, PaymentDeclined: false, PaymentVoided: false, PaymentReversed: false, PaymentFailed: false} {
		if st.Taken() != taken {
			t.Errorf("%s taken: %v", st, st.Taken())
		}
	}
	for text, ok := range map[string]bool{"0": true, "1440": true, "1441": false, "-1": false, "x": false} {
		if _, err := ParseAutoLock(text); (err == nil) != ok {
			t.Errorf("auto-lock %q: %v", text, err)
		}
	}
	if ParseDiscountLimit("1500") != 1500 || ParseDiscountLimit("10001") != DefaultDiscountLimit || CheckDiscountLimit(-1) == nil {
		t.Error("discount limit range")
	}
	for text, ok := range map[string]bool{"5": true, "500": true, "4": false, "501": false, "": false} {
		if _, err := ParseScanGap(text); (err == nil) != ok {
			t.Errorf("scan gap %q: %v", text, err)
		}
	}
	if CheckScanSuffix(ScanSuffixTab) != nil || CheckScanSuffix("space") == nil {
		t.Error("scan suffix")
	}
}

func TestRulesGiveTheirReason(t *testing.T) {
	voided := &Order{Number: "T01-2", Status: OrderVoided, Total: 500, Batch: 1}
	if errKey(CanVoid(voided, 1)) != "error.void.already" || errKey(CanRefund(voided, 0, 0)) != "error.refund.voided" {
		t.Fatalf("a voided order: void %v, refund %v", CanVoid(voided, 1), CanRefund(voided, 0, 0))
	}
	settled := &Order{Number: "T01-3", Status: OrderPaid, Total: 500, Batch: 1}
	err := CanVoid(settled, 2)
	if errKey(err) != "error.void.closed_batch" || err.(*Error).Args["Number"] != "T01-3" {
		t.Fatalf("a settled order's void: %v", err)
	}
	if left := Refundable(settled); CanRefund(settled, left, left) != nil {
		t.Fatal("a settled order cannot be refunded")
	}
	full := &Order{Number: "T01-4", Status: OrderRefunded, Total: 500, Refunded: 500}
	if errKey(CanRefund(full, 0, Refundable(full))) != "error.refund.nothing_left" {
		t.Fatalf("a refunded order: %v", CanRefund(full, 0, 0))
	}
	for st, ok := range map[OrderStatus]bool{OrderPaid: true, OrderRefunded: true, OrderVoided: true,
		OrderAwaiting: false, OrderCancelled: false} {
		if err := CanReprint(&Order{Status: st}); (err == nil) != ok || (!ok && errKey(err) != "error.reprint.not_paid") {
			t.Errorf("reprint of a %s order: %v", st, err)
		}
	}
}
