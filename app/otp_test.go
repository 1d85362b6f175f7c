package app

import (
	"context"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
)

// The till wires the key that seals the owners' authenticators: an owner
// sets one up and approves with its code.
func TestTheTillTakesAnOwnersOneTimeCode(t *testing.T) {
	till := startDemo(t, "en")
	ctx := context.Background()
	owner, err := demo.Stored(ctx, till.store, demo.Owner)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 14, 0, 10, 0, time.UTC)
	till.staff.Now = func() time.Time { return now }
	if has, err := till.staff.HasOTP(ctx); has || err != nil {
		t.Fatalf("offered before any is set up: %v %v", has, err)
	}
	e, err := till.staff.EnrolOTP(ctx, owner, owner)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := models.OTPCode(e.Secret, models.OTPStep(now))
	if err := till.staff.ConfirmOTP(ctx, e, code, owner); err != nil {
		t.Fatal(err)
	}
	if has, err := till.staff.HasOTP(ctx); !has || err != nil {
		t.Fatalf("not offered once set up: %v %v", has, err)
	}
	now = now.Add(30 * time.Second)
	code, _ = models.OTPCode(e.Secret, models.OTPStep(now))
	if got, err := till.staff.ApproveByOTP(ctx, code); err != nil || got.ID != owner.ID {
		t.Fatalf("approval: %+v %v", got, err)
	}
}
