package models

import (
	"errors"
	"testing"
)

var sc01 = SaleContext{TerminalID: "T01", Operator: cashier}

func balanceOf(t *testing.T, s *Store, id uint) int64 {
	t.Helper()
	m, err := s.MemberByID(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	return m.Balance
}

// memberWith adds a member and tops their balance up by cash.
func memberWith(t *testing.T, s *Store, balance int64) Member {
	t.Helper()
	m, err := s.AddMember(bg, "张伟", "138 0013 5678", cashier, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if balance > 0 {
		o, err := NewTopUpOrder(CNY, m, balance)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CommitSale(bg, o, cashFor(o, balance), sc01); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13800135678": "138****5678", "+86 138-0013-5678": "138****5678"} {
		if got, err := MaskPhone(in); err != nil || got != want {
			t.Errorf("MaskPhone(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "1380013567", "23800135678", "1380013567x", "138001356789"} {
		if _, err := MaskPhone(bad); errorKey(err) != "error.member.phone" {
			t.Errorf("MaskPhone(%q): %v", bad, err)
		}
	}
}

func TestMemberMaskedForReceipts(t *testing.T) {
	for name, want := range map[string]string{"王芳": "王*", "欧阳娜娜": "欧*", "Alice Wang": "A*", " 李 ": "李*", "": "", "-": ""} {
		if got := MaskName(name); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", name, got, want)
		}
	}
	for m, want := range map[Member]string{
		{Name: "张伟", Phone: "138****5678"}: "张* 138****5678",
		{Name: "-", Phone: "-"}:            "",
		{Name: "张伟"}:                       "张*",
	} {
		if got := m.Masked(); got != want {
			t.Errorf("%+v.Masked() = %q, want %q", m, got, want)
		}
	}
}

// A balance payment keeps the member, masked, and the balance left just
// after it, so a reprint says the same after the balance has moved on;
// ending the membership erases the member from it.
func TestBalancePaymentKeepsMemberAndBalanceLeft(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 2000)
	first := colaOrder(t, s, 2)
	if err := s.PayFromBalance(bg, first, m.ID, first.Total, sc01); err != nil {
		t.Fatal(err)
	}
	left := 2000 - first.Total
	check := func(o *Order, want int64) {
		t.Helper()
		p := o.Payments[0]
		if p.MemberMasked != "张* 138****5678" || p.BalanceLeft == nil || *p.BalanceLeft != want {
			t.Fatalf("payment %+v, balance left %v, want %d", p, p.BalanceLeft, want)
		}
	}
	check(first, left)
	second := colaOrder(t, s, 1)
	if err := s.PayFromBalance(bg, second, m.ID, 100, sc01); err != nil { // part of it
		t.Fatal(err)
	}
	check(second, left-100)
	stored, err := s.OrderByID(bg, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	check(stored, left)
	// Other payments have no balance left.
	due := second.Due()
	if err := s.CommitSale(bg, second, []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: due, Tendered: due}}, sc01); err != nil {
		t.Fatal(err)
	}
	for _, p := range second.Payments {
		if p.Tender == TenderCash && (p.BalanceLeft != nil || p.MemberMasked != "") {
			t.Fatalf("cash payment %+v", p)
		}
	}
	// The membership ends: the receipts no longer name the member.
	for _, o := range []*Order{first, second} {
		if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager}); err != nil {
			t.Fatal(err)
		}
	}
	// (The top-up spent elsewhere, as far as this test cares.)
	if err := s.db.Exec("UPDATE members SET balance = 0 WHERE id = ?", m.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveMember(bg, m.ID, manager, "T01"); err != nil {
		t.Fatal(err)
	}
	if stored, _ = s.OrderByID(bg, first.ID); stored.Payments[0].MemberMasked != "" || *stored.Payments[0].BalanceLeft != left {
		t.Fatalf("after the membership ended: %+v", stored.Payments[0])
	}
}

func TestMemberKeepsOnlyTheMaskedPhone(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 0)
	if m.Phone != "138****5678" {
		t.Fatalf("phone %q", m.Phone)
	}
	var n int64
	s.db.Raw("SELECT count(*) FROM members WHERE phone LIKE '%00135678%'").Scan(&n)
	if n != 0 {
		t.Fatal("the full phone number was stored")
	}
	if ms, err := s.Members(bg, "5678"); err != nil || len(ms) != 1 || ms[0].ID != m.ID {
		t.Fatalf("find by phone: %v %v", ms, err)
	}
	if _, err := s.AddMember(bg, " ", "13800135678", cashier, "T01"); errorKey(err) != "error.member.name" {
		t.Fatalf("empty name: %v", err)
	}
}

func TestTopUpCreditsTheBalanceWhenPaid(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 20000)
	if b := balanceOf(t, s, m.ID); b != 20000 {
		t.Fatalf("balance %d", b)
	}
	es, _ := s.MemberEntries(bg, m.ID)
	if len(es) != 1 || es[0].Kind != "topup" || es[0].Amount != 20000 || es[0].Balance != 20000 || es[0].OrderID == 0 {
		t.Fatalf("entries %+v", es)
	}
	// A top-up paid by card credits only on the bank's approval.
	o, _ := NewTopUpOrder(CNY, m, 5000)
	p, r := startCard(t, s, o)
	if b := balanceOf(t, s, m.ID); b != 20000 {
		t.Fatalf("credited before approval: %d", b)
	}
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000042", AuthCode: "123456"}); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, s, m.ID); b != 25000 || paymentByKey(t, s, p.Key).Status != PaymentApproved {
		t.Fatalf("after approval: %d", b)
	}
	// A top-up cannot be paid from a balance.
	o2, _ := NewTopUpOrder(CNY, m, 100)
	if err := s.PayFromBalance(bg, o2, m.ID, 100, sc01); errorKey(err) != "error.member.topup_by_balance" {
		t.Fatalf("top-up from balance: %v", err)
	}
}

func TestPayFromBalanceWhole(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 20000)
	stock := stockOf(t, s, "6901234567892")
	o := colaOrder(t, s, 2)
	if err := s.PayFromBalance(bg, o, m.ID, o.Total, sc01); err != nil {
		t.Fatal(err)
	}
	if o.Status != OrderPaid || len(o.Payments) != 1 || o.Payments[0].Tender != TenderFingerprint || o.Payments[0].MemberID != m.ID {
		t.Fatalf("order %s payments %+v", o.Status, o.Payments)
	}
	if b := balanceOf(t, s, m.ID); b != 20000-o.Total {
		t.Fatalf("balance %d", b)
	}
	if got := stockOf(t, s, "6901234567892"); got != stock-Units(2) {
		t.Fatalf("stock %v", got)
	}
	// Void gives the money back to the balance.
	if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, s, m.ID); b != 20000 {
		t.Fatalf("after void: %d", b)
	}
}

func TestShortBalanceChangesNothing(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 100)
	o := colaOrder(t, s, 2)
	orders := count(t, s, &Order{})
	err := s.PayFromBalance(bg, o, m.ID, o.Total, sc01)
	if errorKey(err) != "error.member.short" {
		t.Fatalf("short balance: %v", err)
	}
	if o.ID != 0 || count(t, s, &Order{}) != orders || balanceOf(t, s, m.ID) != 100 {
		t.Fatal("a refused balance payment stored something")
	}
}

func TestPartialBalanceThenCash(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 100)
	o := colaOrder(t, s, 2)
	total := o.Total
	if err := s.PayFromBalance(bg, o, m.ID, 100, sc01); err != nil {
		t.Fatal(err)
	}
	if o.Status != OrderAwaiting || o.Due() != total-100 || balanceOf(t, s, m.ID) != 0 {
		t.Fatalf("partial: %s due %d", o.Status, o.Due())
	}
	// Cash for the whole total is refused; for what is due it completes.
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), sc01); errorKey(err) != "error.sale.paid_mismatch" {
		t.Fatalf("cash for the whole total: %v", err)
	}
	cash := []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: o.Due(), Tendered: 1000, Change: 1000 - o.Due()}}
	if err := s.CommitSale(bg, o, cash, sc01); err != nil {
		t.Fatal(err)
	}
	if o.Status != OrderPaid || len(o.Payments) != 2 || o.Due() != 0 {
		t.Fatalf("after cash: %s %+v", o.Status, o.Payments)
	}
	// Each payment was queued once for the acquirer.
	if n := count(t, s, &OutboxEntry{}); n != 3 { // the top-up, the balance, the cash
		t.Fatalf("%d outbox entries", n)
	}
	// A refund of the balance part goes back to the balance.
	var bal Payment
	for _, p := range o.Payments {
		if p.Tender == TenderFingerprint {
			bal = p
		}
	}
	if _, err := s.RefundOrder(bg, Undo{OrderID: o.ID, PaymentID: bal.ID, Amount: 60, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, s, m.ID); b != 60 {
		t.Fatalf("after refund: %d", b)
	}
}

func TestPartialBalanceThenCardAndCancel(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 300)
	o := colaOrder(t, s, 2)
	if err := s.PayFromBalance(bg, o, m.ID, 300, sc01); err != nil {
		t.Fatal(err)
	}
	// The card is asked for what is due, not the total.
	if _, err := s.StartPayment(bg, o, Payment{Tender: TenderCard, Amount: o.Total}, sc01); errorKey(err) != "error.sale.paid_mismatch" {
		t.Fatalf("card for the total: %v", err)
	}
	p, err := s.StartPayment(bg, o, Payment{Tender: TenderCard, Amount: o.Due()}, sc01)
	if err != nil {
		t.Fatal(err)
	}
	r := &HostRequest{TerminalID: "T01", Key: p.Key, MTI: "0200", ProcCode: "000000", Amount: p.Amount, Currency: CNY}
	if err := s.RecordRequest(bg, r); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "51", RRN: "000000000043"}); err != nil {
		t.Fatal(err)
	}
	// Declined, the customer leaves: the balance comes back.
	if err := s.CancelAwaiting(bg, o.ID, cashier); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, s, m.ID); b != 300 {
		t.Fatalf("after cancel: %d", b)
	}
	got, _ := s.OrderByID(bg, o.ID)
	if got.Status != OrderCancelled {
		t.Fatalf("order %s", got.Status)
	}
}

func TestVoidOfASpentTopUpIsRefused(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m, _ := s.AddMember(bg, "李娜", "13900001111", cashier, "T01")
	top, _ := NewTopUpOrder(CNY, m, 500)
	if err := s.CommitSale(bg, top, cashFor(top, 500), sc01); err != nil {
		t.Fatal(err)
	}
	o := colaOrder(t, s, 1)
	if err := s.PayFromBalance(bg, o, m.ID, o.Total, sc01); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: top.ID, Manager: manager}); errorKey(err) != "error.topup.spent" {
		t.Fatalf("void of a spent top-up: %v", err)
	}
	if b := balanceOf(t, s, m.ID); b != 500-o.Total {
		t.Fatalf("balance %d", b)
	}
	// Removing a member with money left is refused; at zero it erases them
	// and their fingerprints.
	if _, err := s.RemoveMember(bg, m.ID, manager, "T01"); errorKey(err) != "error.member.has_balance" {
		t.Fatalf("remove with balance: %v", err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: top.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFingerprint(bg, &Fingerprint{OwnerKind: "member", OwnerID: m.ID, PageID: 7, Sealed: []byte{1},
		ConsentBy: m.Name, Purpose: "member payments"}, "T01"); err != nil {
		t.Fatal(err)
	}
	pages, err := s.RemoveMember(bg, m.ID, manager, "T01")
	if err != nil || len(pages) != 1 || pages[0] != 7 {
		t.Fatalf("remove: %v %v", pages, err)
	}
	if ms, _ := s.Members(bg, "-"); len(ms) != 0 { // the search keeps to active members
		t.Fatalf("a removed member is found: %v", ms)
	}
	if ms, _ := s.Members(bg, ""); len(ms) != 0 || count(t, s, &Fingerprint{}) != 0 {
		t.Fatalf("after removal: %v", ms)
	}
}

func TestLinkCard(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	a := memberWith(t, s, 0)
	b, _ := s.AddMember(bg, "李娜", "13900001111", cashier, "T01")
	if err := s.LinkCard(bg, a.ID, "tok", manager, "T01"); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MemberByCardToken(bg, "tok"); err != nil || m.ID != a.ID {
		t.Fatalf("by token: %+v %v", m, err)
	}
	// The card moves to whoever links it last.
	if err := s.LinkCard(bg, b.ID, "tok", manager, "T01"); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.MemberByCardToken(bg, "tok"); m.ID != b.ID {
		t.Fatalf("card still with %d", m.ID)
	}
	if _, err := s.MemberByCardToken(bg, "other"); errorKey(err) != "error.member.card_not_linked" {
		t.Fatalf("unknown card: %v", err)
	}
}

// errorKey is the translation key of err, "" when it has none.
func errorKey(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestOpeningBalanceOnlyOnce(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 0)
	if err := s.OpeningBalance(bg, m.ID, 5000, manager, "T01"); err != nil {
		t.Fatal(err)
	}
	if err := s.OpeningBalance(bg, m.ID, 5000, manager, "T01"); errorKey(err) != "error.member.opening" {
		t.Fatalf("second opening balance: %v", err)
	}
	if b := balanceOf(t, s, m.ID); b != 5000 {
		t.Fatalf("balance %d", b)
	}
}
