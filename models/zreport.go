package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ZReport is the close of a terminal's business day: numbered without gaps
// per terminal (a sequence advanced in the same transaction), the day's
// running figures, the audit chain's head as it stood, the last settlement
// with the acquirer of the day, and what was left open. Append-only: once
// taken it is never changed (on SQLite, triggers refuse an UPDATE or
// DELETE).
type ZReport struct {
	ID          uint      `gorm:"primaryKey"`
	TerminalID  string    `gorm:"size:16;not null;uniqueIndex:idx_z_reports_number"`
	Number      int64     `gorm:"not null;uniqueIndex:idx_z_reports_number"`
	Since       time.Time // the previous Z's time; zero for the first
	TakenAt     time.Time `gorm:"not null"`
	TakenBy     uint
	TakenByName string `gorm:"size:64"`
	Figures     `gorm:"embedded"`
	AuditSeq    int64  `gorm:"not null"`
	AuditHash   string `gorm:"size:64;not null"`
	// The last batch the acquirer settled in the day (0: none).
	SettledBatch  int `gorm:"not null;default:0"`
	SettledAt     *time.Time
	SettledDetail string `gorm:"size:120"`
	// Left open at the close: orders awaiting payment, payments not yet
	// reported to the acquirer.
	OpenOrders    int64 `gorm:"not null;default:0"`
	PendingOutbox int64 `gorm:"not null;default:0"`
}

// Takings are the day's takings, as SumTakings reckons them.
func (z ZReport) Takings() Takings { return z.Figures.Takings() }

// DayStatus is what the owner sees before the close of day: the open day's
// number and figures, the orders still awaiting payment, the payments not
// yet reported, whether a shift is open.
type DayStatus struct {
	Number        int64
	Figures       Figures
	OpenOrders    []Order // awaiting payment, newest first, at most DayStatusOrders
	OpenCount     int64
	PendingOutbox int64
	ShiftOpen     bool
	SettledBatch  int
	SettledAt     *time.Time
}

// DayStatusOrders is how many awaiting orders DayStatus lists.
const DayStatusOrders = 50

// DayStatus is terminal's open business day before its close.
func (s *Store) DayStatus(ctx context.Context, terminalID string) (DayStatus, error) {
	var d DayStatus
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		if d.Number, err = openDay(db, terminalID); err != nil {
			return err
		}
		t, err := totalsOf(db, ScopeDay, terminalID, d.Number)
		if err != nil {
			return err
		}
		d.Figures, d.SettledBatch, d.SettledAt = t.Figures, t.SettledBatch, t.SettledAt
		if d.OpenCount, d.PendingOutbox, err = leftOpen(db, terminalID); err != nil {
			return err
		}
		awaiting, err := awaitingOrders(db)
		if err != nil {
			return err
		}
		for i := len(awaiting) - 1; i >= 0 && len(d.OpenOrders) < DayStatusOrders; i-- {
			if awaiting[i].TerminalID == terminalID {
				d.OpenOrders = append(d.OpenOrders, awaiting[i])
			}
		}
		shift, err := openShiftID(db, terminalID)
		d.ShiftOpen = shift != 0
		return err
	})
	if err != nil {
		return DayStatus{}, fmt.Errorf("store: day status: %w", err)
	}
	return d, nil
}

// awaitingOrders are the orders awaiting payment, of every terminal,
// oldest first. They are found by status alone: with the terminal in the
// condition too, SQLite searches the terminal's index and walks its whole
// history.
func awaitingOrders(db *gorm.DB) ([]Order, error) {
	var out []Order
	if err := db.Where("status = ?", OrderAwaiting).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("awaiting orders: %w", err)
	}
	return out, nil
}

// leftOpen counts terminal's orders awaiting payment (by the index on
// status) and the outbox entries still to send.
func leftOpen(db *gorm.DB, terminalID string) (orders, outbox int64, err error) {
	var terminals []string
	if err = db.Model(&Order{}).Where("status = ?", OrderAwaiting).Pluck("terminal_id", &terminals).Error; err != nil {
		return 0, 0, fmt.Errorf("awaiting orders: %w", err)
	}
	for _, t := range terminals {
		if t == terminalID {
			orders++
		}
	}
	if err = db.Model(&OutboxEntry{}).Where(pendingOutbox).Count(&outbox).Error; err != nil {
		return 0, 0, fmt.Errorf("pending outbox: %w", err)
	}
	return orders, outbox, nil
}

// CloseDay takes terminal's Z report, closing its business day, in one
// transaction: op must hold PermDayClose (as stored now) and no shift may be
// open. The report takes the next number, the day's running figures, the
// settlement noted in the day, the orders and payments left open, and the
// audit chain's head after its own entry. The next day starts at zero.
func (s *Store) CloseDay(ctx context.Context, terminalID string, op Operator, now time.Time) (ZReport, error) {
	if terminalID == "" {
		return ZReport{}, errNoTerminal()
	}
	if now.IsZero() {
		now = time.Now()
	}
	var z ZReport
	err := s.write(ctx, func(tx *gorm.DB) error {
		by, err := allowedIn(tx, op, PermDayClose)
		if err != nil {
			return err
		}
		shift, err := openShiftID(tx, terminalID)
		if err != nil {
			return err
		}
		if shift != 0 {
			return ErrShiftStillOpen
		}
		n, err := nextSeq(tx, zSequence(terminalID))
		if err != nil {
			return err
		}
		t, err := totalsOf(tx, ScopeDay, terminalID, n)
		if err != nil {
			return err
		}
		z = ZReport{TerminalID: terminalID, Number: n, TakenAt: now, TakenBy: by.ID, TakenByName: by.Name,
			Figures: t.Figures, SettledBatch: t.SettledBatch, SettledAt: t.SettledAt, SettledDetail: t.SettledDetail}
		if n > 1 {
			var prev ZReport
			if err := tx.Where("terminal_id = ? AND number = ?", terminalID, n-1).Limit(1).Find(&prev).Error; err != nil {
				return fmt.Errorf("previous Z: %w", err)
			}
			z.Since = prev.TakenAt
		}
		if z.OpenOrders, z.PendingOutbox, err = leftOpen(tx, terminalID); err != nil {
			return err
		}
		_, taken := t.Figures.Takings().Taken()
		if err := tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: by.ID, Action: ActionDayClose,
			Subject: fmt.Sprintf("Z %d", n), Detail: fmt.Sprintf("sales=%d taken=%d open_orders=%d pending=%d",
				t.Sales, taken, z.OpenOrders, z.PendingOutbox)}).Error; err != nil {
			return err
		}
		var head AuditHead
		if err := tx.Where("id = 1").Limit(1).Find(&head).Error; err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		z.AuditSeq, z.AuditHash = head.Seq, head.Hash
		if err := tx.Create(&z).Error; err != nil {
			return fmt.Errorf("insert Z report: %w", err)
		}
		return nil
	})
	if err != nil {
		return ZReport{}, ruleOrDBError(s.path, "store: close of day: %w", err)
	}
	return z, nil
}

// ZReportByNumber reads terminal's Z report number n.
func (s *Store) ZReportByNumber(ctx context.Context, terminalID string, n int64) (ZReport, error) {
	var z ZReport
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("terminal_id = ? AND number = ?", terminalID, n).First(&z).Error
	})
	if err != nil {
		return ZReport{}, notFound(err, "error.z.not_found", "No such Z report", nil)
	}
	return z, nil
}

// LastZReport is terminal's latest Z report; ENOTFOUND before the first.
func (s *Store) LastZReport(ctx context.Context, terminalID string) (ZReport, error) {
	var z ZReport
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("terminal_id = ?", terminalID).Order("number DESC").First(&z).Error
	})
	if err != nil {
		return ZReport{}, notFound(err, "error.z.not_found", "No such Z report", nil)
	}
	return z, nil
}

// AuditZReprint records that op reprinted Z report n (a copy).
func (s *Store) AuditZReprint(ctx context.Context, terminalID string, op Operator, n int64) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: op.ID,
			Action: ActionZReprint, Subject: fmt.Sprintf("Z %d", n)}).Error
	})
	if err != nil {
		return ruleOrDBError(s.path, "store: audit Z reprint: %w", err)
	}
	return nil
}

// migrateShifts makes the tables of shifts, running totals, cash moves and
// Z reports (migration 25), and makes Z reports append-only on SQLite.
func migrateShifts(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&Shift{}, &TillTotals{}, &CashMove{}, &ZReport{}); err != nil {
		return err
	}
	if err := appendOnly(tx, "z_reports", "a Z report is never changed"); err != nil {
		return fmt.Errorf("make Z reports append-only: %w", err)
	}
	return nil
}
