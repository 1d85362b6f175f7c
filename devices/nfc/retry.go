package nfc

import (
	"context"
	"errors"
)

// ReadRetries is how many times a read whose exchange stuttered is started
// again, from the beginning, before the customer is asked to tap again.
const ReadRetries = 3

// Stuttered reports whether err is an exchange that broke off while the
// card stayed on the reader: a transmission error or a mute answer that
// Transmit did not find to be the card leaving. Such a read may start
// again on the same card; one whose card left may not.
func Stuttered(err error) bool {
	if err == nil || errors.Is(err, ErrCardRemoved) || errors.Is(err, ErrCancelled) || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, ErrCardMute) {
		return true
	}
	return isCode(err, failedExchange...)
}

// ReadAgain runs attempt, a whole read of the card on the reader (connect,
// read, and release on failure), and runs it again while it fails with an
// exchange that stuttered (Stuttered), up to ReadRetries more times, or
// until ctx ends. It returns the last attempt's outcome and how many
// attempts it took.
func ReadAgain[R any](ctx context.Context, attempt func(ctx context.Context) (R, error)) (R, int, error) {
	for n := 1; ; n++ {
		r, err := attempt(ctx)
		if err == nil || n > ReadRetries || !Stuttered(err) || ctx.Err() != nil {
			return r, n, err
		}
	}
}
