package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// pendingOutbox is the condition of an outbox entry still to send: not
// acknowledged by the host, and not quarantined.
const pendingOutbox = "sent_at IS NULL AND quarantined_at IS NULL"

// PendingOutbox returns up to limit outbox entries not yet acknowledged by
// the host, oldest first; quarantined entries are left out.
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where(pendingOutbox).Order("id").Limit(limit).Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: pending outbox: %w", err)
	}
	return out, nil
}

// OutboxStatus counts the entries still to send and gives the time of the
// last one the host acknowledged (zero if none). Quarantined entries are not
// counted: no sync will send them (QuarantinedOutbox lists them), so they
// would keep the count, and a warning of unsynced payments, up for ever.
func (s *Store) OutboxStatus(ctx context.Context) (pending int64, lastSent time.Time, err error) {
	err = s.read(ctx, func(db *gorm.DB) error {
		if err := db.Model(&OutboxEntry{}).Where(pendingOutbox).Count(&pending).Error; err != nil {
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

// MaxOutboxProblem is the longest problem a quarantined outbox entry keeps,
// in characters; a longer one is cut.
const MaxOutboxProblem = 200

// ActionOutboxQuarantine is the audit action of an outbox entry set aside.
const ActionOutboxQuarantine = "outbox_quarantine"

// QuarantineOutbox sets outbox entry id aside as one the host cannot take,
// saying why (problem, cut to MaxOutboxProblem characters): it is no longer
// pending, nor counted as such, and QuarantinedOutbox lists it. It is
// audited in the same transaction, naming the entry and the problem. An
// entry the host acknowledged already is refused (ECONFLICT); an unknown one
// is ENOTFOUND.
func (s *Store) QuarantineOutbox(ctx context.Context, id uint, problem string) error {
	problem = strings.TrimSpace(problem)
	if r := []rune(problem); len(r) > MaxOutboxProblem {
		problem = string(r[:MaxOutboxProblem])
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var e OutboxEntry
		if err := tx.Where("id = ?", id).Limit(1).Find(&e).Error; err != nil {
			return fmt.Errorf("entry %d: %w", id, err)
		}
		if e.ID == 0 {
			return &Error{Code: ENOTFOUND, Key: "error.outbox.not_found",
				Fallback: "There is no outbox entry {{.ID}}", Args: map[string]any{"ID": id}}
		}
		if e.SentAt != nil {
			return &Error{Code: ECONFLICT, Key: "error.outbox.sent",
				Fallback: "Outbox entry {{.ID}} was reported to the acquirer already", Args: map[string]any{"ID": id}}
		}
		now := time.Now()
		if err := tx.Model(&OutboxEntry{}).Where("id = ?", id).
			Updates(map[string]any{"quarantined_at": now, "problem": problem}).Error; err != nil {
			return fmt.Errorf("entry %d: %w", id, err)
		}
		var terminalID string
		if err := tx.Model(&Order{}).Select("terminal_id").Where("id = ?", e.OrderID).
			Limit(1).Scan(&terminalID).Error; err != nil {
			return fmt.Errorf("entry %d: order: %w", id, err)
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, Action: ActionOutboxQuarantine,
			Subject: fmt.Sprintf("outbox %d", id),
			Detail:  fmt.Sprintf("%s order=%d payment=%d: %s", e.Kind, e.OrderID, e.PaymentID, problem)}).Error
	})
	if err != nil {
		if c := ErrorCode(err); c == ENOTFOUND || c == ECONFLICT {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: quarantine outbox %d: %w", id, err))
	}
	return nil
}

// QuarantinedOutbox lists the outbox entries set aside (QuarantineOutbox)
// and never sent since, oldest first.
func (s *Store) QuarantinedOutbox(ctx context.Context) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("quarantined_at IS NOT NULL AND sent_at IS NULL").Order("id").Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: quarantined outbox: %w", err)
	}
	return out, nil
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
