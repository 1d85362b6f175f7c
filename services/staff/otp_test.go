package staff

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

// otpCode is secret's code at t.
func otpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := models.OTPCode(secret, models.OTPStep(at))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOwnersApproveWithOneTimeCodes(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	owner, err := r.store.EnsureOperator(ctx, models.Operator{Name: "王老板", Role: models.RoleOwner, Active: true}, "582931")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 14, 0, 1, 0, time.UTC)
	r.staff.Now = func() time.Time { return now }

	// Without the key nothing is offered nor set up.
	if has, err := r.staff.HasOTP(ctx); has || err != nil {
		t.Fatalf("offered without a key: %v %v", has, err)
	}
	if _, err := r.staff.EnrolOTP(ctx, owner, owner); errKey(err) != "error.otp.no_key" {
		t.Fatalf("enrolled without a key: %v", err)
	}
	r.staff.SetOTPKey(bytes.Repeat([]byte{3}, 32))

	// Only an owner, for themself.
	if _, err := r.staff.EnrolOTP(ctx, r.manager, r.manager); errKey(err) != "error.otp.owner_only" {
		t.Fatalf("a manager enrolled: %v", err)
	}
	if _, err := r.staff.EnrolOTP(ctx, r.cashier, r.cashier); errKey(err) != "error.otp.owner_only" {
		t.Fatalf("a cashier enrolled: %v", err)
	}
	if _, err := r.staff.EnrolOTP(ctx, owner, r.manager); errKey(err) != "error.otp.self_only" {
		t.Fatalf("a manager set up the owner's: %v", err)
	}
	// A manager who claims to be an owner is not believed: the store reads
	// the role as stored.
	if _, err := r.staff.EnrolOTP(ctx, models.Operator{ID: r.manager.ID, Name: r.manager.Name, Role: models.RoleOwner},
		models.Operator{ID: r.manager.ID, Name: r.manager.Name, Role: models.RoleOwner}); errKey(err) != "error.otp.owner_only" {
		t.Fatalf("a manager posing as an owner enrolled: %v", err)
	}

	e, err := r.staff.EnrolOTP(ctx, owner, owner)
	if err != nil {
		t.Fatal(err)
	}
	if has, _ := r.staff.HasOTP(ctx); has {
		t.Fatal("offered before the first code confirmed it")
	}
	if err := r.staff.ConfirmOTP(ctx, e, otpCode(t, e.Secret, now), r.manager); errKey(err) != "error.otp.self_only" {
		t.Fatalf("a manager confirmed the owner's: %v", err)
	}
	if err := r.staff.ConfirmOTP(ctx, e, otpCode(t, e.Secret, now), owner); err != nil {
		t.Fatal(err)
	}
	if has, err := r.staff.HasOTP(ctx); !has || err != nil {
		t.Fatalf("not offered once set up: %v %v", has, err)
	}
	list, err := r.staff.Staff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.OTP != (m.Operator.ID == owner.ID) {
			t.Errorf("%s listed with an authenticator %v", m.Operator.Name, m.OTP)
		}
	}

	// Half a minute later the owner approves, once per code.
	now = now.Add(30 * time.Second)
	code := otpCode(t, e.Secret, now)
	got, err := r.staff.ApproveByOTP(ctx, code)
	if err != nil || got.ID != owner.ID {
		t.Fatalf("approval: %+v %v", got, err)
	}
	if _, err := r.staff.ApproveByOTP(ctx, code); errKey(err) != "error.otp.used" {
		t.Fatalf("the same code twice: %v", err)
	}
	if a := r.audit(t, "otp_approval"); len(a) != 1 || a[0].OperatorID != owner.ID || a[0].TerminalID != "T01" {
		t.Fatalf("approvals audited: %+v", a)
	}

	// Removal: a cashier may not, a manager (who manages staff) may.
	if err := r.staff.RemoveOTP(ctx, owner, r.cashier); !models.IsDenied(err) {
		t.Fatalf("a cashier removed it: %v", err)
	}
	if err := r.staff.RemoveOTP(ctx, owner, r.manager); err != nil {
		t.Fatal(err)
	}
	if has, _ := r.staff.HasOTP(ctx); has {
		t.Fatal("offered after removal")
	}
	now = now.Add(time.Minute)
	if _, err := r.staff.ApproveByOTP(ctx, otpCode(t, e.Secret, now)); errKey(err) != "error.otp.none" {
		t.Fatalf("a removed authenticator approved: %v", err)
	}
}
