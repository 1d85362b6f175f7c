package screens

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
)

// UI is what every screen needs of the running app that is not a service:
// the window, the shop, who is signed in, how to run work off Fyne's
// goroutine, the clock, the idle watch, and the demo's abilities.
type UI struct {
	Window fyne.Window
	Shop   Shop
	// Session says who is signed in; nil means nobody.
	Session Session
	// Async runs work off the UI goroutine and then done on it. Tests pass
	// InlineAsync, which runs both at once.
	Async func(work func(), done func())
	// Do runs f on the UI goroutine, from background work (fyne.Do).
	Do func(f func())
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// After starts timers, such as the one that takes a notice off the
	// sell screen; nil means the system clock. What they run is handed to
	// the UI goroutine through Do.
	After AfterFunc
	// Beep sounds the till's short alert; nil is silent.
	Beep Beeper
	// Idle is told of every action, to lock the till when there are none
	// for a while; nil never locks.
	Idle *Idle
	// Demo is what only demo mode can do; nil outside demo mode.
	Demo Demo

	activity activity
}

// Session is who is signed in; *session.Session is one.
type Session interface {
	Operator() models.Operator
}

// Shop is what the screens show about the shop and the terminal.
type Shop struct {
	Name       string
	TerminalID string
	Currency   models.Currency
	TaxMode    models.TaxMode
	Lang       string // "zh" or "en"
	Version    string
	DBPath     string
	// Training is true in training mode: every screen shows the training
	// banner, and every receipt and slip is marked.
	Training bool
}

// receiptShop is the shop as a receipt shown on screen names it.
func (u *UI) receiptShop() receipt.Shop {
	return receipt.Shop{Name: u.Shop.Name, TerminalID: u.Shop.TerminalID, Lang: u.Shop.Lang, Training: u.Shop.Training}
}

// Demo is what a demo till can do that a real one cannot: tap a demo card,
// place a demo finger, pay our QR as a customer's phone would.
type Demo interface {
	// Cards names the demo cards; none without card payments.
	Cards() []string
	// PayCard pays o with the demo card named card.
	PayCard(ctx context.Context, o *models.Order, card string, step func(payments.CardStep)) (payments.CardResult, error)
	// LinkCard links the demo card named card to m once m's finger is
	// placed (fingerNow asks for it); it returns the masked card number.
	LinkCard(ctx context.Context, m models.Member, card string, by models.Operator, fingerNow func()) (string, error)
	// StaffFingers and MemberFingers name the fingers a demo can place;
	// PlaceFinger puts one on the simulated reader.
	StaffFingers() []string
	MemberFingers() []string
	PlaceFinger(name string)
	// CanScanQR reports whether ScanQR works: the simulated acquirer is
	// there. ScanQR pays our QR with payload as a customer's phone would.
	CanScanQR() bool
	ScanQR(ctx context.Context, payload string) error
}

// Beeper sounds a short alert at the till, for an unknown barcode or a
// refusal the cashier must not miss. The app wires the platform's sound;
// on a platform without one it stays silent, and the notice on the screen
// says it all.
type Beeper interface {
	Beep()
}

// after runs f on the UI goroutine after d, on the UI's clock.
func (u *UI) after(d time.Duration, f func()) Timer {
	after, do := u.After, u.Do
	if after == nil {
		after = RealAfterFunc
	}
	if do == nil {
		do = fyne.Do
	}
	return after(d, func() { do(f) })
}

// beep sounds the alert, if the till has a way to.
func (u *UI) beep() {
	if u.Beep != nil {
		u.Beep.Beep()
	}
}

// Touch tells the idle watch that someone did something at the till.
func (u *UI) Touch() { u.Idle.Touch() }

// Operator is who is signed in.
func (u *UI) Operator() models.Operator {
	if u.Session == nil {
		return models.Operator{}
	}
	return u.Session.Operator()
}

func (u *UI) now() time.Time {
	if u.Now != nil {
		return u.Now()
	}
	return time.Now()
}

func (u *UI) demoCards() []string {
	if u.Demo == nil {
		return nil
	}
	return u.Demo.Cards()
}

// BackgroundAsync is UI.Async for the running app: work in a goroutine,
// done back on Fyne's goroutine.
func BackgroundAsync(work func(), done func()) {
	go func() {
		work()
		fyne.Do(done)
	}()
}

// InlineAsync is UI.Async for tests: both at once, in order.
func InlineAsync(work func(), done func()) {
	work()
	done()
}

// Message is the text of err for the person at the till, in their language.
func Message(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return lang.X(e.Key, e.Fallback, messageArgs(e))
	}
	return lang.X("error.internal", "Something went wrong; the data is safe. Please try again")
}

// messageArgs are e's arguments as its text shows them: a wait (a
// time.Duration) said in the user's language.
func messageArgs(e *models.Error) map[string]any {
	data := map[string]any{}
	for k, v := range e.Args {
		if d, ok := v.(time.Duration); ok {
			v = waitText(d)
		}
		data[k] = v
	}
	if what, ok := data["What"].(string); ok && e.Key == "error.permission.denied" {
		data["What"] = permissionName(models.Permission(what))
	}
	return data
}

// waitText says how long to wait: "45 seconds", under a minute; else in
// minutes, rounded up: "2 minutes".
func waitText(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 60 {
		return lang.XN("wait.seconds", "{{.N}} seconds", secs, map[string]any{"N": secs})
	}
	mins := (secs + 59) / 60
	return lang.XN("wait.minutes", "{{.N}} minutes", mins, map[string]any{"N": mins})
}

// roleName is a staff role as people call it, in their language.
func roleName(r models.Role) string {
	switch r {
	case models.RoleCashier:
		return lang.X("role.cashier", "Cashier")
	case models.RoleWaiter:
		return lang.X("role.waiter", "Waiter")
	case models.RoleManager:
		return lang.X("role.manager", "Manager")
	case models.RoleOwner:
		return lang.X("role.owner", "Owner")
	}
	return string(r)
}

// ShowError tells the person at the till what went wrong.
func ShowError(w fyne.Window, err error) {
	if err == nil {
		return
	}
	fyne.LogError("till", err)
	dialog.ShowInformation(lang.X("dialog.error", "Cannot do that"), Message(err), w)
}
