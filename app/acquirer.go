package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

// Acquirer settings and the demo values they default to.
const (
	settingAcquirerTID = "acquirer_tid"
	settingAcquirerMID = "acquirer_mid"
	settingMACKey      = "acquirer_mac_key" // hex
	demoTID            = "T0000001"
	demoMID            = "898310012345678"
	demoMACKey         = "30313233343536373839616263646566"
)

// syncLink is the terminal's connection to its acquirer and the worker that
// reports every payment to it.
type syncLink struct {
	host   *simhost.Host // the in-process simulator in demo mode, else nil
	syncer *acquirer.Syncer
	auth   *acquirer.Authorizer
}

// startAcquirer connects to the acquirer at addr, or, in demo mode without
// one, to a simulated host started in this process on loopback.
func (t *Till) startAcquirer(ctx context.Context) error {
	s := t.store
	tid, err := s.Setting(ctx, settingAcquirerTID, demoTID)
	if err != nil {
		return err
	}
	mid, err := s.Setting(ctx, settingAcquirerMID, demoMID)
	if err != nil {
		return err
	}
	keyHex, err := s.Setting(ctx, settingMACKey, demoMACKey)
	if err != nil {
		return err
	}
	key, err := acquirer.ParseMACKey(keyHex)
	if err != nil {
		return fmt.Errorf("app: MAC key setting: %w", err)
	}
	sl := &syncLink{}
	addr := t.opts.Acquirer
	if addr == "" {
		if sl.host, err = simhost.Start(key, simhost.Options{}); err != nil {
			return err
		}
		addr = sl.host.Addr()
	}
	link, err := acquirer.Dial(ctx, addr, acquirer.Terminal{TID: tid, MID: mid}, key, acquirer.LinkOptions{})
	if err != nil {
		if sl.host != nil {
			sl.host.Close()
		}
		return err
	}
	term := acquirer.Terminal{TID: tid, MID: mid}
	sl.syncer = &acquirer.Syncer{Link: link, Outbox: s, Terminal: term, TerminalID: t.env.Shop.TerminalID}
	offline := payments.DefaultOfflinePolicy
	if t.cards != nil {
		offline.FloorLimit = t.cards.Limits().Floor
	}
	sl.auth = &acquirer.Authorizer{Link: link, Journal: s, Terminal: term, TerminalID: t.env.Shop.TerminalID,
		Currency: t.env.Shop.Currency, Offline: offline}
	t.sync.Store(sl)
	return nil
}

// syncOnce settles owed reversals, reports offline approvals, drains the
// outbox and shows the result.
func (t *Till) syncOnce(ctx context.Context) error {
	sl := t.sync.Load()
	if sl == nil {
		return fmt.Errorf("app: no link to the acquirer")
	}
	// Reversals owed (a request in flight when the terminal stopped, say)
	// and advices of offline approvals go first.
	if err := sl.auth.SettleReversals(ctx); err != nil {
		t.showSyncStatus(ctx)
		return err
	}
	if _, err := sl.auth.ForwardAdvices(ctx); err != nil {
		t.showSyncStatus(ctx)
		return err
	}
	// QR payments left awaiting the customer (Till stopped mid-way).
	if err := sl.auth.ResolveAwaiting(ctx, time.Now()); err != nil {
		t.showSyncStatus(ctx)
		return err
	}
	_, err := sl.syncer.Drain(ctx, nil)
	t.showSyncStatus(ctx)
	return err
}

// showSyncStatus puts the count of unsynced payments and the last sync in
// the top bar.
func (t *Till) showSyncStatus(ctx context.Context) {
	pending, last, err := t.store.OutboxStatus(ctx)
	if err != nil {
		fyne.LogError("app: sync status", err)
		return
	}
	connected := t.sync.Load() != nil
	t.env.Do(func() { t.shell.SetSyncStatus(pending, last, connected) })
}

// runSync connects to the acquirer and drains the outbox every few seconds
// while the app runs, backing off up to a minute while the host cannot be
// reached.
func (t *Till) runSync(ctx context.Context) {
	wait := time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := error(nil)
		if t.sync.Load() == nil {
			err = t.startAcquirer(ctx)
		}
		if err == nil {
			err = t.syncOnce(ctx)
		} else {
			t.showSyncStatus(ctx)
		}
		if err != nil {
			fyne.LogError("app: sync", err)
			// Start afresh next time: the connection may be what failed.
			t.closeLink()
			wait = min(wait*2, time.Minute)
			continue
		}
		wait = 5 * time.Second
	}
}

// closeLink drops the connection to a real acquirer so the next attempt
// dials again; the in-process simulator of demo mode is kept.
func (t *Till) closeLink() {
	sl := t.sync.Load()
	if sl == nil || sl.host != nil {
		return
	}
	if t.sync.CompareAndSwap(sl, nil) {
		sl.syncer.Link.Close()
	}
}

// closeAcquirer stops the link and the simulator.
func (t *Till) closeAcquirer() {
	sl := t.sync.Swap(nil)
	if sl == nil {
		return
	}
	sl.syncer.Link.Close()
	if sl.host != nil {
		sl.host.Close()
	}
}

// acquirerScreens gives the day-end screen the acquirer link, connecting
// first when it is not up.
type acquirerScreens struct{ t *Till }

func (a acquirerScreens) link(ctx context.Context) (*syncLink, error) {
	if sl := a.t.sync.Load(); sl != nil {
		return sl, nil
	}
	if err := a.t.startAcquirer(ctx); err != nil {
		return nil, err
	}
	return a.t.sync.Load(), nil
}

func (a acquirerScreens) Status(ctx context.Context) (int64, time.Time, bool, error) {
	pending, last, err := a.t.store.OutboxStatus(ctx)
	return pending, last, a.t.sync.Load() != nil, err
}

func (a acquirerScreens) SyncNow(ctx context.Context, progress func(done int)) (int, error) {
	sl, err := a.link(ctx)
	if err != nil {
		return 0, err
	}
	n, err := sl.syncer.Drain(ctx, progress)
	a.t.showSyncStatus(ctx)
	return n, err
}

func (a acquirerScreens) Settle(ctx context.Context) (acquirer.Settlement, error) {
	sl, err := a.link(ctx)
	if err != nil {
		return acquirer.Settlement{}, err
	}
	if _, err := sl.auth.ForwardAdvices(ctx); err != nil {
		return acquirer.Settlement{}, err
	}
	return sl.auth.Settle(ctx)
}
