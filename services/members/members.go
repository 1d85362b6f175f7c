// Package members runs the stored-value programme: members enrol a finger,
// top up, pay from their balance with it, and link a card that their
// finger then verifies above the no-PIN limit.
package members

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services/fingers"
)

// Session says who sells at which terminal; *staff.Session is one.
type Session interface {
	TerminalID() string
	Operator() models.Operator
	SaleContext() models.SaleContext
}

// Cards reads a tapped card for its keyed token; *cardpay.Cards is one.
type Cards interface {
	ReadToken(ctx context.Context) (token, masked string, err error)
}

// Members is the stored-value programme.
type Members struct {
	store    *models.Store
	session  Session
	fingers  *fingers.Reader
	cards    Cards // nil without card payments
	currency models.Currency
}

// New runs the programme with the fingerprint reader r (never nil: members
// pay by finger) and cards (nil without card payments).
func New(store *models.Store, s Session, r *fingers.Reader, cards Cards, currency models.Currency) *Members {
	return &Members{store: store, session: s, fingers: r, cards: cards, currency: currency}
}

// Find lists the active members whose name or masked phone contains text.
func (m *Members) Find(ctx context.Context, text string) ([]models.Member, error) {
	return m.store.Members(ctx, text)
}

// Add stores a new member (phone kept masked), enrolled by by.
func (m *Members) Add(ctx context.Context, name, phone string, by models.Operator) (models.Member, error) {
	return m.store.AddMember(ctx, name, phone, by, m.session.TerminalID())
}

// Enroll reads the member's finger three times, with their consent, and
// keeps it sealed.
func (m *Members) Enroll(ctx context.Context, mem models.Member, step func(int)) error {
	return m.fingers.Enroll(ctx, fingers.KindMember, mem.ID, mem.Name, m.session.Operator(), fingers.PurposeMember, step)
}

// Identify waits for a finger and returns the active member it belongs to.
func (m *Members) Identify(ctx context.Context) (models.Member, error) {
	var mem models.Member
	_, err := m.fingers.Identify(ctx, fingers.KindMember, func(fp models.Fingerprint) bool {
		got, err := m.store.MemberByID(ctx, fp.OwnerID)
		mem = got
		return err == nil && got.Active
	})
	return mem, err
}

// TopUp is an order that puts amount on the member's balance once paid.
func (m *Members) TopUp(mem models.Member, amount int64) (*models.Order, error) {
	return models.NewTopUpOrder(m.currency, mem, amount)
}

// Pay pays amount of o from the member's balance, storing o (paid, or
// awaiting the rest).
func (m *Members) Pay(ctx context.Context, o *models.Order, mem models.Member, amount int64) error {
	return m.store.PayFromBalance(ctx, o, mem.ID, amount, m.session.SaleContext())
}

// LinkCard links a bank card to the member, for by (who needs the
// permission to link cards, checked by the store), with the cardholder
// there: the card is tapped, then the member places their finger, in one
// step; a finger that is not the member's links nothing. fingerNow is
// called once the card is read, to ask for the finger. It returns the
// masked card number.
func (m *Members) LinkCard(ctx context.Context, mem models.Member, by models.Operator, fingerNow func()) (string, error) {
	if m.cards == nil {
		return "", acquirer.ErrNotConfigured
	}
	return m.link(ctx, mem, by, m.cards.ReadToken, fingerNow)
}

// errNotTheMember means the finger placed while linking a card is not the
// member's.
var errNotTheMember = &models.Error{Code: models.EINVALID, Key: "error.member.link_not_member",
	Fallback: "That finger is not {{.Name}}'s: the card was not linked. The member taps their own card and places their own finger"}

// link links the card read by read to mem, for by, once mem's finger is
// placed.
func (m *Members) link(ctx context.Context, mem models.Member, by models.Operator, read func(context.Context) (string, string, error), fingerNow func()) (string, error) {
	token, masked, err := read(ctx)
	if err != nil {
		return "", err
	}
	if fingerNow != nil {
		fingerNow()
	}
	fctx, cancel := context.WithTimeout(ctx, cardholderWait)
	defer cancel()
	who, err := m.Identify(fctx)
	if err != nil && !errors.Is(err, fingers.ErrNoMatch) {
		return "", err
	}
	if err != nil || who.ID != mem.ID {
		e := *errNotTheMember
		e.Args = map[string]any{"Name": mem.Name}
		e.Err = err
		return "", &e
	}
	return masked, m.store.LinkCard(ctx, mem.ID, token, by, m.session.TerminalID())
}

// Remove ends a membership, by by: the member's name and phone are erased and
// their fingers deleted from the module and the database.
func (m *Members) Remove(ctx context.Context, mem models.Member, by models.Operator) error {
	pages, err := m.store.RemoveMember(ctx, mem.ID, by, m.session.TerminalID())
	if err != nil {
		return err
	}
	return m.fingers.Forget(pages)
}

// errNotCardholder means the finger placed is not that of the member who
// linked the card.
var errNotCardholder = &models.Error{Code: models.EINVALID, Key: "error.card.not_cardholder",
	Fallback: "That finger is not the cardholder's: nothing was charged"}

// cardholderWait bounds the wait for the cardholder's finger.
const cardholderWait = time.Minute

// VerifyCardholder checks, for a card a member linked, that the member
// places their finger: the shop's own check above the no-PIN limit, beside
// the signature the bank is told of. A card no member linked passes with
// the zero member.
func (m *Members) VerifyCardholder(ctx context.Context, token string, limit int64) (models.Member, error) {
	owner, err := m.store.MemberByCardToken(ctx, token)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return models.Member{}, nil
	}
	if err != nil {
		return models.Member{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, cardholderWait)
	defer cancel()
	who, err := m.Identify(ctx)
	if errors.Is(err, fingers.ErrNoMatch) {
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

// LinkDemoCard links the card that read (a demo card) gives, for by, once
// the member's finger is placed (LinkCard).
func (m *Members) LinkDemoCard(ctx context.Context, mem models.Member, by models.Operator, read func(context.Context) (string, string, error), fingerNow func()) (string, error) {
	return m.link(ctx, mem, by, read, fingerNow)
}
