package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// OperatorNameMax is the most characters a member of staff's name has.
const OperatorNameMax = 64

// CheckOperatorName is the rule for a member of staff's name: trimmed of
// spaces, not empty, at most OperatorNameMax characters. It returns the
// name trimmed, as it is stored.
func CheckOperatorName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", invalid("error.operator.name", "A member of staff needs a name", nil)
	}
	if utf8.RuneCountInString(name) > OperatorNameMax {
		return "", invalid("error.operator.name_long", "A name has at most {{.Max}} characters",
			map[string]any{"Max": OperatorNameMax})
	}
	return name, nil
}

// CheckRole refuses a role that is none of AllRoles.
func CheckRole(r Role) error {
	if !slices.Contains(AllRoles, r) {
		return invalid("error.operator.role", "Choose a role: owner, manager, cashier or waiter", nil)
	}
	return nil
}

// errOwnerChangesOwners: only an owner changes an owner's role.
var errOwnerChangesOwners = &Error{Code: EINVALID, Key: "error.operator.owner_role_by_owner",
	Fallback: "Only an owner can change an owner's role"}

// errOwnerRemovesOwners: only an owner removes an owner.
var errOwnerRemovesOwners = &Error{Code: EINVALID, Key: "error.operator.owner_removed_by_owner",
	Fallback: "Only an owner can remove an owner"}

// errLastOwnerRole: the shop keeps an owner.
var errLastOwnerRole = &Error{Code: ECONFLICT, Key: "error.operator.last_owner_role",
	Fallback: "The shop's last owner stays an owner: make someone else an owner first"}

// activeOwners counts the shop's active owners, inside a transaction.
func activeOwners(tx *gorm.DB) (int64, error) {
	var n int64
	err := tx.Model(&Operator{}).Where("role = ? AND active = ?", RoleOwner, true).Count(&n).Error
	return n, err
}

// activeOperator reads active operator id inside a transaction; one that
// is not there, or has left, is ENOTFOUND.
func activeOperator(tx *gorm.DB, id uint) (Operator, error) {
	var op Operator
	if err := tx.Where("id = ? AND active = ?", id, true).Limit(1).Find(&op).Error; err != nil {
		return Operator{}, err
	}
	if op.ID == 0 {
		return Operator{}, notFoundAs(nil, msgNoOperator)
	}
	return op, nil
}

// EditOperator changes the name and role of active operator id,
// authorized by by, who may manage staff as stored now: only an owner
// makes someone an owner or changes an owner's role, and the shop's last
// active owner stays an owner. The name follows CheckOperatorName. The
// change is audited (who changed whom, the old and new name and role) in
// the same transaction; nothing is stored unless all of it is. It returns
// the operator as stored; a change of role counts at the operator's next
// privileged operation, since the store reads their role then.
func (s *Store) EditOperator(ctx context.Context, id uint, name string, role Role, by Operator, terminalID string) (Operator, error) {
	name, err := CheckOperatorName(name)
	if err != nil {
		return Operator{}, err
	}
	if err := CheckRole(role); err != nil {
		return Operator{}, err
	}
	var op Operator
	err = s.write(ctx, func(tx *gorm.DB) error {
		byNow, err := allowedIn(tx, by, PermStaff)
		if err != nil {
			return err
		}
		if op, err = activeOperator(tx, id); err != nil {
			return err
		}
		if role == op.Role && name == op.Name {
			return nil // nothing to change, nothing to audit
		}
		if role != op.Role {
			switch {
			case role == RoleOwner && byNow.Role != RoleOwner:
				return errOwnerMakesOwners
			case op.Role == RoleOwner && byNow.Role != RoleOwner:
				return errOwnerChangesOwners
			case op.Role == RoleOwner:
				owners, err := activeOwners(tx)
				if err != nil {
					return err
				}
				if owners <= 1 {
					return errLastOwnerRole
				}
			}
		}
		res := tx.Model(&Operator{}).Where("id = ? AND active = ?", id, true).
			Updates(map[string]any{"name": name, "role": role})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return notFoundAs(nil, msgNoOperator)
		}
		detail := fmt.Sprintf("%s (#%d): name %q -> %q, role %s -> %s by %s (#%d)",
			op.Name, op.ID, op.Name, name, op.Role, role, byNow.Name, byNow.ID)
		op.Name, op.Role = name, role
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: byNow.ID, Action: "operator_edit",
			Subject: fmt.Sprint(op.ID), Detail: truncateUTF8(detail, 512)}).Error
	})
	if err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ECONFLICT || c == ENOTFOUND {
			return Operator{}, err
		}
		return Operator{}, dbError(s.path, fmt.Errorf("store: edit operator %d: %w", id, err))
	}
	return op, nil
}
