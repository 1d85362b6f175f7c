package screens

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
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
// dialogs, the pay screens' steps, and keys typed while nothing has focus;
// typing in an entry (watchEntry), moving a scroll (vscroll), and, asked
// when the wait runs out, any list or grid scrolled since (Scrolled).

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

// activity is what the screens watch for the idle wait beyond taps: the
// scroll offsets of lists and grids (Fyne tells no one when they scroll).
type activity struct {
	mu      sync.Mutex
	offsets []func() float32
	last    []float32
}

// watchEntry makes typing in e (on any keyboard) count as activity. Call it
// once e's own OnChanged is set.
func (u *UI) watchEntry(e *widget.Entry) *widget.Entry {
	prev := e.OnChanged
	e.OnChanged = func(s string) {
		u.Touch()
		if prev != nil {
			prev(s)
		}
	}
	return e
}

// vscroll is a vertical scroll of content whose scrolling counts as
// activity.
func (u *UI) vscroll(content fyne.CanvasObject) *container.Scroll {
	sc := container.NewVScroll(content)
	sc.OnScrolled = func(fyne.Position) { u.Touch() }
	return sc
}

// watchOffset adds a list's or grid's scroll offset to those Scrolled
// looks at.
func (u *UI) watchOffset(offset func() float32) {
	u.activity.mu.Lock()
	defer u.activity.mu.Unlock()
	u.activity.offsets = append(u.activity.offsets, offset)
	u.activity.last = append(u.activity.last, offset())
}

// Scrolled reports whether a watched list or grid was scrolled since the
// last call: the idle watch asks before it locks the till. Call it on the
// UI goroutine.
func (u *UI) Scrolled() bool {
	u.activity.mu.Lock()
	defer u.activity.mu.Unlock()
	moved := false
	for i, f := range u.activity.offsets {
		if v := f(); v != u.activity.last[i] {
			u.activity.last[i] = v
			moved = true
		}
	}
	return moved
}
