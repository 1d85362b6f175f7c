package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// onStaff stores ops, with their IDs, as active members of staff without
// codes: the operators a test's sales and approvals name, which the store
// reads again at each privileged operation.
func onStaff(t testing.TB, s *Store, ops ...Operator) {
	t.Helper()
	for _, op := range ops {
		op.Active = true
		if op.Role == "" {
			op.Role = RoleCashier
		}
		if err := s.db.Create(&op).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// staffRoom is a shop with its owner, a manager, a cashier and a waiter,
// each with a code.
type staffRoom struct {
	s                               *Store
	owner, manager, cashier, waiter Operator
}

// Their codes, which no audit entry may carry.
const (
	roomOwnerCode   = "582931"
	roomManagerCode = "640281"
	roomCashierCode = "730415"
	roomWaiterCode  = "915372"
)

func newStaffRoom(t *testing.T) staffRoom {
	t.Helper()
	s := newTestStore(t)
	r := staffRoom{s: s}
	var err error
	if r.owner, err = s.FirstOwner(bg, "王芳", roomOwnerCode, "T01"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		to   *Operator
		name string
		role Role
		code string
	}{{&r.manager, "李店长", RoleManager, roomManagerCode}, {&r.cashier, "张收银", RoleCashier, roomCashierCode},
		{&r.waiter, "赵服务", RoleWaiter, roomWaiterCode}} {
		if *p.to, err = s.AddOperator(bg, Operator{Name: p.name, Role: p.role}, p.code, r.owner, "T01"); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// stored is operator id as the store has it.
func (r staffRoom) stored(t *testing.T, id uint) Operator {
	t.Helper()
	op, err := r.s.OperatorByID(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func TestEditOperatorKeepsToTheStaffRules(t *testing.T) {
	r := newStaffRoom(t)
	s := r.s
	audits := func() int {
		n, err := s.CountAudit(bg, "operator_edit")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	unchanged := func(what string, want Operator) {
		t.Helper()
		if got := r.stored(t, want.ID); got != want {
			t.Fatalf("%s: stored %+v, want %+v", what, got, want)
		}
		if n := audits(); n != 0 {
			t.Fatalf("%s: %d audit entries", what, n)
		}
	}
	// Who may not manage staff changes nobody, themself neither.
	if _, err := s.EditOperator(bg, r.waiter.ID, "赵服务", RoleCashier, r.cashier, "T01"); !IsDenied(err) {
		t.Fatalf("a cashier changed a waiter's role: %v", err)
	}
	if _, err := s.EditOperator(bg, r.cashier.ID, "张收银", RoleManager, r.cashier, "T01"); !IsDenied(err) {
		t.Fatalf("a cashier promoted themself: %v", err)
	}
	unchanged("refused to a cashier", r.cashier)
	// A manager makes no owner and changes no owner's role.
	if _, err := s.EditOperator(bg, r.cashier.ID, "张收银", RoleOwner, r.manager, "T01"); errorKey(err) != "error.operator.owner_by_owner" {
		t.Fatalf("a manager made an owner: %v", err)
	}
	if _, err := s.EditOperator(bg, r.manager.ID, "李店长", RoleOwner, r.manager, "T01"); errorKey(err) != "error.operator.owner_by_owner" {
		t.Fatalf("a manager made themself an owner: %v", err)
	}
	if _, err := s.EditOperator(bg, r.owner.ID, "王芳", RoleCashier, r.manager, "T01"); errorKey(err) != "error.operator.owner_role_by_owner" {
		t.Fatalf("a manager demoted the owner: %v", err)
	}
	unchanged("refused to a manager", r.owner)
	// A name is needed, of at most 64 characters, and a role of the four.
	for name, key := range map[string]string{"": "error.operator.name", "   ": "error.operator.name",
		strings.Repeat("名", OperatorNameMax+1): "error.operator.name_long"} {
		if _, err := s.EditOperator(bg, r.cashier.ID, name, RoleCashier, r.owner, "T01"); errorKey(err) != key {
			t.Fatalf("name %q: %v", name, err)
		}
	}
	if _, err := s.EditOperator(bg, r.cashier.ID, "张收银", Role("boss"), r.owner, "T01"); errorKey(err) != "error.operator.role" {
		t.Fatalf("role boss: %v", err)
	}
	unchanged("a bad name or role", r.cashier)
	// A manager renames a cashier (trimmed) and makes them a waiter.
	got, err := s.EditOperator(bg, r.cashier.ID, "  张小收  ", RoleWaiter, r.manager, "T02")
	want := Operator{ID: r.cashier.ID, Name: "张小收", Role: RoleWaiter, Active: true}
	if err != nil || got != want || r.stored(t, r.cashier.ID) != want {
		t.Fatalf("renamed: %+v %v, stored %+v", got, err, r.stored(t, r.cashier.ID))
	}
	// Nothing changed is nothing audited.
	if _, err := s.EditOperator(bg, r.cashier.ID, "张小收", RoleWaiter, r.manager, "T02"); err != nil || audits() != 1 {
		t.Fatalf("the same again: %v, %d audit entries", err, audits())
	}
	var entry AuditEntry
	if err := s.db.Where("action = ?", "operator_edit").First(&entry).Error; err != nil {
		t.Fatal(err)
	}
	if entry.OperatorID != r.manager.ID || entry.Subject != fmt.Sprint(r.cashier.ID) || entry.TerminalID != "T02" {
		t.Fatalf("audit entry %+v", entry)
	}
	for _, w := range []string{"张收银", "张小收", "cashier -> waiter", "李店长"} {
		if !strings.Contains(entry.Detail, w) {
			t.Errorf("audit detail %q lacks %q", entry.Detail, w)
		}
	}
	// No audit entry, of any kind, carries a code.
	var details []string
	s.db.Model(&AuditEntry{}).Pluck("detail", &details)
	for _, d := range details {
		for _, code := range []string{roomOwnerCode, roomManagerCode, roomCashierCode, roomWaiterCode} {
			if strings.Contains(d, code) {
				t.Fatalf("an audit entry carries a code: %q", d)
			}
		}
	}
	// Someone who left is edited no more.
	if _, err := s.RemoveOperator(bg, r.waiter.ID, r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditOperator(bg, r.waiter.ID, "赵服务", RoleCashier, r.owner, "T01"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("one who left edited: %v", err)
	}
}

func TestTheLastOwnerStaysAnOwner(t *testing.T) {
	r := newStaffRoom(t)
	s := r.s
	// Alone, the owner neither steps down nor leaves, told why.
	if _, err := s.EditOperator(bg, r.owner.ID, "王芳", RoleManager, r.owner, "T01"); errorKey(err) != "error.operator.last_owner_role" {
		t.Fatalf("the last owner stepped down: %v", err)
	}
	if _, err := s.RemoveOperator(bg, r.owner.ID, r.owner, "T01"); errorKey(err) != "error.operator.last_owner" {
		t.Fatalf("the last owner left: %v", err)
	}
	if got := r.stored(t, r.owner.ID); got != r.owner {
		t.Fatalf("the last owner after the refusals: %+v", got)
	}
	if _, err := s.OperatorByCode(bg, roomOwnerCode); err != nil {
		t.Fatalf("the last owner's code after the refusals: %v", err)
	}
	// With a second owner, the first may step down; then the second is
	// the last, and the first, a manager now, may no longer make owners
	// nor change the owner's role, whatever role their sign-in said.
	second, err := s.EditOperator(bg, r.manager.ID, "李店长", RoleOwner, r.owner, "T01")
	if err != nil || second.Role != RoleOwner {
		t.Fatalf("a second owner: %+v %v", second, err)
	}
	if _, err := s.EditOperator(bg, r.owner.ID, "王芳", RoleManager, r.owner, "T01"); err != nil {
		t.Fatalf("one of two owners stepping down: %v", err)
	}
	if _, err := s.EditOperator(bg, r.cashier.ID, "张收银", RoleOwner, r.owner, "T01"); errorKey(err) != "error.operator.owner_by_owner" {
		t.Fatalf("a former owner made an owner: %v", err)
	}
	if _, err := s.EditOperator(bg, second.ID, "李店长", RoleManager, r.owner, "T01"); errorKey(err) != "error.operator.owner_role_by_owner" {
		t.Fatalf("a former owner demoted the owner: %v", err)
	}
	if err := s.SetPermissions(bg, DefaultPermissions(), r.owner, "T01"); errorKey(err) != "error.permission.owner_only" {
		t.Fatalf("a former owner changed the matrix: %v", err)
	}
	if _, err := s.EditOperator(bg, second.ID, "李店长", RoleCashier, second, "T01"); errorKey(err) != "error.operator.last_owner_role" {
		t.Fatalf("the new last owner stepped down: %v", err)
	}
}

func TestADemotedManagerApprovesNothingMore(t *testing.T) {
	r := newStaffRoom(t)
	s := r.s
	held := r.manager // as read at their sign-in or approval
	first := sellCola(t, s, "T01", 1)
	if _, err := s.EditOperator(bg, r.manager.ID, "李店长", RoleCashier, r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	if err := s.Allowed(bg, held, PermVoid); !IsDenied(err) {
		t.Fatalf("a demoted manager's void allowed: %v", err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: first.ID, Manager: held}); ErrorCode(err) != EINVALID {
		t.Fatalf("a demoted manager's void: %v", err)
	}
	if got, _ := s.OrderByID(bg, first.ID); got.Status == OrderVoided {
		t.Fatal("voided on a demoted manager's word")
	}
	// Nor a discount above the limit.
	o := colaOrder(t, s, 10)
	if err := o.SetDiscount(PercentDiscount(2000)); err != nil {
		t.Fatal(err)
	}
	o.Approve(ActionDiscountOverride, held, r.cashier, o.DiscountDetail(-1), time.Time{})
	err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: r.cashier})
	if errorKey(err) != "error.discount.not_approved" {
		t.Fatalf("a discount a demoted manager approved: %v", err)
	}
	// Nor a manager who left; a cashier made manager approves at once.
	promoted, err := s.EditOperator(bg, r.cashier.ID, "张收银", RoleManager, r.owner, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: first.ID, Manager: promoted}); err != nil {
		t.Fatalf("a promoted cashier's void: %v", err)
	}
	if _, err := s.RemoveOperator(bg, promoted.ID, r.owner, "T01"); err != nil {
		t.Fatal(err)
	}
	second := sellCola(t, s, "T01", 2)
	if _, err := s.VoidOrder(bg, Undo{OrderID: second.ID, Manager: promoted}); !IsDenied(err) {
		t.Fatalf("the void of a manager who left: %v", err)
	}
}
