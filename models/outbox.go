package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PendingOutbox returns up to limit outbox entries not yet acknowledged by
// the host, oldest first.
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("sent_at IS NULL").Order("id").Limit(limit).Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: pending outbox: %w", err)
	}
	return out, nil
}

// OutboxStatus counts the entries still to send and gives the time of the
// last one the host acknowledged (zero if none).
func (s *Store) OutboxStatus(ctx context.Context) (pending int64, lastSent time.Time, err error) {
	err = s.read(ctx, func(db *gorm.DB) error {
		if err := db.Model(&OutboxEntry{}).Where("sent_at IS NULL").Count(&pending).Error; err != nil {
			return err
		}
		var last OutboxEntry
		if err := db.Where("sent_at IS NOT NULL").Order("sent_at DESC").Limit(1).Find(&last).Error; err != nil {
			return err
		}
		if last.SentAt != nil {
			lastSent = *last.SentAt
		}
		return nil
	})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: outbox status: %w", err)
	}
	return pending, lastSent, nil
}

// MarkOutboxSent records, in one transaction, that the host acknowledged the
// entries; an entry already marked keeps its first time.
func (s *Store) MarkOutboxSent(ctx context.Context, ids []uint, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&OutboxEntry{}).Where("id IN ? AND sent_at IS NULL", ids).
			Updates(map[string]any{"sent_at": at, "attempts": gorm.Expr("attempts + 1")}).Error
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: mark outbox sent: %w", err))
	}
	return nil
}

// ReserveSTANs hands out n consecutive STANs of the terminal at once, for a
// drain of many messages; it returns the first.
func (s *Store) ReserveSTANs(ctx context.Context, terminalID string, n int) (int64, error) {
	var first int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`INSERT INTO sequences(name, next) VALUES(?, ?)
			ON CONFLICT(name) DO UPDATE SET next = next + ? RETURNING next - ?`,
			"stan:"+terminalID, n+1, n, n).Scan(&first).Error
	})
	if err != nil {
		return 0, dbError(s.path, fmt.Errorf("store: reserve STANs: %w", err))
	}
	return first, nil
}

// STANOf maps a sequence number handed out by ReserveSTANs to its STAN.
func STANOf(seq int64) int { return int((seq-1)%MaxSTAN + 1) }
