package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/devices/fingerprint/fpsim"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
)

func TestStaffSignInByFinger(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	test.Tap(button(t, w, "Operator: 演示收银员"))
	if till.login == nil {
		t.Fatal("no login screen")
	}
	tapKeys(t, till, "Demo finger: 访客")
	if !shownText(w, "This finger is not recognised") || till.login == nil {
		t.Fatal("a stranger's finger was not refused")
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if till.login != nil || till.session.Operator().Name != "演示店长" {
		t.Fatalf("after the manager's finger: %+v", shopOwner(t, till))
	}
}

func TestFingersLockAfterFiveFailures(t *testing.T) {
	till := startDemo(t, "en")
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		till.fingers.PlaceDemo("访客")
		_, err := till.staff.Identify(ctx)
		want := "error.fingerprint.no_match"
		if i == 5 {
			want = "error.fingerprint.locked"
		}
		if errKey(err) != want {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// Locked: even the right finger is refused for a minute, then works.
	till.fingers.PlaceDemo(demo.Manager.Name)
	if _, err := till.staff.Identify(ctx); errKey(err) != "error.fingerprint.locked" {
		t.Fatalf("while locked: %v", err)
	}
	till.fingers.Now = func() time.Time { return time.Now().Add(time.Minute + time.Second) }
	till.fingers.PlaceDemo(demo.Manager.Name)
	if op, err := till.staff.Identify(ctx); err != nil || op.Name != demo.Manager.Name {
		t.Fatalf("after the lock: %+v %v", op, err)
	}
	if n := auditCount(t, till, "fingerprint_lock"); n != 1 {
		t.Fatalf("%d lock audit entries", n)
	}
}

func TestVoidApprovedByAManagersFinger(t *testing.T) {
	till := startDemo(t, "en")
	o := sellOneCola(t, till)
	tapKeys(t, till, "Orders")
	till.Shell().Orders.ShowOrder(o.ID)
	tapKeys(t, till, "Void", "Demo finger: 演示收银员")
	if !shownText(till.Window(), "A manager must authorize this") {
		t.Fatal("a cashier's finger authorized a void")
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if s := slipText(till); !strings.Contains(s, "VOID") || !strings.Contains(s, "演示店长") {
		t.Fatalf("void slip:\n%s", s)
	}
	got, _ := till.Store().OrderByID(context.Background(), o.ID)
	if got.Status != models.OrderVoided {
		t.Fatalf("order %s", got.Status)
	}
}

func TestEnrolASellerThenReloadAReplacedModule(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	start := func() *Till {
		a := test.NewTempApp(t)
		till, err := Start(a, Options{DBPath: db, Lang: "en", Demo: true, inlineUI: true})
		if err != nil {
			t.Fatal(err)
		}
		return till
	}
	till := start()
	ctx := context.Background()
	seller, err := till.Store().EnsureOperator(ctx, models.Operator{Name: "李四", Role: models.RoleCashier, Active: true}, "2001")
	if err != nil {
		t.Fatal(err)
	}
	manager, _ := demo.Stored(ctx, till.Store(), demo.Manager)
	var steps []int
	if err := till.staff.Enroll(ctx, seller, manager, func(n int) { steps = append(steps, n) }); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 {
		t.Fatalf("enrolment steps %v", steps)
	}
	till.fingers.PlaceDemo("李四")
	if op, err := till.staff.Identify(ctx); err != nil || op.ID != seller.ID {
		t.Fatalf("the new seller's finger: %+v %v", op, err)
	}
	till.Close()
	// The database holds no template in the clear.
	raw := fpsim.CharFile("李四")[:32]
	for _, f := range []string{db, db + "-wal"} {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, raw) {
			t.Fatalf("%s holds a template in the clear", filepath.Base(f))
		}
	}
	// A new (empty) module: Till reloads it from the sealed templates.
	till = start()
	defer till.Close()
	// Two demo staff, the demo member and the seller.
	if n, err := till.fingers.Templates(); err != nil || n != 4 {
		t.Fatalf("reloaded module holds %d templates (%v)", n, err)
	}
	till.fingers.PlaceDemo("李四")
	if op, err := till.staff.Identify(ctx); err != nil || op.ID != seller.ID {
		t.Fatalf("after reloading the module: %+v %v", op, err)
	}
}

// errKey is the translation key of err, or "".
func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// auditCount counts the audit entries of an action, through the order
// history's store access.
func auditCount(t *testing.T, till *Till, action string) int {
	t.Helper()
	n, err := till.Store().CountAudit(context.Background(), action)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEnrolAFingerFromSettings(t *testing.T) {
	till := startDemo(t, "en")
	ctx := context.Background()
	if _, err := till.Store().EnsureOperator(ctx, models.Operator{Name: "赵六", Role: models.RoleWaiter, Active: true}, "2002"); err != nil {
		t.Fatal(err)
	}
	till.Shell().ShowSettings()
	till.Shell().Settings.RefreshStaff()
	w := till.Window()
	enrol := rowButton(t, w, "赵六 · Waiter: 0 fingers", "Enrol a finger")
	test.Tap(enrol)
	tapKeys(t, till, "8", "8", "8", "8", "OK", "Yes")
	if !shownText(w, "赵六 can now sign in with this finger") && !labelShown(w, "赵六 can now sign in with this finger") {
		t.Fatal("enrolment did not finish")
	}
	till.fingers.PlaceDemo("赵六")
	if op, err := till.staff.Identify(ctx); err != nil || op.Name != "赵六" {
		t.Fatalf("the enrolled finger: %+v %v", op, err)
	}
	if n := auditCount(t, till, "enrol"); n < 3 {
		t.Fatalf("%d enrolments audited", n)
	}
}

// labelShown reports whether a label in the top dialog says s.
func labelShown(w fyne.Window, s string) bool {
	found := false
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, s) {
			found = true
		}
		return found
	})
	return found
}
