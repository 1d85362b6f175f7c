package staff

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

// lockWait is the wait a lock-out error states; 0 for another error.
func lockWait(err error) time.Duration {
	var e *models.Error
	if errors.As(err, &e) && e.Key == "error.code.locked" {
		d, _ := e.Args["Wait"].(time.Duration)
		return d
	}
	return 0
}

func TestWrongCodesLockTheTerminalAcrossARestart(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.Local)
	now := start
	r.staff.Now = func() time.Time { return now }
	// An empty code is a key pressed by mistake: not counted.
	for range 6 {
		if _, err := r.staff.OperatorByCode(ctx, ""); errKey(err) != "error.operator.code" {
			t.Fatalf("empty code: %v", err)
		}
	}
	for i := 1; i <= 4; i++ {
		if _, err := r.staff.OperatorByCode(ctx, "999999"); errKey(err) != "error.operator.code" {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	// Closed and opened again (a restart): the count goes on.
	path := r.store.Path()
	r.store.Close()
	store, err := models.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	st, err := New(ctx, store, "T01", nil, r.staff.log)
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return now }
	if _, err := st.OperatorByCode(ctx, "999998"); lockWait(err) != 30*time.Second {
		t.Fatalf("fifth wrong code: %v", err)
	}
	// Locked: the right code is refused too, and the wait is told.
	now = start.Add(20 * time.Second)
	if _, err := st.OperatorByCode(ctx, cashierCode); lockWait(err) != 10*time.Second {
		t.Fatalf("the right code while locked: %v", err)
	}
	if _, err := st.ManagerByCode(ctx, managerCode); lockWait(err) != 10*time.Second {
		t.Fatalf("a manager's code while locked: %v", err)
	}
	// The wait over, another wrong code locks for twice as long.
	now = start.Add(30 * time.Second)
	if _, err := st.OperatorByCode(ctx, "999997"); lockWait(err) != time.Minute {
		t.Fatalf("sixth wrong code: %v", err)
	}
	now = now.Add(time.Minute)
	op, err := st.OperatorByCode(ctx, cashierCode)
	if err != nil || op.ID != r.cashier.ID {
		t.Fatalf("after the wait: %+v %v", op, err)
	}
	// The success started afresh: four wrong codes do not lock.
	for i := 1; i <= 4; i++ {
		if _, err := st.OperatorByCode(ctx, "999999"); errKey(err) != "error.operator.code" {
			t.Fatalf("wrong code %d after the success: %v", i, err)
		}
	}
	if n, _ := store.CountAudit(ctx, "code_lock"); n != 2 {
		t.Fatalf("%d code locks audited", n)
	}
	list, err := st.Lockouts(ctx)
	if err != nil || len(list) != 1 || list[0].TerminalID != "T01" || list[0].OperatorID != 0 || list[0].Kind != models.TryCode ||
		!list[0].LockedAt.Equal(start.Add(30*time.Second)) {
		t.Fatalf("lock-outs: %+v %v", list, err)
	}
}

func TestACashiersCodeAtAnApprovalCountsAgainstThem(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.Local)
	now := start
	r.staff.Now = func() time.Time { return now }
	for i := 1; i <= 4; i++ {
		if _, err := r.staff.ManagerByCode(ctx, cashierCode); errKey(err) != "error.manager.code" {
			t.Fatalf("the cashier's code as a manager's, %d: %v", i, err)
		}
	}
	if _, err := r.staff.ManagerByCode(ctx, cashierCode); lockWait(err) != 30*time.Second {
		t.Fatalf("fifth: %v", err)
	}
	// The cashier is locked at another terminal too; the manager is not.
	t02, err := New(ctx, r.store, "T02", nil, r.staff.log)
	if err != nil {
		t.Fatal(err)
	}
	t02.Now = r.staff.Now
	if _, err := t02.OperatorByCode(ctx, cashierCode); lockWait(err) != 30*time.Second {
		t.Fatalf("the cashier at T02: %v", err)
	}
	if m, err := t02.ManagerByCode(ctx, managerCode); err != nil || m.ID != r.manager.ID {
		t.Fatalf("the manager at T02: %+v %v", m, err)
	}
	list, err := t02.Lockouts(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("lock-outs %+v %v", list, err)
	}
	named := false
	for _, l := range list {
		named = named || l.OperatorID == r.cashier.ID && l.Name == r.cashier.Name
	}
	if !named {
		t.Fatalf("the cashier's lock-out is not named: %+v", list)
	}
	entries, _ := r.store.AuditEntries(ctx, "code_lock")
	if len(entries) != 2 {
		t.Fatalf("code locks audited: %+v", entries)
	}
	now = start.Add(30 * time.Second)
	if op, err := r.staff.OperatorByCode(ctx, cashierCode); err != nil || op.ID != r.cashier.ID {
		t.Fatalf("the cashier after the wait: %+v %v", op, err)
	}
}

func TestNewCodesFollowTheRule(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	newcomer := models.Operator{Name: "孙七", Role: models.RoleWaiter}
	for code, key := range map[string]string{"4829": "error.code.short", "111111": "error.code.weak",
		"123456": "error.code.weak", "48291a": "error.code.digits"} {
		if _, err := r.staff.AddOperator(ctx, newcomer, code, r.manager); errKey(err) != key {
			t.Fatalf("code %q: %v, want %s", code, err, key)
		}
	}
	if _, err := r.staff.AddOperator(ctx, newcomer, "482916", r.cashier); !models.IsDenied(err) {
		t.Fatalf("added by a cashier: %v", err)
	}
	op, err := r.staff.AddOperator(ctx, newcomer, "482916", r.manager)
	if err != nil || op.ID == 0 || op.Role != models.RoleWaiter {
		t.Fatalf("added %+v %v", op, err)
	}
	if got, err := r.staff.OperatorByCode(ctx, "482916"); err != nil || got.ID != op.ID {
		t.Fatalf("the new code signs in: %+v %v", got, err)
	}
	if err := r.staff.SetCode(ctx, r.cashier, "1234", r.manager); errKey(err) != "error.code.short" {
		t.Fatalf("a short code set: %v", err)
	}
	if err := r.staff.SetCode(ctx, r.cashier, "482916", r.manager); errKey(err) != "error.code.taken" {
		t.Fatalf("another's code set: %v", err)
	}
	if err := r.staff.SetCode(ctx, r.cashier, "730541", r.manager); err != nil {
		t.Fatal(err)
	}
	if got, err := r.staff.OperatorByCode(ctx, "730541"); err != nil || got.ID != r.cashier.ID {
		t.Fatalf("the cashier's new code: %+v %v", got, err)
	}
	if _, err := r.staff.OperatorByCode(ctx, cashierCode); errKey(err) != "error.operator.code" {
		t.Fatalf("the cashier's old code: %v", err)
	}
	for _, action := range []string{"operator_add", "code_set"} {
		entries := r.audit(t, action)
		if len(entries) != 1 || entries[0].OperatorID != r.manager.ID {
			t.Fatalf("%s audit: %+v", action, entries)
		}
		for _, code := range []string{"482916", "730541"} {
			if strings.Contains(entries[0].Detail, code) {
				t.Fatalf("%s audit holds a code: %q", action, entries[0].Detail)
			}
		}
	}
}

// BenchmarkSignInByCode is a sign-in through the staff service with three
// staff, the code the last one verified: a query, three hash
// verifications (two at once on two cores) and the lock-out check.
func BenchmarkSignInByCode(b *testing.B) {
	r := newRig(b)
	ctx := context.Background()
	for b.Loop() {
		if op, err := r.staff.OperatorByCode(ctx, nextCode); err != nil || op.ID != r.next.ID {
			b.Fatal(op, err)
		}
	}
}

// BenchmarkWrongCode is a code that is nobody's, with three staff: every
// hash verified, the failure counted (and reset, so as never to lock).
func BenchmarkWrongCode(b *testing.B) {
	r := newRig(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := r.staff.OperatorByCode(ctx, "999999"); errKey(err) != "error.operator.code" {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := r.store.ResetFailures(ctx, models.Try{Kind: models.TryCode, TerminalID: "T01"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
