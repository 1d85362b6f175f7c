package staff

import (
	"context"
	"testing"

	"github.com/till-pos/till/models"
)

func TestEditOperatorChangesTheSessionOfWhoIsSignedIn(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.staff.EditOperator(ctx, r.next, "赵六", models.RoleManager, r.cashier); !models.IsDenied(err) {
		t.Fatalf("a cashier promoted someone: %v", err)
	}
	// Someone else edited: the session keeps who is signed in.
	got, err := r.staff.EditOperator(ctx, r.next, " 赵小六 ", models.RoleWaiter, r.manager)
	if err != nil || got.Name != "赵小六" || got.Role != models.RoleWaiter || r.session.Operator() != r.cashier {
		t.Fatalf("edited %+v %v; signed in %+v", got, err, r.session.Operator())
	}
	// The one signed in made a manager: their session is a manager's at
	// once, and they approve with their code.
	if _, err := r.staff.EditOperator(ctx, r.cashier, r.cashier.Name, models.RoleManager, r.manager); err != nil {
		t.Fatal(err)
	}
	if op := r.session.Operator(); op.ID != r.cashier.ID || op.Role != models.RoleManager {
		t.Fatalf("signed in after the promotion: %+v", op)
	}
	if m, err := r.staff.ManagerByCode(ctx, cashierCode); err != nil || m.ID != r.cashier.ID {
		t.Fatalf("the promoted cashier's approval: %+v %v", m, err)
	}
	if entries := r.audit(t, "operator_edit"); len(entries) != 2 || entries[1].OperatorID != r.manager.ID || entries[1].TerminalID != "T01" {
		t.Fatalf("edits audited: %+v", entries)
	}
}

func TestTheLastOwnerIsToldTheShopKeepsThem(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	owner, err := r.store.FirstOwner(ctx, "王芳", "582931", "T01")
	if err != nil {
		t.Fatal(err)
	}
	r.staff.SignIn(ctx, owner)
	// Signed in, and the shop's last owner: the shop keeping its owner is
	// what they are told.
	if err := r.staff.RemoveOperator(ctx, owner, owner); errKey(err) != "error.operator.last_owner" {
		t.Fatalf("the last owner removing themself: %v", err)
	}
	if _, err := r.staff.EditOperator(ctx, owner, owner.Name, models.RoleManager, owner); errKey(err) != "error.operator.last_owner_role" {
		t.Fatalf("the last owner stepping down: %v", err)
	}
	if op := r.session.Operator(); op != owner {
		t.Fatalf("signed in after the refusals: %+v", op)
	}
}
