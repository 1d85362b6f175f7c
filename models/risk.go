package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ActionRiskAlert is the audit trail's action for a risk alert raised.
const ActionRiskAlert = "risk_alert"

// UndosSince counts the voids and refunds operatorID authorized at the
// terminal since since (the audit trail names the manager who authorized
// each one).
func (s *Store) UndosSince(ctx context.Context, terminalID string, operatorID uint, since time.Time) (int, error) {
	return s.countAudit(ctx, "undos", terminalID, operatorID, []string{"void", "refund"}, since)
}

// DrawerOpensSince counts the no-sale openings of the drawer at the
// terminal since since.
func (s *Store) DrawerOpensSince(ctx context.Context, terminalID string, since time.Time) (int, error) {
	return s.countAudit(ctx, "drawer openings", terminalID, 0, []string{ActionDrawerOpen}, since)
}

// countAudit counts the terminal's audit entries of actions since since,
// by operatorID when it is not 0; the entries' time index drives it.
func (s *Store) countAudit(ctx context.Context, what, terminalID string, operatorID uint, actions []string, since time.Time) (int, error) {
	var n int64
	err := s.read(ctx, func(db *gorm.DB) error {
		q := db.Model(&AuditEntry{}).Where("at >= ? AND terminal_id = ? AND action IN ?", since, terminalID, actions)
		if operatorID != 0 {
			q = q.Where("operator_id = ?", operatorID)
		}
		return q.Count(&n).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: count %s: %w", what, err)
	}
	return int(n), nil
}

// DeclinesSince counts the card payments with token declined since since.
func (s *Store) DeclinesSince(ctx context.Context, token string, since time.Time) (int, error) {
	if token == "" {
		return 0, nil
	}
	var n int64
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&Payment{}).Where("card_token = ? AND status = ? AND created_at >= ?", token, PaymentDeclined, since).
			Count(&n).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: count declines: %w", err)
	}
	return int(n), nil
}

// UsualTicket is the average total of the terminal's sales (paid or
// refunded orders, not top-ups) created in [from, to), and how many there
// were.
func (s *Store) UsualTicket(ctx context.Context, terminalID string, from, to time.Time) (avg int64, orders int, err error) {
	var r struct {
		N   int64
		Sum int64
	}
	err = s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&Order{}).Select("COUNT(*) AS n, COALESCE(SUM(total), 0) AS sum").
			Where("terminal_id = ? AND created_at >= ? AND created_at < ? AND status IN ? AND top_up_member_id = 0",
				terminalID, from, to, []OrderStatus{OrderPaid, OrderRefunded}).Scan(&r).Error
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: usual ticket: %w", err)
	}
	if r.N == 0 {
		return 0, 0, nil
	}
	return r.Sum / r.N, int(r.N), nil
}

// AuditRiskAlert writes a risk alert to the audit trail: the rule and its
// figures in detail, subject what it is about (an order number, an
// operator, a card's last four digits), by the operator signed in.
func (s *Store) AuditRiskAlert(ctx context.Context, terminalID string, op Operator, subject, detail string) error {
	return s.AuditOverride(ctx, terminalID, op, ActionRiskAlert, subject, detail)
}

// ShiftStart is when the terminal's open shift opened; false when none is
// open.
func (s *Store) ShiftStart(ctx context.Context, terminalID string) (time.Time, bool, error) {
	var sh Shift
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("open_terminal = ?", terminalID).Limit(1).Find(&sh).Error
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: open shift of %s: %w", terminalID, err)
	}
	return sh.OpenedAt, sh.ID != 0, nil
}
