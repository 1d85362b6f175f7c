// Package demo is demo mode: the seeded catalog, staff and member, and the
// abilities a demo has that a real till does not (tapping a demo card,
// placing a demo finger, paying a QR as a customer's phone would). Nothing
// here is built outside demo mode.
package demo

import (
	"context"
	"fmt"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/emv/emvcard"
	"github.com/till-pos/till/payments/qrpay"
	"github.com/till-pos/till/resources"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/fingers"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/members"
)

// The demo's people: the cashier signed in at start, the manager who
// approves, the owner who may change everything, and a stranger whose
// finger is never enrolled.
var (
	Operator = models.Operator{Name: "演示收银员", Role: models.RoleCashier, Active: true}
	Manager  = models.Operator{Name: "演示店长", Role: models.RoleManager, Active: true}
	Owner    = models.Operator{Name: "演示店主", Role: models.RoleOwner, Active: true}
)

// The demo staff's codes: short, for the demo only (the rule of
// models.CheckStaffCode is for codes set through the staff service), and
// hashed like any code.
const (
	OperatorCode = "1001"
	ManagerCode  = "8888"
	OwnerCode    = "6666"
)

// Stranger's finger is never enrolled.
const Stranger = "访客"

// Member is the demo's member: enrolled, ¥200 on the balance, with the
// demo UnionPay card linked.
var Member = struct {
	Name, Phone, Card string
	Balance           int64
}{"张伟", "13800135678", "UnionPay", 20000}

// Seed claims the database as a demo's (refusing a shop's), imports the
// demo catalog into it when empty and makes sure the demo operator and
// manager exist; it returns the operator to sign in.
func Seed(ctx context.Context, store *models.Store) (models.Operator, error) {
	// Demo data goes only into a demo's database, never a shop's.
	if err := store.ClaimDatabase(ctx, models.DatabaseDemo); err != nil {
		return models.Operator{}, err
	}
	n, err := store.ProductCount(ctx)
	if err != nil {
		return models.Operator{}, err
	}
	if n == 0 {
		cats, prods, err := models.ParseCatalogFile(resources.DemoCatalog, models.CNY)
		if err != nil {
			return models.Operator{}, fmt.Errorf("demo: catalog: %w", err)
		}
		if err := store.ImportCatalog(ctx, cats, prods); err != nil {
			return models.Operator{}, err
		}
	}
	// The demo shop and its QR merchant account, only where not set.
	m := qrpay.DefaultDemoMerchant()
	for _, st := range []struct{ key, value string }{
		{models.SettingStoreName, m.LocalName},
		{models.SettingMerchantCity, m.LocalCity},
		{models.SettingQRGUID, m.GUID},
		{models.SettingQRMerchantID, m.MerchantID},
		{models.SettingQRMCC, m.MCC},
		{models.SettingSetupDone, "1"}, // the demo shop is set up: changes need permissions
	} {
		if v, _ := store.Setting(ctx, st.key, ""); v == "" {
			if err := store.SetSetting(ctx, st.key, st.value); err != nil {
				return models.Operator{}, err
			}
		}
	}
	for _, p := range []struct {
		op   models.Operator
		code string
	}{{Manager, ManagerCode}, {Owner, OwnerCode}} {
		if _, err := store.EnsureOperator(ctx, p.op, p.code); err != nil {
			return models.Operator{}, err
		}
	}
	op, err := store.EnsureOperator(ctx, Operator, OperatorCode)
	if err != nil {
		return models.Operator{}, err
	}
	return op, seedCAKeys(ctx, store)
}

// seedCAKeys loads the demo cards' test CA public keys, once, so that their
// offline data authentication passes: a demo's database is the only one
// that may hold them.
func seedCAKeys(ctx context.Context, store *models.Store) error {
	t, err := store.CAKeys(ctx)
	if err != nil || len(t.Keys) > 0 {
		return err
	}
	owner, err := Stored(ctx, store, Owner)
	if err != nil {
		return err
	}
	tid, err := store.Setting(ctx, models.SettingTerminalID, models.DefaultTerminalID)
	if err != nil {
		return err
	}
	return store.ReplaceCAKeys(ctx, cardpay.StoredCAKeys(emvcard.TestCAKeys(), nil), owner, tid)
}

// Stored is demo person op (Operator or Manager) as the store keeps them,
// with their ID.
func Stored(ctx context.Context, store *models.Store, op models.Operator) (models.Operator, error) {
	ops, err := store.Operators(ctx)
	if err != nil {
		return models.Operator{}, err
	}
	for _, got := range ops {
		if got.Name == op.Name {
			return got, nil
		}
	}
	return models.Operator{}, fmt.Errorf("demo: %s is not on the staff", op.Name)
}

// Abilities are what a demo can do that a real till cannot. Its parts are
// nil where the device they play is not there.
type Abilities struct {
	store    *models.Store
	terminal string
	cards    *cardpay.Demo
	fingers  *fingers.Reader // the simulated module
	members  *members.Members
	host     *hostlink.Link
}

// New gives the demo's abilities over the services there are (any may be
// nil), enrolling the demo staff's and member's fingers once.
func New(ctx context.Context, store *models.Store, terminalID string, cards *cardpay.Cards, r *fingers.Reader, m *members.Members, host *hostlink.Link, by models.Operator) (*Abilities, error) {
	a := &Abilities{store: store, terminal: terminalID, members: m, host: host}
	if cards != nil {
		a.cards = cardpay.NewDemo(cards)
	}
	if r != nil && r.Simulated() != nil {
		a.fingers = r
		if err := a.enrolStaff(ctx); err != nil {
			return nil, err
		}
		if err := a.seedMember(ctx, by); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// enrolStaff enrols the demo manager's and cashier's fingers once.
func (a *Abilities) enrolStaff(ctx context.Context) error {
	all, err := a.store.Fingerprints(ctx)
	if err != nil {
		return err
	}
	for _, op := range []models.Operator{Manager, Operator} {
		stored, err := Stored(ctx, a.store, op)
		if err != nil {
			return err
		}
		enrolled := false
		for _, fp := range all {
			enrolled = enrolled || (fp.OwnerKind == fingers.KindOperator && fp.OwnerID == stored.ID)
		}
		if enrolled {
			continue
		}
		if err := a.fingers.EnrolDemo(ctx, fingers.KindOperator, stored.ID, stored.Name, stored, fingers.PurposeStaff); err != nil {
			return err
		}
	}
	return nil
}

// seedMember enrols the demo member once, with ¥200 and the demo card.
func (a *Abilities) seedMember(ctx context.Context, by models.Operator) error {
	if a.members == nil || a.cards == nil {
		return nil
	}
	if ms, err := a.store.Members(ctx, ""); err != nil || len(ms) > 0 {
		return err
	}
	mem, err := a.members.Add(ctx, Member.Name, Member.Phone, by)
	if err != nil {
		return err
	}
	if err := a.fingers.EnrolDemo(ctx, fingers.KindMember, mem.ID, mem.Name, by, fingers.PurposeMember); err != nil {
		return err
	}
	if _, err := a.LinkCard(ctx, mem, Member.Card, by, func() { a.fingers.PlaceDemo(mem.Name) }); err != nil {
		return err
	}
	return a.store.OpeningBalance(ctx, mem.ID, Member.Balance, by, a.terminal)
}

// Cards names the demo cards a tap can be played with; none without card
// payments.
func (a *Abilities) Cards() []string {
	if a.cards == nil {
		return nil
	}
	return a.cards.Cards()
}

// PayCard pays o with the demo card named card.
func (a *Abilities) PayCard(ctx context.Context, o *models.Order, card string, step func(payments.CardStep)) (payments.CardResult, error) {
	return a.cards.Pay(ctx, o, card, step)
}

// LinkCard links the demo card named card to mem, for by, once the
// member's finger is placed (fingerNow asks for it).
func (a *Abilities) LinkCard(ctx context.Context, mem models.Member, card string, by models.Operator, fingerNow func()) (string, error) {
	return a.members.LinkDemoCard(ctx, mem, by, func(ctx context.Context) (string, string, error) {
		return a.cards.ReadToken(ctx, card)
	}, fingerNow)
}

// StaffFingers names the fingers a demo can place for staff.
func (a *Abilities) StaffFingers() []string {
	if a.fingers == nil {
		return nil
	}
	return []string{Manager.Name, Operator.Name, Stranger}
}

// MemberFingers names the fingers a demo can place for members: the
// enrolled members' and a stranger's.
func (a *Abilities) MemberFingers() []string {
	if a.fingers == nil || a.members == nil {
		return nil
	}
	ms, err := a.store.Members(context.Background(), "")
	if err != nil {
		return []string{Stranger}
	}
	names := make([]string, 0, len(ms)+1)
	for _, mem := range ms {
		names = append(names, mem.Name)
	}
	return append(names, Stranger)
}

// PlaceFinger puts a demo finger on the simulated reader.
func (a *Abilities) PlaceFinger(name string) {
	if a.fingers != nil {
		a.fingers.PlaceDemo(name)
	}
}

// CanScanQR reports whether a customer's scan of our QR can be played:
// the simulated acquirer is there.
func (a *Abilities) CanScanQR() bool { return a.host != nil && a.host.Simulated() }

// ScanQR pays the QR with payload at the simulated acquirer, as a
// customer's phone would after scanning it.
func (a *Abilities) ScanQR(ctx context.Context, payload string) error {
	return a.host.SimulateQRScan(ctx, payload)
}

// PrepareTraining gives a training database (models.DatabaseTraining, and
// no other) the demo's side of the acquirer: the demo QR merchant account
// and the demo cards' test CA public keys, so that card and QR payments in
// training run against the in-process simulated host as the demo's do,
// and the demo cards can be tapped to practise. Nothing of the shop's
// acquirer is in a training database to be used instead.
func PrepareTraining(ctx context.Context, store *models.Store, terminalID string) error {
	mode, err := store.DatabaseMode(ctx)
	if err != nil {
		return err
	}
	if err := models.CheckDatabaseMode(mode, models.DatabaseTraining); err != nil {
		return err
	}
	m := qrpay.DefaultDemoMerchant()
	if err := store.SetSettings(ctx, map[string]string{models.SettingQRGUID: m.GUID, models.SettingQRMerchantID: m.MerchantID,
		models.SettingQRMCC: m.MCC}); err != nil {
		return err
	}
	ops, err := store.Operators(ctx)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if op.Role == models.RoleOwner && op.Active {
			return store.ReplaceCAKeys(ctx, cardpay.StoredCAKeys(emvcard.TestCAKeys(), nil), op, terminalID)
		}
	}
	return nil // no owner to load them: the demo cards are then declined offline, approved online
}
