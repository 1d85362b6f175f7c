package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// Login asks who is selling: an operator types their code on the keypad,
// or places a finger on the reader. It is also the lock screen.
type Login struct {
	ui     *UI
	staff  Staff
	keypad *widgets.Keypad
	msg    *canvas.Text
	// OnLogin is called with the operator whose code was typed.
	OnLogin  func(models.Operator)
	content  fyne.CanvasObject
	checking bool // a code is being checked
}

// NewLogin builds the login screen.
func NewLogin(ui *UI, staff Staff) *Login { return newLogin(ui, staff, false) }

// NewLock builds the lock screen that covers the till after it has been
// idle: a finger or an operator's code unlocks it, for whoever it belongs
// to. OnLogin is called with them.
func NewLock(ui *UI, staff Staff) *Login { return newLogin(ui, staff, true) }

func newLogin(ui *UI, staff Staff, locked bool) *Login {
	l := &Login{ui: ui, staff: staff, keypad: widgets.NewKeypad(0)}
	l.keypad.Secret = true
	l.keypad.MaxLen = models.StaffCodeMaxLen
	l.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	l.msg.TextSize = theme.TextSize()
	l.keypad.OnChanged = func(string) {
		if l.msg.Text != "" {
			l.msg.Text = ""
			l.msg.Refresh()
		}
	}
	title := canvas.NewText(ui.Shop.Name+" · "+ui.Shop.TerminalID, theme.Color(theme.ColorNameForeground))
	title.TextSize = 28
	title.TextStyle.Bold = true
	title.Alignment = fyne.TextAlignCenter
	action := lang.X("login.sign_in", "Sign in")
	prompt := lang.X("login.code", "Type your operator code")
	var head []fyne.CanvasObject
	if locked {
		action = lang.X("lock.unlock", "Unlock")
		prompt = lang.X("lock.prompt_who", "{{.Name}} was signed in. Place a finger on the reader or type your operator code",
			map[string]any{"Name": ui.Operator().Name})
		if !staff.HasFingers() {
			prompt = lang.X("lock.prompt_code", "{{.Name}} was signed in. Type your operator code",
				map[string]any{"Name": ui.Operator().Name})
		}
		banner := canvas.NewText(lang.X("lock.title", "Till locked"), theme.Color(theme.ColorNamePrimary))
		banner.TextSize = 36
		banner.TextStyle.Bold = true
		banner.Alignment = fyne.TextAlignCenter
		head = append(head, banner)
	}
	signIn := widget.NewButtonWithIcon(action, theme.LoginIcon(), l.SignIn)
	signIn.Importance = widget.HighImportance
	box := container.NewVBox(append(head, title,
		widget.NewLabelWithStyle(prompt, fyne.TextAlignCenter, fyne.TextStyle{}),
		container.NewCenter(container.NewVBox(l.keypad, l.msg,
			container.NewGridWrap(fyne.NewSize(4*widgets.KeySize.Width+3*theme.Padding(), 64), signIn))))...)
	if fb := fingerButtons(ui, staff, l.fingerDone); fb != nil {
		box.Add(widget.NewSeparator())
		box.Add(container.NewCenter(fb))
	}
	l.content = container.NewCenter(box)
	return l
}

// Content is the screen's root object.
func (l *Login) Content() fyne.CanvasObject { return l.content }

// TakeKeys gives the physical keyboard to the code keypad while the screen
// is shown on c: digits, Backspace, Delete, and Enter to sign in.
func (l *Login) TakeKeys(c fyne.Canvas) {
	c.SetOnTypedRune(func(r rune) { l.keypad.TypeRune(r) })
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			l.SignIn()
		default:
			l.keypad.TypeKey(ev.Name)
		}
	})
}

// fingerDone signs in the operator whose finger was recognised.
func (l *Login) fingerDone(op models.Operator, err error) {
	if err != nil {
		l.msg.Text = Message(err)
		l.msg.Refresh()
		return
	}
	if l.OnLogin != nil {
		l.OnLogin(op)
	}
}

// SignIn checks the code typed and signs the operator in. The code is
// checked against slow hashes, off Fyne's goroutine, once at a time.
func (l *Login) SignIn() {
	if l.checking {
		return
	}
	l.checking = true
	code := l.keypad.Text()
	var op models.Operator
	var err error
	l.ui.Async(func() {
		op, err = l.staff.OperatorByCode(context.Background(), code)
	}, func() {
		l.checking = false
		if err != nil {
			l.keypad.SetText("")
			l.msg.Text = Message(err)
			l.msg.Refresh()
			return
		}
		if l.OnLogin != nil {
			l.OnLogin(op)
		}
	})
}

// ConfirmUnsynced runs then at once when every payment has been reported to
// the acquirer; otherwise it first says how many have not (they stay safe
// on this terminal) and asks whether to go on.
func ConfirmUnsynced(ui *UI, host HostLink, question string, then func()) {
	var pending int64
	if host != nil {
		var err error
		if pending, _, _, err = host.Status(context.Background()); err != nil {
			fyne.LogError("screens: sync status", err)
		}
	}
	if pending == 0 {
		then()
		return
	}
	ui.confirm(lang.X("dayend.unsynced_title", "Payments not yet reported"),
		lang.XN("unsynced.body", "{{.Pending}} payments have not been reported to the acquirer yet. They are kept safe on this terminal and sent when the link is back. {{.Question}}", int(pending),
			map[string]any{"Pending": pending, "Question": question}),
		func(ok bool) {
			if ok {
				then()
			}
		})
}
