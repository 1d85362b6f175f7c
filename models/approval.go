package models

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Actions a manager authorizes for a cashier, as the audit trail names them.
const (
	ActionDiscountOverride = "discount_override" // a discount above the cashier's limit
	ActionPriceOverride    = "price_override"    // a line's unit price changed
	ActionDrawerOpen       = "drawer_open"       // the cash drawer opened without a sale
	ActionSettle           = "settle"            // the terminal's batch settled with the acquirer
)

// DefaultDiscountLimit is the cashier discount limit when none is set, in
// basis points: 1000 = 10%.
const DefaultDiscountLimit = 1000

// IsManager reports whether op may authorize what a cashier may not do
// alone: managers and owners.
func (op Operator) IsManager() bool { return op.Role == RoleManager || op.Role == RoleOwner }

// Approval is a manager's authorization of something on an order that the
// cashier could not do alone. It is kept on the order while it is built
// (and held) and written to the audit trail in the transaction that stores
// the order, under its number.
type Approval struct {
	Action  string   // ActionDiscountOverride or ActionPriceOverride
	Manager Operator // who authorized it
	Cashier Operator // who asked
	Detail  string   // what was authorized: the line, the amounts
	// At is when it was given; zero means when the order is stored.
	At time.Time
}

// Approve records on o that manager authorized action, asked by cashier;
// detail says what (see DiscountDetail and PriceDetail).
func (o *Order) Approve(action string, manager, cashier Operator, detail string, at time.Time) {
	o.Approvals = append(o.Approvals, Approval{Action: action, Manager: manager, Cashier: cashier, Detail: detail, At: at})
}

// ExceedsLimit reports whether d takes more than limitBP basis points
// (1000 = 10%) of base, the amount it is taken from: a percent discount by
// its rate, an amount discount by comparing it with limitBP × base.
func (d Discount) ExceedsLimit(base, limitBP int64) bool {
	switch d.Kind {
	case DiscountPercent:
		return d.Value > limitBP
	case DiscountAmount:
		if d.Value <= 0 {
			return false
		}
		if limitBP <= 0 || base <= 0 {
			return true
		}
		// d.Value × 10000 > base × limitBP ⇔ d.Value > ⌊base × limitBP / 10000⌋,
		// in 128 bits: no overflow.
		q, _ := mulDivRem(base, limitBP, 10000)
		return d.Value > q
	}
	return false
}

// DiscountBase is the amount a discount is taken from: line i's gross
// amount, or for the whole order (i < 0) the lines after their own
// discounts.
func (o *Order) DiscountBase(i int) int64 {
	if i >= 0 {
		if i >= len(o.Lines) {
			return 0
		}
		return o.Lines[i].Gross
	}
	var base int64
	for _, l := range o.Lines {
		base += l.Gross - l.LineDiscount
	}
	return base
}

// DiscountDetail describes, for the audit trail, line i's discount (or the
// order's, i < 0) as it stands: its kind and value, the amount it takes and
// the amount it is taken from.
func (o *Order) DiscountDetail(i int) string {
	if i >= 0 && i < len(o.Lines) {
		l := o.Lines[i]
		return fmt.Sprintf("line=%d sku=%s name=%s discount=%s:%d amount=%d base=%d",
			l.LineNo, l.SKU, l.Name, l.Discount.Kind, l.Discount.Value, l.LineDiscount, l.Gross)
	}
	var taken int64
	for _, l := range o.Lines {
		taken += l.OrderDiscount
	}
	return fmt.Sprintf("order discount=%s:%d amount=%d base=%d",
		o.Discount.Kind, o.Discount.Value, taken, o.DiscountBase(-1))
}

// PriceDetail describes, for the audit trail, line i's unit price changed
// from old.
func (o *Order) PriceDetail(i int, old int64) string {
	if i < 0 || i >= len(o.Lines) {
		return ""
	}
	l := o.Lines[i]
	return fmt.Sprintf("line=%d sku=%s name=%s product=%d old=%d new=%d",
		l.LineNo, l.SKU, l.Name, l.ProductID, old, l.UnitPrice)
}

// approvalDetail is an approval's audit detail: who authorized it, who
// asked, and what.
func approvalDetail(manager, cashier Operator, detail string) string {
	s := fmt.Sprintf("%s cashier=%d:%s", manager.Ref(), cashier.ID, cashier.Name)
	if detail != "" {
		s += " " + detail
	}
	return truncateUTF8(s, 512)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// errDiscountNotApproved refuses to store a cashier's discount above the
// limit that no manager approved.
var errDiscountNotApproved = &Error{Code: EINVALID, Key: "error.discount.not_approved",
	Fallback: "A discount above the cashier's limit needs a manager's approval"}

// checkDiscountLimit refuses, inside the transaction storing o, a discount
// above the limit in force given by someone the shop's matrix does not
// allow to, without the approval on the order of someone it does: the
// screens ask for one, and the store does not take their word for it,
// nor the roles they hold (each is read as stored now).
func checkDiscountLimit(tx *gorm.DB, o *Order, op Operator) error {
	if ok, err := mayIn(tx, op, PermDiscountOverride); ok || err != nil {
		return err
	}
	for _, a := range o.Approvals {
		if a.Action != ActionDiscountOverride {
			continue
		}
		if ok, err := mayIn(tx, a.Manager, PermDiscountOverride); ok || err != nil {
			return err
		}
	}
	limit := int64(DefaultDiscountLimit)
	var st Setting
	if err := tx.Where("key = ?", SettingDiscountLimit).Limit(1).Find(&st).Error; err != nil {
		return fmt.Errorf("discount limit: %w", err)
	}
	if st.Key != "" {
		limit = ParseDiscountLimit(st.Value)
	}
	over := o.Discount.ExceedsLimit(o.DiscountBase(-1), limit)
	for i, l := range o.Lines {
		over = over || l.Discount.ExceedsLimit(o.DiscountBase(i), limit)
	}
	if over {
		return errDiscountNotApproved
	}
	return nil
}

// auditApprovals writes o's approvals to the audit trail, under its number,
// inside the transaction that stores it.
func auditApprovals(tx *gorm.DB, o *Order, now time.Time) error {
	for _, a := range o.Approvals {
		at := a.At
		if at.IsZero() {
			at = now
		}
		if err := tx.Create(&AuditEntry{At: at, TerminalID: o.TerminalID, OperatorID: a.Manager.ID,
			Action: a.Action, Subject: o.Number, Detail: approvalDetail(a.Manager, a.Cashier, a.Detail)}).Error; err != nil {
			return fmt.Errorf("audit %s: %w", a.Action, err)
		}
	}
	return nil
}

// AuditApproval records that manager authorized action for cashier outside
// any order (opening the drawer without a sale, say); detail says what.
func (s *Store) AuditApproval(ctx context.Context, terminalID, action string, manager, cashier Operator, detail string) error {
	if !manager.IsManager() { // approvals are given by managers and owners; what each may approve is the matrix's
		return ErrManagerNeeded
	}
	return s.AuditOverride(ctx, terminalID, manager, action, "", approvalDetail(manager, cashier, detail))
}

// ErrManagerNeeded refuses what only a manager or owner may authorize.
var ErrManagerNeeded = &Error{Code: EINVALID, Key: "error.manager.needed", Fallback: "A manager must authorize this"}

// AuditEntries lists the audit entries of an action, oldest first.
func (s *Store) AuditEntries(ctx context.Context, action string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("action = ?", action).Order("id").Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: audit entries %s: %w", action, err)
	}
	return out, nil
}
