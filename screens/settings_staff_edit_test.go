package screens

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
)

// editButtons are the staff list's Edit buttons, a row each.
func editButtons(t *testing.T, w fyne.Window, rows int) []*widget.Button {
	t.Helper()
	var out []*widget.Button
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Edit" {
			out = append(out, b)
		}
		return false
	})
	if len(out) != rows {
		t.Fatalf("%d Edit buttons, want %d", len(out), rows)
	}
	for _, b := range out {
		if h := b.Size().Height; h < 48 {
			t.Fatalf("an Edit button %v dp tall", h)
		}
	}
	return out
}

func TestSettingsEditStaffAsksForApprovalWhenNotAllowed(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	admin := &fakeStaffAdmin{staff: []models.StaffMember{{Operator: cashier}, {Operator: manager, Fingers: 2}}}
	showOn(ui, NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, StaffAdmin: admin}).Content())
	test.Tap(editButtons(t, w, 2)[0]) // Zhang San's
	mustShow(t, w, "Edit Zhang San")
	if uitest.FindButton(w, "Owner", false) != nil {
		t.Fatal("a cashier is offered the owner's role")
	}
	es := entries(w)
	if len(es) != 1 || es[0].Text != "Zhang San" {
		t.Fatalf("the name entry: %d entries", len(es))
	}
	es[0].SetText("  Zhang Xiaosan ")
	tap(t, w, "Manager", "Save")
	// Not a cashier's to do: a manager's code approves it.
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "8888")
	tap(t, w, "OK")
	if !slices.Equal(admin.edits, []string{"Zhang Xiaosan/manager/Boss Wang"}) || dialogShown(w) {
		t.Fatalf("edits %q, dialog shown %v", admin.edits, dialogShown(w))
	}
	mustShow(t, w, "Zhang Xiaosan · Manager: 0 fingers")
	mustShow(t, w, "Boss Wang · Manager: 2 fingers")
}

func TestSettingsEditStaffByAnOwner(t *testing.T) {
	owner := models.Operator{ID: 9, Name: "Boss", Role: models.RoleOwner, Active: true}
	ui := newTestUI(t, owner)
	w := ui.Window
	admin := &fakeStaffAdmin{staff: []models.StaffMember{{Operator: cashier}, {Operator: manager}}}
	showOn(ui, NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, StaffAdmin: admin}).Content())
	edit := editButtons(t, w, 2)
	// A name is needed: said in the dialog, which stays open; Cancel
	// changes nothing.
	test.Tap(edit[0])
	entries(w)[0].SetText("   ")
	tap(t, w, "Save")
	mustShow(t, w, "A member of staff needs a name")
	if !dialogShown(w) || len(admin.edits) != 0 {
		t.Fatalf("a nameless edit: %q, dialog shown %v", admin.edits, dialogShown(w))
	}
	tap(t, w, "Cancel")
	if dialogShown(w) || len(admin.edits) != 0 {
		t.Fatalf("cancelled: %q, dialog shown %v", admin.edits, dialogShown(w))
	}
	// The owner is offered the owner's role, and makes the manager one
	// without being asked for a code.
	test.Tap(edit[1])
	for _, r := range []string{"Cashier", "Waiter", "Manager", "Owner"} {
		if uitest.FindButton(w, r, false) == nil {
			t.Fatalf("no %s button", r)
		}
	}
	if b := uitest.FindButton(w, "Manager", false); b.Importance != widget.HighImportance {
		t.Fatal("the manager's role is not the one chosen")
	}
	tap(t, w, "Owner", "Save")
	if !slices.Equal(admin.edits, []string{"Boss Wang/owner/Boss"}) || dialogShown(w) {
		t.Fatalf("edits %q, dialog shown %v", admin.edits, dialogShown(w))
	}
	mustShow(t, w, "Boss Wang · Owner: 0 fingers")
}
