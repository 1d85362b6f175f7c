package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/screens"
)

// members runs the stored-value programme for the screens: members enrol
// a finger, top up, pay from their balance with it, and link a card that
// their finger then verifies above the no-PIN limit.
type members struct {
	t *Till
	f *fingers
}

var _ screens.Members = members{}

// Find lists the active members whose name or masked phone contains text.
func (m members) Find(ctx context.Context, text string) ([]models.Member, error) {
	return m.t.store.Members(ctx, text)
}

// Add stores a new member (phone kept masked).
func (m members) Add(ctx context.Context, name, phone string) (models.Member, error) {
	return m.t.store.AddMember(ctx, name, phone, m.t.env.Shop.Operator, m.t.env.Shop.TerminalID)
}

// Enroll reads the member's finger three times, with their consent, and
// keeps it sealed.
func (m members) Enroll(ctx context.Context, mem models.Member, step func(int)) error {
	return m.f.enroll(ctx, "member", mem.ID, mem.Name, m.t.env.Shop.Operator, purposeMember, step)
}

// Identify waits for a finger and returns the member it belongs to.
func (m members) Identify(ctx context.Context) (models.Member, error) {
	return m.f.IdentifyMember(ctx)
}

// DemoFingers names the fingers a demo can place for members: the enrolled
// members' and a stranger's (demo mode only).
func (m members) DemoFingers() []string {
	if m.f.sim == nil {
		return nil
	}
	ms, err := m.t.store.Members(context.Background(), "")
	if err != nil {
		return []string{demoStranger}
	}
	names := make([]string, 0, len(ms)+1)
	for _, mem := range ms {
		names = append(names, mem.Name)
	}
	return append(names, demoStranger)
}

// PlaceDemo puts a demo finger on the simulated reader.
func (m members) PlaceDemo(name string) { m.f.PlaceDemo(name) }

// TopUp is an order that puts amount on the member's balance once paid.
func (m members) TopUp(mem models.Member, amount int64) (*models.Order, error) {
	return models.NewTopUpOrder(m.t.env.Shop.Currency, mem, amount)
}

// Pay pays amount of o from the member's balance, storing o (paid, or
// awaiting the rest).
func (m members) Pay(ctx context.Context, o *models.Order, mem models.Member, amount int64) error {
	return m.t.store.PayFromBalance(ctx, o, mem.ID, amount,
		models.SaleContext{TerminalID: m.t.env.Shop.TerminalID, Operator: m.t.env.Shop.Operator})
}

// LinkCard reads a card (tapped, or the demo card named demo) and links
// its token to the member; it returns the masked card number.
func (m members) LinkCard(ctx context.Context, mem models.Member, demo string) (string, error) {
	if m.t.cards == nil {
		return "", errNoAcquirer
	}
	token, masked, err := m.t.cards.readToken(ctx, demo)
	if err != nil {
		return "", err
	}
	return masked, m.t.store.LinkCard(ctx, mem.ID, token, m.t.env.Shop.Operator, m.t.env.Shop.TerminalID)
}

// Remove ends a membership: the member's name and phone are erased and
// their fingers deleted from the module and the database.
func (m members) Remove(ctx context.Context, mem models.Member) error {
	pages, err := m.t.store.RemoveMember(ctx, mem.ID, m.t.env.Shop.Operator, m.t.env.Shop.TerminalID)
	if err != nil {
		return err
	}
	return m.f.forget(pages)
}

// readToken reads a card for its keyed token and masked number, without
// a payment.
func (c *cards) readToken(ctx context.Context, demo string) (token, masked string, err error) {
	tr, done, err := c.tap(ctx, demo, func(screens.CardStep) {})
	if err != nil {
		if ctx.Err() != nil {
			return "", "", readerError(context.Canceled)
		}
		return "", "", err
	}
	defer done()
	card, err := emv.Read(ctx, tr, emv.DefaultConfig(), emv.Transaction{Amount: 0, Currency: "156"})
	if err != nil {
		return "", "", readerError(err)
	}
	defer card.Wipe()
	return payments.CardToken(c.key, card.PAN()), card.Masked(), nil
}

// Card verification errors.
var (
	errCardNotLinked = &models.Error{Code: models.EINVALID, Key: "error.card.not_linked",
		Fallback: "Above {{.Limit}} the cardholder must be verified: this card is not linked to a member's fingerprint; take another tender"}
	errNotCardholder = &models.Error{Code: models.EINVALID, Key: "error.card.not_cardholder",
		Fallback: "That finger is not the cardholder's: nothing was charged"}
)

// cardholderWait bounds the wait for the cardholder's finger.
const cardholderWait = time.Minute

// verifyCardholder verifies, by finger, the holder of the card with token:
// the member who linked it must place their finger.
func (m members) verifyCardholder(ctx context.Context, token string, limit int64) (models.Member, error) {
	owner, err := m.t.store.MemberByCardToken(ctx, token)
	if err != nil {
		if models.ErrorCode(err) == models.ENOTFOUND {
			e := *errCardNotLinked
			e.Args = map[string]any{"Limit": models.Yuan(limit).String()}
			return models.Member{}, &e
		}
		return models.Member{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, cardholderWait)
	defer cancel()
	who, err := m.f.IdentifyMember(ctx)
	var me *models.Error
	if errors.As(err, &me) && me.Key == errFingerNoMatch.Key {
		return models.Member{}, fmt.Errorf("%w: %w", errNotCardholder, err)
	}
	if err != nil {
		return models.Member{}, err
	}
	if who.ID != owner.ID {
		return models.Member{}, errNotCardholder
	}
	return who, nil
}

// demoMember is the demo's member: enrolled, ¥200 on the balance, with the
// demo UnionPay card linked.
var demoMember = struct{ name, phone, card string }{"张伟", "13800135678", "UnionPay"}

// seedDemoMember enrols the demo member once, in demo mode with the
// simulated fingerprint module.
func (t *Till) seedDemoMember(ctx context.Context) error {
	if t.fingers == nil || t.fingers.sim == nil || t.cards == nil {
		return nil
	}
	if ms, err := t.store.Members(ctx, ""); err != nil || len(ms) > 0 {
		return err
	}
	mm := members{t, t.fingers}
	mem, err := mm.Add(ctx, demoMember.name, demoMember.phone)
	if err != nil {
		return err
	}
	if err := t.fingers.enrolDemo(ctx, "member", mem.ID, mem.Name, t.env.Shop.Operator, purposeMember); err != nil {
		return err
	}
	if _, err := mm.LinkCard(ctx, mem, demoMember.card); err != nil {
		return err
	}
	return t.store.OpeningBalance(ctx, mem.ID, 20000, t.env.Shop.Operator, t.env.Shop.TerminalID)
}
