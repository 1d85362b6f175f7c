package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// AskAddStaff takes a new member of staff: name, role and code (typed
// twice, on the on-screen keyboard if need be), and adds them as the one
// signed in when they may manage staff, else once someone who may
// approves with their code. Only an owner offers the owner's role.
func (s *Settings) AskAddStaff() {
	name, code, again := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	name.SetPlaceHolder(lang.X("staff.name", "Name"))
	code.SetPlaceHolder(lang.X("staff.code", "Code: 6 to 8 digits"))
	again.SetPlaceHolder(lang.X("setup.owner_again", "Code again"))
	code.Password, again.Password = true, true
	for _, e := range []*widget.Entry{name, code, again} {
		s.ui.watchEntry(e)
	}
	role := models.RoleCashier
	roles := []models.Role{models.RoleCashier, models.RoleWaiter, models.RoleManager}
	if s.ui.Operator().Role == models.RoleOwner {
		roles = append(roles, models.RoleOwner)
	}
	buttons := map[models.Role]*widget.Button{}
	var choice []fyne.CanvasObject
	for _, r := range roles {
		b := widget.NewButton(roleName(r), nil)
		b.OnTapped = func() {
			role = r
			for rr, bb := range buttons {
				bb.Importance = widget.MediumImportance
				if rr == r {
					bb.Importance = widget.HighImportance
				}
				bb.Refresh()
			}
		}
		buttons[r] = b
		choice = append(choice, b)
	}
	buttons[role].Importance = widget.HighImportance
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	kbd := onScreenKeyboard(s.ui, name, code, again)
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	add := widget.NewButtonWithIcon(lang.X("staff.add", "Add staff"), theme.ContentAddIcon(), nil)
	add.Importance = widget.HighImportance
	body := container.NewVBox(name, widgets.NewActions(52, choice...), code, again, msg, container.NewCenter(kbd.keys),
		widgets.NewActions(52, cancel, kbd.toggle, add))
	d := dialog.NewCustomWithoutButtons(lang.X("staff.add", "Add staff"), container.NewStack(strut(560, 0), body), s.ui.Window)
	*kbd.resized = func() { d.Resize(fyne.Size{}) }
	cancel.OnTapped = d.Hide
	show := func(err error) {
		msg.Text = Message(err)
		msg.Refresh()
	}
	addAs := func(by models.Operator) {
		_, err := s.deps.StaffAdmin.AddOperator(context.Background(), models.Operator{Name: name.Text, Role: role}, code.Text, by)
		switch {
		case err == nil:
			d.Hide()
			s.RefreshStaff()
		case models.IsDenied(err) && by.ID == s.ui.Operator().ID:
			// Not theirs to do: someone who may approves.
			askManager(s.ui, s.deps.Staff, lang.X("staff.add", "Add staff"), func(m models.Operator) {
				_, err := s.deps.StaffAdmin.AddOperator(context.Background(), models.Operator{Name: name.Text, Role: role}, code.Text, m)
				if err != nil {
					show(err)
					return
				}
				d.Hide()
				s.RefreshStaff()
			})
		default:
			show(err)
		}
	}
	add.OnTapped = func() {
		s.ui.Touch()
		if err := models.CheckCodeTwice(code.Text, again.Text); err != nil {
			show(err)
			return
		}
		addAs(s.ui.Operator())
	}
	d.Show()
	s.ui.Window.Canvas().Focus(name) // a physical keyboard types at once; Tab goes on
}

// AskChangeCode gives op a new code, typed twice: their own, or, for
// someone who may manage staff, anyone's.
func (s *Settings) AskChangeCode(op models.Operator) {
	code, again := widget.NewEntry(), widget.NewEntry()
	code.SetPlaceHolder(lang.X("staff.code", "Code: 6 to 8 digits"))
	again.SetPlaceHolder(lang.X("setup.owner_again", "Code again"))
	code.Password, again.Password = true, true
	s.ui.watchEntry(code)
	s.ui.watchEntry(again)
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	kbd := onScreenKeyboard(s.ui, code, again)
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	ok := widget.NewButton(lang.X("action.ok", "OK"), nil)
	ok.Importance = widget.HighImportance
	body := container.NewVBox(code, again, msg, container.NewCenter(kbd.keys), widgets.NewActions(52, cancel, kbd.toggle, ok))
	d := dialog.NewCustomWithoutButtons(lang.X("staff.change_code_title", "New code for {{.Name}}", map[string]any{"Name": op.Name}),
		container.NewStack(strut(480, 0), body), s.ui.Window)
	*kbd.resized = func() { d.Resize(fyne.Size{}) }
	cancel.OnTapped = d.Hide
	ok.OnTapped = func() {
		s.ui.Touch()
		err := models.CheckCodeTwice(code.Text, again.Text)
		if err == nil {
			err = s.deps.StaffAdmin.SetCode(context.Background(), op, code.Text, s.ui.Operator())
		}
		if err != nil {
			msg.Text = Message(err)
			msg.Refresh()
			return
		}
		d.Hide()
	}
	d.Show()
}
