package screens

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
)

// TestMembersRemoveWithBalancePaysOut: removing a member with money left
// offers to pay it out in cash; the manager who approved the removal may
// pay out too, the slip prints, the drawer opens, and the membership ends.
func TestMembersRemoveWithBalancePaysOut(t *testing.T) {
	s, ui, svc := newTestMembers(t)
	w := ui.Window
	pr, dr := &fakePrinter{}, &fakeDrawer{}
	s.Printer, s.Drawer = pr, dr
	test.Tap(uitest.NthButton(t, w, "Remove", 0)) // Li Lei, ¥120.00 on the balance
	keys(t, w, "8888")
	tap(t, w, "OK")
	mustShow(t, w, "Li Lei still has ¥120.00 on their balance")
	pay := uitest.ButtonContaining(t, w, "Pay out ¥120.00 in cash and remove")
	if h := pay.Size().Height; h < 48 {
		t.Errorf("the payout button is %.0f high", h)
	}
	if why := uitest.Unseen(w, pay); why != "" {
		t.Errorf("the payout button: %s", why)
	}
	shoot(t, w, "member-payout")
	test.Tap(pay)
	// The manager who approved the removal pays out: no second code.
	if !slices.Equal(svc.paidOut, []string{"Li Lei by " + manager.Name}) {
		t.Fatalf("paid out: %v", svc.paidOut)
	}
	if len(pr.slips) != 1 || dr.opened != 1 {
		t.Fatalf("%d slips, drawer opened %d times", len(pr.slips), dr.opened)
	}
	slip := receipt.PlainText(pr.slips[0], 32)
	for _, want := range []string{"Corner Shop", "Member balance paid out", "L* 138****5678", "¥120.00", "Boss Wang", "T01", "Customer signature:"} {
		if !strings.Contains(slip, want) {
			t.Errorf("the slip lacks %q:\n%s", want, slip)
		}
	}
	if !slices.Equal(svc.removed, []string{"Li Lei by " + manager.Name}) {
		t.Fatalf("removed: %v", svc.removed)
	}
	mustShow(t, w, "¥120.00 was paid out to L* 138****5678 in cash and the membership has ended")
	shoot(t, w, "member-paid-out")
}

// TestMembersPayOutRefusedKeepsTheMember: with no shift open, or refused by
// the store, nothing prints, the drawer stays shut, the member stays, and
// the dialog says why.
func TestMembersPayOutRefusedKeepsTheMember(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*fakeMembers)
		want string
	}{
		{"no shift", func(f *fakeMembers) { f.noShift = true }, "No shift is open on this till"},
		{"not allowed", func(f *fakeMembers) {
			f.payErr = models.DefaultPermissions().Check(cashier, models.PermMemberPayout)
		}, "Zhang San may not do this"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, ui, svc := newTestMembers(t)
			w := ui.Window
			c.set(svc)
			pr, dr := &fakePrinter{}, &fakeDrawer{}
			s.Printer, s.Drawer = pr, dr
			test.Tap(uitest.NthButton(t, w, "Remove", 0))
			keys(t, w, "8888")
			tap(t, w, "OK")
			test.Tap(uitest.ButtonContaining(t, w, "Pay out ¥120.00"))
			mustShow(t, w, c.want)
			if len(pr.slips) != 0 || dr.opened != 0 || len(svc.removed) != 0 {
				t.Fatalf("%d slips, drawer %d, removed %v", len(pr.slips), dr.opened, svc.removed)
			}
			if !dialogShown(w) {
				t.Fatal("the dialog closed on a refusal")
			}
			tap(t, w, "Cancel")
			if dialogShown(w) {
				t.Fatal("Cancel left the dialog open")
			}
		})
	}
}

// TestMembersPayOutAsksForItsOwnApproval: an owner's removal approval
// covers the payout; a matrix where the remover may not pay out asks
// again.
func TestMembersPayOutNeedsItsPermission(t *testing.T) {
	s, ui, svc := newTestMembers(t)
	w := ui.Window
	s.staff = &payoutStaff{}
	test.Tap(uitest.NthButton(t, w, "Remove", 0))
	keys(t, w, "8888") // the manager may remove, not pay out, here
	tap(t, w, "OK")
	tap(t, w, "Pay out ¥120.00 in cash and remove")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "582931") // the owner
	tap(t, w, "OK")
	if !slices.Equal(svc.paidOut, []string{"Li Lei by " + owner.Name}) || !slices.Equal(svc.removed, []string{"Li Lei by " + manager.Name}) {
		t.Fatalf("paid out %v, removed %v", svc.paidOut, svc.removed)
	}
}

// payoutStaff is a shop whose matrix leaves payouts to owners.
type payoutStaff struct{ fakeStaff }

func (s *payoutStaff) Allowed(ctx context.Context, op models.Operator, p models.Permission) error {
	if p == models.PermMemberPayout && op.Role != models.RoleOwner {
		return models.DefaultPermissions().Check(models.Operator{Name: op.Name, Role: models.RoleCashier}, p)
	}
	return s.fakeStaff.Allowed(ctx, op, p)
}

// TestMembersPaidOutButNotRemovedSaysBoth: a removal refused after the
// payout (the balance moved again meanwhile) says the money was paid out
// all the same, and why the membership goes on.
func TestMembersPaidOutButNotRemovedSaysBoth(t *testing.T) {
	s, ui, svc := newTestMembers(t)
	w := ui.Window
	s.Printer, s.Drawer = &fakePrinter{}, &fakeDrawer{}
	svc.removeErr = &models.Error{Code: models.ECONFLICT, Key: "error.member.has_balance", Fallback: "Li Lei still has ¥5.00 on their balance"}
	test.Tap(uitest.NthButton(t, w, "Remove", 0))
	keys(t, w, "8888")
	tap(t, w, "OK")
	tap(t, w, "Pay out ¥120.00 in cash and remove")
	mustShow(t, w, "¥120.00 was paid out to L* 138****5678 in cash, but the membership did not end: Li Lei still has ¥5.00 on their balance")
	if len(svc.paidOut) != 1 || len(svc.removed) != 0 {
		t.Fatalf("paid out %v, removed %v", svc.paidOut, svc.removed)
	}
}
