// Package nfc talks to contactless (and contact) smart-card readers through
// PC/SC: pcsc-lite's pcscd on Linux, reached with github.com/ebfe/scard.
//
// A Service holds a PC/SC context for quick queries (Readers). Every blocking
// wait (WaitForCard, WatchReaders, Card.WaitRemoved) runs on a PC/SC context
// of its own, so that it can be cancelled with SCardCancel without disturbing
// anything else, and so that a blocked wait never holds up a Transmit:
// pcsc-lite serialises the calls made on one context.
//
// Errors wrap the package's Err variables (ErrNoService, ErrNoReader,
// ErrCardRemoved, ...); test them with errors.Is.
//
// A caveat of github.com/ebfe/scard: during GetStatusChange it keeps the C
// copy of a reader name alive in a map keyed by the name, so two waits on the
// same reader at the same time leave the older one's copy unreferenced. The
// package itself overlaps such waits only briefly (Card.WaitRemoved beside a
// failing Transmit); avoid long concurrent waits on one reader.
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

// PnPReader is the pseudo reader name on which PC/SC reports changes of the
// reader list.
const PnPReader = `\\?PnP?\Notification`

// PollInterval is how often WatchReaders lists the readers when the PC/SC
// implementation has no PnP notification. With PnP notification it is how
// often the wait is re-armed and the list compared anyway: pcsc-lite 1.9
// counts the readers when a wait starts (it ignores the count passed in the
// high word of the current state, which pcsc-lite 2 honours), so a change
// between listing and waiting would otherwise go unseen until the next one.
const PollInterval = 2 * time.Second

// cancelRetry is how often a wait is cancelled again when the first
// SCardCancel arrived before the wait had started (pcsc-lite drops a cancel
// that finds nothing to interrupt).
const cancelRetry = 50 * time.Millisecond

// Option configures a Service.
type Option func(*Service)

// Exclusive makes WaitForCard connect to cards in exclusive mode: no other
// PC/SC application can talk to the card while this package holds it. The
// default is shared mode.
func Exclusive() Option {
	return func(s *Service) { s.share = scard.ShareExclusive }
}

// Service is a connection to the PC/SC service. Its methods are safe for
// concurrent use.
type Service struct {
	share scard.ShareMode

	mu      sync.Mutex
	ctx     *scard.Context // nil once closed
	closing chan struct{}  // closed by Close: cancels running waits
	waits   sync.WaitGroup // running waits
}

// Open establishes a PC/SC context. It fails with ErrNoService when pcscd is
// not running.
func Open(opts ...Option) (*Service, error) {
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, wrap("open", err)
	}
	s := &Service{share: scard.ShareShared, ctx: c, closing: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Close cancels running waits of the Service (they return ErrCancelled),
// waits for them to return and releases the PC/SC context. Cards already
// handed out stay usable until their own Close. Close is idempotent.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.ctx == nil {
		s.mu.Unlock()
		return nil
	}
	c := s.ctx
	s.ctx = nil
	close(s.closing)
	s.mu.Unlock()

	s.waits.Wait()
	return wrap("close", c.Release())
}

// begin registers a wait; it fails once the Service is closed.
func (s *Service) begin() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		return ErrClosed
	}
	s.waits.Add(1)
	return nil
}

// Readers lists the names of the connected readers. No reader is an empty
// list, not an error.
func (s *Service) Readers() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		return nil, ErrClosed
	}
	readers, err := listReaders(s.ctx)
	if isCode(err, scard.ErrInvalidHandle, scard.ErrNoService, scard.ErrServiceStopped, scard.ErrNoAccess,
		scard.ErrSecurityViolation, scard.ErrCommError) {
		// pcscd was restarted: the old context is dead, try a new one.
		if c, err2 := scard.EstablishContext(); err2 == nil {
			_ = s.ctx.Release()
			s.ctx = c
			readers, err = listReaders(s.ctx)
		}
	}
	if err != nil {
		return nil, wrap("list readers", err)
	}
	return readers, nil
}

// WatchReaders calls fn with the current reader list, then again each time
// the list changes, until ctx is done or the Service is closed; it then
// returns an error wrapping ErrCancelled (or ErrTimeout for a deadline). fn
// runs on the caller's goroutine and must not block for long.
//
// Changes are awaited with GetStatusChange on PnPReader. When the PC/SC
// service does not support PnP notification, the list is polled every
// PollInterval instead.
func (s *Service) WatchReaders(ctx context.Context, fn func(readers []string)) error {
	const op = "watch readers"
	if err := s.begin(); err != nil {
		return err
	}
	defer s.waits.Done()

	c, err := scard.EstablishContext()
	if err != nil {
		return wrap(op, err)
	}
	defer c.Release()
	stop := startCanceller(c, ctx, s.closing, nil)
	defer stop()

	readers, err := listReaders(c)
	if err != nil {
		return wrap(op, err)
	}
	fn(slices.Clone(readers))

	pnp := true
	for {
		if err := s.stopped(op, ctx); err != nil {
			return err
		}
		relist := true
		if pnp {
			if relist, pnp, err = s.awaitPnPChange(ctx, c, op, len(readers)); err != nil {
				return err
			}
		} else if err := s.awaitPoll(ctx, op); err != nil {
			return err
		}
		if !relist {
			continue
		}
		now, err := listReaders(c)
		if err != nil {
			return wrap(op, err)
		}
		if !slices.Equal(now, readers) {
			readers = now
			fn(slices.Clone(readers))
		}
	}
}

// awaitPnPChange waits up to PollInterval on PnPReader for the reader list,
// of count readers, to change. relist is true when the list should be read
// again (a change, or the interval passed: see PollInterval); pnp turns false
// when the PC/SC service turns out not to support PnP notification, so the
// caller polls from then on. A cancelled wait returns neither, or the error
// of ctx being done or the Service closed.
func (s *Service) awaitPnPChange(ctx context.Context, c *scard.Context, op string, count int) (relist, pnp bool, err error) {
	st := []scard.ReaderState{{
		Reader: PnPReader,
		// pcsc-lite 2 compares the reader count in the high word
		// with its own and returns at once when they differ.
		CurrentState: scard.StateFlag(count << 16),
	}}
	err = c.GetStatusChange(st, PollInterval)
	switch {
	case isCode(err, scard.ErrCancelled):
		return false, true, s.stopped(op, ctx)
	case isCode(err, scard.ErrTimeout):
		return true, true, nil
	case isCode(err, scard.ErrUnknownReader):
		return false, false, nil
	case err != nil:
		return false, true, wrap(op, err)
	case st[0].EventState&scard.StateUnknown != 0:
		return false, false, nil
	}
	return true, true, nil
}

// awaitPoll waits PollInterval, or less if ctx is done or the Service is
// closing, and then returns the error of either, if any.
func (s *Service) awaitPoll(ctx context.Context, op string) error {
	t := time.NewTimer(PollInterval)
	select {
	case <-ctx.Done():
	case <-s.closing:
	case <-t.C:
	}
	t.Stop()
	return s.stopped(op, ctx)
}

// WaitForCard waits, without time limit, until a card is in the named reader
// and connects to it (protocol T=0 or T=1). Cancel ctx to give up: the wait
// then returns an error wrapping ErrCancelled (ErrTimeout if ctx's deadline
// passed). A reader that does not exist gives ErrNoReader; one unplugged
// during the wait gives ErrReaderGone.
//
// A card found in the reader when WaitForCard is called counts: it does not
// need to be tapped again. A card that leaves before the connection is made
// is ignored and the wait goes on.
func (s *Service) WaitForCard(ctx context.Context, reader string) (*Card, error) {
	const op = "wait for card"
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.waits.Done()
	if err := ctxErr(op, ctx); err != nil {
		return nil, err
	}

	c, err := scard.EstablishContext()
	if err != nil {
		return nil, wrap(op, err)
	}
	stop := startCanceller(c, ctx, s.closing, nil)
	card, err := s.waitForCard(ctx, c, reader)
	stop()
	if err != nil {
		_ = c.Release()
		return nil, err
	}
	return card, nil
}

func (s *Service) waitForCard(ctx context.Context, c *scard.Context, reader string) (*Card, error) {
	const op = "wait for card"
	readers, err := listReaders(c)
	if err != nil {
		return nil, wrap(op, err)
	}
	if !slices.Contains(readers, reader) {
		return nil, reason(op+" in "+quote(reader), ErrNoReader)
	}

	states := []scard.ReaderState{{Reader: reader, CurrentState: scard.StateUnaware}}
	for {
		if err := s.stopped(op, ctx); err != nil {
			return nil, err
		}
		err := c.GetStatusChange(states, -1)
		switch {
		case isCode(err, scard.ErrCancelled, scard.ErrTimeout):
			continue // stopped() tells a real cancel from a stale one
		case isCode(err, scard.ErrUnknownReader):
			return nil, reason(op+" in "+quote(reader), ErrReaderGone)
		case err != nil:
			return nil, wrap(op, err)
		}
		ev := states[0].EventState
		if ev&scard.StateUnknown != 0 {
			return nil, reason(op+" in "+quote(reader), ErrReaderGone)
		}
		states[0].CurrentState = ev &^ scard.StateChanged
		if ev&scard.StatePresent == 0 || ev&scard.StateMute != 0 {
			continue
		}
		h, err := c.Connect(reader, s.share, scard.ProtocolAny)
		if err != nil {
			var code scard.Error
			if errors.As(err, &code) {
				switch sentinelFor(code) {
				case ErrCardRemoved, ErrCardMute, ErrBusy:
					// Gone again, mute, or held by someone else: wait for
					// the reader's next change.
					continue
				}
			}
			return nil, wrap("connect", err)
		}
		return newCard(c, h, reader, states[0].Atr), nil
	}
}

// stopped reports why a wait must end, or nil when it may go on.
func (s *Service) stopped(op string, ctx context.Context) error {
	if err := ctxErr(op, ctx); err != nil {
		return err
	}
	select {
	case <-s.closing:
		return closedErr(op)
	default:
		return nil
	}
}

func closedErr(op string) error {
	return fmt.Errorf("%w (%s: %w)", ErrCancelled, op, ErrClosed)
}

// startCanceller interrupts the blocking calls on c once ctx is done or one
// of the channels is closed (a nil channel never is). pcsc-lite ignores a
// cancel that arrives while no GetStatusChange is blocked, so the cancel is
// repeated until stop is called. stop returns when the goroutine has ended:
// c can then be released safely.
func startCanceller(c *scard.Context, ctx context.Context, a, b <-chan struct{}) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-ctx.Done():
		case <-a:
		case <-b:
		case <-quit:
			return
		}
		_ = c.Cancel()
		t := time.NewTicker(cancelRetry)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				_ = c.Cancel()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}

// listReaders lists readers; none is an empty list.
func listReaders(c *scard.Context) ([]string, error) {
	r, err := c.ListReaders()
	if isCode(err, scard.ErrNoReadersAvailable) {
		return []string{}, nil
	}
	if r == nil && err == nil {
		r = []string{}
	}
	return r, err
}

// isCode reports whether err is one of the PC/SC status codes.
func isCode(err error, codes ...scard.Error) bool {
	var code scard.Error
	if err == nil || !errors.As(err, &code) {
		return false
	}
	return slices.Contains(codes, code)
}

func quote(s string) string { return `"` + s + `"` }
