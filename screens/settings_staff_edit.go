package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// AskEditStaff changes op's name and role (on the on-screen keyboard if
// need be), as the one signed in when they may manage staff, else once
// someone who may approves with their code; the list is shown again
// after. Only an owner is offered the owner's role. The store holds the
// rules and says what it refuses.
func (s *Settings) AskEditStaff(op models.Operator) {
	name := widget.NewEntry()
	name.SetText(op.Name)
	name.SetPlaceHolder(lang.X("staff.name", "Name"))
	s.ui.watchEntry(name)
	choice, chosen := roleChoice(offeredRoles(s.ui.Operator(), op.Role), op.Role)
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	msg.Hide()
	kbd := onScreenKeyboard(s.ui, name)
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	save := widget.NewButtonWithIcon(lang.X("action.save", "Save"), theme.DocumentSaveIcon(), nil)
	save.Importance = widget.HighImportance
	body := container.NewVBox(name, widgets.NewActions(52, choice...), msg, container.NewCenter(kbd.keys),
		widgets.NewActions(52, cancel, kbd.toggle, save))
	title := lang.X("staff.edit_title", "Edit {{.Name}}", map[string]any{"Name": op.Name})
	d := dialog.NewCustomWithoutButtons(title, container.NewStack(strut(560, 0), body), s.ui.Window)
	*kbd.resized = func() { fitDialog(s.ui, d) }
	cancel.OnTapped = func() {
		s.ui.Touch()
		d.Hide()
	}
	show := func(err error) {
		msg.SetText(Message(err))
		msg.Show()
		fitDialog(s.ui, d)
	}
	// saveAs stores the change authorized by by; asked says whether by
	// was asked for after the one signed in was refused.
	var saveAs func(by models.Operator, asked bool)
	saving := false // once at a time
	saveAs = func(by models.Operator, asked bool) {
		if saving {
			return
		}
		saving = true
		var err error
		s.ui.Async(func() {
			_, err = s.deps.StaffAdmin.EditOperator(context.Background(), op, name.Text, chosen(), by)
		}, func() {
			saving = false
			switch {
			case err == nil:
				d.Hide()
				s.RefreshStaff()
			case models.IsDenied(err) && !asked:
				// Not theirs to do: someone who may approves.
				askManager(s.ui, s.deps.Staff, title, func(m models.Operator) { saveAs(m, true) })
			default:
				show(err)
			}
		})
	}
	save.OnTapped = func() {
		s.ui.Touch()
		saveAs(s.ui.Operator(), false)
	}
	name.OnSubmitted = func(string) { save.OnTapped() }
	d.Show()
}
