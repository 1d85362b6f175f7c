package members_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/internal/demotest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/fingers"
	"github.com/till-pos/till/services/members"
	"github.com/till-pos/till/services/staff"
)

// rig is the programme of T01 on a new store with the demo catalog and
// staff, the simulated fingerprint module, and the demo cards.
type rig struct {
	store   *models.Store
	session *staff.Session
	reader  *fingers.Reader
	cards   *cardpay.Demo
	members *members.Members
	manager models.Operator // who enrols, links cards and removes members
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	s, sess := demotest.Shop(t)
	key := make([]byte, 32)
	r, err := fingers.Open(ctx, s, "T01", key, true, func(what string, err error) { t.Errorf("%s: %v", what, err) })
	if err != nil || r == nil {
		t.Fatalf("simulated fingerprint module: %v", err)
	}
	t.Cleanup(r.Close)
	c, err := cardpay.New(ctx, s, nil, key)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := demo.Stored(ctx, s, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{store: s, session: sess, reader: r, cards: cardpay.NewDemo(c), members: members.New(s, sess, r, c, models.CNY), manager: manager}
}

func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// add adds a member and enrols their demo finger as the screen does: three
// readings of the simulated finger.
func (r *rig) add(t *testing.T, name, phone string) models.Member {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	m, err := r.members.Add(ctx, name, phone, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	if err := r.members.Enroll(ctx, m, func(int) { steps++ }); err != nil || steps != 3 {
		t.Fatalf("enrol %s: %v after %d steps", name, err, steps)
	}
	return m
}

// place puts a demo finger on the reader.
func (r *rig) place(finger string) { r.reader.PlaceDemo(finger) }

func (r *rig) balance(t *testing.T, m models.Member) int64 {
	t.Helper()
	got, err := r.store.MemberByID(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Balance
}

// paidInCash stores o paid exactly in cash.
func (r *rig) paidInCash(t *testing.T, o *models.Order) {
	t.Helper()
	if err := r.store.CommitSale(context.Background(), o, []models.Payment{{Tender: models.TenderCash,
		Status: models.PaymentApproved, Amount: o.Total, Tendered: o.Total}}, r.session.SaleContext()); err != nil {
		t.Fatal(err)
	}
}

func TestEnrolIdentifyTopUpAndPay(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	zhang := r.add(t, "张伟", "13800135678")
	if strings.Contains(zhang.Phone, "0135") {
		t.Fatalf("the phone is kept in full: %q", zhang.Phone)
	}
	found, err := r.members.Find(ctx, "张")
	if err != nil || len(found) != 1 || found[0].ID != zhang.ID {
		t.Fatalf("find: %+v %v", found, err)
	}

	r.place("张伟")
	who, err := r.members.Identify(ctx)
	if err != nil || who.ID != zhang.ID {
		t.Fatalf("identified %+v %v", who, err)
	}
	r.place(demo.Stranger)
	if _, err := r.members.Identify(ctx); err != fingers.ErrNoMatch {
		t.Fatalf("a stranger's finger: %v", err)
	}

	if _, err := r.members.TopUp(zhang, 0); err == nil {
		t.Fatal("a top-up of nothing")
	}
	top, err := r.members.TopUp(zhang, 5000)
	if err != nil || top.Total != 5000 || top.TopUpMemberID != zhang.ID {
		t.Fatalf("top-up order: %+v %v", top, err)
	}
	r.paidInCash(t, top)
	if b := r.balance(t, zhang); b != 5000 {
		t.Fatalf("balance after the top-up: %d", b)
	}

	p, err := r.store.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(*p, models.Units(4)); err != nil { // ¥14.00
		t.Fatal(err)
	}
	if err := r.members.Pay(ctx, o, zhang, 6000); err == nil {
		t.Fatal("paid more than is due")
	}
	if err := r.members.Pay(ctx, o, zhang, o.Total); err != nil {
		t.Fatal(err)
	}
	if o.Status != models.OrderPaid || o.Payments[0].Tender != models.TenderFingerprint || o.Payments[0].MemberID != zhang.ID {
		t.Fatalf("paid from the balance: %s %+v", o.Status, o.Payments)
	}
	if b := r.balance(t, zhang); b != 5000-1400 {
		t.Fatalf("balance after paying: %d", b)
	}
	// A balance short of the order pays nothing.
	big := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := big.AddProduct(*p, models.Units(20)); err != nil { // ¥70.00
		t.Fatal(err)
	}
	if err := r.members.Pay(ctx, big, zhang, big.Total); models.ErrorCode(err) == "" {
		t.Fatalf("paid ¥70 from ¥36: %v", err)
	}
	if b := r.balance(t, zhang); b != 3600 {
		t.Fatalf("balance after a refused payment: %d", b)
	}
}

func TestVerifyCardholderByFinger(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	zhang := r.add(t, "张伟", "13800135678")
	li := r.add(t, "李娜", "13900139000")
	unionPay := func(ctx context.Context) (string, string, error) { return r.cards.ReadToken(ctx, "UnionPay") }
	// The card and another person's finger: nothing is linked.
	asked := 0
	if _, err := r.members.LinkDemoCard(ctx, zhang, r.manager, unionPay, func() { asked++; r.place(li.Name) }); errKey(err) != "error.member.link_not_member" || asked != 1 {
		t.Fatalf("linked with 李娜's finger: %v (finger asked %d times)", err, asked)
	}
	if token, _, err := r.cards.ReadToken(ctx, "UnionPay"); err != nil {
		t.Fatal(err)
	} else if _, err := r.store.MemberByCardToken(ctx, token); models.ErrorCode(err) != models.ENOTFOUND {
		t.Fatalf("a card linked with the wrong finger: %v", err)
	}
	// The card, then the member's own finger, in one step.
	masked, err := r.members.LinkDemoCard(ctx, zhang, r.manager, unionPay, func() { r.place(zhang.Name) })
	if err != nil || masked != "**** **** **** 1232" {
		t.Fatalf("link the card: %q %v", masked, err)
	}
	linked, _, err := r.cards.ReadToken(ctx, "UnionPay")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := r.cards.ReadToken(ctx, "Visa")
	if err != nil {
		t.Fatal(err)
	}

	// A card no member linked passes without a finger: the bank is told of
	// its signature, and no member's check applies.
	if who, err := r.members.VerifyCardholder(ctx, other, 30000); err != nil || who.ID != 0 {
		t.Fatalf("a card not linked: %+v %v", who, err)
	}
	// Another member's finger, and a stranger's, are not the cardholder's.
	r.place(li.Name)
	if _, err := r.members.VerifyCardholder(ctx, linked, 30000); errKey(err) != "error.card.not_cardholder" {
		t.Fatalf("another member's finger: %v", err)
	}
	r.place(demo.Stranger)
	if _, err := r.members.VerifyCardholder(ctx, linked, 30000); errKey(err) != "error.card.not_cardholder" {
		t.Fatalf("a stranger's finger: %v", err)
	}
	// The member who linked it.
	r.place(zhang.Name)
	who, err := r.members.VerifyCardholder(ctx, linked, 30000)
	if err != nil || who.ID != zhang.ID {
		t.Fatalf("the cardholder's finger: %+v %v", who, err)
	}
	// Without card payments no card can be linked.
	none := members.New(r.store, r.session, r.reader, nil, models.CNY)
	if _, err := none.LinkCard(ctx, li, r.manager, nil); !errors.Is(err, acquirer.ErrNotConfigured) {
		t.Fatalf("link without card payments: %v", err)
	}
}

func TestRemoveDeletesTheirFingers(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	zhang := r.add(t, "张伟", "13800135678")
	li := r.add(t, "李娜", "13900139000")
	if n, _ := r.reader.Templates(); n != 2 {
		t.Fatalf("%d templates for two members", n)
	}
	// A member with money on the balance is not removed.
	top, err := r.members.TopUp(zhang, 100)
	if err != nil {
		t.Fatal(err)
	}
	r.paidInCash(t, top)
	if err := r.members.Remove(ctx, zhang, r.manager); err == nil {
		t.Fatal("removed a member with ¥1.00 on the balance")
	}
	if err := r.members.Remove(ctx, li, r.manager); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.reader.Templates(); n != 1 {
		t.Fatalf("%d templates left, want zhang's only", n)
	}
	counts, err := r.reader.Counts(ctx, fingers.KindMember)
	if err != nil || counts[li.ID] != 0 || counts[zhang.ID] != 1 {
		t.Fatalf("fingers kept: %v %v", counts, err)
	}
	if found, _ := r.members.Find(ctx, "李"); len(found) != 0 {
		t.Fatalf("a removed member is found: %+v", found)
	}
	// Her finger no longer identifies anyone.
	r.place(li.Name)
	if _, err := r.members.Identify(ctx); err != fingers.ErrNoMatch {
		t.Fatalf("a removed member's finger: %v", err)
	}
}
