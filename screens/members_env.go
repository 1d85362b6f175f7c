package screens

import (
	"context"

	"github.com/till-pos/till/models"
)

// Members runs the shop's stored-value programme: members enrol a finger,
// top up their balance, and pay from it with that finger.
type Members interface {
	// Find lists the active members whose name or masked phone contains text.
	Find(ctx context.Context, text string) ([]models.Member, error)
	// Add stores a new member; the phone is kept masked.
	Add(ctx context.Context, name, phone string) (models.Member, error)
	// Enroll reads the member's finger three times (step told 1, 2, 3),
	// with their consent, and keeps it.
	Enroll(ctx context.Context, m models.Member, step func(n int)) error
	// Identify waits (until ctx is done) for a finger and returns whose it is.
	Identify(ctx context.Context) (models.Member, error)
	// DemoFingers names the fingers a demo can place for members (none
	// outside demo mode); PlaceDemo puts one on the reader.
	DemoFingers() []string
	PlaceDemo(name string)
	// TopUp is an order that puts amount on m's balance once paid.
	TopUp(m models.Member, amount int64) (*models.Order, error)
	// Pay pays amount of o from m's balance; o comes back as stored: paid,
	// or awaiting the rest by another tender.
	Pay(ctx context.Context, o *models.Order, m models.Member, amount int64) error
	// LinkCard reads a card (tapped, or the demo card named demo) and
	// links it, by its token, to m; it returns the masked card number.
	LinkCard(ctx context.Context, m models.Member, demo string) (string, error)
	// Remove ends m's membership and deletes their fingers.
	Remove(ctx context.Context, m models.Member) error
}
