package sales

import (
	"context"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// rawDB is a second connection to the rig's database file, for what the
// store offers no call for: counting the journal, and writing a payment
// as a split tender would.
func (r *rig) rawDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(models.DSN(r.store.Path())), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

// journalled counts the requests to the host in the journal.
func journalled(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.HostRequest{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// hostUndos lists the host's approved voids or refunds (proc) of the
// payment with key original, by amount.
func (r *rig) hostUndos(proc, original string) []int64 {
	var out []int64
	for _, e := range r.link.Simulator().Ledger() {
		if e.ProcCode == proc && e.Code == acquirer.Approved && e.Original == original {
			out = append(out, e.Amount)
		}
	}
	return out
}

func (r *rig) balance(t *testing.T, id uint) int64 {
	t.Helper()
	m, err := r.store.MemberByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m.Balance
}

// A member's top-up paid by card, part of it spent since: its void and
// its refund are refused before any request reaches the journal, so the
// bank never gives back what the balance no longer holds.
func TestSpentCardTopUpIsRefusedBeforeTheBank(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	db := r.rawDB(t)
	mem, err := r.store.AddMember(ctx, "王芳", "13900139000", r.manager, "T01")
	if err != nil {
		t.Fatal(err)
	}
	top, err := models.NewTopUpOrder(models.CNY, mem, 2000)
	if err != nil {
		t.Fatal(err)
	}
	r.payByCard(t, top)
	sale := r.order(t, 1, 0) // ¥3.50 of it spent
	if err := r.store.PayFromBalance(ctx, sale, mem.ID, sale.Total, r.session.SaleContext()); err != nil {
		t.Fatal(err)
	}
	left := 2000 - sale.Total
	if b := r.balance(t, mem.ID); b != left {
		t.Fatalf("balance %d, want %d", b, left)
	}

	requests, state := journalled(t, db), r.hostState(t, top)
	if _, err := r.sales.Void(ctx, top.ID, r.manager); errKey(err) != "error.topup.spent" {
		t.Fatalf("void of the spent top-up: %v", err)
	}
	if _, err := r.sales.Refund(ctx, top.ID, 2000, r.manager); errKey(err) != "error.topup.spent" {
		t.Fatalf("refund of the spent top-up: %v", err)
	}
	if _, err := r.sales.Refund(ctx, top.ID, left+1, r.manager); errKey(err) != "error.topup.spent" {
		t.Fatalf("refund of more than the balance holds: %v", err)
	}
	if n := journalled(t, db); n != requests {
		t.Fatalf("%d requests journalled, was %d", n, requests)
	}
	if after := r.hostState(t, top); after != state {
		t.Fatalf("the bank was asked: before %+v, after %+v", state, after)
	}
	if o := r.reload(t, top.ID); o.Status != models.OrderPaid || o.Refunded != 0 || r.balance(t, mem.ID) != left {
		t.Fatalf("refused undos changed the top-up: %s refunded %d, balance %d", o.Status, o.Refunded, r.balance(t, mem.ID))
	}

	// What the balance still holds can be given back, by the bank.
	got, err := r.sales.Refund(ctx, top.ID, left, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderRefunded || got.Refunded != left || r.balance(t, mem.ID) != 0 {
		t.Fatalf("refund of what is left: %s refunded %d, balance %d", got.Status, got.Refunded, r.balance(t, mem.ID))
	}
	if refunds := r.hostUndos(acquirer.ProcRefund, top.Payments[0].Key); len(refunds) != 1 || refunds[0] != left {
		t.Fatalf("the bank's refunds: %v", refunds)
	}
	if n := journalled(t, db); n != requests+1 {
		t.Fatalf("%d requests journalled, want %d", n, requests+1)
	}
}

// An order paid from a member's balance is refunded to the balance, in
// part and then in full, and the bank is never asked.
func TestBalancePaidOrderRefundedInPartThenInFull(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	db := r.rawDB(t)
	mem := r.member(t, "李娜", 1000)
	o := r.order(t, 2, 0) // ¥7.00
	if err := r.store.PayFromBalance(ctx, o, mem.ID, o.Total, r.session.SaleContext()); err != nil {
		t.Fatal(err)
	}
	requests := journalled(t, db)

	got, err := r.sales.Refund(ctx, o.ID, 250, r.manager)
	if err != nil {
		t.Fatalf("partial refund of a balance payment: %v", err)
	}
	if got.Status != models.OrderRefunded || got.Refunded != 250 || r.balance(t, mem.ID) != 300+250 {
		t.Fatalf("after the partial refund: %s refunded %d, balance %d", got.Status, got.Refunded, r.balance(t, mem.ID))
	}
	if _, err := r.sales.Refund(ctx, o.ID, 451, r.manager); errKey(err) != "error.refund.amount" {
		t.Fatalf("refund above what is left: %v", err)
	}
	if got, err = r.sales.Refund(ctx, o.ID, 450, r.manager); err != nil {
		t.Fatalf("refund of the rest: %v", err)
	}
	if got.Refunded != 700 || r.balance(t, mem.ID) != 1000 {
		t.Fatalf("after the full refund: refunded %d, balance %d", got.Refunded, r.balance(t, mem.ID))
	}
	if _, err := r.sales.Refund(ctx, o.ID, 1, r.manager); errKey(err) != "error.refund.nothing_left" {
		t.Fatalf("refund of a fully refunded order: %v", err)
	}

	// Refunded in full at once.
	whole := r.order(t, 1, 0)
	if err := r.store.PayFromBalance(ctx, whole, mem.ID, whole.Total, r.session.SaleContext()); err != nil {
		t.Fatal(err)
	}
	if got, err = r.sales.Refund(ctx, whole.ID, whole.Total, r.manager); err != nil || got.Refunded != whole.Total {
		t.Fatalf("full refund of a balance payment: %v %+v", err, got)
	}
	if r.balance(t, mem.ID) != 1000 {
		t.Fatalf("balance after the full refund: %d", r.balance(t, mem.ID))
	}
	if n := journalled(t, db); n != requests || len(r.link.Simulator().Ledger()) != 0 {
		t.Fatalf("balance refunds reached the bank: %d requests, ledger %+v", n-requests, r.link.Simulator().Ledger())
	}
}

// An order paid part in cash, the rest by card: a refund goes to the card
// first, at the bank, then the rest from the drawer; one above what the
// two can give back is refused before the bank.
func TestCardAndCashRefundSplitsBetweenTheTenders(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	db := r.rawDB(t)

	// Declined at first (the simulated host declines amounts ending in
	// .51), the order waits; ¥0.51 is taken in cash, as a split tender
	// does, and the card pays the rest.
	o := r.order(t, 15, 199) // ¥50.51
	if resp, _ := r.sales.PayOnline(ctx, o, models.Payment{Tender: models.TenderCard, Amount: o.Total},
		acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); resp.Code != "51" || o.Status != models.OrderAwaiting {
		t.Fatalf("the simulated host answered ¥50.51 with %+v; order %s", resp, o.Status)
	}
	if err := db.Create(&models.Payment{OrderID: o.ID, Tender: models.TenderCash, Status: models.PaymentApproved,
		Currency: models.CNY, Amount: 51, Tendered: 51}).Error; err != nil {
		t.Fatal(err)
	}
	r.sales.Reload(ctx, o)
	if o.Due() != 5000 {
		t.Fatalf("due after the cash: %d", o.Due())
	}
	r.payByCard(t, o)
	var card models.Payment
	for _, p := range o.Payments {
		if p.Tender == models.TenderCard && p.Status.Taken() {
			card = p
		}
	}

	requests, state := journalled(t, db), r.hostState(t, o)
	if _, err := r.sales.Refund(ctx, o.ID, 5052, r.manager); errKey(err) != "error.refund.amount" {
		t.Fatalf("refund above the card's and the cash's shares: %v", err)
	}
	if n, after := journalled(t, db), r.hostState(t, o); n != requests || after != state {
		t.Fatalf("the bank was asked: %d requests journalled, was %d; %+v, was %+v", n, requests, after, state)
	}

	got, err := r.sales.Refund(ctx, o.ID, 5020, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderRefunded || got.Refunded != 5020 {
		t.Fatalf("split refund: %s refunded %d", got.Status, got.Refunded)
	}
	if refunds := r.hostUndos(acquirer.ProcRefund, card.Key); len(refunds) != 1 || refunds[0] != 5000 {
		t.Fatalf("the bank's refunds of the card: %v", refunds)
	}
	back := map[models.Tender]int64{}
	for _, p := range got.Payments {
		if p.OriginalID != 0 {
			back[p.Tender] -= p.Amount
		}
	}
	if back[models.TenderCard] != 5000 || back[models.TenderCash] != 20 || len(back) != 2 {
		t.Fatalf("given back by tender: %v", back)
	}
	if n := journalled(t, db); n != requests+1 {
		t.Fatalf("%d requests journalled for one card share, want 1", n-requests)
	}

	// The card has given all it took: what is left is cash, given back
	// without the bank.
	ledger := len(r.link.Simulator().Ledger())
	if _, err := r.sales.Refund(ctx, o.ID, 32, r.manager); errKey(err) != "error.refund.amount" {
		t.Fatalf("refund above the cash left: %v", err)
	}
	if got, err = r.sales.Refund(ctx, o.ID, 31, r.manager); err != nil || got.Refunded != 5051 {
		t.Fatalf("refund of the cash left: %v, refunded %d", err, got.Refunded)
	}
	if n := len(r.link.Simulator().Ledger()); n != ledger {
		t.Fatalf("a cash share reached the bank: %+v", r.link.Simulator().Ledger()[ledger:])
	}
}

// An order paid part from a member's balance, the rest by card: a refund
// goes to the card first, then to the balance; a void voids the card at
// the bank and gives the balance back with the bank's approval.
func TestCardAndBalanceRefundAndVoid(t *testing.T) {
	r := newRig(t, "", nil)
	ctx := context.Background()
	mem := r.member(t, "张伟", 1000)
	split := func() *models.Order {
		o := r.order(t, 2, 0) // ¥7.00: ¥3.00 from the balance, ¥4.00 by card
		if err := r.store.PayFromBalance(ctx, o, mem.ID, 300, r.session.SaleContext()); err != nil {
			t.Fatal(err)
		}
		r.payByCard(t, o)
		return o
	}
	cardOf := func(o *models.Order) models.Payment {
		for _, p := range o.Payments {
			if p.Tender == models.TenderCard && p.Status.Taken() {
				return p
			}
		}
		t.Fatalf("no card payment on %+v", o.Payments)
		return models.Payment{}
	}

	refunded := split()
	got, err := r.sales.Refund(ctx, refunded.ID, 500, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if got.Refunded != 500 || r.balance(t, mem.ID) != 1000-300+100 {
		t.Fatalf("split refund: refunded %d, balance %d", got.Refunded, r.balance(t, mem.ID))
	}
	if refunds := r.hostUndos(acquirer.ProcRefund, cardOf(refunded).Key); len(refunds) != 1 || refunds[0] != 400 {
		t.Fatalf("the bank's refunds: %v", refunds)
	}

	voided := split()
	balance := r.balance(t, mem.ID)
	if got, err = r.sales.Void(ctx, voided.ID, r.manager); err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OrderVoided || r.balance(t, mem.ID) != balance+300 {
		t.Fatalf("void: %s, balance %d, want %d", got.Status, r.balance(t, mem.ID), balance+300)
	}
	for _, p := range got.Payments {
		if p.Status != models.PaymentVoided {
			t.Fatalf("payment %s %s after the void", p.Tender, p.Status)
		}
	}
	if voids := r.hostUndos(acquirer.ProcVoid, cardOf(voided).Key); len(voids) != 1 || voids[0] != 400 {
		t.Fatalf("the bank's voids: %v", voids)
	}
}
