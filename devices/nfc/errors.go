package nfc

import (
	"context"
	"errors"
	"fmt"

	"github.com/ebfe/scard"
)

// Sentinel errors. Every error returned by this package that has one of these
// causes wraps the sentinel, so callers test with errors.Is and translate the
// sentinel into the user's language. When the cause is a PC/SC status code,
// the returned error also wraps the scard.Error value, and when it is a
// context, it wraps context.Canceled or context.DeadlineExceeded.
var (
	// ErrNoService means the PC/SC daemon (pcscd) is not running or cannot be
	// reached.
	ErrNoService = errors.New("nfc: PC/SC service not running")

	// ErrNoReader means the named reader does not exist, or no reader is
	// connected at all.
	ErrNoReader = errors.New("nfc: no such card reader")

	// ErrReaderGone means the reader was unplugged or became unavailable while
	// it was in use.
	ErrReaderGone = errors.New("nfc: card reader removed")

	// ErrCardRemoved means the card left the reader (or was reset or powered
	// down by someone else) before or during an exchange. For a contactless
	// card this is the usual "card taken away too early" case: ask the
	// customer to tap again.
	ErrCardRemoved = errors.New("nfc: card removed")

	// ErrCardMute means a card is in the field but did not answer (no ATR,
	// or no response to a command).
	ErrCardMute = errors.New("nfc: card does not respond")

	// ErrBusy means another application holds the reader or card
	// exclusively.
	ErrBusy = errors.New("nfc: card reader busy")

	// ErrCancelled means the operation was cancelled through its context or
	// because the Service or Card was closed.
	ErrCancelled = errors.New("nfc: cancelled")

	// ErrTimeout means the operation's deadline passed.
	ErrTimeout = errors.New("nfc: timed out")

	// ErrClosed means the Service or Card was already closed.
	ErrClosed = errors.New("nfc: closed")
)

// sentinelFor maps a PC/SC status code to one of the sentinels, or nil when
// there is no better description than the code itself.
func sentinelFor(code scard.Error) error {
	switch code {
	case scard.ErrNoService, scard.ErrServiceStopped, scard.ErrCommError, scard.ErrNoAccess,
		scard.ErrSecurityViolation, scard.ErrInvalidHandle:
		// ErrCommError, and pcsc-lite's ErrNoAccess or "access denied"
		// (SCARD_W_SECURITY_VIOLATION) on a context whose daemon went
		// away mid-call: the service is gone (or not ours).
		return ErrNoService
	case scard.ErrUnknownReader, scard.ErrNoReadersAvailable:
		return ErrNoReader
	case scard.ErrReaderUnavailable:
		return ErrReaderGone
	case scard.ErrRemovedCard, scard.ErrNoSmartcard, scard.ErrResetCard,
		scard.ErrUnpoweredCard:
		return ErrCardRemoved
	case scard.ErrUnresponsiveCard:
		return ErrCardMute
	case scard.ErrSharingViolation:
		return ErrBusy
	case scard.ErrCancelled, scard.ErrCancelledByUser, scard.ErrSystemCancelled:
		return ErrCancelled
	case scard.ErrTimeout:
		return ErrTimeout
	}
	return nil
}

// wrap turns an error from scard into an error of this package. op names the
// failing operation for the message. A nil err gives nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var code scard.Error
	if errors.As(err, &code) {
		if s := sentinelFor(code); s != nil {
			return fmt.Errorf("%w (%s: %w)", s, op, err)
		}
	}
	return fmt.Errorf("nfc: %s: %w", op, err)
}

// ctxErr converts a finished context into ErrCancelled or ErrTimeout, still
// wrapping the context's own error.
func ctxErr(op string, ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (%s: %w)", ErrTimeout, op, err)
	}
	return fmt.Errorf("%w (%s: %w)", ErrCancelled, op, err)
}

// reason builds an error for a condition seen in a reader state rather than
// returned as a status code.
func reason(op string, sentinel error) error {
	return fmt.Errorf("%w (%s)", sentinel, op)
}
