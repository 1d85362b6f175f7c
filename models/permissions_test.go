package models

import (
	"context"
	"testing"
)

func TestThePermissionMatrix(t *testing.T) {
	m := DefaultPermissions()
	owner := Operator{ID: 3, Name: "老板", Role: RoleOwner}
	mgr := Operator{ID: 2, Name: "店长", Role: RoleManager}
	cash := Operator{ID: 1, Name: "收银员", Role: RoleCashier}
	for _, p := range AllPermissions {
		if !m.Allows(owner, p) {
			t.Errorf("the owner may not %s", p)
		}
	}
	for p, want := range map[Permission]bool{PermVoid: true, PermRefund: true, PermDayClose: true, PermStaff: true,
		PermSettingsPayments: false, PermSettingsShop: false} {
		if m.Allows(mgr, p) != want {
			t.Errorf("manager %s: %v, want %v", p, !want, want)
		}
	}
	for p, want := range map[Permission]bool{PermVoid: false, PermDrawerOpen: false, PermMemberEnrol: true, PermReports: false} {
		if m.Allows(cash, p) != want {
			t.Errorf("cashier %s: %v, want %v", p, !want, want)
		}
	}
	if err := m.Check(cash, PermVoid); !IsDenied(err) {
		t.Fatalf("a cashier's void: %v", err)
	}
}

func TestTheStoreKeepsToTheShopsMatrix(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	owner := Operator{ID: 3, Name: "老板", Role: RoleOwner}
	onStaff(t, s, manager, owner)
	// Only an owner changes the matrix, and the change is audited.
	m := DefaultPermissions()
	m[RoleManager][PermVoid] = false
	m[RoleCashier][PermVoid] = true
	if err := s.SetPermissions(ctx, m, manager, "T01"); ErrorCode(err) != EINVALID {
		t.Fatalf("a manager changed the matrix: %v", err)
	}
	if err := s.SetPermissions(ctx, m, owner, "T01"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountAudit(ctx, "permissions"); n != 1 {
		t.Fatalf("%d audit entries of the change", n)
	}
	got, err := s.Permissions(ctx)
	if err != nil || got.Allows(manager, PermVoid) || !got.Allows(Operator{Role: RoleCashier}, PermVoid) {
		t.Fatalf("matrix read back: %+v %v", got, err)
	}
	// A manager no longer voids, whatever asks the store.
	o := colaOrder(t, s, 1)
	due := o.Due()
	if err := s.CommitSale(ctx, o, []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: due, Tendered: due}},
		SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(ctx, Undo{OrderID: o.ID, Manager: manager}); !IsDenied(err) {
		t.Fatalf("a void by a manager the matrix does not allow: %v", err)
	}
	if _, err := s.VoidOrder(ctx, Undo{OrderID: o.ID, Manager: owner}); err != nil {
		t.Fatalf("the owner's void: %v", err)
	}
}

func TestTheShopKeepsItsOwner(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	first, err := s.FirstOwner(ctx, "王芳", "582931", "T01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.FirstOwner(ctx, "李四", "730415", "T01"); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a second first owner: %v", err)
	}
	// A manager makes no owner, and removes none.
	mgr, err := s.AddOperator(ctx, Operator{Name: "店长", Role: RoleManager}, "640281", first, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddOperator(ctx, Operator{Name: "二老板", Role: RoleOwner}, "915372", mgr, "T01"); ErrorCode(err) != EINVALID {
		t.Fatalf("a manager made an owner: %v", err)
	}
	if _, err := s.RemoveOperator(ctx, first.ID, mgr, "T01"); ErrorCode(err) != EINVALID {
		t.Fatalf("a manager removed the owner: %v", err)
	}
	// The last owner stays, even for another owner's hand once alone.
	second, err := s.AddOperator(ctx, Operator{Name: "二老板", Role: RoleOwner}, "915372", first, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveOperator(ctx, second.ID, first, "T01"); err != nil {
		t.Fatalf("an owner removing another: %v", err)
	}
	third, err := s.AddOperator(ctx, Operator{Name: "三老板", Role: RoleOwner}, "482716", first, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveOperator(ctx, third.ID, first, "T01"); err != nil {
		t.Fatal(err)
	}
	other, _ := s.AddOperator(ctx, Operator{Name: "四老板", Role: RoleOwner}, "806153", first, "T01")
	if _, err := s.RemoveOperator(ctx, first.ID, other, "T01"); err != nil {
		t.Fatalf("one of two owners leaving: %v", err)
	}
	// Alone now: they do not remove themself, told why, and an owner gone
	// before them may do nothing more.
	if _, err := s.RemoveOperator(ctx, other.ID, other, "T01"); errorKey(err) != "error.operator.last_owner" {
		t.Fatalf("the last owner removed themself: %v", err)
	}
	if err := s.CheckRemoveOperator(ctx, other.ID, other); errorKey(err) != "error.operator.last_owner" {
		t.Fatalf("the last owner's removal checked: %v", err)
	}
	if _, err := s.RemoveOperator(ctx, other.ID, first, "T01"); errorKey(err) != "error.permission.not_staff" || !IsDenied(err) {
		t.Fatalf("the last owner removed by one who left: %v", err)
	}
	if got, err := s.OperatorByID(ctx, other.ID); err != nil || !got.Active {
		t.Fatalf("the last owner after the refusals: %+v %v", got, err)
	}
	if _, err := s.OperatorByCode(ctx, "806153"); err != nil {
		t.Fatalf("the last owner's code after the refusals: %v", err)
	}
}
