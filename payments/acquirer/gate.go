package acquirer

import (
	"context"
	"errors"
	"sync/atomic"
)

// Gate lets one user at a time hold the terminal's traffic with the host:
// a payment the cashier waits for, or a round of background work
// (reversals, advices, sync). One gate serves every connection a terminal
// dials in turn, and its offline decisions too, so that no request the
// terminal has in flight is ever taken for one a crash left behind.
type Gate struct {
	sem     chan struct{}
	waiting atomic.Int32 // urgent users waiting for the gate
}

// NewGate is a gate nobody holds.
func NewGate() *Gate { return &Gate{sem: make(chan struct{}, 1)} }

// ErrYield means background work gave way to a payment waiting for the
// link; it is tried again shortly.
var ErrYield = errors.New("acquirer: background work gave way to a payment")

// Hold runs fn with the link to itself. urgent is work someone waits for (a
// payment, a void, a settlement): it goes first. Background work yields
// (ErrYield) when a payment is waiting, and should check PaymentWaiting
// between its messages and stop early. Hold is not re-entrant.
func (l *Link) Hold(ctx context.Context, urgent bool, fn func() error) error {
	return l.gate.Hold(ctx, urgent, fn)
}

// PaymentWaiting reports whether urgent work waits for the link.
func (l *Link) PaymentWaiting() bool { return l.gate.PaymentWaiting() }

// Hold runs fn holding the gate; see Link.Hold.
func (g *Gate) Hold(ctx context.Context, urgent bool, fn func() error) error {
	if urgent {
		g.waiting.Add(1)
		defer g.waiting.Add(-1)
	} else if g.waiting.Load() > 0 {
		return ErrYield
	}
	select {
	case g.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.sem }()
	if !urgent && g.waiting.Load() > 0 {
		return ErrYield
	}
	return fn()
}

// PaymentWaiting reports whether urgent work waits for the gate.
func (g *Gate) PaymentWaiting() bool { return g.waiting.Load() > 0 }
