package models

import (
	"reflect"
	"testing"
)

// paidOrder is an order of total, paid (or in status) by pays.
func paidOrder(status OrderStatus, total, refunded int64, pays ...Payment) *Order {
	return &Order{Number: "T01-00000009", Status: status, Total: total, Refunded: refunded, Payments: pays}
}

func TestRefundShares(t *testing.T) {
	card := Payment{ID: 1, Tender: TenderCard, Status: PaymentApproved, Amount: 400, Key: "T01-9-P2"}
	qr := Payment{ID: 2, Tender: TenderQR, Status: PaymentAdvised, Amount: 200, Key: "T01-9-P3"}
	bal := Payment{ID: 3, Tender: TenderFingerprint, Status: PaymentApproved, Amount: 300, MemberID: 7}
	cash := Payment{ID: 4, Tender: TenderCash, Status: PaymentApproved, Amount: 100, Tendered: 200, Change: 100}
	refundedCard := card
	refundedCard.Status = PaymentRefunded
	cardBack := Payment{ID: 5, Tender: TenderCard, Status: PaymentApproved, Amount: -150, Key: "T01-9-R1", OriginalID: 1}
	declined := Payment{ID: 6, Tender: TenderCard, Status: PaymentDeclined, Amount: 700, Key: "T01-9-P1"}
	unhosted := Payment{ID: 8, Tender: TenderCard, Status: PaymentApproved, Amount: 50} // no key: not Till's to give back

	type share struct {
		id     uint
		amount int64
	}
	for name, c := range map[string]struct {
		o      *Order
		amount int64
		want   []share
		err    string
		left   int64
	}{
		"card alone, part":          {o: paidOrder(OrderPaid, 400, 0, card), amount: 250, want: []share{{1, 250}}, left: 400},
		"card alone, whole":         {o: paidOrder(OrderPaid, 400, 0, card), amount: 400, want: []share{{1, 400}}, left: 400},
		"card alone, more":          {o: paidOrder(OrderPaid, 400, 0, card), amount: 401, err: "error.refund.amount", left: 400},
		"balance alone":             {o: paidOrder(OrderPaid, 300, 0, bal), amount: 300, want: []share{{3, 300}}, left: 300},
		"card before cash":          {o: paidOrder(OrderPaid, 500, 0, cash, card), amount: 450, want: []share{{1, 400}, {4, 50}}, left: 500},
		"card only if it is enough": {o: paidOrder(OrderPaid, 500, 0, cash, card), amount: 400, want: []share{{1, 400}}, left: 500},
		"host, balance, then cash": {o: paidOrder(OrderPaid, 1000, 0, bal, cash, card, qr), amount: 1000,
			want: []share{{2, 200}, {1, 400}, {3, 300}, {4, 100}}, left: 1000},
		"latest host payment first": {o: paidOrder(OrderPaid, 600, 0, card, qr), amount: 300,
			want: []share{{2, 200}, {1, 100}}, left: 600},
		"balance before cash": {o: paidOrder(OrderPaid, 400, 0, cash, bal), amount: 350,
			want: []share{{3, 300}, {4, 50}}, left: 400},
		"what a card gave back already is not given again": {o: paidOrder(OrderRefunded, 500, 150, refundedCard, cardBack, cash),
			amount: 300, want: []share{{1, 250}, {4, 50}}, left: 350},
		"above what is left after a refund": {o: paidOrder(OrderRefunded, 500, 150, refundedCard, cardBack, cash),
			amount: 351, err: "error.refund.amount", left: 350},
		"a declined card gives nothing back": {o: paidOrder(OrderPaid, 700, 0, declined, bal, cash), amount: 350,
			want: []share{{3, 300}, {4, 50}}, left: 400},
		"a card without the host's key is not given back": {o: paidOrder(OrderPaid, 150, 0, unhosted, cash), amount: 101,
			err: "error.refund.amount", left: 100},
		"nothing":           {o: paidOrder(OrderPaid, 400, 0, card), amount: 0, err: "error.refund.amount", left: 400},
		"less than nothing": {o: paidOrder(OrderPaid, 400, 0, card), amount: -5, err: "error.refund.amount", left: 400},
		"not paid":          {o: paidOrder(OrderAwaiting, 400, 0, bal), amount: 100, err: "error.refund.not_paid"},
		"voided":            {o: paidOrder(OrderVoided, 400, 0), amount: 100, err: "error.refund.voided"},
		"refunded in full":  {o: paidOrder(OrderRefunded, 400, 400, refundedCard), amount: 1, err: "error.refund.nothing_left"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := RefundLeft(c.o); got != c.left {
				t.Errorf("RefundLeft = %d, want %d", got, c.left)
			}
			shares, err := RefundShares(c.o, c.amount)
			if errKey(err) != c.err {
				t.Fatalf("error %v, want %q", err, c.err)
			}
			var got []share
			var sum int64
			for _, s := range shares {
				got = append(got, share{s.Payment.ID, s.Amount})
				sum += s.Amount
				if s.Amount <= 0 || s.Amount > PaymentRefundable(c.o, s.Payment) {
					t.Errorf("share %+v beyond what payment %d can give back", s.Amount, s.Payment.ID)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("shares %v, want %v", got, c.want)
			}
			if err == nil && sum != c.amount {
				t.Fatalf("shares sum to %d, not %d", sum, c.amount)
			}
		})
	}
}

func TestTopUpTakenBackOnlyWhileTheBalanceHoldsIt(t *testing.T) {
	top := &Order{Number: "T01-00000003", Status: OrderPaid, Total: 5000, TopUpMemberID: 7,
		Payments: []Payment{{ID: 1, Tender: TenderCard, Status: PaymentApproved, Amount: 5000, Key: "T01-3-P1"}}}
	m := Member{ID: 7, Name: "李娜", Balance: 5000, Active: true}
	if err := CanTakeBackTopUp(top, m, 5000); err != nil {
		t.Fatalf("an unspent top-up: %v", err)
	}
	m.Balance = 4650
	if err := CanTakeBackTopUp(top, m, 5000); errKey(err) != "error.topup.spent" {
		t.Fatalf("a spent top-up: %v", err)
	}
	if err := CanTakeBackTopUp(top, m, 4650); err != nil {
		t.Fatalf("what is left of a spent top-up: %v", err)
	}
	if err := VoidRules(top, 0, m); errKey(err) != "error.topup.spent" {
		t.Fatalf("void of a spent top-up: %v", err)
	}
	if _, err := RefundRules(top, 4651, m); errKey(err) != "error.topup.spent" {
		t.Fatalf("refund of more than is left of a top-up: %v", err)
	}
	if shares, err := RefundRules(top, 4650, m); err != nil || len(shares) != 1 || shares[0].Amount != 4650 {
		t.Fatalf("refund of what is left of a top-up: %+v %v", shares, err)
	}
	ended := Member{ID: 7, Name: "-"}
	if err := CanTakeBackTopUp(top, ended, 1); errKey(err) != "error.topup.ended" {
		t.Fatalf("a top-up of an ended membership: %v", err)
	}
	// An order that is no top-up passes whatever the member.
	sale := &Order{Status: OrderPaid, Total: 700}
	if err := CanTakeBackTopUp(sale, Member{}, 700); err != nil {
		t.Fatalf("a sale: %v", err)
	}
}
