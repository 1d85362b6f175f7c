package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// Staff signs people in and authorizes what needs a manager, by code or
// finger; *staff.Staff is one.
type Staff interface {
	// OperatorByCode finds the active operator whose code this is.
	OperatorByCode(ctx context.Context, code string) (models.Operator, error)
	// ManagerByCode checks a manager's authorization code.
	ManagerByCode(ctx context.Context, code string) (models.Operator, error)
	// HasFingers reports whether a fingerprint reader is there.
	HasFingers() bool
	// Identify waits (until ctx is done) for a finger and returns whose it is.
	Identify(ctx context.Context) (models.Operator, error)
	// Allowed is nil when op may do p under the shop's matrix, else why not.
	Allowed(ctx context.Context, op models.Operator, p models.Permission) error
	// HasOTP reports whether an owner can approve with a one-time code.
	HasOTP(ctx context.Context) (bool, error)
	// ApproveByOTP returns the owner whose authenticator shows code now.
	ApproveByOTP(ctx context.Context, code string) (models.Operator, error)
}

// StaffAdmin is the staff as Settings manages them; *staff.Staff is one.
type StaffAdmin interface {
	// Staff lists the active operators with how many fingers each has
	// enrolled.
	Staff(ctx context.Context) ([]models.StaffMember, error)
	// Enroll reads op's finger three times (step told 1, 2, 3), with op's
	// consent, authorized by manager, and keeps it.
	Enroll(ctx context.Context, op, manager models.Operator, step func(n int)) error
	// RemoveOperator closes sign-in for op, who leaves, and deletes their
	// fingers, authorized by manager.
	RemoveOperator(ctx context.Context, op, manager models.Operator) error
	// Lockouts lists the recent lock-outs after wrong codes or fingers not
	// recognised, the latest first.
	Lockouts(ctx context.Context) ([]models.Lockout, error)
	// AddOperator adds a member of staff with their code, authorized by
	// manager (who may manage staff).
	AddOperator(ctx context.Context, op models.Operator, code string, manager models.Operator) (models.Operator, error)
	// SetCode gives op a new code: by op, or by someone who may manage staff.
	SetCode(ctx context.Context, op models.Operator, code string, by models.Operator) error
	// EditOperator changes op's name and role, authorized by by (who may
	// manage staff), and returns op as stored.
	EditOperator(ctx context.Context, op models.Operator, name string, role models.Role, by models.Operator) (models.Operator, error)
	// EnrolOTP begins setting up owner op's authenticator, by op themself:
	// nothing is kept until ConfirmOTP.
	EnrolOTP(ctx context.Context, op, by models.Operator) (models.OTPEnrolment, error)
	// ConfirmOTP keeps e once code is the one its authenticator shows now.
	ConfirmOTP(ctx context.Context, e models.OTPEnrolment, code string, by models.Operator) error
	// RemoveOTP deletes op's authenticator: by op, or by someone who may
	// manage staff.
	RemoveOTP(ctx context.Context, op, by models.Operator) error
}

// fingerWait bounds how long a fingerprint button waits for a finger.
const fingerWait = 30 * time.Second

// fingerButtons is the finger prompt with "Read finger" and, in demo mode, a button per demo
// finger that places it and identifies it; nil without a reader. identified
// gets the operator (or the error to show).
func fingerButtons(ui *UI, staff Staff, identified func(models.Operator, error)) fyne.CanvasObject {
	if !staff.HasFingers() {
		return nil
	}
	var names []string
	if ui.Demo != nil {
		names = ui.Demo.StaffFingers()
	}
	var op models.Operator
	return fingerPanel(ui, names, func(ctx context.Context) (err error) {
		op, err = staff.Identify(ctx)
		return err
	}, func(err error) { identified(op, err) })
}

// fingerIcon is a fingerprint, drawn in the text colour.
var fingerIcon = theme.NewThemedResource(fyne.NewStaticResource("fingerprint.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M9.42 13.44A2.75 2.75 0 1 1 14.58 13.44L13.17 12.93A1.25 1.25 0 1 0 10.83 12.93Z"/><path d="M7.78 15.45A5.15 5.15 0 1 1 16.22 15.45L14.99 14.59A3.65 3.65 0 1 0 9.01 14.59Z"/><path d="M6.66 17.84A7.55 7.55 0 1 1 17.34 17.84L16.28 16.78A6.05 6.05 0 1 0 7.72 16.78Z"/><path d="M5.60 20.12A9.95 9.95 0 1 1 18.40 20.12L17.43 18.97A8.45 8.45 0 1 0 6.57 18.97Z"/><path d="M11.25 12.5h1.5v6.5h-1.5z"/></svg>`)))

// fingerPanel is the instruction to place a finger on the reader, shown as
// an instruction (a fingerprint and the words in a panel) rather than as a
// button, with a plain "Read finger" button beside it that starts the
// reading; in demo mode a button per demo finger (names) puts that finger
// on the reader first. While the reader waits the panel says so. identify
// runs in the background, waiting at most fingerWait; done gets its error
// on Fyne's goroutine.
func fingerPanel(ui *UI, names []string, identify func(context.Context) error, done func(error)) fyne.CanvasObject {
	prompt := lang.X("finger.use", "Place a finger on the reader")
	text := widget.NewLabelWithStyle(prompt, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	read := widget.NewButton(lang.X("finger.read", "Read finger"), nil)
	run := func() {
		text.SetText(lang.X("finger.reading", "Reading… keep the finger on the reader"))
		read.Disable()
		var err error
		ui.Async(func() {
			ctx, cancel := context.WithTimeout(context.Background(), fingerWait)
			defer cancel()
			err = identify(ctx)
		}, func() {
			text.SetText(prompt)
			read.Enable()
			done(err)
		})
	}
	read.OnTapped = run
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(40), widget.NewIcon(fingerIcon)))
	panel := container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, icon,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(150, 52), read)),
		container.NewVBox(layout.NewSpacer(), text, layout.NewSpacer()))))
	box := container.NewVBox(container.NewGridWrap(fyne.NewSize(440, 76), panel))
	if len(names) > 0 {
		row := container.NewHBox()
		for _, name := range names {
			b := widget.NewButton(lang.X("finger.demo", "Demo finger: {{.Name}}", map[string]any{"Name": name}), func() {
				ui.Demo.PlaceFinger(name)
				run()
			})
			row.Add(container.NewGridWrap(fyne.NewSize(220, 52), b))
		}
		box.Add(row)
	}
	return box
}

// askManager asks for a manager's authorization: their code on a keypad
// that shows dots, or their finger, or, when an owner has set up an
// authenticator, the owner's one-time code; then runs with the manager.
func askManager(ui *UI, staff Staff, title string, then func(models.Operator)) {
	var nd *numberDialog
	top := []fyne.CanvasObject{widget.NewLabel(lang.X("orders.manager_code", "A manager's code is needed"))}
	if fb := fingerButtons(ui, staff, func(m models.Operator, err error) {
		if err == nil && !m.IsManager() {
			err = models.ErrManagerNeeded
		}
		if err != nil {
			nd.msg.Text = Message(err)
			nd.msg.Refresh()
			return
		}
		nd.d.Hide()
		then(m)
	}); fb != nil {
		top = append(top, fb)
	}
	// The owner's one-time code, in a dialog of its own once this one has
	// closed (Fyne closes the dialogs above one it hides); shown once the
	// staff say an owner has an authenticator.
	otp := widgets.NewActions(52, widget.NewButtonWithIcon(lang.X("otp.owner_code", "Owner's one-time code"), theme.LoginIcon(), func() {
		ui.Touch()
		nd.close(func() { askOwnerOTP(ui, staff, title, then) })
	}))
	otp.Hide()
	top = append(top, otp)
	// The code is checked against slow hashes: off Fyne's goroutine.
	nd = newNumberDialog(ui, title, 0, "", nil, top...)
	nd.onOK = checkInBackground(ui, nd, staff.ManagerByCode, then)
	nd.keypad.Secret = true
	nd.keypad.MaxLen = models.StaffCodeMaxLen
	nd.Show()
	var has bool
	ui.Async(func() {
		has, _ = staff.HasOTP(context.Background()) // unknown: not offered; codes and fingers still are
	}, func() {
		if has && !nd.closed {
			otp.Show()
			fitDialog(ui, nd.d)
		}
	})
}

// checkInBackground is a number dialog's onOK that checks the number with
// verify off Fyne's goroutine, once at a time, and on success closes nd
// and runs then with whom verify found. OK tapped again meanwhile (a wrong
// code, then the right one typed at once) is not lost: the number then
// typed is checked as soon as the first check has failed.
func checkInBackground(ui *UI, nd *numberDialog, verify func(context.Context, string) (models.Operator, error), then func(models.Operator)) func(string) error {
	checking, again := false, false
	var check func(code string) error
	check = func(code string) error {
		if checking {
			again = true
			return errChecking
		}
		checking = true
		var m models.Operator
		var err error
		ui.Async(func() {
			m, err = verify(context.Background(), code)
		}, func() {
			checking = false
			if nd.closed {
				return // cancelled meanwhile
			}
			if err != nil && again {
				again = false
				check(nd.keypad.Text())
				return
			}
			again = false
			if err != nil {
				nd.showError(err)
				return
			}
			nd.close(func() { then(m) })
		})
		return errChecking
	}
	return check
}

// enrolFinger enrols op's finger: a manager authorizes, op consents, and
// the finger is read three times with the progress shown.
func enrolFinger(ui *UI, staff Staff, admin StaffAdmin, op models.Operator, done func()) {
	askManager(ui, staff, lang.X("finger.enrol_title", "Enrol {{.Name}}'s finger", map[string]any{"Name": op.Name}), func(m models.Operator) {
		consent := lang.X("finger.consent", "{{.Name}} agrees that a template of their fingerprint is kept, sealed, on this terminal for staff sign-in and approvals, and deleted when they leave.",
			map[string]any{"Name": op.Name})
		ui.confirm(lang.X("finger.consent_title", "Consent"), consent, func(ok bool) {
			if !ok {
				return
			}
			progress := widget.NewLabel(lang.X("finger.place", "Place the finger on the reader: reading {{.N}} of 3", map[string]any{"N": 1}))
			wait := dialog.NewCustomWithoutButtons(lang.X("finger.enrolling", "Enrolling"), container.NewVBox(progress, widget.NewProgressBarInfinite()), ui.Window)
			wait.Show()
			var err error
			ui.Async(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				err = admin.Enroll(ctx, op, m, func(n int) {
					ui.Do(func() {
						progress.SetText(lang.X("finger.lift", "Reading {{.N}} of 3 done: lift the finger and place it again", map[string]any{"N": n}))
					})
				})
			}, func() {
				wait.Hide()
				if err != nil {
					ShowError(ui.Window, err)
					return
				}
				dialog.ShowInformation(lang.X("finger.enrolled_title", "Enrolled"),
					lang.X("finger.enrolled", "{{.Name}} can now sign in with this finger", map[string]any{"Name": op.Name}), ui.Window)
				if done != nil {
					done()
				}
			})
		})
	})
}
