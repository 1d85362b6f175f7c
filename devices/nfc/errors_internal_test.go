package nfc

import (
	"context"
	"errors"
	"testing"

	"github.com/ebfe/scard"
)

func TestWrapSentinels(t *testing.T) {
	cases := []struct {
		code scard.Error
		want error
	}{
		{scard.ErrNoService, ErrNoService},
		{scard.ErrServiceStopped, ErrNoService},
		{scard.ErrSecurityViolation, ErrNoService},
		{scard.ErrUnknownReader, ErrNoReader},
		{scard.ErrNoReadersAvailable, ErrNoReader},
		{scard.ErrReaderUnavailable, ErrReaderGone},
		{scard.ErrRemovedCard, ErrCardRemoved},
		{scard.ErrNoSmartcard, ErrCardRemoved},
		{scard.ErrResetCard, ErrCardRemoved},
		{scard.ErrUnpoweredCard, ErrCardRemoved},
		{scard.ErrUnresponsiveCard, ErrCardMute},
		{scard.ErrSharingViolation, ErrBusy},
		{scard.ErrCancelled, ErrCancelled},
		{scard.ErrTimeout, ErrTimeout},
	}
	for _, c := range cases {
		err := wrap("op", c.code)
		if !errors.Is(err, c.want) {
			t.Errorf("wrap(%v) = %v, want %v", c.code, err, c.want)
		}
		if !errors.Is(err, c.code) {
			t.Errorf("wrap(%v) lost the PC/SC code", c.code)
		}
	}
	err := wrap("op", scard.ErrInvalidParameter)
	for _, s := range []error{ErrNoService, ErrNoReader, ErrReaderGone, ErrCardRemoved, ErrCancelled, ErrTimeout} {
		if errors.Is(err, s) {
			t.Errorf("wrap(invalid parameter) is %v", s)
		}
	}
	if wrap("op", nil) != nil {
		t.Error("wrap(nil) != nil")
	}
}

func TestCtxErr(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	if ctxErr("op", ctx) != nil {
		t.Fatal("live context reported")
	}
	cancel()
	if err := ctxErr("op", ctx); !errors.Is(err, ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 0)
	defer cancel()
	if err := ctxErr("op", ctx); !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
}
