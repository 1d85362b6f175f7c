package screens

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

func TestLoginByCode(t *testing.T) {
	ui := newTestUI(t, models.Operator{})
	w := ui.Window
	staff := &fakeStaff{}
	l := NewLogin(ui, staff)
	var in []models.Operator
	l.OnLogin = func(op models.Operator) { in = append(in, op) }
	showOn(ui, l.Content())

	mustShow(t, w, "Corner Shop · T01")
	mustShow(t, w, "Type your operator code")
	if findButton(w, "Read finger") != nil {
		t.Fatal("a finger button without a reader")
	}
	// A wrong code: the message, the keypad cleared, nobody signed in.
	keys(t, w, "9999")
	tap(t, w, "Sign in")
	mustShow(t, w, "No operator has that code")
	if len(in) != 0 || l.keypad.Text() != "" {
		t.Fatalf("after a wrong code: signed in %v, keypad %q", in, l.keypad.Text())
	}
	// Typing again clears the message.
	keys(t, w, "1")
	if shown(w, "No operator has that code") {
		t.Fatal("the message stayed while typing")
	}
	keys(t, w, "111")
	tap(t, w, "Sign in")
	if !slices.Equal(staff.codes, []string{"9999", "1111"}) {
		t.Fatalf("codes asked %q", staff.codes)
	}
	if len(in) != 1 || in[0] != cashier {
		t.Fatalf("signed in %+v", in)
	}
}

func TestLoginByFinger(t *testing.T) {
	ui := newTestUI(t, models.Operator{})
	w := ui.Window
	staff := &fakeStaff{fingers: true, fingerErr: &models.Error{Code: models.ENOTFOUND, Key: "error.finger.unknown", Fallback: "That finger is not enrolled"}}
	l := NewLogin(ui, staff)
	var in []models.Operator
	l.OnLogin = func(op models.Operator) { in = append(in, op) }
	showOn(ui, l.Content())

	tap(t, w, "Read finger")
	mustShow(t, w, "That finger is not enrolled")
	if len(in) != 0 {
		t.Fatal("an unknown finger signed in")
	}
	staff.fingerErr, staff.finger = nil, manager
	tap(t, w, "Read finger")
	if len(in) != 1 || in[0] != manager {
		t.Fatalf("signed in %+v", in)
	}
}

func TestLockWithoutFingersAsksForTheCodeOnly(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	staff := &fakeStaff{}
	l := NewLock(ui, staff)
	var in []models.Operator
	l.OnLogin = func(op models.Operator) { in = append(in, op) }
	showOn(ui, l.Content())

	mustShow(t, w, "Till locked")
	mustShow(t, w, "Zhang San was signed in. Type your operator code")
	if shown(w, "Place a finger") || findButton(w, "Read finger") != nil || findButton(w, "Sign in") != nil {
		t.Fatal("the lock screen offers a finger (or Sign in) without a reader")
	}
	keys(t, w, "1234")
	tap(t, w, "Unlock")
	mustShow(t, w, "No operator has that code")
	keys(t, w, "8888")
	tap(t, w, "Unlock")
	if len(in) != 1 || in[0] != manager {
		t.Fatalf("unlocked for %+v", in)
	}
}

func TestLockWithFingers(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	l := NewLock(ui, &fakeStaff{fingers: true, finger: cashier})
	var in []models.Operator
	l.OnLogin = func(op models.Operator) { in = append(in, op) }
	showOn(ui, l.Content())
	mustShow(t, w, "Zhang San was signed in. Place a finger on the reader or type your operator code")
	tap(t, w, "Read finger")
	if len(in) != 1 || in[0] != cashier {
		t.Fatalf("unlocked for %+v", in)
	}
}

func TestLoginTakesACodeFromThePhysicalKeyboard(t *testing.T) {
	ui := newTestUI(t, models.Operator{})
	staff := &fakeStaff{}
	l := NewLogin(ui, staff)
	var got models.Operator
	l.OnLogin = func(op models.Operator) { got = op }
	showOn(ui, l.Content())
	c := ui.Window.Canvas()
	l.TakeKeys(c)
	for _, r := range "11119" {
		c.OnTypedRune()(r)
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got.ID != cashier.ID || staff.codes[0] != "1111" {
		t.Fatalf("signed in %+v", got)
	}
}

func TestFingerPromptIsAnInstructionNotAButton(t *testing.T) {
	ui := newTestUI(t, models.Operator{})
	w := ui.Window
	l := NewLogin(ui, &fakeStaff{fingers: true, finger: cashier})
	var in []models.Operator
	l.OnLogin = func(op models.Operator) { in = append(in, op) }
	showOn(ui, l.Content())

	// The instruction is text with a fingerprint beside it, not a button;
	// the button that reads the finger is a plain one, not the screen's
	// main action.
	mustShow(t, w, "Place a finger on the reader")
	if findButton(w, "Place a finger on the reader") != nil {
		t.Fatal("the instruction is a button")
	}
	read := button(t, w, "Read finger")
	if read.Importance == widget.HighImportance {
		t.Fatal("Read finger looks like the main action")
	}
	var icon *widget.Icon
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if i, ok := o.(*widget.Icon); ok && i.Resource == fingerIcon {
			icon = i
		}
		return icon != nil
	})
	if icon == nil {
		t.Fatal("no fingerprint beside the instruction")
	}
	// While the reader waits, the panel says so and Read finger waits too.
	var pending []func()
	ui.Async = func(work, done func()) { pending = append(pending, func() { work(); done() }) }
	test.Tap(read)
	mustShow(t, w, "Reading… keep the finger on the reader")
	if !read.Disabled() || len(pending) != 1 {
		t.Fatalf("reading: Read finger disabled %v, readings %d", read.Disabled(), len(pending))
	}
	pending[0]()
	if read.Disabled() || !shown(w, "Place a finger on the reader") || len(in) != 1 || in[0] != cashier {
		t.Fatalf("after the reading: signed in %+v", in)
	}
}

func TestALockOutSaysHowLongToWait(t *testing.T) {
	ui := newTestUI(t, models.Operator{})
	w := ui.Window
	staff := &fakeStaff{codeErr: models.ErrCodesLocked(90 * time.Second)}
	l := NewLogin(ui, staff)
	showOn(ui, l.Content())
	keys(t, w, "1111")
	tap(t, w, "Sign in")
	mustShow(t, w, "Too many wrong codes: try again in 2 minutes")
	// (The plural forms, "1 second", are in the translation files, which
	// these tests do not load.)
	for wait, want := range map[time.Duration]string{
		30 * time.Second:                      "try again in 30 seconds",
		1500 * time.Millisecond:               "try again in 2 seconds",
		15 * time.Minute:                      "try again in 15 minutes",
		14*time.Minute + 59*time.Second + 1e8: "try again in 15 minutes",
	} {
		if got := Message(models.ErrCodesLocked(wait)); got != "Too many wrong codes: "+want {
			t.Errorf("%v: %q", wait, got)
		}
	}
	// At an approval too.
	staff.codeErr = models.ErrCodesLocked(30 * time.Second)
	askManager(ui, staff, "Approve", func(models.Operator) { t.Fatal("approved while locked") })
	keys(t, w, "8888")
	tap(t, w, "OK")
	mustShow(t, w, "Too many wrong codes: try again in 30 seconds")
}

func TestAnApprovalCancelledWhileTheCodeIsCheckedApprovesNothing(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	var pending []func()
	ui.Async = func(work, done func()) { pending = append(pending, func() { work(); done() }) }
	staff := &fakeStaff{}
	approved := 0
	// The dialog asks in the background whether an owner's one-time code
	// can be offered: answered first.
	offered := func() {
		if len(pending) != 1 {
			t.Fatalf("%d background tasks at the start", len(pending))
		}
		pending[0]()
		pending = nil
	}
	askManager(ui, staff, "Approve", func(models.Operator) { approved++ })
	offered()
	keys(t, w, "8888")
	tap(t, w, "OK")
	tap(t, w, "OK") // tapped again while checking: one check only
	if len(pending) != 1 || !dialogShown(w) {
		t.Fatalf("%d checks running, dialog shown %v", len(pending), dialogShown(w))
	}
	tap(t, w, "Cancel")
	pending[0]()
	if approved != 0 {
		t.Fatal("a cancelled approval approved")
	}
	// Not cancelled: the check's answer closes the dialog and approves.
	pending = nil
	askManager(ui, staff, "Approve", func(models.Operator) { approved++ })
	offered()
	keys(t, w, "8888")
	tap(t, w, "OK")
	pending[0]()
	if approved != 1 || dialogShown(w) {
		t.Fatalf("approved %d, dialog shown %v", approved, dialogShown(w))
	}
}
