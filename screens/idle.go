package screens

import (
	"sync"
	"time"
)

// How activity is seen: Fyne has no window-wide input hook. A widget
// wrapping the window's content never sees the taps its children handle;
// the canvas's OnTypedRune/OnTypedKey and the desktop driver's
// OnKeyDown/OnKeyUp fire only while nothing has focus; the app's
// Lifecycle only says when the window gains or loses the foreground. So
// the screens report activity themselves, by calling Env.Touch from the
// paths every action goes through: a change of screen (Shell.show), the
// cart and the product grid changing (taps on tiles, the search box and
// the on-screen keyboard), scans (serial and keyboard-wedge), the keypad
// dialogs, the pay screens' steps, and keys typed while nothing has focus.

// Timer is a started timer, as time.AfterFunc returns.
type Timer interface {
	Stop() bool
}

// AfterFunc starts a timer that calls f after d, like time.AfterFunc.
type AfterFunc func(d time.Duration, f func()) Timer

// RealAfterFunc is AfterFunc on the system clock.
func RealAfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Idle notices when no one has done anything at the till for a while.
// Every Touch starts the wait again; when it runs out, OnIdle is called on
// the UI goroutine. A timeout of 0 never runs out.
type Idle struct {
	mu      sync.Mutex
	timeout time.Duration
	after   AfterFunc
	do      func(func())
	onIdle  func()
	timer   Timer
	gen     uint64 // advanced by every Touch: a timer of an older one is stale
}

// NewIdle returns an Idle that waits timeout after the last Touch, with
// timers from after (RealAfterFunc when nil), and then calls onIdle through
// do (fyne.Do: timers fire on their own goroutine).
func NewIdle(timeout time.Duration, after AfterFunc, do func(func()), onIdle func()) *Idle {
	if after == nil {
		after = RealAfterFunc
	}
	return &Idle{timeout: timeout, after: after, do: do, onIdle: onIdle}
}

// Touch records activity: the wait starts again.
func (i *Idle) Touch() {
	if i == nil {
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.gen++
	if i.timer != nil {
		i.timer.Stop()
		i.timer = nil
	}
	if i.timeout <= 0 {
		return
	}
	gen := i.gen
	i.timer = i.after(i.timeout, func() { i.do(func() { i.expire(gen) }) })
}

// expire calls OnIdle unless there was activity since the timer of gen
// was started.
func (i *Idle) expire(gen uint64) {
	i.mu.Lock()
	stale := gen != i.gen
	if !stale {
		i.timer = nil
	}
	i.mu.Unlock()
	if !stale {
		i.onIdle()
	}
}

// Timeout is how long the till waits before it is idle; 0 is never.
func (i *Idle) Timeout() time.Duration {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.timeout
}

// SetTimeout changes the wait and starts it again.
func (i *Idle) SetTimeout(d time.Duration) {
	i.mu.Lock()
	i.timeout = d
	i.mu.Unlock()
	i.Touch()
}

// Stop stops waiting until the next Touch.
func (i *Idle) Stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.gen++
	if i.timer != nil {
		i.timer.Stop()
		i.timer = nil
	}
}
