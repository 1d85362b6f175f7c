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

// ErrBatchChanged means the batch being settled is no longer the open one,
// or its totals are no longer those sent to the host: a payment arrived (or
// was undone) while it was settled. Nothing was closed.
var ErrBatchChanged = &Error{Code: ECONFLICT, Key: "error.batch.changed",
	Fallback: "A payment arrived while the batch was being settled; settle again"}

// CloseBatch ends batch, the terminal's open batch whose totals sent the host
// agreed to, audited in the same transaction, and returns the number of the
// next one. Inside that one write transaction it checks that batch is still
// the open one and that its totals as computed now (TotalsOf over the
// batch's approved requests, as settlement computes them) equal sent; if
// not, it closes nothing and returns ErrBatchChanged.
func (s *Store) CloseBatch(ctx context.Context, terminalID string, batch int, sent BatchTotals) (int, error) {
	var next int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		open, err := openBatch(tx, terminalID)
		if err != nil {
			return err
		}
		if open != batch {
			return ErrBatchChanged
		}
		approved, err := batchApproved(tx, terminalID, batch)
		if err != nil {
			return err
		}
		if TotalsOf(approved) != sent {
			return ErrBatchChanged
		}
		// The sequence's Next is the open batch; it starts at 1 and the first
		// close makes it 2.
		if err := tx.Exec(`INSERT INTO sequences(name, next) VALUES(?, 2)
			ON CONFLICT(name) DO UPDATE SET next = next + 1`, "batch:"+terminalID).Error; err != nil {
			return err
		}
		if err := tx.Raw("SELECT next FROM sequences WHERE name = ?", "batch:"+terminalID).Scan(&next).Error; err != nil {
			return err
		}
		if err := noteSettlement(tx, terminalID, batch, sent, time.Now()); err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, Action: ActionBatchClose,
			Subject: fmt.Sprintf("batch %d", next-1), Detail: fmt.Sprintf("next=%d", next)}).Error
	})
	if err != nil {
		if ErrorCode(err) == ECONFLICT {
			return 0, err
		}
		return 0, dbError(s.path, fmt.Errorf("store: close batch %d: %w", batch, err))
	}
	return int(next), nil
}
