package fingers

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
)

const stranger = "访客" // never enrolled

func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// newReader is the simulated module of demo mode over a new store with a
// manager, whose finger is enrolled.
func newReader(t *testing.T) (*Reader, *models.Store, models.Operator) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t)
	manager, err := s.EnsureOperator(ctx, models.Operator{Name: "李店长", Role: models.RoleManager, Active: true}, "8888")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, s, "T01", make([]byte, 32), true, func(what string, err error) { t.Errorf("%s: %v", what, err) })
	if err != nil || r == nil || r.Simulated() == nil {
		t.Fatalf("simulated module: %v", err)
	}
	t.Cleanup(r.Close)
	if err := r.EnrolDemo(ctx, KindOperator, manager.ID, manager.Name, manager, PurposeStaff); err != nil {
		t.Fatal(err)
	}
	return r, s, manager
}

// identify places finger and identifies it as an owner of kind, any
// enrolment being active.
func identify(t *testing.T, r *Reader, finger, kind string) (models.Fingerprint, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r.PlaceDemo(finger)
	return r.Identify(ctx, kind, func(models.Fingerprint) bool { return true })
}

func TestFiveUnknownFingersLockTheReaderAcrossARestart(t *testing.T) {
	r, s, manager := newReader(t)
	ctx := context.Background()
	start := time.Now()
	now := start
	r.Now = func() time.Time { return now }
	for i := 1; i <= 5; i++ {
		_, err := identify(t, r, stranger, KindOperator)
		want := "error.fingerprint.no_match"
		if i == 5 {
			want = "error.fingerprint.locked"
		}
		if errKey(err) != want {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	entries, err := s.AuditEntries(ctx, "fingerprint_lock")
	if err != nil || len(entries) != 1 || entries[0].TerminalID != "T01" {
		t.Fatalf("lock audit: %+v %v", entries, err)
	}
	// Locked: the manager's finger is refused, even just before the 30 s
	// end, and the message says how long to wait.
	now = start.Add(29 * time.Second)
	_, err = identify(t, r, manager.Name, KindOperator)
	var e *models.Error
	if !errors.As(err, &e) || e.Key != "error.fingerprint.locked" || e.Args["Wait"] != time.Second {
		t.Fatalf("while locked: %v", err)
	}
	// The lock-out is in the database: a restarted reader keeps it.
	again, err := Open(ctx, s, "T01", make([]byte, 32), true, func(what string, err error) { t.Errorf("%s: %v", what, err) })
	if err != nil || again == nil {
		t.Fatalf("second module: %v", err)
	}
	defer again.Close()
	again.Now = r.Now
	if _, err := identify(t, again, manager.Name, KindOperator); errKey(err) != "error.fingerprint.locked" {
		t.Fatalf("after a restart: %v", err)
	}
	// Once the wait is over, one more failure locks again, for twice as long.
	now = start.Add(31 * time.Second)
	if _, err := identify(t, again, stranger, KindOperator); !errors.As(err, &e) || e.Key != "error.fingerprint.locked" || e.Args["Wait"] != time.Minute {
		t.Fatalf("a sixth failure: %v", err)
	}
	now = now.Add(time.Minute)
	fp, err := identify(t, again, manager.Name, KindOperator)
	if err != nil || fp.OwnerID != manager.ID || fp.OwnerKind != KindOperator {
		t.Fatalf("after the lock: %+v %v", fp, err)
	}
	// A success starts the count afresh: four failures do not lock.
	for i := 1; i <= 4; i++ {
		if _, err := identify(t, again, stranger, KindOperator); errKey(err) != "error.fingerprint.no_match" {
			t.Fatalf("failure %d after the lock: %v", i, err)
		}
	}
	if fp, err := identify(t, again, manager.Name, KindOperator); err != nil || fp.OwnerID != manager.ID {
		t.Fatalf("after four failures: %+v %v", fp, err)
	}
	if n, _ := s.CountAudit(ctx, "fingerprint_lock"); n != 2 {
		t.Fatalf("%d locks audited", n)
	}
	// Fingers do not lock codes.
	if until, _ := s.LockedUntil(ctx, models.Try{Kind: models.TryCode, TerminalID: "T01"}, start); !until.IsZero() {
		t.Fatalf("codes locked by fingers until %v", until)
	}
}

func TestAMembersFingerNeverSignsIn(t *testing.T) {
	r, s, manager := newReader(t)
	ctx := context.Background()
	mem, err := s.AddMember(ctx, "张伟", "13800135678", manager, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.EnrolDemo(ctx, KindMember, mem.ID, mem.Name, manager, PurposeMember); err != nil {
		t.Fatal(err)
	}
	if _, err := identify(t, r, mem.Name, KindOperator); err != ErrNoMatch {
		t.Fatalf("a member's finger as an operator's: %v", err)
	}
	fp, err := identify(t, r, mem.Name, KindMember)
	if err != nil || fp.OwnerKind != KindMember || fp.OwnerID != mem.ID {
		t.Fatalf("the member's finger: %+v %v", fp, err)
	}
	// Nor does a staff finger pay.
	if _, err := identify(t, r, manager.Name, KindMember); err != ErrNoMatch {
		t.Fatalf("a manager's finger as a member's: %v", err)
	}
	// An owner the caller says is not active is refused too.
	r.PlaceDemo(manager.Name)
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := r.Identify(tctx, KindOperator, func(models.Fingerprint) bool { return false }); err != ErrNoMatch {
		t.Fatalf("an inactive owner's finger: %v", err)
	}
	counts, err := r.Counts(ctx, KindMember)
	if err != nil || counts[mem.ID] != 1 || len(counts) != 1 {
		t.Fatalf("member counts %v %v", counts, err)
	}
}

func TestTemplatesAreSealedAndReloadedIntoANewModule(t *testing.T) {
	r, s, manager := newReader(t)
	ctx := context.Background()
	fps, err := s.Fingerprints(ctx)
	if err != nil || len(fps) != 1 {
		t.Fatalf("stored fingerprints: %d %v", len(fps), err)
	}
	if _, err := models.OpenTemplate(make([]byte, 32), fps[0].Sealed, fps[0].PageID); err != nil {
		t.Fatalf("the template does not open with the key: %v", err)
	}
	if _, err := models.OpenTemplate([]byte("another key of thirty-two bytes!"), fps[0].Sealed, fps[0].PageID); err == nil {
		t.Fatal("the template opens with another key")
	}
	if fps[0].ConsentBy != manager.Name || fps[0].Purpose != PurposeStaff || fps[0].EnrolledBy != manager.ID {
		t.Fatalf("consent kept: %+v", fps[0])
	}
	// A replaced module (a new simulator, empty) gets the template back.
	fresh, err := Open(ctx, s, "T01", make([]byte, 32), true, func(what string, err error) { t.Errorf("%s: %v", what, err) })
	if err != nil || fresh == nil {
		t.Fatalf("second module: %v", err)
	}
	defer fresh.Close()
	if n, err := fresh.Templates(); err != nil || n != 1 {
		t.Fatalf("reloaded templates: %d %v", n, err)
	}
	if fp, err := identify(t, fresh, manager.Name, KindOperator); err != nil || fp.OwnerID != manager.ID {
		t.Fatalf("identified on the new module: %+v %v", fp, err)
	}
	// Forgetting deletes the template from the module.
	if err := r.Forget([]int{fps[0].PageID}); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Templates(); n != 0 {
		t.Fatalf("%d templates after Forget", n)
	}
}

func TestWithoutAModule(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	// Not demo mode and no port set: no reader.
	if r, err := Open(ctx, s, "T01", make([]byte, 32), false, nil); err != nil || r != nil {
		t.Fatalf("no port: %v %v", r, err)
	}
	// A port that does not exist: no reader, the failure logged.
	if err := s.SetSetting(ctx, SettingPort, filepath.Join(t.TempDir(), "ttyNONE")); err != nil {
		t.Fatal(err)
	}
	var logged []string
	r, err := Open(ctx, s, "T01", make([]byte, 32), true, func(what string, err error) { logged = append(logged, what) })
	if err != nil || r != nil || len(logged) != 1 {
		t.Fatalf("missing port: %v %v, logged %v", r, err, logged)
	}
}
