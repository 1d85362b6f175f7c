package nfc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ebfe/scard"
)

// Card is a connection to a card in a reader, obtained from
// Service.WaitForCard. Its methods are safe for concurrent use; APDUs are
// exchanged one at a time.
type Card struct {
	reader string
	atr    []byte

	mu     sync.Mutex     // serialises Transmit and Close
	ctx    *scard.Context // owned by the Card; nil once closed
	h      *scard.Card
	closed chan struct{}  // closed by Close: cancels WaitRemoved
	waits  sync.WaitGroup // running WaitRemoved calls
}

func newCard(c *scard.Context, h *scard.Card, reader string, atr []byte) *Card {
	if st, err := h.Status(); err == nil && len(st.Atr) > 0 {
		atr = st.Atr
	}
	return &Card{
		reader: reader,
		atr:    slices.Clone(atr),
		ctx:    c,
		h:      h,
		closed: make(chan struct{}),
	}
}

// Reader is the name of the reader holding the card.
func (c *Card) Reader() string { return c.reader }

// ATR returns a copy of the card's answer to reset (for a contactless card,
// the ATR the reader builds from the card's ATS or ATQB, as in PC/SC part 3).
func (c *Card) ATR() []byte { return slices.Clone(c.atr) }

// Transmit sends a command APDU and returns the response APDU including its
// status word SW1 SW2. It does not issue GET RESPONSE for 61XX nor repeat a
// command for 6CXX: that is the caller's business.
//
// ctx is checked before the exchange: an exchange under way cannot be
// interrupted through PC/SC, but pcscd and the reader driver bound it with
// their own timeouts. A card that left the field gives an error wrapping
// ErrCardRemoved; to tell that from other failures, a broken-off exchange
// waits up to RemovalGrace for the reader to report the card gone.
func (c *Card) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	const op = "transmit"
	if len(apdu) < 4 {
		return nil, fmt.Errorf("nfc: %s: command APDU of %d bytes is shorter than its 4-byte header", op, len(apdu))
	}
	if err := ctxErr(op, ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.h == nil {
		return nil, reason(op, ErrClosed)
	}
	rsp, err := c.h.Transmit(apdu)
	switch {
	case err != nil && !isCode(err, failedExchange...):
		return nil, wrap(op, err)
	case err != nil:
		if c.removed(ctx) {
			return nil, fmt.Errorf("%w (%s: %w)", ErrCardRemoved, op, err)
		}
		return nil, wrap(op, err)
	case len(rsp) < 2:
		if c.removed(ctx) {
			return nil, fmt.Errorf("%w (%s: empty response)", ErrCardRemoved, op)
		}
		return nil, fmt.Errorf("%w (%s: response of %d bytes has no status word)", ErrCardMute, op, len(rsp))
	}
	return rsp, nil
}

// failedExchange are the codes with which readers report an exchange that
// broke off, as when the card left the field before the reader's presence
// poll noticed (the virtual reader answers such an exchange with an empty
// response instead).
var failedExchange = []scard.Error{
	scard.ErrNotTransacted, scard.ErrCommError, scard.ErrCommDataLost,
	scard.ErrUnresponsiveCard, scard.ErrUnknownError, scard.ErrInternalError,
}

// RemovalGrace bounds how long Transmit, after an exchange broke off, waits
// for the reader to report that the card left; pcscd polls card presence
// every 400 ms for readers without interrupt support. Only failing exchanges
// wait.
const RemovalGrace = 2 * time.Second

// removed reports whether the card has left the reader, or leaves it within
// RemovalGrace (or before ctx ends). c.mu is held, so nothing else uses
// c.ctx.
func (c *Card) removed(ctx context.Context) bool {
	var code scard.Error
	if _, err := c.h.Status(); err != nil && errors.As(err, &code) && sentinelFor(code) == ErrCardRemoved {
		return true
	}
	states := []scard.ReaderState{{Reader: c.reader, CurrentState: scard.StateUnaware}}
	if err := c.ctx.GetStatusChange(states, 0); err != nil {
		return isCode(err, scard.ErrUnknownReader)
	}
	ev := states[0].EventState
	if ev&scard.StatePresent == 0 || ev&scard.StateUnknown != 0 {
		return true
	}
	events := ev >> 16
	deadline := time.Now().Add(RemovalGrace)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		states[0].CurrentState = ev &^ scard.StateChanged
		if err := c.ctx.GetStatusChange(states, left); err != nil {
			return isCode(err, scard.ErrUnknownReader)
		}
		ev = states[0].EventState
		if ev&scard.StatePresent == 0 || ev&scard.StateUnknown != 0 || ev>>16 != events {
			return true
		}
	}
}

// WaitRemoved blocks until the card has left the reader (or was replaced by
// another one), then returns nil. Cancelling ctx or closing the card ends the
// wait with ErrCancelled; an unplugged reader gives ErrReaderGone.
func (c *Card) WaitRemoved(ctx context.Context) error {
	const op = "wait for removal"
	c.mu.Lock()
	if c.h == nil {
		c.mu.Unlock()
		return reason(op, ErrClosed)
	}
	c.waits.Add(1)
	c.mu.Unlock()
	defer c.waits.Done()

	wc, err := scard.EstablishContext()
	if err != nil {
		return wrap(op, err)
	}
	defer wc.Release()
	stop := startCanceller(wc, ctx, c.closed, nil)
	defer stop()

	stopped := func() error {
		if err := ctxErr(op, ctx); err != nil {
			return err
		}
		select {
		case <-c.closed:
			return closedErr(op)
		default:
			return nil
		}
	}

	states := []scard.ReaderState{{Reader: c.reader, CurrentState: scard.StateUnaware}}
	first := true
	var events scard.StateFlag
	for {
		if err := stopped(); err != nil {
			return err
		}
		err := wc.GetStatusChange(states, -1)
		switch {
		case isCode(err, scard.ErrCancelled, scard.ErrTimeout):
			continue
		case isCode(err, scard.ErrUnknownReader):
			return reason(op, ErrReaderGone)
		case err != nil:
			return wrap(op, err)
		}
		ev := states[0].EventState
		if ev&scard.StateUnknown != 0 {
			return reason(op, ErrReaderGone)
		}
		if ev&scard.StatePresent == 0 {
			return nil
		}
		// pcsc-lite counts card insertions and removals in the high word.
		if first {
			events, first = ev>>16, false
		} else if ev>>16 != events {
			return nil
		}
		states[0].CurrentState = ev &^ scard.StateChanged
	}
}

// Close ends the session: it cancels a running WaitRemoved, resets the card
// if it is still in the reader (so the next session starts from a clean
// state) and releases the Card's
// PC/SC context. A card that is already gone is not an error. Close is
// idempotent.
func (c *Card) Close() error {
	c.mu.Lock()
	if c.h == nil {
		c.mu.Unlock()
		return nil
	}
	h, ctx := c.h, c.ctx
	c.h, c.ctx = nil, nil
	close(c.closed)
	c.mu.Unlock()

	c.waits.Wait()
	// Reset only a card that is still there: pcsc-lite marks the reader
	// empty when a reset fails, behind the back of its status thread, which
	// can then miss the next card on a polled reader.
	disp := scard.LeaveCard
	if st, err := h.Status(); err == nil && st.State&scard.Present != 0 {
		disp = scard.ResetCard
	}
	err := h.Disconnect(disp)
	var code scard.Error
	if errors.As(err, &code) {
		switch sentinelFor(code) {
		case ErrCardRemoved, ErrReaderGone:
			err = nil
		}
	}
	return errors.Join(wrap("disconnect", err), wrap("close", ctx.Release()))
}
