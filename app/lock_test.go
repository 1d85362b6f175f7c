package app

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/staff"
)

// fakeClock starts the auto-lock's timers; Advance fires those due.
type fakeClock struct {
	now    time.Duration
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Duration
	f       func()
	stopped bool
}

func (t *fakeTimer) Stop() bool {
	was := !t.stopped
	t.stopped = true
	return was
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) screens.Timer {
	t := &fakeTimer{at: c.now + d, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock on by d, firing the timers due on the way.
func (c *fakeClock) Advance(d time.Duration) {
	c.now += d
	for _, t := range append([]*fakeTimer(nil), c.timers...) {
		if !t.stopped && t.at <= c.now {
			t.stopped = true
			t.f()
		}
	}
}

// startLockDemo starts a demo Till on db whose auto-lock runs on clock.
func startLockDemo(t *testing.T, db string, clock *fakeClock) *Till {
	t.Helper()
	a := test.NewTempApp(t)
	till, err := Start(a, Options{DBPath: db, Lang: "en", Demo: true, inlineUI: true, afterFunc: clock.AfterFunc})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { till.Close() })
	till.Window().Resize(WindowSize)
	return till
}

// addCola puts a Coca-Cola in the cart.
func addCola(t *testing.T, till *Till) {
	t.Helper()
	tapKeys(t, till, "Drinks")
	test.Tap(tile(t, till.Window(), "Coca-Cola 330ml"))
}

func TestIdleLocksAndAFingerUnlocksForItsOwner(t *testing.T) {
	clock := &fakeClock{}
	till := startLockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock)
	w := till.Window()
	addCola(t, till)
	if !shownText(w, "Coca-Cola 330ml") {
		t.Fatal("the cart does not show the cola")
	}
	clock.Advance(2*time.Minute - time.Second)
	if till.Locked() {
		t.Fatal("locked before the idle time")
	}
	clock.Advance(time.Second)
	if !till.Locked() || !shownText(w, "Till locked") {
		t.Fatal("not locked after two idle minutes")
	}
	if shownText(w, "Coca-Cola") {
		t.Fatal("the lock screen shows the cart")
	}
	tapKeys(t, till, "Demo finger: 访客")
	if !shownText(w, "This finger is not recognised") || !till.Locked() {
		t.Fatal("a stranger's finger was not refused")
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if till.Locked() {
		t.Fatal("the manager's finger did not unlock")
	}
	if op := till.session.Operator(); op.Name != demo.Manager.Name {
		t.Fatalf("operator after unlock: %+v", op)
	}
	// What the sales service stores from now on is the manager's.
	if sold := sellOneCola(t, till); sold.OperatorName != demo.Manager.Name {
		t.Fatalf("a sale after the unlock is %q's", sold.OperatorName)
	}
	button(t, w, "Operator: 演示店长")
	if o := till.Shell().Sell.Order(); len(o.Lines) != 1 || till.Shell().Current() != "sell" || !shownText(w, "Coca-Cola 330ml") {
		t.Fatalf("after unlock: screen %s, cart %+v", till.Shell().Current(), o.Lines)
	}
	if n := auditCount(t, till, "operator_switch"); n != 1 {
		t.Fatalf("%d operator switch audit entries", n)
	}
	clock.Advance(2 * time.Minute)
	if !till.Locked() {
		t.Fatal("the till did not lock again")
	}
}

func TestActivityPostponesTheLockAndTheScreenComesBack(t *testing.T) {
	clock := &fakeClock{}
	till := startLockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock)
	w := till.Window()
	clock.Advance(90 * time.Second)
	addCola(t, till) // taps: the wait starts again
	clock.Advance(90 * time.Second)
	if till.Locked() {
		t.Fatal("locked although a product was tapped 90 s ago")
	}
	tapKeys(t, till, "Qty ×", "3") // keypad keys count too
	clock.Advance(119 * time.Second)
	if till.Locked() {
		t.Fatal("locked although a key was tapped 119 s ago")
	}
	clock.Advance(time.Second)
	if !till.Locked() {
		t.Fatal("not locked after two idle minutes")
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("the quantity dialog is shown over the lock screen")
	}
	// The same operator unlocks with their code: no switch, and the open
	// dialog comes back as it was.
	tapKeys(t, till, "1", "0", "0", "1", "Unlock")
	if till.Locked() || till.session.Operator().Name != demo.Operator.Name {
		t.Fatalf("after the code: locked %v, operator %s", till.Locked(), till.session.Operator().Name)
	}
	if !shownText(w, "How many of the next item?") {
		t.Fatal("the quantity dialog did not come back")
	}
	tapKeys(t, till, "OK")
	if !shownText(w, "3 ×") {
		t.Fatal("the quantity typed before the lock was lost")
	}
	if n := auditCount(t, till, "operator_switch"); n != 0 {
		t.Fatalf("%d switch audit entries for the same operator", n)
	}
	// On another screen, the lock brings that screen back.
	tapKeys(t, till, "Orders")
	clock.Advance(2 * time.Minute)
	tapKeys(t, till, "1", "0", "0", "1", "Unlock")
	if till.Shell().Current() != "orders" {
		t.Fatalf("after unlock the screen is %s", till.Shell().Current())
	}
}

func TestLockWaitsForAPaymentInProgress(t *testing.T) {
	clock := &fakeClock{}
	till := startLockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock)
	addCola(t, till)
	// The sale is committed in the background; hold its end back.
	var pending []func()
	till.ui.Async = func(work, done func()) { pending = append(pending, func() { work(); done() }) }
	sh := till.Shell()
	sh.ShowPay(sh.Sell.Order())
	sh.Pay.Tender(sh.Sell.Order().Total)
	sh.Pay.Confirm()
	if !sh.Busy() {
		t.Fatal("the payment is not in progress")
	}
	clock.Advance(10 * time.Minute)
	if till.Locked() || sh.Current() != "pay" {
		t.Fatal("the lock interrupted a payment")
	}
	for _, f := range pending {
		f()
	}
	if sh.Busy() || sh.Current() != "receipt" {
		t.Fatalf("after the payment: %s", sh.Current())
	}
	clock.Advance(2*time.Minute - time.Second)
	if till.Locked() {
		t.Fatal("locked before two minutes after the payment")
	}
	clock.Advance(time.Second)
	if !till.Locked() {
		t.Fatal("not locked two minutes after the payment")
	}
}

func TestAutoLockSettingZeroNeverLocksAndIsKept(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	clock := &fakeClock{}
	till := startLockDemo(t, db, clock)
	tapKeys(t, till, "Settings")
	if got := till.Shell().Settings.AutoLockText(); got != "2 min without activity" {
		t.Fatalf("default auto-lock %q", got)
	}
	tapKeys(t, till, "Change")
	typeDigits(t, till, demo.ManagerCode, "OK") // the cashier asks the manager
	tapKeys(t, till, "C", "0", "OK")
	if got := till.Shell().Settings.AutoLockText(); got != "Never" {
		t.Fatalf("auto-lock after 0: %q", got)
	}
	clock.Advance(24 * time.Hour)
	if till.Locked() {
		t.Fatal("locked with auto-lock off")
	}
	till.Close()

	// Kept: the next start never locks either; 5 minutes is kept too.
	clock = &fakeClock{}
	till = startLockDemo(t, db, clock)
	if m := till.staff.AutoLockMinutes(); m != 0 {
		t.Fatalf("auto-lock after a restart: %d", m)
	}
	clock.Advance(24 * time.Hour)
	if till.Locked() {
		t.Fatal("locked with auto-lock off, after a restart")
	}
	tapKeys(t, till, "Settings", "Change")
	typeDigits(t, till, demo.ManagerCode, "OK")
	tapKeys(t, till, "C", "5", "OK")
	clock.Advance(5 * time.Minute)
	if !till.Locked() {
		t.Fatal("not locked after five idle minutes")
	}
}

func TestUnlockByCodeWithoutAFingerprintReader(t *testing.T) {
	clock := &fakeClock{}
	till := startLockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock)
	till.deps.Staff = noFingers{till.staff} // no reader
	w := till.Window()
	addCola(t, till)
	clock.Advance(2 * time.Minute)
	if !till.Locked() || !shownText(w, "Till locked") {
		t.Fatal("not locked")
	}
	if shownText(w, "Place a finger") {
		t.Fatal("the lock screen asks for a finger without a reader")
	}
	tapKeys(t, till, "0", "0", "0", "0", "Unlock")
	if !till.Locked() {
		t.Fatal("a wrong code unlocked")
	}
	tapKeys(t, till, "8", "8", "8", "8", "Unlock")
	if till.Locked() || till.session.Operator().Name != demo.Manager.Name {
		t.Fatalf("after the manager's code: locked %v, operator %s", till.Locked(), till.session.Operator().Name)
	}
	if o := till.Shell().Sell.Order(); len(o.Lines) != 1 {
		t.Fatalf("cart after unlock: %+v", o.Lines)
	}
	if n := auditCount(t, till, "operator_switch"); n != 1 {
		t.Fatalf("%d operator switch audit entries", n)
	}
	// A sign-in is audited as well; the login screen never locks.
	tapKeys(t, till, "Operator: 演示店长")
	clock.Advance(time.Hour)
	if till.Locked() || till.login == nil {
		t.Fatal("the login screen locked")
	}
	tapKeys(t, till, "1", "0", "0", "1", "Sign in")
	if n := auditCount(t, till, "sign_in"); n != 1 || till.session.Operator().Name != demo.Operator.Name {
		t.Fatalf("%d sign-in audit entries, operator %s", n, till.session.Operator().Name)
	}
}

// noFingers is the staff service of a till without a fingerprint reader.
type noFingers struct{ *staff.Staff }

func (noFingers) HasFingers() bool { return false }

func TestADialogRaisedWhileLockedWaitsBehindTheLockScreen(t *testing.T) {
	clock := &fakeClock{}
	till := startLockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock)
	w := till.Window()
	clock.Advance(2 * time.Minute)
	if !till.Locked() {
		t.Fatal("not locked after two idle minutes")
	}
	// Background work ends with a message while nobody is at the till.
	till.ui.Async(func() {}, func() {
		screens.ShowError(w, models.ErrNoLine())
	})
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatal("a dialog shows over the lock screen")
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if till.Locked() {
		t.Fatal("the manager's finger did not unlock")
	}
	if w.Canvas().Overlays().Top() == nil || !shownText(w, screens.Message(models.ErrNoLine())) {
		t.Fatal("the message raised while locked is not shown after the unlock")
	}
}

func TestTypingScrollingAndDialogsKeepTheTillAwake(t *testing.T) {
	clock := &fakeClock{}
	till := startLockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock)
	w := till.Window()
	sell := till.Shell().Sell

	// Typing in the search box with the physical keyboard (the entry has
	// the focus, so the window's key hooks never see the keys).
	clock.Advance(time.Minute + 50*time.Second)
	search := uitest.Entries(w)[0]
	w.Canvas().Focus(search)
	test.Type(search, "cola")
	clock.Advance(time.Minute)
	if till.Locked() {
		t.Fatal("locked while someone typed in the search box")
	}
	search.SetText("")
	w.Canvas().Unfocus()

	// Scrolling the product grid: seen when the wait runs out.
	clock.Advance(time.Minute + 50*time.Second)
	sell.ScrollGrid(200)
	clock.Advance(10 * time.Second)
	if till.Locked() {
		t.Fatal("locked while someone scrolled the products")
	}
	clock.Advance(2 * time.Minute)
	if !till.Locked() {
		t.Fatal("not locked two minutes after the scroll")
	}
}

func TestAnsweringADialogKeepsTheTillAwake(t *testing.T) {
	clock := &fakeClock{}
	till := startLockDemo(t, filepath.Join(t.TempDir(), "till.db"), clock)
	addCola(t, till)
	tapKeys(t, till, "Clear")
	clock.Advance(time.Minute + 50*time.Second)
	tapKeys(t, till, "No") // the cashier thinks it over and keeps the order
	clock.Advance(time.Minute)
	if till.Locked() {
		t.Fatal("locked a minute after the cashier answered a dialog")
	}
}
