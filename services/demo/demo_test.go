package demo

import (
	"context"
	"slices"
	"testing"

	"github.com/till-pos/till/internal/stafftest"
	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/fingers"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/members"
)

func newStore(t *testing.T) *models.Store {
	t.Helper()
	s := storetest.Open(t)
	return s
}

func TestSeedTwiceKeepsOneOfEachDemoPerson(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	first, err := Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	products, _ := s.ProductCount(ctx)
	second, err := Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == 0 || first.ID != second.ID || first.Name != Operator.Name || first.IsManager() {
		t.Fatalf("operators seeded: %+v then %+v", first, second)
	}
	// The demo codes sign in, checked against their hashes.
	if op, err := s.OperatorByCode(ctx, OperatorCode); err != nil || op.ID != first.ID {
		t.Fatalf("the demo cashier's code: %+v %v", op, err)
	}
	if op, err := s.ManagerByCode(ctx, ManagerCode); err != nil || op.Name != Manager.Name {
		t.Fatalf("the demo manager's code: %+v %v", op, err)
	}
	ops, err := s.Operators(ctx)
	if err != nil || len(ops) != 3 {
		t.Fatalf("operators after two seeds: %+v %v", ops, err)
	}
	roles := map[models.Role]int{}
	for _, op := range ops {
		roles[op.Role]++
	}
	if roles[models.RoleManager] != 1 || roles[models.RoleOwner] != 1 || roles[models.RoleCashier] != 1 {
		t.Fatalf("roles after two seeds: %v", roles)
	}
	if again, _ := s.ProductCount(ctx); products == 0 || again != products {
		t.Fatalf("products: %d then %d", products, again)
	}
	if name, _ := s.Setting(ctx, models.SettingStoreName, ""); name != "收银台示范店" {
		t.Fatalf("store name %q", name)
	}
	// A shop's own name is kept.
	if err := s.SetSetting(ctx, models.SettingStoreName, "我的店"); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, s); err != nil {
		t.Fatal(err)
	}
	if name, _ := s.Setting(ctx, models.SettingStoreName, ""); name != "我的店" {
		t.Fatalf("the seed renamed the shop %q", name)
	}
}

func TestAbilitiesWithoutPartsAreNone(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	a, err := New(ctx, s, "T01", nil, nil, nil, nil, models.Operator{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Cards() != nil || a.StaffFingers() != nil || a.MemberFingers() != nil || a.CanScanQR() {
		t.Fatalf("abilities without parts: %v %v %v %v", a.Cards(), a.StaffFingers(), a.MemberFingers(), a.CanScanQR())
	}
	a.PlaceFinger(Manager.Name) // no reader: nothing happens
	if fps, _ := s.Fingerprints(ctx); len(fps) != 0 {
		t.Fatalf("%d fingers enrolled without a reader", len(fps))
	}
}

func TestAbilitiesOverRealPartsSeedOnce(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	op, err := Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := Stored(ctx, s, Manager)
	if err != nil {
		t.Fatal(err)
	}
	sess := stafftest.SignedIn(t, s, op)
	key := make([]byte, 32)
	r, err := fingers.Open(ctx, s, "T01", key, true, func(what string, err error) { t.Errorf("%s: %v", what, err) })
	if err != nil || r == nil {
		t.Fatalf("simulated fingerprint module: %v", err)
	}
	t.Cleanup(r.Close)
	cards, err := cardpay.New(ctx, s, nil, key)
	if err != nil {
		t.Fatal(err)
	}
	m := members.New(s, sess, r, cards, models.CNY)
	link := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY})
	t.Cleanup(link.Close)
	for range 2 { // a second start enrols and seeds nothing more
		a, err := New(ctx, s, "T01", cards, r, m, link, manager)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Cards(), []string{"UnionPay", "Visa", "Mastercard", "Expired", "Forged"}) || !a.CanScanQR() {
			t.Fatalf("abilities: %v %v", a.Cards(), a.CanScanQR())
		}
		if !slices.Equal(a.StaffFingers(), []string{Manager.Name, Operator.Name, Stranger}) ||
			!slices.Equal(a.MemberFingers(), []string{Member.Name, Stranger}) {
			t.Fatalf("fingers: %v %v", a.StaffFingers(), a.MemberFingers())
		}
	}
	fps, err := s.Fingerprints(ctx)
	if err != nil || len(fps) != 3 {
		t.Fatalf("%d fingers enrolled, want the manager's, the cashier's and the member's (%v)", len(fps), err)
	}
	ms, err := s.Members(ctx, "")
	if err != nil || len(ms) != 1 || ms[0].Balance != Member.Balance {
		t.Fatalf("members: %+v %v", ms, err)
	}
	// The demo member's finger verifies the demo card they hold.
	token, _, err := cardpay.NewDemo(cards).ReadToken(ctx, Member.Card)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(ctx, s, "T01", cards, r, m, link, manager)
	if err != nil {
		t.Fatal(err)
	}
	a.PlaceFinger(Member.Name)
	if who, err := m.VerifyCardholder(ctx, token, 30000); err != nil || who.ID != ms[0].ID {
		t.Fatalf("the demo member's card: %+v %v", who, err)
	}
}
