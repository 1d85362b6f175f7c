package screens

import (
	"context"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
)

func TestSettingsAutoLockWithinTheRange(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	lock := &fakeAutoLock{minutes: 5}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, AutoLock: lock})
	showOn(ui, s.Content())

	if s.AutoLockText() != "5 min without activity" {
		t.Fatalf("shown %q", s.AutoLockText())
	}
	if shown(w, "Cashier discount limit") {
		t.Fatal("the discount limit is shown without its setting")
	}
	tap(t, w, "Change")
	if p := findKeypad(w); p == nil || p.Text() != "5" {
		t.Fatal("the keypad does not start at the current minutes")
	}
	tap(t, w, "C")
	keys(t, w, "2000")
	tap(t, w, "OK")
	mustShow(t, w, "Auto-lock is between 0 (never) and 1440 minutes")
	if len(lock.set) != 0 || s.AutoLockText() != "5 min without activity" {
		t.Fatalf("2000 minutes reached the setting: %v", lock.set)
	}
	tap(t, w, "C")
	keys(t, w, "15")
	tap(t, w, "OK")
	if !slices.Equal(lock.set, []int{15}) || s.AutoLockText() != "15 min without activity" || dialogShown(w) {
		t.Fatalf("set %v, shown %q", lock.set, s.AutoLockText())
	}
	tap(t, w, "Change")
	tap(t, w, "C", "0", "OK")
	if !slices.Equal(lock.set, []int{15, 0}) || s.AutoLockText() != "Never" {
		t.Fatalf("set %v, shown %q", lock.set, s.AutoLockText())
	}
}

func TestSettingsDiscountLimitNeedsAManager(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	staff, limits := &fakeStaff{}, &fakeLimits{bp: 1000}
	s := NewSettings(ui, SettingsDeps{Staff: staff, Discount: limits})
	showOn(ui, s.Content())
	mustShow(t, w, "10%")

	tap(t, w, "Change")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "1111")
	tap(t, w, "OK")
	mustShow(t, w, "A manager must authorize this")
	tap(t, w, "C")
	keys(t, w, "8888")
	tap(t, w, "OK")
	// The manager's code opens the limit's keypad, at the current limit.
	mustShow(t, w, "Cashier discount limit (%)")
	if p := findKeypad(w); p == nil || p.Text() != "10" {
		t.Fatal("the limit keypad does not start at 10")
	}
	tap(t, w, "C")
	keys(t, w, "12.5")
	tap(t, w, "OK")
	if !slices.Equal(limits.sets, []limitCall{{1250, manager.Name}}) || !slices.Equal(staff.managers, []string{"1111", "8888"}) {
		t.Fatalf("limits set %+v, codes %q", limits.sets, staff.managers)
	}
	mustShow(t, w, "12.5%")
}

func TestSettingsDiscountLimitByTheManagerAtTheTill(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	staff, limits := &fakeStaff{}, &fakeLimits{bp: 1000}
	s := NewSettings(ui, SettingsDeps{Staff: staff, Discount: limits})
	showOn(ui, s.Content())
	tap(t, w, "Change")
	mustShow(t, w, "Cashier discount limit (%)")
	tap(t, w, "C", "5", "OK")
	if !slices.Equal(limits.sets, []limitCall{{500, manager.Name}}) || len(staff.managers) != 0 {
		t.Fatalf("limits set %+v, codes asked %q", limits.sets, staff.managers)
	}
}

func TestSettingsLanguage(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	var chosen []string
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, SetLanguage: func(l string) { chosen = append(chosen, l) }})
	showOn(ui, s.Content())
	mustShow(t, w, "Corner Shop")
	mustShow(t, w, cashier.Name)
	tap(t, w, "English") // already English
	tap(t, w, "简体中文")
	if !slices.Equal(chosen, []string{"zh"}) {
		t.Fatalf("languages chosen %q", chosen)
	}
	if findButton(w, "Change") != nil {
		t.Fatal("a setting without its service can be changed")
	}
}

// fakeStaffAdmin lists the staff and their fingers, enrols (three
// readings) and removes them.
type fakeStaffAdmin struct {
	codes    []string // whose code was changed
	staff    []models.StaffMember
	lockouts []models.Lockout
	enrols   []string // op/manager
	removed  []string // op/manager
	edits    []string // name/role/by, as stored
	otp      []string // confirm:owner/by or remove:owner/by
}

func (f *fakeStaffAdmin) Staff(context.Context) ([]models.StaffMember, error) { return f.staff, nil }

func (f *fakeStaffAdmin) Lockouts(context.Context) ([]models.Lockout, error) { return f.lockouts, nil }

// SetCode changes a code as the store does: one's own, or by a manager.
func (f *fakeStaffAdmin) SetCode(_ context.Context, op models.Operator, code string, by models.Operator) error {
	if by.ID != op.ID && !by.IsManager() {
		return models.DefaultPermissions().Check(by, models.PermStaff)
	}
	if err := models.CheckStaffCode(code); err != nil {
		return err
	}
	f.codes = append(f.codes, op.Name)
	return nil
}

// AddOperator adds as the store does: a manager or owner adds, the code
// keeping to the rule.
func (f *fakeStaffAdmin) AddOperator(_ context.Context, op models.Operator, code string, m models.Operator) (models.Operator, error) {
	if !m.IsManager() {
		return models.Operator{}, models.DefaultPermissions().Check(m, models.PermStaff)
	}
	if err := models.CheckStaffCode(code); err != nil {
		return models.Operator{}, err
	}
	op.ID, op.Active = uint(len(f.staff)+100), true
	f.staff = append(f.staff, models.StaffMember{Operator: op})
	return op, nil
}

// EditOperator edits as the store does: who may manage staff edits, an
// owner alone makes an owner, the name keeps to the rule.
func (f *fakeStaffAdmin) EditOperator(_ context.Context, op models.Operator, name string, role models.Role, by models.Operator) (models.Operator, error) {
	if err := models.DefaultPermissions().Check(by, models.PermStaff); err != nil {
		return models.Operator{}, err
	}
	if role == models.RoleOwner && by.Role != models.RoleOwner {
		return models.Operator{}, &models.Error{Code: models.EINVALID, Key: "error.operator.owner_by_owner", Fallback: "Only an owner can make someone an owner"}
	}
	name, err := models.CheckOperatorName(name)
	if err != nil {
		return models.Operator{}, err
	}
	for i, m := range f.staff {
		if m.Operator.ID == op.ID {
			f.staff[i].Operator.Name, f.staff[i].Operator.Role = name, role
			f.edits = append(f.edits, name+"/"+string(role)+"/"+by.Name)
			return f.staff[i].Operator, nil
		}
	}
	return models.Operator{}, &models.Error{Code: models.ENOTFOUND, Key: "error.operator.unknown", Fallback: "No such operator"}
}

func (f *fakeStaffAdmin) Enroll(_ context.Context, op, m models.Operator, step func(n int)) error {
	f.enrols = append(f.enrols, op.Name+"/"+m.Name)
	for n := 1; n <= 3; n++ {
		step(n)
	}
	f.staff[0].Fingers++
	return nil
}

func (f *fakeStaffAdmin) RemoveOperator(_ context.Context, op, m models.Operator) error {
	f.removed = append(f.removed, op.Name+"/"+m.Name)
	f.staff = f.staff[1:]
	return nil
}

func TestSettingsStaffFingersEnrolAndLeave(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	admin := &fakeStaffAdmin{staff: []models.StaffMember{{Operator: cashier}, {Operator: manager, Fingers: 2}},
		lockouts: []models.Lockout{
			{Kind: models.TryCode, Subject: "operator:1", TerminalID: "T01", OperatorID: cashier.ID, Name: cashier.Name,
				Failures: 5, LockedAt: testNow.Add(-10 * time.Second), LockedUntil: testNow.Add(20 * time.Second)},
			{Kind: models.TryFinger, Subject: "terminal:T01", TerminalID: "T01", Failures: 0,
				LockedAt: testNow.Add(-time.Hour), LockedUntil: time.Time{}}}}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{fingers: true}, StaffAdmin: admin})
	showOn(ui, s.Content())
	mustShow(t, w, "Zhang San · Cashier: 0 fingers")
	mustShow(t, w, "Boss Wang · Manager: 2 fingers")
	if shown(w, "1111") || shown(w, "8888") {
		t.Fatal("Settings shows a staff code")
	}
	at := testNow.Add(-10 * time.Second).Local()
	mustShow(t, w, "Locked out: Zhang San, after wrong codes, since "+at.Format("01-02 15:04")+", until "+
		testNow.Add(20*time.Second).Local().Format("15:04:05"))
	mustShow(t, w, "Locked out: Terminal T01, after fingers not recognised, at "+testNow.Add(-time.Hour).Local().Format("01-02 15:04"))

	tap(t, w, "Enrol a finger") // the first: Zhang San's
	keys(t, w, "8888")
	tap(t, w, "OK")
	mustShow(t, w, "Zhang San agrees that a template of their fingerprint is kept")
	tap(t, w, "Yes")
	if !slices.Equal(admin.enrols, []string{"Zhang San/Boss Wang"}) {
		t.Fatalf("enrolled %q", admin.enrols)
	}
	mustShow(t, w, "Zhang San can now sign in with this finger")
	tap(t, w, "OK")
	mustShow(t, w, "Zhang San · Cashier: 1 fingers")

	tap(t, w, "Remove from staff")
	keys(t, w, "8888")
	tap(t, w, "OK")
	mustShow(t, w, "Zhang San can no longer sign in")
	tap(t, w, "Yes")
	if !slices.Equal(admin.removed, []string{"Zhang San/Boss Wang"}) {
		t.Fatalf("removed %q", admin.removed)
	}
	if shown(w, "Zhang San · Cashier") {
		t.Fatal("the operator who left is still listed")
	}
}

// stockCall is one call of SetAllowBelowZero.
type stockCall struct {
	allow   bool
	manager string
}

// fakeStockPolicy stores whether the shop sells below zero stock.
type fakeStockPolicy struct {
	allow bool
	sets  []stockCall
}

func (f *fakeStockPolicy) AllowBelowZero() bool { return f.allow }
func (f *fakeStockPolicy) SetAllowBelowZero(_ context.Context, allow bool, m models.Operator) error {
	f.sets = append(f.sets, stockCall{allow, m.Name})
	f.allow = allow
	return nil
}

func TestSettingsSellingBelowZeroStockNeedsAManager(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	staff, stock := &fakeStaff{}, &fakeStockPolicy{allow: true}
	s := NewSettings(ui, SettingsDeps{Staff: staff, Stock: stock})
	showOn(ui, s.Content())
	mustShow(t, w, "Selling below zero stock")
	if s.AllowsBelowZero() != "allowed" {
		t.Fatalf("shown %q", s.AllowsBelowZero())
	}
	tap(t, w, "Allowed") // in force already: nothing to ask
	if dialogShown(w) || len(stock.sets) != 0 {
		t.Fatal("choosing the setting in force asked for something")
	}
	// A cashier's own code is refused; a manager's turns it off.
	tap(t, w, "Not allowed")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "1111")
	tap(t, w, "OK")
	mustShow(t, w, "A manager must authorize this")
	if len(stock.sets) != 0 {
		t.Fatal("changed on a cashier's code")
	}
	tap(t, w, "C")
	keys(t, w, "8888")
	tap(t, w, "OK")
	if !slices.Equal(stock.sets, []stockCall{{false, manager.Name}}) || s.AllowsBelowZero() != "forbidden" || dialogShown(w) {
		t.Fatalf("set %+v, shown %q", stock.sets, s.AllowsBelowZero())
	}
}

func TestSettingsSellingBelowZeroStockByTheManagerAtTheTill(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	staff, stock := &fakeStaff{}, &fakeStockPolicy{allow: false}
	s := NewSettings(ui, SettingsDeps{Staff: staff, Stock: stock})
	showOn(ui, s.Content())
	if s.AllowsBelowZero() != "forbidden" {
		t.Fatalf("shown %q", s.AllowsBelowZero())
	}
	tap(t, w, "Allowed")
	if !slices.Equal(stock.sets, []stockCall{{true, manager.Name}}) || len(staff.managers) != 0 || s.AllowsBelowZero() != "allowed" {
		t.Fatalf("set %+v, codes asked %q, shown %q", stock.sets, staff.managers, s.AllowsBelowZero())
	}
	// Without the setting, no row.
	other := NewSettings(ui, SettingsDeps{Staff: staff})
	showOn(ui, other.Content())
	if shown(w, "Selling below zero stock") || other.AllowsBelowZero() != "" {
		t.Fatal("the setting is shown without its service")
	}
}

// fakePermissions keeps the matrix as the store does: only an owner
// changes it.
type fakePermissions struct {
	m    models.Permissions
	sets int
}

func (f *fakePermissions) Permissions(context.Context) (models.Permissions, error) {
	out := models.Permissions{}
	for r, ps := range f.m {
		out[r] = map[models.Permission]bool{}
		for p, v := range ps {
			out[r][p] = v
		}
	}
	return out, nil
}

func (f *fakePermissions) SetPermissions(_ context.Context, m models.Permissions, by models.Operator) error {
	if by.Role != models.RoleOwner {
		return models.ErrManagerNeeded
	}
	f.m, f.sets = m, f.sets+1
	return nil
}

func TestSettingsPermissionMatrix(t *testing.T) {
	owner := models.Operator{ID: 9, Name: "Boss", Role: models.RoleOwner, Active: true}
	for _, c := range []struct {
		op       models.Operator
		editable bool
	}{{manager, false}, {owner, true}} {
		ui := newTestUI(t, c.op)
		w := ui.Window
		p := &fakePermissions{m: models.DefaultPermissions()}
		showOn(ui, NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Permissions: p}).Content())
		mustShow(t, w, "Who may do what")
		mustShow(t, w, "void a sale")
		var checks []*widget.Check
		uitest.Walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
			if ch, ok := o.(*widget.Check); ok {
				checks = append(checks, ch)
			}
			return false
		})
		if len(checks) != 3*len(models.AllPermissions) {
			t.Fatalf("%d ticks, want 3 roles × %d permissions", len(checks), len(models.AllPermissions))
		}
		// The first row is void: manager yes, cashier no, waiter no.
		if !checks[0].Checked || checks[1].Checked || checks[2].Checked {
			t.Fatalf("void row: %v %v %v", checks[0].Checked, checks[1].Checked, checks[2].Checked)
		}
		if checks[1].Disabled() == c.editable {
			t.Fatalf("%s: ticks disabled %v", c.op.Role, checks[1].Disabled())
		}
		if c.editable {
			test.Tap(checks[1]) // cashiers may void now
			if p.sets != 1 || !p.m[models.RoleCashier][models.PermVoid] {
				t.Fatalf("after the owner's tick: %d sets, %+v", p.sets, p.m[models.RoleCashier])
			}
		} else {
			mustShow(t, w, "Only an owner changes who may do what.")
		}
	}
}

func TestSettingsAddStaffAsksForApprovalWhenNotAllowed(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	admin := &fakeStaffAdmin{}
	showOn(ui, NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, StaffAdmin: admin}).Content())
	tap(t, w, "Add staff")
	if uitest.FindButton(w, "Owner", false) != nil {
		t.Fatal("a cashier is offered the owner's role")
	}
	es := entries(w)
	es[0].SetText("Han Meimei")
	es[1].SetText("730415")
	es[2].SetText("730416")
	tap(t, w, "Add staff")
	mustShow(t, w, "The two codes are not the same: type the code again")
	es[2].SetText("730415")
	tap(t, w, "Add staff")
	// Not a cashier's to do: a manager's code approves it.
	keys(t, w, "8888")
	tap(t, w, "OK")
	if len(admin.staff) != 1 || admin.staff[0].Operator.Name != "Han Meimei" || admin.staff[0].Operator.Role != models.RoleCashier {
		t.Fatalf("staff after the approval: %+v", admin.staff)
	}
	mustShow(t, w, "Han Meimei · Cashier: 0 fingers")
}

func TestSettingsOwnCodeChangedButNotAnothers(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	other := models.Operator{ID: 77, Name: "Li Lei", Role: models.RoleCashier, Active: true}
	admin := &fakeStaffAdmin{staff: []models.StaffMember{{Operator: cashier}, {Operator: other}}}
	showOn(ui, NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, StaffAdmin: admin}).Content())
	var newCode []*widget.Button
	uitest.Walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "New code" {
			newCode = append(newCode, b)
		}
		return false
	})
	if len(newCode) != 2 {
		t.Fatalf("%d New code buttons", len(newCode))
	}
	// Another's code: refused, said in the dialog.
	test.Tap(newCode[1])
	es := entries(w)
	es[0].SetText("730415")
	es[1].SetText("730415")
	tap(t, w, "OK")
	mustShow(t, w, "may not do this")
	tap(t, w, "Cancel")
	// One's own: a weak code refused, then a good one kept.
	test.Tap(newCode[0])
	es = entries(w)
	es[0].SetText("111111")
	es[1].SetText("111111")
	tap(t, w, "OK")
	if len(admin.codes) != 0 || !dialogShown(w) {
		t.Fatalf("a weak code was taken: %v", admin.codes)
	}
	es[0].SetText("730415")
	es[1].SetText("730415")
	tap(t, w, "OK")
	if len(admin.codes) != 1 || admin.codes[0] != cashier.Name || dialogShown(w) {
		t.Fatalf("own code: %v, dialog shown %v", admin.codes, dialogShown(w))
	}
}

// TestSettingsCashierAsksSomeoneAllowed: a cashier's change of a setting
// asks first for the code of someone allowed; her own code approves
// nothing, the manager's does, and the change is made as the manager.
func TestSettingsCashierAsksSomeoneAllowed(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	lock := &fakeAutoLock{minutes: 5}
	staff := &fakeStaff{}
	s := NewSettings(ui, SettingsDeps{Staff: staff, AutoLock: lock})
	showOn(ui, s.Content())

	tap(t, w, "Change")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "1111")
	tap(t, w, "OK")
	if !slices.Equal(staff.managers, []string{"1111"}) || findKeypad(w) == nil || len(lock.set) != 0 {
		t.Fatalf("the cashier's own code: asked %v, set %v", staff.managers, lock.set)
	}
	tap(t, w, "C")
	keys(t, w, "8888")
	tap(t, w, "OK")
	// Approved: now the minutes.
	if p := findKeypad(w); p == nil || p.Text() != "5" {
		t.Fatal("no keypad for the minutes after the approval")
	}
	tap(t, w, "C", "1", "0", "OK")
	if !slices.Equal(lock.set, []int{10}) || !slices.Equal(lock.by, []string{manager.Name}) {
		t.Fatalf("set %v by %v", lock.set, lock.by)
	}
}
