package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditFilter chooses audit entries to show: by the person, the action and
// the time they were written in [From, To); a zero field does not filter.
type AuditFilter struct {
	OperatorID uint
	Action     string
	From, To   time.Time
	// Limit caps how many are returned, newest first (MaxAuditRows when 0
	// or above it).
	Limit int
}

// MaxAuditRows is the most entries one query returns.
const MaxAuditRows = 500

// AuditRow is an audit entry with the name of the person it names.
type AuditRow struct {
	AuditEntry
	OperatorName string
}

// FindAudit lists the audit entries f chooses, newest first, for by, who
// needs the reports permission.
func (s *Store) FindAudit(ctx context.Context, by Operator, f AuditFilter) ([]AuditRow, error) {
	if err := s.Allowed(ctx, by, PermReports); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > MaxAuditRows {
		f.Limit = MaxAuditRows
	}
	var rows []AuditRow
	err := s.read(ctx, func(db *gorm.DB) error {
		q := db.Table("audit_entries").Select("audit_entries.*, operators.name AS operator_name").
			Joins("LEFT JOIN operators ON operators.id = audit_entries.operator_id")
		if f.OperatorID != 0 {
			q = q.Where("audit_entries.operator_id = ?", f.OperatorID)
		}
		if f.Action != "" {
			q = q.Where("audit_entries.action = ?", f.Action)
		}
		if !f.From.IsZero() {
			q = q.Where("audit_entries.at >= ?", f.From)
		}
		if !f.To.IsZero() {
			q = q.Where("audit_entries.at < ?", f.To)
		}
		return q.Order("audit_entries.id DESC").Limit(f.Limit).Scan(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	return rows, nil
}

// AuditActions lists the actions the audit trail holds, for a filter.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var actions []string
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&AuditEntry{}).Distinct("action").Order("action").Pluck("action", &actions).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: audit actions: %w", err)
	}
	return actions, nil
}
