package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/internal/firstframe"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens"
)

// defaultAutoLock is the idle time before the till locks, unless set.
const defaultAutoLock = 2

// locking is the till's auto-lock: the idle watch and, while locked, the
// lock screen and the dialogs it hides.
type locking struct {
	idle   *screens.Idle
	screen *screens.Login      // the lock screen while locked, else nil
	hidden []fyne.CanvasObject // dialogs open when the till locked
}

// startIdle reads the auto-lock setting and starts watching for activity.
func (t *Till) startIdle(ctx context.Context) error {
	minutes, err := t.autoLockMinutes(ctx)
	if err != nil {
		return err
	}
	do := t.env.Do
	after := t.opts.afterFunc
	if after == nil && t.opts.inlineUI {
		// Tests that run the UI inline must not have a real timer lock
		// the till from its own goroutine; those about locking pass a
		// fake clock.
		after = func(time.Duration, func()) screens.Timer { return stoppedTimer{} }
	}
	t.lock.idle = screens.NewIdle(time.Duration(minutes)*time.Minute, after,
		func(f func()) { do(f) }, t.idleExpired)
	t.env.Idle = t.lock.idle
	t.env.AutoLock = autoLock{t}
	return nil
}

func (t *Till) autoLockMinutes(ctx context.Context) (int, error) {
	v, err := t.store.Setting(ctx, models.SettingAutoLock, strconv.Itoa(defaultAutoLock))
	if err != nil {
		return 0, err
	}
	m, err := strconv.Atoi(v)
	if err != nil || m < 0 {
		return defaultAutoLock, nil
	}
	return m, nil
}

// idleExpired locks the till after the idle time with nothing done. A
// payment in progress is never interrupted: the wait starts again, and
// the payment's end starts it once more. No one to lock out while the
// login screen is shown, or when already locked.
func (t *Till) idleExpired() {
	if t.shell == nil || t.login != nil || t.lock.screen != nil {
		return
	}
	if t.shell.Busy() {
		t.lock.idle.Touch()
		return
	}
	t.lockNow()
}

// lockNow covers the window with the lock screen. The screen shown, the
// cart and any open dialog stay as they are behind it.
func (t *Till) lockNow() {
	c := t.window.Canvas()
	t.lock.hidden = slices.Clone(c.Overlays().List())
	if len(t.lock.hidden) > 0 {
		c.Overlays().Remove(t.lock.hidden[0]) // and every one above it
	}
	t.shell.Suspend()
	l := screens.NewLock(t.env)
	l.OnLogin = t.unlock
	t.lock.screen = l
	t.window.SetContent(l.Content())
}

// unlock gives the till to op, whose finger or code unlocked it: the
// screen, the cart and the dialogs come back. When op is not who was
// signed in, op takes over the sale, and the switch is audited.
func (t *Till) unlock(op models.Operator) {
	prev := t.env.Shop.Operator
	if op.ID != prev.ID {
		t.env.Shop.Operator = op
		t.env.Sales.(*sales).operator = op
		detail := fmt.Sprintf("unlocked by %s (%s), taking over from %s (%s)", op.Name, op.Code, prev.Name, prev.Code)
		if err := t.store.AuditOverride(context.Background(), t.env.Shop.TerminalID, op, "operator_switch", "", detail); err != nil {
			fyne.LogError("app: audit operator switch", err)
		}
		t.shell.OperatorChanged()
	}
	t.lock.screen = nil
	t.window.SetContent(firstframe.Wrap(t.shell.Content()))
	c := t.window.Canvas()
	for _, o := range t.lock.hidden {
		if o.Visible() { // not closed meanwhile
			c.Overlays().Add(o)
		}
	}
	t.lock.hidden = nil
	t.shell.Resume()
}

// stoppedTimer is a timer that never fires.
type stoppedTimer struct{}

func (stoppedTimer) Stop() bool { return false }

// Locked reports whether the lock screen is shown.
func (t *Till) Locked() bool { return t.lock.screen != nil }

// autoLock is the auto-lock setting as the settings screen changes it.
type autoLock struct{ t *Till }

func (a autoLock) Minutes() int {
	return int(a.t.lock.idle.Timeout() / time.Minute)
}

func (a autoLock) SetMinutes(ctx context.Context, minutes int) error {
	if minutes < 0 || minutes > 24*60 {
		return &models.Error{Code: models.EINVALID, Key: "error.auto_lock.range",
			Fallback: "Auto-lock is between 0 (never) and 1440 minutes"}
	}
	if err := a.t.store.SetSetting(ctx, models.SettingAutoLock, strconv.Itoa(minutes)); err != nil {
		return err
	}
	a.t.lock.idle.SetTimeout(time.Duration(minutes) * time.Minute)
	return nil
}
