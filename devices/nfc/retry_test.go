package nfc

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ebfe/scard"
)

func TestStutteredTellsABrokenExchangeFromACardThatLeft(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{wrap("transmit", scard.ErrNotTransacted), true}, // "Transaction failed"
		{wrap("transmit", scard.ErrCommError), true},
		{fmt.Errorf("read: %w", wrap("transmit", scard.ErrCommDataLost)), true},
		{fmt.Errorf("%w (transmit: response of 1 bytes has no status word)", ErrCardMute), true},
		{fmt.Errorf("%w (transmit: %w)", ErrCardRemoved, scard.ErrNotTransacted), false},
		{wrap("transmit", scard.ErrRemovedCard), false},
		{wrap("transmit", scard.ErrSharingViolation), false},
		{ErrCancelled, false},
		{context.Canceled, false},
		{errors.New("the card declined"), false},
		{nil, false},
	} {
		if got := Stuttered(c.err); got != c.want {
			t.Errorf("Stuttered(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestReadAgainStartsAStutteringReadOverUpToThreeTimes(t *testing.T) {
	stutter := wrap("transmit", scard.ErrNotTransacted)
	ctx := context.Background()
	// Two stutters, then a good read.
	n := 0
	got, tries, err := ReadAgain(ctx, func(context.Context) (string, error) {
		if n++; n <= 2 {
			return "", stutter
		}
		return "card", nil
	})
	if got != "card" || tries != 3 || err != nil {
		t.Fatalf("after two stutters: %q in %d tries, %v", got, tries, err)
	}
	// Always stuttering: 1 + ReadRetries reads, then the error.
	n = 0
	_, tries, err = ReadAgain(ctx, func(context.Context) (string, error) { n++; return "", stutter })
	if tries != 1+ReadRetries || n != tries || !errors.Is(err, scard.ErrNotTransacted) {
		t.Fatalf("always stuttering: %d tries, %d reads, %v", tries, n, err)
	}
	// A card that left is not read again.
	n = 0
	_, tries, err = ReadAgain(ctx, func(context.Context) (string, error) { n++; return "", ErrCardRemoved })
	if tries != 1 || n != 1 || !errors.Is(err, ErrCardRemoved) {
		t.Fatalf("card removed: %d tries, %v", tries, err)
	}
	// Nor once the cashier cancelled.
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	_, tries, _ = ReadAgain(cctx, func(context.Context) (string, error) { n++; cancel(); return "", stutter })
	if tries != 1 {
		t.Fatalf("cancelled: %d tries", tries)
	}
}
