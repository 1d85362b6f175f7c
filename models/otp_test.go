package models

import (
	"bytes"
	"encoding/base32"
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The SHA-1 test vectors of RFC 6238, appendix B: the secret is the ASCII
// "12345678901234567890", the codes have 8 digits; at 6 digits they are the
// last six.
func TestOTPCodesFollowRFC6238(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{
		59: "94287082", 1111111109: "07081804", 1111111111: "14050471",
		1234567890: "89005924", 2000000000: "69279037", 20000000000: "65353130",
	} {
		at := time.Unix(unix, 0).UTC()
		got, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsEight, Algorithm: otp.AlgorithmSHA1})
		if err != nil || got != want {
			t.Errorf("%d: 8 digits %q %v, want %q", unix, got, err, want)
		}
		// The till's own parameters: the same code, its last six digits.
		six, err := OTPCode(secret, OTPStep(at))
		if err != nil || six != want[2:] {
			t.Errorf("%d: 6 digits %q %v, want %q", unix, six, err, want[2:])
		}
		if step, ok := matchOTP(secret, want[2:], at); !ok || step != OTPStep(at) {
			t.Errorf("%d: the code is not accepted at its own time (step %d %v)", unix, step, ok)
		}
	}
}

func TestCheckOTPCode(t *testing.T) {
	for code, ok := range map[string]bool{"123456": true, "000000": true, "12345": false, "1234567": false,
		"12345a": false, "": false, "１２３４５６": false} {
		if err := CheckOTPCode(code); (err == nil) != ok {
			t.Errorf("%q: %v", code, err)
		}
	}
}

// otpRoom is a shop with an owner, a second owner, a manager and a cashier,
// and a device key.
type otpRoom struct {
	s                               *Store
	owner, owner2, manager, cashier Operator
	key                             []byte
}

func newOTPRoom(t *testing.T) *otpRoom {
	t.Helper()
	s := newTestStore(t)
	r := &otpRoom{s: s, key: bytes.Repeat([]byte{7}, 32)}
	// Made directly: these tests need no staff codes, whose slow hashes
	// would only make them slower.
	add := func(name string, role Role) Operator {
		op := Operator{Name: name, Role: role, Active: true}
		if err := s.db.Create(&op).Error; err != nil {
			t.Fatal(err)
		}
		return op
	}
	r.owner, r.owner2 = add("王芳", RoleOwner), add("二老板", RoleOwner)
	r.manager, r.cashier = add("店长", RoleManager), add("收银员", RoleCashier)
	return r
}

// enrol sets op's authenticator up at now and returns its secret.
func (r *otpRoom) enrol(t *testing.T, op Operator, now time.Time) string {
	t.Helper()
	e, err := r.s.EnrolOTP(bg, op.ID, op)
	if err != nil {
		t.Fatal(err)
	}
	code, err := OTPCode(e.Secret, OTPStep(now))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.s.ConfirmOTP(bg, r.key, e, code, op, "T01", now); err != nil {
		t.Fatal(err)
	}
	return e.Secret
}

// codeAt is secret's code at step.
func codeAt(t *testing.T, secret string, step int64) string {
	t.Helper()
	c, err := OTPCode(secret, step)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOTPEnrolmentIsStoredOnlyOnceConfirmed(t *testing.T) {
	r := newOTPRoom(t)
	now := time.Date(2026, 12, 2, 10, 0, 10, 0, time.UTC)
	e, err := r.s.EnrolOTP(bg, r.owner.ID, r.owner)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(e.URL)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("URL %q: %v", e.URL, err)
	}
	q := u.Query()
	if q.Get("issuer") != "Till" || q.Get("secret") != e.Secret || !strings.Contains(u.Path, "王芳") ||
		q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Fatalf("URL %q", e.URL)
	}
	if strings.Contains(e.String(), e.Secret) {
		t.Fatal("the enrolment prints its secret")
	}
	if g := e.SecretGroups(); strings.ReplaceAll(g, " ", "") != e.Secret || g[4] != ' ' {
		t.Fatalf("groups %q of %q", g, e.Secret)
	}
	// Begun, not confirmed: nothing stored, nobody approves by code.
	if ids, err := r.s.OTPOwners(bg); err != nil || len(ids) != 0 {
		t.Fatalf("owners with an authenticator before confirming: %v %v", ids, err)
	}
	if _, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, e.Secret, OTPStep(now)), "T01", now); err != errOTPNone {
		t.Fatalf("approved by an unconfirmed authenticator: %v", err)
	}
	// A wrong first code stores nothing either.
	wrong := codeAt(t, e.Secret, OTPStep(now)-5)
	if err := r.s.ConfirmOTP(bg, r.key, e, wrong, r.owner, "T01", now); err != errOTPWrong {
		t.Fatalf("confirmed by an old code: %v", err)
	}
	if err := r.s.ConfirmOTP(bg, r.key, e, "12ab56", r.owner, "T01", now); err != errOTPFormat {
		t.Fatalf("confirmed by letters: %v", err)
	}
	// Confirmed by another owner: refused, the secret is the owner's alone.
	code := codeAt(t, e.Secret, OTPStep(now))
	if err := r.s.ConfirmOTP(bg, r.key, e, code, r.owner2, "T01", now); ErrorCode(err) != EINVALID {
		t.Fatalf("another owner confirmed: %v", err)
	}
	if ids, _ := r.s.OTPOwners(bg); len(ids) != 0 {
		t.Fatalf("stored after refusals: %v", ids)
	}
	if err := r.s.ConfirmOTP(bg, r.key, e, code, r.owner, "T01", now); err != nil {
		t.Fatal(err)
	}
	if ids, _ := r.s.OTPOwners(bg); len(ids) != 1 || ids[0] != r.owner.ID {
		t.Fatalf("owners with an authenticator: %v", ids)
	}
	if n, _ := r.s.CountAudit(bg, "otp_enrol"); n != 1 {
		t.Fatalf("%d enrolments audited", n)
	}
	// The confirming code is used: it approves nothing.
	if _, err := r.s.ApproveByOTP(bg, r.key, code, "T01", now); err != errOTPUsed {
		t.Fatalf("the confirming code approved: %v", err)
	}
}

func TestOnlyAnOwnerEnrolsForThemself(t *testing.T) {
	r := newOTPRoom(t)
	for _, op := range []Operator{r.manager, r.cashier} {
		_, err := r.s.EnrolOTP(bg, op.ID, op)
		var e *Error
		if !errors.As(err, &e) || e.Key != "error.otp.owner_only" {
			t.Errorf("%s enrolled: %v", op.Role, err)
		}
	}
	// A manager does not set up the owner's: they would see the secret.
	if _, err := r.s.EnrolOTP(bg, r.owner.ID, r.manager); ErrorCode(err) != EINVALID {
		t.Fatalf("a manager set up the owner's authenticator: %v", err)
	}
	if _, err := r.s.EnrolOTP(bg, r.owner.ID, r.owner2); ErrorCode(err) != EINVALID {
		t.Fatalf("another owner set up the owner's authenticator: %v", err)
	}
}

func TestApproveByOTP(t *testing.T) {
	r := newOTPRoom(t)
	t0 := time.Date(2026, 12, 2, 10, 0, 5, 0, time.UTC)
	s1 := r.enrol(t, r.owner, t0)
	s2 := r.enrol(t, r.owner2, t0)
	now := t0.Add(5 * time.Minute)
	step := OTPStep(now)

	// Each owner's code names them.
	got, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, s2, step), "T01", now)
	if err != nil || got.ID != r.owner2.ID {
		t.Fatalf("second owner's code: %+v %v", got, err)
	}
	// One step late is accepted (the clock of the phone is behind).
	got, err = r.s.ApproveByOTP(bg, r.key, codeAt(t, s1, step-1), "T01", now)
	if err != nil || got.ID != r.owner.ID {
		t.Fatalf("a code one step old: %+v %v", got, err)
	}
	// The same code again: refused.
	if _, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, s1, step-1), "T01", now); err != errOTPUsed {
		t.Fatalf("a code used twice: %v", err)
	}
	// One step early (the phone is ahead), then the code of now, which is
	// older than it: refused.
	if got, err = r.s.ApproveByOTP(bg, r.key, codeAt(t, s1, step+1), "T01", now); err != nil || got.ID != r.owner.ID {
		t.Fatalf("a code one step ahead: %+v %v", got, err)
	}
	if _, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, s1, step), "T01", now); err != errOTPUsed {
		t.Fatalf("a code older than one used: %v", err)
	}
	// Two steps off: wrong.
	if _, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, s1, step-2), "T01", now.Add(time.Minute)); err != errOTPWrong {
		t.Fatalf("a code two steps old: %v", err)
	}
	if n, _ := r.s.CountAudit(bg, "otp_approval"); n != 3 {
		t.Fatalf("%d approvals audited, want 3", n)
	}
	// Another terminal's key opens no secret: nothing to approve with.
	if _, err := r.s.ApproveByOTP(bg, bytes.Repeat([]byte{8}, 32), codeAt(t, s1, step+4), "T01", now.Add(2*time.Minute)); err != errOTPNone {
		t.Fatalf("approved with another key: %v", err)
	}
	// An owner made a manager approves no more; one who leaves neither.
	if _, err := r.s.EditOperator(bg, r.owner2.ID, r.owner2.Name, RoleManager, r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	later := now.Add(10 * time.Minute)
	if _, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, s2, OTPStep(later)), "T01", later); err != errOTPWrong {
		t.Fatalf("a manager's old authenticator approved: %v", err)
	}
	if ids, _ := r.s.OTPOwners(bg); len(ids) != 1 || ids[0] != r.owner.ID {
		t.Fatalf("owners with an authenticator: %v", ids)
	}
	// Removal: by a cashier refused, by the owner done and audited.
	if err := r.s.RemoveOTP(bg, r.owner.ID, r.cashier, "T01"); !IsDenied(err) {
		t.Fatalf("a cashier removed the owner's authenticator: %v", err)
	}
	if err := r.s.RemoveOTP(bg, r.owner.ID, r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	if err := r.s.RemoveOTP(bg, r.owner.ID, r.owner, "T01"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("removed twice: %v", err)
	}
	if n, _ := r.s.CountAudit(bg, "otp_remove"); n != 1 {
		t.Fatalf("%d removals audited", n)
	}
	later = later.Add(time.Minute)
	if _, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, s1, OTPStep(later)), "T01", later); err != errOTPNone {
		t.Fatalf("a removed authenticator approved: %v", err)
	}
}

func TestWrongOTPCodesLockOut(t *testing.T) {
	r := newOTPRoom(t)
	now := time.Date(2026, 12, 2, 10, 0, 5, 0, time.UTC)
	secret := r.enrol(t, r.owner, now)
	right := codeAt(t, secret, OTPStep(now)+1)
	wrong := "000000"
	if wrong == right {
		wrong = "000001"
	}
	for i := 1; i < LockoutAfter; i++ {
		if _, err := r.s.ApproveByOTP(bg, r.key, wrong, "T01", now); err != errOTPWrong {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	_, err := r.s.ApproveByOTP(bg, r.key, wrong, "T01", now)
	var e *Error
	if !errors.As(err, &e) || e.Key != "error.otp.locked" {
		t.Fatalf("the fifth wrong code: %v", err)
	}
	// While locked, the right code too is refused, and not used up.
	if _, err := r.s.ApproveByOTP(bg, r.key, right, "T01", now.Add(10*time.Second)); !errors.As(err, &e) || e.Key != "error.otp.locked" {
		t.Fatalf("the right code while locked: %v", err)
	}
	if n, _ := r.s.CountAudit(bg, "otp_lock"); n != 1 {
		t.Fatalf("%d lock-outs audited", n)
	}
	// Another terminal is not locked; after the lock, the right code works.
	if _, err := r.s.ApproveByOTP(bg, r.key, wrong, "T02", now); err != errOTPWrong {
		t.Fatalf("another terminal: %v", err)
	}
	after := now.Add(LockoutFirst + time.Second)
	if got, err := r.s.ApproveByOTP(bg, r.key, right, "T01", after); err != nil || got.ID != r.owner.ID {
		t.Fatalf("after the lock: %+v %v", got, err)
	}
	if until, _ := r.s.LockedUntil(bg, Try{Kind: TryOTP, TerminalID: "T01"}, after); !until.IsZero() {
		t.Fatalf("still locked until %v after a success", until)
	}
}

func TestOTPSecretIsSealedInTheFile(t *testing.T) {
	r := newOTPRoom(t)
	now := time.Now()
	secret := r.enrol(t, r.owner, now)
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	path := r.s.Path()
	r.s.Close()
	dir := filepath.Dir(path)
	if filesHold(t, dir, secret) || filesHold(t, dir, string(raw)) {
		t.Fatal("the authenticator's secret is in clear in the database's files")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var row OTPSecret
	if err := s.db.First(&row, "operator_id = ?", r.owner.ID).Error; err != nil {
		t.Fatal(err)
	}
	if plain, err := OpenSecret(r.key, row.Sealed, otpSealName(r.owner.ID)); err != nil || string(plain) != secret {
		t.Fatalf("the sealed secret opens to %q: %v", plain, err)
	}
	// Sealed to its owner: moved to another, it does not open.
	if _, err := OpenSecret(r.key, row.Sealed, otpSealName(r.owner2.ID)); err == nil {
		t.Fatal("the secret opens under another owner's name")
	}
}

func TestARemovedOwnerTakesTheirAuthenticator(t *testing.T) {
	r := newOTPRoom(t)
	now := time.Date(2026, 12, 2, 10, 0, 5, 0, time.UTC)
	r.enrol(t, r.owner2, now)
	if _, err := r.s.RemoveOperator(bg, r.owner2.ID, r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	var n int64
	r.s.db.Model(&OTPSecret{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d authenticators left after the owner left", n)
	}
}

func TestANewAuthenticatorReplacesTheOld(t *testing.T) {
	r := newOTPRoom(t)
	t0 := time.Date(2026, 12, 2, 10, 0, 5, 0, time.UTC)
	old := r.enrol(t, r.owner, t0)
	t1 := t0.Add(time.Hour)
	fresh := r.enrol(t, r.owner, t1)
	var n int64
	r.s.db.Model(&OTPSecret{}).Count(&n)
	if n != 1 || old == fresh {
		t.Fatalf("%d authenticators after a second enrolment", n)
	}
	now := t1.Add(time.Minute)
	if _, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, old, OTPStep(now)), "T01", now); err != errOTPWrong {
		t.Fatalf("the replaced authenticator approved: %v", err)
	}
	if got, err := r.s.ApproveByOTP(bg, r.key, codeAt(t, fresh, OTPStep(now)), "T01", now); err != nil || got.ID != r.owner.ID {
		t.Fatalf("the new authenticator: %+v %v", got, err)
	}
}
