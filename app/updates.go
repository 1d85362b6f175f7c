package app

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/screens"
	swupdate "github.com/till-pos/till/services/update"
)

// updateCheckEvery is how often the update channel is asked for a newer
// version, after a first look a minute after the start.
const updateCheckEvery = 24 * time.Hour

// updateCheckTimeout bounds one background check.
const updateCheckTimeout = 2 * time.Minute

// startUpdates makes the update installer of the running version; training
// has none (its database is not the shop's).
func (t *Till) startUpdates(_ context.Context, shop screens.Shop, _ []byte) error {
	t.updates = nil
	if t.training != nil {
		return nil
	}
	t.updates = &swupdate.Installer{Store: t.store, TerminalID: shop.TerminalID, Current: t.opts.Version,
		Target: t.opts.updateTarget, SaleInProgress: t.saleInProgress}
	return nil
}

// saleInProgress reports whether an order is in the sell screen's cart; it
// is read on Fyne's goroutine.
func (t *Till) saleInProgress() bool {
	busy := false
	read := func() {
		if t.shell != nil {
			o := t.shell.Sell.Order()
			busy = o != nil && !o.IsEmpty()
		}
	}
	if t.opts.inlineUI {
		read()
	} else {
		fyne.DoAndWait(read)
	}
	return busy
}

// runUpdateChecks asks the update channel for a newer version a minute
// after the start and then every updateCheckEvery, quietly: an offer is
// remembered for the Day end screen, which shows it once the day is
// closed; nothing is shown during a sale. A failure is only logged.
func (t *Till) runUpdateChecks() {
	if t.stopUpdates != nil {
		close(t.stopUpdates) // begun again (training): one timer
		t.stopUpdates = nil
	}
	if t.updates == nil {
		return
	}
	t.stopUpdates = make(chan struct{})
	in := t.updates
	every(t.stopUpdates, time.Minute, updateCheckEvery, func() { checkUpdate(in) })
}

// every runs work on a goroutine of its own first after first, then every
// period after the last run ended, until stop is closed.
func every(stop <-chan struct{}, first, period time.Duration, work func()) {
	go func() {
		timer := time.NewTimer(first)
		defer timer.Stop()
		for {
			select {
			case <-stop:
				return
			case <-timer.C:
			}
			work()
			timer.Reset(period)
		}
	}()
}

// checkUpdate asks in's channel once; no channel and nothing newer are
// not failures.
func checkUpdate(in *swupdate.Installer) {
	ctx, cancel := context.WithTimeout(context.Background(), updateCheckTimeout)
	defer cancel()
	if _, err := in.Check(ctx); err != nil && !errors.Is(err, swupdate.ErrConfig) && !errors.Is(err, swupdate.ErrNoUpdate) {
		logError("update check", err)
	}
}
