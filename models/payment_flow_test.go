package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var manager = Operator{ID: 2, Name: "店长", Role: RoleManager, Active: true}

// colaOrder is an unsaved order of n colas.
func colaOrder(t *testing.T, s *Store, n int64) *Order {
	t.Helper()
	o := NewOrder(CNY, TaxInclusive)
	if _, err := o.AddProduct(product(t, s, "6901234567892"), Units(n)); err != nil {
		t.Fatal(err)
	}
	return o
}

// startCard stores o awaiting payment and journals its card request.
func startCard(t *testing.T, s *Store, o *Order) (Payment, *HostRequest) {
	t.Helper()
	p, err := s.StartPayment(bg, o, Payment{Tender: TenderCard, Amount: o.Total, MaskedPAN: "**** **** **** 1234"},
		SaleContext{TerminalID: "T01", Operator: cashier})
	if err != nil {
		t.Fatal(err)
	}
	r := &HostRequest{TerminalID: "T01", Key: p.Key, MTI: "0200", ProcCode: "000000", Amount: p.Amount, Currency: CNY}
	if err := s.RecordRequest(bg, r); err != nil {
		t.Fatal(err)
	}
	return p, r
}

func stockOf(t *testing.T, s *Store, code string) Quantity { return product(t, s, code).Stock }

func paymentByKey(t *testing.T, s *Store, key string) Payment {
	t.Helper()
	var p Payment
	if err := s.db.Where("key = ?", key).First(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCardApprovalCompletesOrderWithJournal(t *testing.T) {
	s := newTestStore(t)
	stock := stockOf(t, s, "6901234567892")
	o := colaOrder(t, s, 2)
	p, r := startCard(t, s, o)
	if o.Status != OrderAwaiting || p.Status != PaymentPending || p.Key != o.Number+"-P1" {
		t.Fatalf("started: order %s payment %s key %q", o.Status, p.Status, p.Key)
	}
	if got := stockOf(t, s, "6901234567892"); got != stock || count(t, s, &OutboxEntry{}) != 0 {
		t.Fatalf("awaiting order moved stock (%v→%v) or queued outbox", stock, got)
	}
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000042", AuthCode: "123456"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.OrderByID(bg, o.ID)
	if got.Status != OrderPaid || got.PaidAt == nil || got.Payments[0].Status != PaymentApproved || got.Payments[0].Reference != "000000000042" {
		t.Fatalf("after approval: %+v", got)
	}
	if stockOf(t, s, "6901234567892") != stock-Units(2) || count(t, s, &OutboxEntry{}) != 1 {
		t.Fatal("approval did not take stock or queue the payment")
	}
}

func TestCardDeclineLeavesOrderAwaitingForAnotherTender(t *testing.T) {
	s := newTestStore(t)
	o := colaOrder(t, s, 1)
	_, r := startCard(t, s, o)
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "51", RRN: "000000000043"}); err != nil {
		t.Fatal(err)
	}
	if p := paymentByKey(t, s, r.Key); p.Status != PaymentDeclined {
		t.Fatalf("declined payment is %s", p.Status)
	}
	// A second card attempt gets its own key; then cash completes the order.
	p2, r2 := startCard(t, s, o)
	if p2.Key != o.Number+"-P2" {
		t.Fatalf("second attempt key %q", p2.Key)
	}
	if err := s.RecordNotSent(bg, r2.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitSale(bg, o, cashFor(o, 1000), SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.OrderByID(bg, o.ID)
	if got.Status != OrderPaid || len(got.Payments) != 3 || got.Payments[1].Status != PaymentFailed {
		t.Fatalf("paid in cash after a decline: %+v", got)
	}
	if n := count(t, s, &Order{}); n != 1 {
		t.Fatalf("%d orders, want the one", n)
	}
}

func TestIllegalPaymentMoveRefusesTheJournalAnswerToo(t *testing.T) {
	s := newTestStore(t)
	o := colaOrder(t, s, 1)
	p, r := startCard(t, s, o)
	// The payment was given up (reversed) while its answer was still out.
	if err := s.db.Model(&Payment{}).Where("id = ?", p.ID).Update("status", PaymentReversed).Error; err != nil {
		t.Fatal(err)
	}
	err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000044", AuthCode: "1"})
	if ErrorCode(err) != ECONFLICT {
		t.Fatalf("answer to a reversed payment: %v", err)
	}
	got, _ := s.RequestByKey(bg, "T01", r.Key)
	if got.State != RequestSent {
		t.Fatalf("refused answer still moved the request to %s", got.State)
	}
	if o2, _ := s.OrderByID(bg, o.ID); o2.Status != OrderAwaiting {
		t.Fatalf("order %s", o2.Status)
	}
}

func TestReversedAndStrandedPaymentsAndCancel(t *testing.T) {
	s := newTestStore(t)
	o := colaOrder(t, s, 1)
	_, r := startCard(t, s, o)
	if err := s.RecordTimeout(bg, r.ID); err != nil {
		t.Fatal(err)
	}
	if p := paymentByKey(t, s, r.Key); p.Status != PaymentPending {
		t.Fatalf("timed-out payment is %s, want pending until reversed", p.Status)
	}
	if err := s.CancelAwaiting(bg, o.ID, cashier); ErrorCode(err) != ECONFLICT {
		t.Fatalf("cancel with a payment under way: %v", err)
	}
	if err := s.RecordReversed(bg, r.ID); err != nil {
		t.Fatal(err)
	}
	if p := paymentByKey(t, s, r.Key); p.Status != PaymentReversed {
		t.Fatalf("reversed payment is %s", p.Status)
	}
	// A payment started and never sent (the terminal stopped in between).
	p2, err := s.StartPayment(bg, o, Payment{Tender: TenderQR, Amount: o.Total}, SaleContext{TerminalID: "T01", Operator: cashier})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.FailStrandedPayments(bg); err != nil || n != 1 {
		t.Fatalf("stranded: %d %v", n, err)
	}
	if p := paymentByKey(t, s, p2.Key); p.Status != PaymentFailed {
		t.Fatalf("stranded payment is %s", p.Status)
	}
	if err := s.CancelAwaiting(bg, o.ID, cashier); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.OrderByID(bg, o.ID); got.Status != OrderCancelled {
		t.Fatalf("order %s", got.Status)
	}
}

func TestOfflineApprovalThenAdvice(t *testing.T) {
	s := newTestStore(t)
	o := colaOrder(t, s, 1)
	_, r := startCard(t, s, o)
	if err := s.RecordOffline(bg, r.ID, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := s.OrderByID(bg, o.ID)
	if got.Status != OrderPaid || got.Payments[0].Status != PaymentOfflineApproved {
		t.Fatalf("offline approval: %+v", got)
	}
	if err := s.RecordAdvised(bg, r.ID, "000000000050"); err != nil {
		t.Fatal(err)
	}
	if p := paymentByKey(t, s, r.Key); p.Status != PaymentAdvised || p.Reference != "000000000050" {
		t.Fatalf("advised payment: %+v", p)
	}
}

func TestCashVoidNeedsManagerAndOpenBatch(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, manager)
	stock := stockOf(t, s, "6901234567892")
	o := sellCola(t, s, "T01", 3)
	if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: cashier}); ErrorCode(err) != EINVALID {
		t.Fatalf("void by a cashier: %v", err)
	}
	v, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager})
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != OrderVoided || stockOf(t, s, "6901234567892") != stock {
		t.Fatalf("void: order %s, stock %v want %v", v.Status, stockOf(t, s, "6901234567892"), stock)
	}
	got, _ := s.OrderByID(bg, o.ID)
	if got.Payments[0].Status != PaymentVoided {
		t.Fatalf("payment %s", got.Payments[0].Status)
	}
	var kinds []string
	s.db.Model(&OutboxEntry{}).Order("id").Pluck("kind", &kinds)
	if len(kinds) != 2 || kinds[1] != "void" {
		t.Fatalf("outbox %v", kinds)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager}); ErrorCode(err) != ECONFLICT {
		t.Fatalf("second void: %v", err)
	}
	// After settlement the batch is closed: refund, not void.
	o2 := sellCola(t, s, "T01", 1)
	if _, err := closeOpenBatch(t, s, "T01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: o2.ID, Manager: manager}); errKey(err) != "error.void.closed_batch" {
		t.Fatalf("void after settlement: %v", err)
	}
}

func TestCashPartialRefunds(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, manager)
	o := sellCola(t, s, "T01", 4) // 4 × ¥3.50 = ¥14.00
	pid := o.Payments[0].ID
	if _, err := s.RefundOrder(bg, Undo{OrderID: o.ID, PaymentID: pid, Amount: 500, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefundOrder(bg, Undo{OrderID: o.ID, PaymentID: pid, Amount: o.Total, Manager: manager}); errKey(err) != "error.refund.amount" {
		t.Fatalf("refund beyond what is left: %v", err)
	}
	r, err := s.RefundOrder(bg, Undo{OrderID: o.ID, PaymentID: pid, Amount: o.Total - 500, Manager: manager})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != OrderRefunded || r.Refunded != o.Total {
		t.Fatalf("refunded order: %s %d", r.Status, r.Refunded)
	}
	got, _ := s.OrderByID(bg, o.ID)
	if len(got.Payments) != 3 || got.Payments[0].Status != PaymentRefunded || got.Payments[2].Amount != -(o.Total-500) ||
		got.Payments[2].Key != o.Number+"-R2" {
		t.Fatalf("payments after refunds: %+v", got.Payments)
	}
	if tt := takingsOf(t, s, got.TerminalID); len(tt.Tenders) != 1 || tt.Tenders[0].Amount != 0 {
		t.Fatalf("takings after a full refund: %+v", tt)
	}
}

func TestCardVoidAndRefundMoveOnTheHostsAnswer(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, manager)
	o := colaOrder(t, s, 2)
	p, r := startCard(t, s, o)
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000060", AuthCode: "600000"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager}); errKey(err) != "error.undo.needs_host" {
		t.Fatalf("local void of a card payment: %v", err)
	}
	key, err := s.UndoKey(bg, o, 'R')
	if err != nil || key != o.Number+"-R1" {
		t.Fatalf("refund key %q %v", key, err)
	}
	refund := &HostRequest{TerminalID: "T01", Key: key, Original: p.Key, MTI: "0200", ProcCode: "200000", Amount: 100, Currency: CNY}
	if err := s.RecordRequest(bg, refund); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAnswer(bg, refund.ID, HostAnswer{Code: "00", RRN: "000000000061", AuthCode: "600001"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.OrderByID(bg, o.ID)
	if got.Status != OrderRefunded || got.Refunded != 100 || got.Payments[1].MaskedPAN != "**** **** **** 1234" {
		t.Fatalf("card refund: %+v", got)
	}
	// A declined void changes nothing; a refused one is not applied.
	o2 := colaOrder(t, s, 1)
	p2, r2 := startCard(t, s, o2)
	s.RecordAnswer(bg, r2.ID, HostAnswer{Code: "00", RRN: "000000000062", AuthCode: "600002"})
	vkey, _ := s.UndoKey(bg, o2, 'V')
	void := &HostRequest{TerminalID: "T01", Key: vkey, Original: p2.Key, MTI: "0200", ProcCode: "020000", Amount: o2.Total, Currency: CNY}
	s.RecordRequest(bg, void)
	if err := s.RecordAnswer(bg, void.ID, HostAnswer{Code: "05"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.OrderByID(bg, o2.ID); got.Status != OrderPaid {
		t.Fatalf("declined void moved the order to %s", got.Status)
	}
	if vkey2, _ := s.UndoKey(bg, o2, 'V'); vkey2 != o2.Number+"-V2" {
		t.Fatalf("next void key %q", vkey2)
	}
	void2 := &HostRequest{TerminalID: "T01", Key: o2.Number + "-V2", Original: p2.Key, MTI: "0200", ProcCode: "020000", Amount: o2.Total, Currency: CNY}
	s.RecordRequest(bg, void2)
	if err := s.RecordAnswer(bg, void2.ID, HostAnswer{Code: "00", RRN: "000000000063", AuthCode: "600003"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.OrderByID(bg, o2.ID); got.Status != OrderVoided || got.Payments[0].Status != PaymentVoided {
		t.Fatalf("approved void: %+v", got)
	}
}

func TestManagerByCode(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.EnsureOperator(bg, Operator{Name: "店长", Role: RoleManager, Active: true}, "8888"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureOperator(bg, Operator{Name: "收银", Role: RoleCashier, Active: true}, "1111"); err != nil {
		t.Fatal(err)
	}
	if m, err := s.ManagerByCode(bg, "8888"); err != nil || m.Role != RoleManager {
		t.Fatalf("manager: %+v %v", m, err)
	}
	for _, code := range []string{"1111", "", "0000"} {
		if _, err := s.ManagerByCode(bg, code); errKey(err) != "error.manager.code" {
			t.Fatalf("code %q: %v", code, err)
		}
	}
}

func TestFindOrders(t *testing.T) {
	s := newTestStore(t)
	cash := sellCola(t, s, "T01", 1) // ¥3.50, T01-00000001
	o := colaOrder(t, s, 2)          // ¥7.00 by card ending 1234
	_, r := startCard(t, s, o)
	s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000070", AuthCode: "1"})
	sellCola(t, s, "T02", 2) // another terminal's
	from, to := cash.CreatedAt.Add(-time.Hour), cash.CreatedAt.Add(time.Hour)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", []string{o.Number, cash.Number}},
		{"1234", []string{o.Number}},
		{"7.00", []string{o.Number}},
		{"3.5", []string{cash.Number}},
		{"00001", []string{cash.Number}},
		{"2", []string{o.Number}}, // the sequence, not every number holding a 2
		{o.Number, []string{o.Number}},
		{strings.ToLower(o.Number), []string{o.Number}},
		{"T02-00000002", nil}, // another terminal's number
		{"%", nil},
		{"9999", nil},
	} {
		got, err := s.FindOrders(bg, "T01", from, to, c.text, 50)
		if err != nil {
			t.Fatal(err)
		}
		var nums []string
		for _, g := range got {
			nums = append(nums, g.Number)
		}
		if fmt.Sprint(nums) != fmt.Sprint(c.want) {
			t.Errorf("find %q = %v, want %v", c.text, nums, c.want)
		}
	}
	if got, _ := s.FindOrders(bg, "T01", to, to.Add(time.Hour), "", 50); len(got) != 0 {
		t.Errorf("another day's orders: %d", len(got))
	}
}

func TestVoidsAndRefundsNameTheManagerNotTheirCode(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, manager)
	voided := sellCola(t, s, "T01", 1)
	if _, err := s.VoidOrder(bg, Undo{OrderID: voided.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	refunded := sellCola(t, s, "T01", 2)
	if _, err := s.RefundOrder(bg, Undo{OrderID: refunded.ID, PaymentID: refunded.Payments[0].ID, Amount: 100, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	var details, refs []string
	s.db.Model(&AuditEntry{}).Pluck("detail", &details)
	s.db.Model(&Payment{}).Pluck("reference", &refs)
	named := false
	for _, text := range append(details, refs...) {
		if strings.Contains(text, "=8888") {
			t.Fatalf("the manager's code is written: %q", text)
		}
		named = named || strings.Contains(text, manager.Ref())
	}
	if !named {
		t.Fatalf("no entry names the manager: %q %q", details, refs)
	}
}

// The wallet the host names in its answer is kept on a QR payment that
// did not know it (our QR, scanned by the customer), never over the wallet
// of a customer's payment code, and never on a card payment.
func TestHostAnswerNamesTheWalletOfAQRPayment(t *testing.T) {
	s := newTestStore(t)
	sc := SaleContext{TerminalID: "T01", Operator: cashier}
	for _, c := range []struct {
		pay    Payment
		wallet string
		want   string
	}{
		{Payment{Tender: TenderQR}, "alipay", "alipay"},
		{Payment{Tender: TenderQR}, "", ""},
		{Payment{Tender: TenderQR, Scheme: "wechat", MaskedPAN: "1345**********6780"}, "alipay", "wechat"},
		{Payment{Tender: TenderCard, Scheme: "visa", MaskedPAN: "**** **** **** 1111"}, "alipay", "visa"},
	} {
		o := colaOrder(t, s, 1)
		c.pay.Amount = o.Total
		p, err := s.StartPayment(bg, o, c.pay, sc)
		if err != nil {
			t.Fatal(err)
		}
		r := &HostRequest{TerminalID: "T01", Key: p.Key, MTI: "0200", ProcCode: "000000", Amount: p.Amount, Currency: CNY, EntryMode: "032"}
		if err := s.RecordRequest(bg, r); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "09"}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000050", AuthCode: "500000", Wallet: c.wallet}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.OrderByID(bg, o.ID)
		if got.Status != OrderPaid || got.Payments[0].Scheme != c.want {
			t.Errorf("%s %q answered with %q: order %s, scheme %q, want %q", c.pay.Tender, c.pay.Scheme, c.wallet,
				got.Status, got.Payments[0].Scheme, c.want)
		}
	}
}
