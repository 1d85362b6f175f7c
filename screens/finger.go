package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
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
}

// fingerWait bounds how long a fingerprint button waits for a finger.
const fingerWait = 30 * time.Second

// fingerButtons is "use fingerprint" and, in demo mode, a button per demo
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

// fingerPanel is "place a finger" and, in demo mode, a button per demo
// finger (names) that the demo puts on the reader first. identify runs in the
// background, waiting at most fingerWait; done gets its error on Fyne's
// goroutine.
func fingerPanel(ui *UI, names []string, identify func(context.Context) error, done func(error)) fyne.CanvasObject {
	run := func() {
		var err error
		ui.Async(func() {
			ctx, cancel := context.WithTimeout(context.Background(), fingerWait)
			defer cancel()
			err = identify(ctx)
		}, func() { done(err) })
	}
	use := widget.NewButtonWithIcon(lang.X("finger.use", "Place a finger on the reader"), theme.AccountIcon(), run)
	use.Importance = widget.HighImportance
	box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 56), use)))
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
// that shows dots, or their finger; then runs with the manager.
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
	// The code is checked against slow hashes: off Fyne's goroutine, once
	// at a time.
	checking := false
	nd = newNumberDialog(ui, title, 0, "", func(code string) error {
		if checking {
			return errChecking
		}
		checking = true
		var m models.Operator
		var err error
		ui.Async(func() {
			m, err = staff.ManagerByCode(context.Background(), code)
		}, func() {
			checking = false
			if nd.closed {
				return // cancelled meanwhile
			}
			if err != nil {
				nd.showError(err)
				return
			}
			nd.close(func() { then(m) })
		})
		return errChecking
	}, top...)
	nd.keypad.Secret = true
	nd.keypad.MaxLen = models.StaffCodeMaxLen
	nd.Show()
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
