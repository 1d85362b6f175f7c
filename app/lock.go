package app

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/internal/firstframe"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens"
)

// locking is the till's auto-lock: the idle watch and, while locked, the
// lock screen and the dialogs it hides.
type locking struct {
	idle   *screens.Idle
	screen *screens.Login      // the lock screen while locked, else nil
	hidden []fyne.CanvasObject // dialogs open when the till locked
}

// startIdle starts watching for activity, locking after the idle time the
// staff service keeps.
func (t *Till) startIdle() {
	do := t.ui.Do
	t.lock.idle = screens.NewIdle(time.Duration(t.staff.AutoLockMinutes())*time.Minute, t.ui.After,
		func(f func()) { do(f) }, t.idleExpired)
	t.staff.OnAutoLock(func(minutes int) { t.lock.idle.SetTimeout(time.Duration(minutes) * time.Minute) })
	t.ui.Idle = t.lock.idle
}

// idleExpired locks the till after the idle time with nothing done. A
// payment in progress is never interrupted: the wait starts again, and
// the payment's end starts it once more. No one to lock out while the
// login screen is shown, or when already locked. A list or grid scrolled
// since the last look counts as activity: someone is reading it.
func (t *Till) idleExpired() {
	if t.shell == nil || t.login != nil || t.lock.screen != nil {
		return
	}
	if t.shell.Busy() || t.ui.Scrolled() {
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
	l := screens.NewLock(t.ui, t.deps.Staff)
	l.OnLogin = t.unlock
	t.lock.screen = l
	t.window.SetContent(screens.WithTrainingBanner(t.ui, l.Content()))
	l.TakeKeys(c)
}

// unlock gives the till to op, whose finger or code unlocked it: the
// screen, the cart and the dialogs come back. When op is not who was
// signed in, op takes over the sale, and the switch is audited.
func (t *Till) unlock(op models.Operator) {
	if t.staff.Unlock(context.Background(), op) {
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

// holdDialogsWhileLocked makes the ways back from background work (the
// UI's Async and Do) keep a dialog they raise while the till is locked
// behind the lock screen, with the dialogs that were open when it locked:
// a printer's error or a sync's message is for whoever unlocks, not for
// anyone passing by.
func (t *Till) holdDialogsWhileLocked() {
	async, do := t.ui.Async, t.ui.Do
	held := func(f func()) func() {
		return func() {
			before := len(t.window.Canvas().Overlays().List())
			f()
			t.holdNewDialogs(before)
		}
	}
	t.ui.Async = func(work, done func()) { async(work, held(done)) }
	t.ui.Do = func(f func()) { do(held(f)) }
}

// holdNewDialogs moves the dialogs above the first before ones behind the
// lock screen, when the till is locked.
func (t *Till) holdNewDialogs(before int) {
	if t.lock.screen == nil {
		return
	}
	c := t.window.Canvas()
	list := c.Overlays().List()
	if len(list) <= before {
		return
	}
	t.lock.hidden = append(t.lock.hidden, list[before:]...)
	c.Overlays().Remove(list[before]) // and every one above it
}

// stoppedTimer is a timer that never fires.
type stoppedTimer struct{}

func (stoppedTimer) Stop() bool { return false }

// Locked reports whether the lock screen is shown.
func (t *Till) Locked() bool { return t.lock.screen != nil }
