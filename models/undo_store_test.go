package models

import "testing"

// A member's top-up paid by card whose balance has been spent since: the
// checks the services ask before the bank refuse its void and its refund,
// and the store step that applies the bank's approval asks the same rule.
func TestSpentCardTopUpRefusedBeforeTheBankAndAfter(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m, err := s.AddMember(bg, "李娜", "13900001111", manager, "T01")
	if err != nil {
		t.Fatal(err)
	}
	top, err := NewTopUpOrder(CNY, m, 5000)
	if err != nil {
		t.Fatal(err)
	}
	p, r := startCard(t, s, top)
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000070", AuthCode: "700000"}); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, s, m.ID); b != 5000 {
		t.Fatalf("balance after the top-up: %d", b)
	}
	sale := colaOrder(t, s, 1)
	if err := s.PayFromBalance(bg, sale, m.ID, sale.Total, sc01); err != nil {
		t.Fatal(err)
	}
	left := 5000 - sale.Total

	if _, err := s.CheckVoid(bg, top.ID, manager); errKey(err) != "error.topup.spent" {
		t.Fatalf("void of the spent top-up: %v", err)
	}
	if _, _, err := s.CheckRefund(bg, top.ID, 5000, manager); errKey(err) != "error.topup.spent" {
		t.Fatalf("refund of the spent top-up: %v", err)
	}
	if _, _, err := s.CheckRefund(bg, top.ID, left+1, manager); errKey(err) != "error.topup.spent" {
		t.Fatalf("refund of more than is left: %v", err)
	}
	o, shares, err := s.CheckRefund(bg, top.ID, left, manager)
	if err != nil || len(shares) != 1 || shares[0].Payment.ID != p.ID || shares[0].Amount != left || o.ID != top.ID {
		t.Fatalf("refund of what is left: %+v %v", shares, err)
	}
	// Who may not refund is refused first.
	if _, _, err := s.CheckRefund(bg, top.ID, left, cashier); !IsDenied(err) {
		t.Fatalf("refund checked for a cashier: %v", err)
	}

	// Had the bank been asked and approved, its answer is refused by the
	// same rule, and the top-up stays as it was.
	key, _ := s.UndoKey(bg, top, 'R')
	refund := &HostRequest{TerminalID: "T01", Key: key, Original: p.Key, MTI: "0200", ProcCode: "200000", Amount: 5000, Currency: CNY}
	if err := s.RecordRequest(bg, refund); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAnswer(bg, refund.ID, HostAnswer{Code: "00", RRN: "000000000071"}); errKey(err) != "error.topup.spent" {
		t.Fatalf("the store step of the refund: %v", err)
	}
	if got, _ := s.OrderByID(bg, top.ID); got.Status != OrderPaid || got.Refunded != 0 {
		t.Fatalf("top-up after the refused step: %s refunded %d", got.Status, got.Refunded)
	}
	if b := balanceOf(t, s, m.ID); b != left {
		t.Fatalf("balance after the refused step: %d, want %d", b, left)
	}
}

// RefundOrder shares a refund out by RefundShares when no payment is
// named: the member's balance before cash, in one transaction.
func TestRefundOrderSharesBalanceThenCash(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 300)
	o := colaOrder(t, s, 2) // ¥7.00
	if err := s.PayFromBalance(bg, o, m.ID, 300, sc01); err != nil {
		t.Fatal(err)
	}
	cash := []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: o.Due(), Tendered: o.Due()}}
	if err := s.CommitSale(bg, o, cash, sc01); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, s, m.ID); b != 0 {
		t.Fatalf("balance after paying: %d", b)
	}
	if _, err := s.RefundOrder(bg, Undo{OrderID: o.ID, Amount: 701, Manager: manager}); errKey(err) != "error.refund.amount" {
		t.Fatalf("refund above the order: %v", err)
	}
	got, err := s.RefundOrder(bg, Undo{OrderID: o.ID, Amount: 500, Manager: manager})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != OrderRefunded || got.Refunded != 500 {
		t.Fatalf("refunded: %s %d", got.Status, got.Refunded)
	}
	if b := balanceOf(t, s, m.ID); b != 300 {
		t.Fatalf("balance after the refund: %d, want all 300 back", b)
	}
	var toCash, toBalance int64
	keys := map[string]bool{}
	for _, p := range got.Payments {
		if p.OriginalID == 0 {
			continue
		}
		keys[p.Key] = true
		switch p.Tender {
		case TenderCash:
			toCash -= p.Amount
		case TenderFingerprint:
			toBalance -= p.Amount
		}
	}
	if toBalance != 300 || toCash != 200 || len(keys) != 2 || !keys[o.Number+"-R1"] || !keys[o.Number+"-R2"] {
		t.Fatalf("given back: %d to the balance, %d in cash, keys %v", toBalance, toCash, keys)
	}
	// A cashier may not, even for what is left.
	if _, err := s.RefundOrder(bg, Undo{OrderID: o.ID, Amount: 200, Manager: cashier}); errKey(err) != ErrManagerNeeded.Key {
		t.Fatalf("refund by a cashier: %v", err)
	}
	if got, err = s.RefundOrder(bg, Undo{OrderID: o.ID, Amount: 200, Manager: manager}); err != nil || got.Refunded != 700 {
		t.Fatalf("refund of the rest: %v, refunded %d", err, got.Refunded)
	}
}
