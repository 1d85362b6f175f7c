package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MaxSTAN is the largest system trace audit number (field 11 holds six digits).
const MaxSTAN = 999_999

// NextSTAN hands out the terminal's next STAN, 1 to 999999 and round again,
// persisted so that a restart never reuses one: a batch is closed long before
// a million messages.
func (s *Store) NextSTAN(ctx context.Context, terminalID string) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		n, err = nextSeq(tx, "stan:"+terminalID)
		return err
	})
	if err != nil {
		return 0, dbError(s.path, fmt.Errorf("store: next STAN: %w", err))
	}
	return int((n-1)%MaxSTAN + 1), nil
}

// BatchNumber is the terminal's open batch, 1 until the first settlement.
func (s *Store) BatchNumber(ctx context.Context, terminalID string) (int, error) {
	var seq Sequence
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("name = ?", "batch:"+terminalID).Limit(1).Find(&seq).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: batch number: %w", err)
	}
	if seq.Next == 0 {
		return 1, nil
	}
	return int(seq.Next), nil
}

// ActionBatchClose is the audit action of a batch closed after the host
// agreed to its totals.
const ActionBatchClose = "batch_close"

// CloseBatch ends the open batch, audited in the same transaction, and
// returns the number of the next one.
func (s *Store) CloseBatch(ctx context.Context, terminalID string, batch int, sent BatchTotals) (int, error) {
	var next int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		// The sequence's Next is the open batch; it starts at 1 and the first
		// close makes it 2.
		if err := tx.Exec(`INSERT INTO sequences(name, next) VALUES(?, 2)
			ON CONFLICT(name) DO UPDATE SET next = next + 1`, "batch:"+terminalID).Error; err != nil {
			return err
		}
		if err := tx.Raw("SELECT next FROM sequences WHERE name = ?", "batch:"+terminalID).Scan(&next).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, Action: ActionBatchClose,
			Subject: fmt.Sprintf("batch %d", next-1), Detail: fmt.Sprintf("next=%d", next)}).Error
	})
	if err != nil {
		return 0, dbError(s.path, fmt.Errorf("store: close batch: %w", err))
	}
	return int(next), nil
}
