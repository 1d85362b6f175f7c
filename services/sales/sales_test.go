package sales

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/internal/demotest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/printing"
	"github.com/till-pos/till/services/staff"
)

const colaCode = "6901234567892" // ¥3.50 in the demo catalog

// rig is the sales service of terminal T01 on a new store with the demo
// catalog and staff, the demo cashier signed in, and its parts.
type rig struct {
	store    *models.Store
	session  *staff.Session
	link     *hostlink.Link
	sales    *Sales
	printing *printing.Printing
	cards    *cardpay.Demo
	cashier  models.Operator
	manager  models.Operator
}

// newRig builds the service over a link to the acquirer at addr (empty:
// the simulated host, connected) with the offline policy offline (nil:
// the default).
func newRig(t *testing.T, addr string, offline func() payments.OfflinePolicy) *rig {
	t.Helper()
	ctx := context.Background()
	s, sess := demotest.Shop(t)
	cashier := sess.Operator()
	manager, err := demo.Stored(ctx, s, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	link := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY, Addr: addr, Offline: offline,
		CardSeal: []byte("offline card data seal, 32 bytes"),
		Log:      func(what string, err error) { t.Logf("%s: %v", what, err) }})
	t.Cleanup(link.Close)
	if addr == "" {
		if err := link.Connect(ctx); err != nil {
			t.Fatal(err)
		}
	}
	pr, err := printing.New(ctx, printing.Config{Store: s,
		Shop:      func() receipt.Shop { return receipt.Shop{Name: "测试店", TerminalID: "T01", Lang: "en"} },
		Translate: func(_, fallback string, _ ...any) string { return fallback },
		Log:       func(what string, err error) { t.Logf("%s: %v", what, err) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pr.Stop)
	sl, err := New(ctx, s, sess, link, pr)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cardpay.New(ctx, s, sl, make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return &rig{store: s, session: sess, link: link, sales: sl, printing: pr, cards: cardpay.NewDemo(c),
		cashier: cashier, manager: manager}
}

// order is a new order of n colas less discount fen.
func (r *rig) order(t *testing.T, n int64, discount int64) *models.Order {
	t.Helper()
	p, err := r.store.ProductByBarcode(context.Background(), colaCode)
	if err != nil {
		t.Fatal(err)
	}
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(*p, models.Units(n)); err != nil {
		t.Fatal(err)
	}
	if discount > 0 {
		if err := o.SetDiscount(models.AmountDiscount(discount)); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// payByCard pays what is due on o with the demo UnionPay card, through
// the card service and the simulated host.
func (r *rig) payByCard(t *testing.T, o *models.Order) {
	t.Helper()
	res, err := r.cards.Pay(context.Background(), o, "UnionPay", func(payments.CardStep) {})
	if err != nil || !res.Approved || o.Status != models.OrderPaid {
		t.Fatalf("card payment: %+v %v, order %s", res, err, o.Status)
	}
}

// cardOrder is a paid order of n colas, paid by card.
func (r *rig) cardOrder(t *testing.T, n int64) *models.Order {
	t.Helper()
	o := r.order(t, n, 0)
	r.payByCard(t, o)
	return o
}

// cashOrder is a paid order of n colas, paid in cash.
func (r *rig) cashOrder(t *testing.T, n int64) *models.Order {
	t.Helper()
	o := r.order(t, n, 0)
	if err := r.sales.CommitSale(context.Background(), o, []models.Payment{{Tender: models.TenderCash,
		Status: models.PaymentApproved, Amount: o.Total, Tendered: o.Total}}); err != nil {
		t.Fatal(err)
	}
	return o
}

// member is a new member with balance fen on it.
func (r *rig) member(t *testing.T, name string, balance int64) models.Member {
	t.Helper()
	ctx := context.Background()
	m, err := r.store.AddMember(ctx, name, "13800138000", r.manager, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.OpeningBalance(ctx, m.ID, balance, r.manager, "T01"); err != nil {
		t.Fatal(err)
	}
	return m
}

func (r *rig) reload(t *testing.T, id uint) *models.Order {
	t.Helper()
	o, err := r.store.OrderByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// hostState is what a refusal before the bank must leave as it was: the
// simulated host's ledger, the manager authorizations audited before a
// request goes out, and the next void and refund keys of each order
// (which count the requests journalled for it).
type hostState struct {
	ledger, authorized int
	undoKeys           string
}

func (r *rig) hostState(t *testing.T, orders ...*models.Order) hostState {
	t.Helper()
	ctx := context.Background()
	n, err := r.store.CountAudit(ctx, "authorize")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range orders {
		stored := r.reload(t, o.ID)
		for _, kind := range []byte{'V', 'R'} {
			k, err := r.store.UndoKey(ctx, stored, kind)
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
	}
	return hostState{ledger: len(r.link.Simulator().Ledger()), authorized: n, undoKeys: strings.Join(keys, ",")}
}

func TestVoidsAndRefundsRefusedBeforeTheBank(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()

	// A card order refunded in part can no longer be voided.
	refunded := r.cardOrder(t, 2)
	if _, err := r.sales.Refund(ctx, refunded.ID, 200, r.manager); err != nil {
		t.Fatal(err)
	}
	// An order whose card was declined (the simulated host declines
	// amounts ending in .51), then given up, is cancelled.
	cancelled := r.order(t, 15, 199) // ¥50.51
	if resp, err := r.sales.PayOnline(ctx, cancelled, models.Payment{Tender: models.TenderCard, Amount: cancelled.Total},
		acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); resp.Code != "51" || cancelled.ID == 0 {
		t.Fatalf("the simulated host answered ¥50.51 with %+v %v", resp, err)
	}
	if err := r.sales.CancelOrder(ctx, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	// An order paid ¥3.00 from a member's balance and ¥4.00 by card.
	split := r.order(t, 2, 0)
	mem := r.member(t, "王芳", 1000)
	if err := r.store.PayFromBalance(ctx, split, mem.ID, 300, r.session.SaleContext()); err != nil {
		t.Fatal(err)
	}
	r.payByCard(t, split)
	if left := models.Refundable(split); left != 700 {
		t.Fatalf("the split order has %d refundable over its tenders", left)
	}
	paidByCard := r.cardOrder(t, 1)

	before := r.hostState(t, refunded, cancelled, split, paidByCard)
	for _, c := range []struct {
		name string
		do   func() error
		key  string
	}{
		{"void of a refunded order", func() error {
			_, err := r.sales.Void(ctx, refunded.ID, r.manager)
			return err
		}, "error.void.not_paid"},
		{"void of a cancelled order", func() error {
			_, err := r.sales.Void(ctx, cancelled.ID, r.manager)
			return err
		}, "error.void.not_paid"},
		{"refund of a cancelled order", func() error {
			_, err := r.sales.Refund(ctx, cancelled.ID, 10, r.manager)
			return err
		}, "error.refund.not_paid"},
		{"refund above the card's and the balance's shares", func() error {
			_, err := r.sales.Refund(ctx, split.ID, 701, r.manager)
			return err
		}, "error.refund.amount"},
		{"refund above what the card has left", func() error {
			_, err := r.sales.Refund(ctx, refunded.ID, 501, r.manager)
			return err
		}, "error.refund.amount"},
		{"refund of nothing", func() error {
			_, err := r.sales.Refund(ctx, paidByCard.ID, 0, r.manager)
			return err
		}, "error.refund.amount"},
		{"void approved by a cashier", func() error {
			_, err := r.sales.Void(ctx, paidByCard.ID, r.cashier)
			return err
		}, "error.permission.denied"},
		{"refund approved by a cashier", func() error {
			_, err := r.sales.Refund(ctx, paidByCard.ID, 100, r.cashier)
			return err
		}, "error.permission.denied"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.do(); errKey(err) != c.key {
				t.Fatalf("got %v, want %s", err, c.key)
			}
			if after := r.hostState(t, refunded, cancelled, split, paidByCard); after != before {
				t.Fatalf("the bank was asked: before %+v, after %+v", before, after)
			}
		})
	}
	if o := r.reload(t, paidByCard.ID); o.Status != models.OrderPaid || o.Refunded != 0 {
		t.Fatalf("refused undos changed the order: %s refunded %d", o.Status, o.Refunded)
	}
	if o := r.reload(t, split.ID); o.Status != models.OrderPaid || o.Refunded != 0 {
		t.Fatalf("refused undos changed the split order: %s refunded %d", o.Status, o.Refunded)
	}
}

func TestCardVoidAndPartialRefundGoToTheHost(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	host := r.link.Simulator()

	voided := r.cardOrder(t, 2)
	key := voided.Payments[0].Key
	got, err := r.sales.Void(ctx, voided.ID, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderVoided || got.Payments[0].Status != models.PaymentVoided {
		t.Fatalf("voided order: %s, payment %s", got.Status, got.Payments[0].Status)
	}
	voids := 0
	for _, e := range host.Ledger() {
		if e.ProcCode == acquirer.ProcVoid && e.Code == "00" && e.Original == key && e.Amount == 700 {
			voids++
		}
	}
	if voids != 1 {
		t.Fatalf("the host recorded %d voids of %s: %+v", voids, key, host.Ledger())
	}

	refunded := r.cardOrder(t, 2)
	got, err = r.sales.Refund(ctx, refunded.ID, 250, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderRefunded || got.Refunded != 250 {
		t.Fatalf("refunded order: %s refunded %d", got.Status, got.Refunded)
	}
	if left := models.PaymentRefundable(got, got.Payments[0]); left != 450 {
		t.Fatalf("left to refund to the card: %d", left)
	}
	refunds := 0
	for _, e := range host.Ledger() {
		if e.ProcCode == acquirer.ProcRefund && e.Code == "00" && e.Original == refunded.Payments[0].Key && e.Amount == 250 {
			refunds++
		}
	}
	if refunds != 1 {
		t.Fatalf("the host recorded %d refunds of ¥2.50: %+v", refunds, host.Ledger())
	}
	// Each undo was authorized, audited, before it went out.
	if n, _ := r.store.CountAudit(ctx, "authorize"); n != 2 {
		t.Fatalf("%d manager authorizations audited", n)
	}
	// The rest of the card's share can still be refunded.
	if got, err = r.sales.Refund(ctx, refunded.ID, 450, r.manager); err != nil || got.Refunded != 700 {
		t.Fatalf("refund of the rest: %v, refunded %d", err, got.Refunded)
	}
}

func TestCashAndBalanceRefundsStayLocal(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	host := r.link.Simulator()

	cash := r.cashOrder(t, 2)
	if _, err := r.sales.Refund(ctx, cash.ID, 100, r.cashier); errKey(err) != models.ErrManagerNeeded.Key {
		t.Fatalf("cash refund approved by a cashier: %v", err)
	}
	got, err := r.sales.Refund(ctx, cash.ID, 200, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderRefunded || got.Refunded != 200 {
		t.Fatalf("cash refund: %s refunded %d", got.Status, got.Refunded)
	}
	back := got.Payments[len(got.Payments)-1]
	if back.Tender != models.TenderCash || back.Amount != -200 {
		t.Fatalf("cash refund payment: %+v", back)
	}

	mem := r.member(t, "李娜", 1000)
	byBalance := r.order(t, 2, 0)
	if err := r.store.PayFromBalance(ctx, byBalance, mem.ID, byBalance.Total, r.session.SaleContext()); err != nil {
		t.Fatal(err)
	}
	if byBalance.Status != models.OrderPaid || byBalance.Payments[0].Tender != models.TenderFingerprint {
		t.Fatalf("paid from the balance: %s %+v", byBalance.Status, byBalance.Payments)
	}
	if got, err = r.sales.Refund(ctx, byBalance.ID, 300, r.manager); err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderRefunded || got.Refunded != 300 {
		t.Fatalf("balance refund: %s refunded %d", got.Status, got.Refunded)
	}
	if m, err := r.store.MemberByID(ctx, mem.ID); err != nil || m.Balance != 1000-700+300 {
		t.Fatalf("balance after the refund: %d %v", m.Balance, err)
	}
	if _, err := r.sales.Refund(ctx, byBalance.ID, 401, r.manager); errKey(err) != "error.refund.amount" {
		t.Fatalf("refund above what the balance paid: %v", err)
	}
	if n := len(host.Ledger()); n != 0 {
		t.Fatalf("local refunds reached the host: %+v", host.Ledger())
	}
	// A cash void is local too.
	voided := r.cashOrder(t, 1)
	if got, err = r.sales.Void(ctx, voided.ID, r.manager); err != nil || got.Status != models.OrderVoided {
		t.Fatalf("cash void: %v %+v", err, got)
	}
	if n := len(host.Ledger()); n != 0 {
		t.Fatalf("a cash void reached the host: %+v", host.Ledger())
	}
}

func TestOpenDrawerNeedsAManagerAndAPrinter(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	if err := r.sales.OpenDrawer(ctx, r.cashier); !models.IsDenied(err) {
		t.Fatalf("drawer opened for a cashier: %v", err)
	}
	if err := r.sales.CanOpenDrawer(); errKey(err) != "error.printer.none" {
		t.Fatalf("can open the drawer without a printer: %v", err)
	}
	if err := r.sales.OpenDrawer(ctx, r.manager); errKey(err) != "error.printer.none" {
		t.Fatalf("drawer without a printer: %v", err)
	}
	if n, _ := r.store.CountAudit(ctx, models.ActionDrawerOpen); n != 0 {
		t.Fatalf("%d drawer openings audited that never happened", n)
	}

	// A printer that writes its jobs to a file.
	path := filepath.Join(t.TempDir(), "printer.bin")
	if err := r.printing.Configure(ctx, receipt.PrinterSettings{URL: "file://" + path, Paper: "58", QR: "native",
		Cut: "partial", Chinese: true}, r.manager); err != nil {
		t.Fatal(err)
	}
	if err := r.sales.OpenDrawer(ctx, r.manager); err != nil {
		t.Fatal(err)
	}
	entries, err := r.store.AuditEntries(ctx, models.ActionDrawerOpen)
	if err != nil || len(entries) != 1 || entries[0].OperatorID != r.manager.ID {
		t.Fatalf("drawer audit: %+v %v", entries, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(path)
		ops, err := escposdecode.Decode(data)
		if err == nil && strings.Contains(strings.Join(escposdecode.Lines(ops), "\n"), "[DRAWER]") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the drawer was not kicked; the printer got %d bytes", len(data))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDiscountLimit(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	if got := r.sales.DiscountLimit(); got != models.DefaultDiscountLimit {
		t.Fatalf("default limit %d", got)
	}
	if err := r.sales.SetDiscountLimit(ctx, 10001, r.manager); errKey(err) != "error.discount_limit" {
		t.Fatalf("limit above 100%%: %v", err)
	}
	if err := r.sales.SetDiscountLimit(ctx, 1500, r.cashier); !models.IsDenied(err) {
		t.Fatalf("limit set by a cashier: %v", err)
	}
	if got := r.sales.DiscountLimit(); got != models.DefaultDiscountLimit {
		t.Fatalf("refused changes moved the limit to %d", got)
	}
	if err := r.sales.SetDiscountLimit(ctx, 1500, r.manager); err != nil {
		t.Fatal(err)
	}
	if got := r.sales.DiscountLimit(); got != 1500 {
		t.Fatalf("limit %d after setting 1500", got)
	}
	// Stored: a new service reads it back.
	again, err := New(ctx, r.store, r.session, r.link, r.printing)
	if err != nil || again.DiscountLimit() != 1500 {
		t.Fatalf("limit read back: %v %d", err, again.DiscountLimit())
	}
	entries, err := r.store.AuditEntries(ctx, "setting")
	if err != nil || len(entries) != 1 || entries[0].OperatorID != r.manager.ID || !strings.Contains(entries[0].Detail, "value=1500") {
		t.Fatalf("limit audit: %+v %v", entries, err)
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// The card a test taps: its track 2 and chip data, which an offline
// approval keeps sealed for its advice.
const (
	testTrack2 = "6225880123456789D30121010000"
	testICC    = "9F26080102030405060708950500000000"
)

func TestPayOnlineDecidesOfflineWhenTheHostCannotBeDialled(t *testing.T) {
	policy := payments.OfflinePolicy{FloorLimit: 500, MaxCount: 5, MaxTotal: 10000}
	r := newRig(t, closedPort(t), func() payments.OfflinePolicy { return policy })
	ctx := context.Background()

	under := r.order(t, 1, 0) // ¥3.50, under the ¥5 floor limit
	resp, err := r.sales.PayOnline(ctx, under, models.Payment{Tender: models.TenderCard, Amount: under.Total, MaskedPAN: "**** **** **** 1232"},
		acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: testTrack2, ICC: testICC, OfflineAuthenticated: true})
	if err != nil || resp.Code != acquirer.OfflineApproved || !resp.Approved() {
		t.Fatalf("under the floor limit: %+v %v", resp, err)
	}
	if under.Status != models.OrderPaid || under.Payments[0].Status != models.PaymentOfflineApproved {
		t.Fatalf("approved offline: order %s, payment %s", under.Status, under.Payments[0].Status)
	}
	req, err := r.store.RequestByKey(ctx, "T01", under.Payments[0].Key)
	if err != nil || req.State != models.RequestOffline {
		t.Fatalf("journalled: %+v %v", req, err)
	}

	over := r.order(t, 2, 0) // ¥7.00, above it
	resp, err = r.sales.PayOnline(ctx, over, models.Payment{Tender: models.TenderCard, Amount: over.Total},
		acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: testTrack2, ICC: testICC, OfflineAuthenticated: true})
	if errKey(err) != "error.acquirer.online_needed" || resp.Approved() {
		t.Fatalf("above the floor limit: %+v %v", resp, err)
	}
	if over.Status != models.OrderAwaiting || over.Payments[0].Status.Taken() {
		t.Fatalf("declined offline: order %s, payment %s", over.Status, over.Payments[0].Status)
	}
	// The order waits for another tender, and the link is still down.
	if r.link.Connected() {
		t.Fatal("connected to a closed port")
	}
}
