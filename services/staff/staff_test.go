package staff

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/fingers"
)

// rig is the staff service of T01 on a new store with a cashier, a manager
// and a second cashier, and the simulated fingerprint module.
type rig struct {
	store                  *models.Store
	session                *Session
	reader                 *fingers.Reader
	staff                  *Staff
	cashier, manager, next models.Operator
	logged                 []string
}

// The rig's staff codes.
const (
	cashierCode = "1001"
	managerCode = "8888"
	nextCode    = "1002"
)

func newRig(t testing.TB) *rig {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t)
	r := &rig{store: s}
	var err error
	for _, op := range []struct {
		to   *models.Operator
		code string
		name string
		role models.Role
	}{{&r.cashier, cashierCode, "王小明", models.RoleCashier}, {&r.manager, managerCode, "李店长", models.RoleManager},
		{&r.next, nextCode, "赵六", models.RoleCashier}} {
		if *op.to, err = s.EnsureOperator(ctx, models.Operator{Name: op.name, Role: op.role, Active: true}, op.code); err != nil {
			t.Fatal(err)
		}
	}
	logf := func(what string, err error) { r.logged = append(r.logged, what+": "+err.Error()) }
	if r.reader, err = fingers.Open(ctx, s, "T01", make([]byte, 32), true, logf); err != nil || r.reader == nil {
		t.Fatalf("simulated fingerprint module: %v", err)
	}
	t.Cleanup(r.reader.Close)
	if r.staff, err = New(ctx, s, "T01", r.reader, logf); err != nil {
		t.Fatal(err)
	}
	r.session = r.staff.Session()
	r.staff.Start(r.cashier)
	return r
}

func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func (r *rig) audit(t *testing.T, action string) []models.AuditEntry {
	t.Helper()
	entries, err := r.store.AuditEntries(context.Background(), action)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestSignInSetsTheSessionAndAudits(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if n := len(r.audit(t, "sign_in")); n != 0 {
		t.Fatalf("Start audited %d sign-ins", n)
	}
	op, err := r.staff.OperatorByCode(ctx, "1002")
	if err != nil {
		t.Fatal(err)
	}
	r.staff.SignIn(ctx, op)
	if got := r.session.Operator(); got.ID != r.next.ID {
		t.Fatalf("signed in: %+v", got)
	}
	entries := r.audit(t, "sign_in")
	if len(entries) != 1 || entries[0].OperatorID != r.next.ID || entries[0].TerminalID != "T01" ||
		!strings.Contains(entries[0].Detail, "赵六") {
		t.Fatalf("sign-in audit: %+v", entries)
	}
	// A staff code is never audited.
	if strings.Contains(entries[0].Detail, nextCode) {
		t.Fatalf("the sign-in audit holds the operator's code: %q", entries[0].Detail)
	}
	if _, err := r.staff.OperatorByCode(ctx, "9999"); errKey(err) != "error.operator.code" {
		t.Fatalf("unknown code: %v", err)
	}
	if _, err := r.staff.ManagerByCode(ctx, "1001"); errKey(err) != "error.manager.code" {
		t.Fatalf("a cashier's code as a manager's: %v", err)
	}
	if m, err := r.staff.ManagerByCode(ctx, "8888"); err != nil || m.ID != r.manager.ID {
		t.Fatalf("manager's code: %+v %v", m, err)
	}
	if len(r.logged) != 0 {
		t.Fatalf("errors logged: %v", r.logged)
	}
}

func TestUnlockByAnotherOperatorSwitchesAndAudits(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if r.staff.Unlock(ctx, r.cashier) {
		t.Fatal("unlocking by the operator signed in reported a switch")
	}
	if got := r.session.Operator(); got.ID != r.cashier.ID || len(r.audit(t, "operator_switch")) != 0 {
		t.Fatalf("after the same operator's unlock: %+v, %d switches", got, len(r.audit(t, "operator_switch")))
	}
	if !r.staff.Unlock(ctx, r.next) {
		t.Fatal("unlocking by another operator reported no switch")
	}
	if got := r.session.Operator(); got.ID != r.next.ID {
		t.Fatalf("after another's unlock: %+v", got)
	}
	entries := r.audit(t, "operator_switch")
	if len(entries) != 1 || entries[0].OperatorID != r.next.ID ||
		!strings.Contains(entries[0].Detail, r.next.Name) || !strings.Contains(entries[0].Detail, r.cashier.Name) {
		t.Fatalf("switch audit: %+v", entries)
	}
	for _, code := range []string{nextCode, cashierCode} {
		if strings.Contains(entries[0].Detail, code) {
			t.Fatalf("the switch audit holds a staff code: %q", entries[0].Detail)
		}
	}
}

func TestRemoveOperatorRefusesWhoIsSignedIn(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if err := r.staff.RemoveOperator(ctx, r.cashier, r.manager); errKey(err) != "error.operator.signed_in" {
		t.Fatalf("removing the operator signed in: %v", err)
	}
	if _, err := r.staff.OperatorByCode(ctx, cashierCode); err != nil {
		t.Fatalf("the refused removal closed sign-in: %v", err)
	}
	// Another, with a finger enrolled, is removed with it.
	if err := r.reader.EnrolDemo(ctx, fingers.KindOperator, r.next.ID, r.next.Name, r.manager, fingers.PurposeStaff); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.reader.Templates(); n != 1 {
		t.Fatalf("%d templates after enrolment", n)
	}
	if err := r.staff.RemoveOperator(ctx, r.next, r.cashier); !models.IsDenied(err) {
		t.Fatalf("removal authorized by a cashier: %v", err)
	}
	if err := r.staff.RemoveOperator(ctx, r.next, r.manager); err != nil {
		t.Fatal(err)
	}
	if _, err := r.staff.OperatorByCode(ctx, nextCode); err == nil {
		t.Fatal("a removed operator can still sign in")
	}
	if n, _ := r.reader.Templates(); n != 0 {
		t.Fatalf("%d templates left on the module", n)
	}
	list, err := r.staff.Staff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.Operator.ID == r.next.ID {
			t.Fatalf("a removed operator is listed: %+v", list)
		}
	}
}

func TestEnrollNeedsAManagerThenKeepsTheFinger(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.staff.Enroll(ctx, r.next, r.cashier, nil); !models.IsDenied(err) {
		t.Fatalf("enrolment approved by a cashier: %v", err)
	}
	if n := len(r.audit(t, "consent")); n != 0 {
		t.Fatalf("a refused enrolment audited %d consents", n)
	}
	if fps, _ := r.store.Fingerprints(ctx); len(fps) != 0 {
		t.Fatalf("a refused enrolment kept %d fingers", len(fps))
	}
	var steps []int
	if err := r.staff.Enroll(ctx, r.next, r.manager, func(n int) { steps = append(steps, n) }); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[2] != 3 {
		t.Fatalf("enrolment steps %v", steps)
	}
	consents := r.audit(t, "consent")
	if len(consents) != 1 || consents[0].OperatorID != r.manager.ID || !strings.Contains(consents[0].Detail, fingers.PurposeStaff) {
		t.Fatalf("consent audit: %+v", consents)
	}
	list, err := r.staff.Staff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if want := map[bool]int{true: 1, false: 0}[m.Operator.ID == r.next.ID]; m.Fingers != want {
			t.Fatalf("%s has %d fingers: %+v", m.Operator.Name, m.Fingers, list)
		}
	}
	// The finger enrolled signs its owner in.
	r.reader.PlaceDemo(r.next.Name)
	op, err := r.staff.Identify(ctx)
	if err != nil || op.ID != r.next.ID {
		t.Fatalf("identified %+v %v", op, err)
	}
}

func TestAutoLockSetting(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if got := r.staff.AutoLockMinutes(); got != models.DefaultAutoLock {
		t.Fatalf("default auto-lock %d", got)
	}
	var heard []int
	r.staff.OnAutoLock(func(m int) { heard = append(heard, m) })
	for _, bad := range []int{1441, -1} {
		if err := r.staff.SetAutoLockMinutes(ctx, bad, models.Operator{}); errKey(err) != "error.auto_lock.range" {
			t.Fatalf("auto-lock %d: %v", bad, err)
		}
	}
	if len(heard) != 0 || r.staff.AutoLockMinutes() != models.DefaultAutoLock {
		t.Fatalf("refused values were applied: %v, %d", heard, r.staff.AutoLockMinutes())
	}
	if err := r.staff.SetAutoLockMinutes(ctx, 5, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if len(heard) != 1 || heard[0] != 5 || r.staff.AutoLockMinutes() != 5 {
		t.Fatalf("after 5: heard %v, minutes %d", heard, r.staff.AutoLockMinutes())
	}
	if v, err := r.store.Setting(ctx, models.SettingAutoLock, ""); err != nil || v != "5" {
		t.Fatalf("stored %q %v", v, err)
	}
	again, err := New(ctx, r.store, "T01", nil, nil)
	if err != nil || again.AutoLockMinutes() != 5 {
		t.Fatalf("read back: %v %d", err, again.AutoLockMinutes())
	}
	// A stored value out of range is read as the default.
	if err := r.store.SetSetting(ctx, models.SettingAutoLock, "99999"); err != nil {
		t.Fatal(err)
	}
	if again, err = New(ctx, r.store, "T01", nil, nil); err != nil || again.AutoLockMinutes() != models.DefaultAutoLock {
		t.Fatalf("out of range stored: %v %d", err, again.AutoLockMinutes())
	}
}

func TestWithoutAReaderFingersAreRefused(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	st, err := New(ctx, r.store, "T01", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.HasFingers() || !r.staff.HasFingers() {
		t.Fatal("HasFingers")
	}
	if _, err := st.Identify(ctx); err != fingers.ErrDevice {
		t.Fatalf("identify without a reader: %v", err)
	}
	if err := st.Enroll(ctx, r.next, r.manager, nil); err != fingers.ErrDevice {
		t.Fatalf("enrol without a reader: %v", err)
	}
}
