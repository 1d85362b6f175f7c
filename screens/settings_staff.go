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
	choice, chosen := roleChoice(offeredRoles(s.ui.Operator(), ""), models.RoleCashier)
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	kbd := onScreenKeyboard(s.ui, name, code, again)
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	add := widget.NewButtonWithIcon(lang.X("staff.add", "Add staff"), theme.ContentAddIcon(), nil)
	add.Importance = widget.HighImportance
	body := container.NewVBox(name, code, again, widgets.NewActions(52, choice...), msg, container.NewCenter(kbd.keys),
		widgets.NewActions(52, cancel, kbd.toggle, add))
	d := dialog.NewCustomWithoutButtons(lang.X("staff.add", "Add staff"), container.NewStack(strut(560, 0), body), s.ui.Window)
	*kbd.resized = func() { fitDialog(s.ui, d) }
	cancel.OnTapped = d.Hide
	show := func(err error) {
		msg.Text = Message(err)
		msg.Refresh()
	}
	addAs := func(by models.Operator) {
		_, err := s.deps.StaffAdmin.AddOperator(context.Background(), models.Operator{Name: name.Text, Role: chosen()}, code.Text, by)
		switch {
		case err == nil:
			d.Hide()
			s.RefreshStaff()
		case models.IsDenied(err) && by.ID == s.ui.Operator().ID:
			// Not theirs to do: someone who may approves.
			askManager(s.ui, s.deps.Staff, lang.X("staff.add", "Add staff"), func(m models.Operator) {
				_, err := s.deps.StaffAdmin.AddOperator(context.Background(), models.Operator{Name: name.Text, Role: chosen()}, code.Text, m)
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
	*kbd.resized = func() { fitDialog(s.ui, d) }
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

// offeredRoles are the roles a dialog offers to by for a member of staff
// whose role is now current ("" for a newcomer): the owner's role only to
// an owner, or where it is the role now, so that it shows. The store
// decides what may change.
func offeredRoles(by models.Operator, current models.Role) []models.Role {
	roles := []models.Role{models.RoleCashier, models.RoleWaiter, models.RoleManager}
	if by.Role == models.RoleOwner || current == models.RoleOwner {
		roles = append(roles, models.RoleOwner)
	}
	return roles
}

// roleChoice is a button per role, one chosen at a time (first chosen),
// and what is chosen.
func roleChoice(roles []models.Role, chosen models.Role) ([]fyne.CanvasObject, func() models.Role) {
	buttons := map[models.Role]*widget.Button{}
	mark := func() {
		for r, b := range buttons {
			b.Importance = widget.MediumImportance
			if r == chosen {
				b.Importance = widget.HighImportance
			}
			b.Refresh()
		}
	}
	var out []fyne.CanvasObject
	for _, r := range roles {
		b := widget.NewButton(roleName(r), func() {
			chosen = r
			mark()
		})
		buttons[r] = b
		out = append(out, b)
	}
	mark()
	return out, func() models.Role { return chosen }
}
