package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Permission is something only some roles may do, or approve for others.
type Permission string

// The permissions of the matrix, in the order Settings lists them.
const (
	PermVoid             Permission = "void"
	PermRefund           Permission = "refund"
	PermDiscountOverride Permission = "discount_override" // a discount above the cashier's limit
	PermPriceOverride    Permission = "price_override"
	PermDrawerOpen       Permission = "drawer_open" // the drawer without a sale
	PermReports          Permission = "reports"
	PermDayClose         Permission = "day_close" // settlement and the close of day
	PermSettingsShop     Permission = "settings_shop"
	PermSettingsPayments Permission = "settings_payments" // acquirer, QR merchant, card limits
	PermSettingsDevices  Permission = "settings_devices"  // printer, readers, ports
	PermSettingsSelling  Permission = "settings_selling"  // discount limit, stock, auto-lock
	PermStaff            Permission = "staff"             // people, their roles and the matrix
	PermMemberEnrol      Permission = "member_enrol"
	PermMemberLinkCard   Permission = "member_link_card"
	PermMemberRemove     Permission = "member_remove"
	PermMemberPayout     Permission = "member_payout" // a leaving member's balance paid out in cash
	PermTraining         Permission = "training"
)

// AllPermissions are the matrix's rows.
var AllPermissions = []Permission{PermVoid, PermRefund, PermDiscountOverride, PermPriceOverride, PermDrawerOpen,
	PermReports, PermDayClose, PermSettingsShop, PermSettingsPayments, PermSettingsDevices, PermSettingsSelling,
	PermStaff, PermMemberEnrol, PermMemberLinkCard, PermMemberRemove, PermMemberPayout, PermTraining}

// AllRoles are the matrix's columns.
var AllRoles = []Role{RoleOwner, RoleManager, RoleCashier, RoleWaiter}

// Permissions says, for each role, what it may do. A role or permission
// missing is not allowed. The owner may always do everything: the matrix
// cannot lock the shop out of itself.
type Permissions map[Role]map[Permission]bool

// DefaultPermissions are the matrix a shop starts with: managers do all
// but the shop's own and its payment settings; cashiers and waiters take
// sales (cashiers enrol members too), and ask a manager for the rest.
func DefaultPermissions() Permissions {
	all := func(except ...Permission) map[Permission]bool {
		m := map[Permission]bool{}
		for _, p := range AllPermissions {
			m[p] = !slices.Contains(except, p)
		}
		return m
	}
	return Permissions{
		RoleOwner:   all(),
		RoleManager: all(PermSettingsPayments, PermSettingsShop),
		RoleCashier: {PermMemberEnrol: true, PermTraining: true},
		RoleWaiter:  {PermTraining: true},
	}
}

// Allows reports whether op may do p.
func (m Permissions) Allows(op Operator, p Permission) bool {
	if op.Role == RoleOwner {
		return true
	}
	return m[op.Role][p]
}

// errNotAllowed: op's role may not do p.
func errNotAllowed(op Operator, p Permission) error {
	return &Error{Code: EINVALID, Key: "error.permission.denied",
		Fallback: "{{.Name}} may not do this ({{.What}}): someone allowed to must approve it",
		Args:     map[string]any{"Name": op.Name, "What": string(p)}}
}

// Check is nil when op may do p, else says who may not.
func (m Permissions) Check(op Operator, p Permission) error {
	if m.Allows(op, p) {
		return nil
	}
	return errNotAllowed(op, p)
}

// errOwnerOnly: only an owner changes who may do what.
var errOwnerOnly = &Error{Code: EINVALID, Key: "error.permission.owner_only", Fallback: "Only an owner changes who may do what"}

// SettingPermissions keeps the shop's matrix, as JSON; unset is the default.
const SettingPermissions = "permissions"

// Permissions reads the shop's matrix.
func (s *Store) Permissions(ctx context.Context) (Permissions, error) {
	var m Permissions
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		m, err = permissionsIn(db)
		return err
	})
	return m, err
}

// permissionsIn reads the matrix inside a transaction or read.
func permissionsIn(db *gorm.DB) (Permissions, error) {
	var st Setting
	err := db.Where("key = ?", SettingPermissions).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultPermissions(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: permissions: %w", err)
	}
	var m Permissions
	if err := json.Unmarshal([]byte(st.Value), &m); err != nil {
		return nil, fmt.Errorf("store: permissions: %w", err)
	}
	return m, nil
}

// Allowed is nil when op may do p under the shop's matrix, else why not.
// op is read again from the store: their role now, not the one op
// carries from their sign-in, and someone who has left may do nothing.
func (s *Store) Allowed(ctx context.Context, op Operator, p Permission) error {
	return s.read(ctx, func(db *gorm.DB) error {
		_, err := allowedIn(db, op, p)
		return err
	})
}

// errNotOnStaff: op has left the staff (or was never on it), and may do
// nothing more.
func errNotOnStaff(op Operator) error {
	return &Error{Code: EINVALID, Key: "error.permission.not_staff",
		Fallback: "{{.Name}} is no longer on the staff: someone allowed to must approve it",
		Args:     map[string]any{"Name": op.Name}}
}

// operatorNow is op as stored now, inside a read or a transaction: their
// name, role and standing may have changed since op was read at their
// sign-in or approval. Someone no longer active is refused.
func operatorNow(db *gorm.DB, op Operator) (Operator, error) {
	var now Operator
	if op.ID != 0 {
		if err := db.Where("id = ?", op.ID).Limit(1).Find(&now).Error; err != nil {
			return Operator{}, fmt.Errorf("store: operator %d: %w", op.ID, err)
		}
	}
	if now.ID == 0 || !now.Active {
		return Operator{}, errNotOnStaff(op)
	}
	return now, nil
}

// allowedIn is the store's one check of a privileged operation, inside a
// read or a transaction: op as stored now (operatorNow) under the shop's
// matrix as stored now. It returns op as stored, whose role the caller's
// further rules (only an owner makes an owner) read.
func allowedIn(db *gorm.DB, op Operator, p Permission) (Operator, error) {
	now, err := operatorNow(db, op)
	if err != nil {
		return Operator{}, err
	}
	m, err := permissionsIn(db)
	if err != nil {
		return Operator{}, err
	}
	if err := m.Check(now, p); err != nil {
		return Operator{}, err
	}
	return now, nil
}

// mayIn reports whether op, as stored now, may do p (allowedIn); an error
// is a failure to read, not a refusal.
func mayIn(db *gorm.DB, op Operator, p Permission) (bool, error) {
	_, err := allowedIn(db, op, p)
	if IsDenied(err) {
		return false, nil
	}
	return err == nil, err
}

// SetPermissions stores the shop's matrix, changed by by, who must be an
// owner; the owner's column is not stored (an owner may do everything),
// and the change is audited.
func (s *Store) SetPermissions(ctx context.Context, m Permissions, by Operator, terminalID string) error {
	clean := Permissions{}
	for _, r := range AllRoles {
		if r == RoleOwner {
			continue
		}
		clean[r] = map[Permission]bool{}
		for _, p := range AllPermissions {
			if m[r][p] {
				clean[r][p] = true
			}
		}
	}
	data, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("store: permissions: %w", err)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		now, err := operatorNow(tx, by)
		if err != nil {
			return err
		}
		if now.Role != RoleOwner {
			return errOwnerOnly
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Setting{Key: SettingPermissions, Value: string(data)}).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID,
			Action: "permissions", Subject: "matrix", Detail: string(data)}).Error
	})
}

// IsDenied reports whether err refuses something its asker may not do:
// their role may not, or they are no longer on the staff. Someone who may
// can approve it instead.
func IsDenied(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Key == "error.permission.denied" || e.Key == "error.permission.not_staff")
}
