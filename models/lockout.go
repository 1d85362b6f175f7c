package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Kinds of failed tries counted toward a lock-out.
const (
	// TryCode is a staff code that is nobody's, or that is the code of
	// someone who may not do what was asked (a cashier's at an approval).
	TryCode = "code"
	// TryFinger is a finger the reader does not recognise.
	TryFinger = "finger"
)

// The lock-out rule: LockoutAfter failed tries in a row lock for
// LockoutFirst, each further one for twice as long as the one before, at
// most LockoutMax, until a success.
const (
	LockoutAfter = 5
	LockoutFirst = 30 * time.Second
	LockoutMax   = 15 * time.Minute
)

// LockoutDelay is how long tries are refused after failures failed tries
// in a row: nothing below LockoutAfter, then 30 s, 1 min, 2 min, … at most
// 15 min.
func LockoutDelay(failures int) time.Duration {
	if failures < LockoutAfter {
		return 0
	}
	d := LockoutFirst
	for i := LockoutAfter; i < failures && d < LockoutMax; i++ {
		d *= 2
	}
	return min(d, LockoutMax)
}

// Try is who a try at a code or a finger counts against: the terminal,
// and the operator as well when the try showed who it was (OperatorID,
// else 0).
type Try struct {
	Kind       string // TryCode or TryFinger
	TerminalID string
	OperatorID uint
}

// subjects are the keys of t's counters: the terminal's, and the operator's.
func (t Try) subjects() []string {
	out := []string{"terminal:" + t.TerminalID}
	if t.OperatorID != 0 {
		out = append(out, fmt.Sprintf("operator:%d", t.OperatorID))
	}
	return out
}

// Lockout counts one subject's failed tries of one kind in a row (wrong
// codes at this terminal, say, or by this operator), kept in the database
// so that a restart does not forget them; it remembers its latest lock.
type Lockout struct {
	Kind    string `gorm:"primaryKey;size:16"` // TryCode or TryFinger
	Subject string `gorm:"primaryKey;size:40"` // "terminal:T01" or "operator:7"
	// TerminalID is the terminal counted, or where the operator's latest
	// failure was.
	TerminalID string `gorm:"size:16;not null"`
	OperatorID uint   `gorm:"not null;default:0"` // the operator counted; 0 for a terminal
	Failures   int    `gorm:"not null;default:0"` // in a row, since the last success
	LastAt     time.Time
	// LockedAt is when the latest lock began, zero if none ever did, and
	// LockedUntil when tries are allowed again.
	LockedAt    time.Time
	LockedUntil time.Time
	// Name is the operator's name, for a list; not stored.
	Name string `gorm:"-"`
}

// lockAudit is the audit action of a lock of kind.
func lockAudit(kind string) string {
	switch kind {
	case TryFinger:
		return "fingerprint_lock"
	case TryOTP:
		return "otp_lock"
	}
	return "code_lock"
}

// LockedUntil is when tries of t's kind are allowed again at t's terminal
// (and, when t names one, for t's operator); the zero time when they are
// now.
func (s *Store) LockedUntil(ctx context.Context, t Try, now time.Time) (time.Time, error) {
	var rows []Lockout
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("kind = ? AND subject IN ?", t.Kind, t.subjects()).Find(&rows).Error
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("store: lock-out: %w", err)
	}
	var until time.Time
	for _, r := range rows {
		if r.LockedUntil.After(now) && r.LockedUntil.After(until) {
			until = r.LockedUntil
		}
	}
	return until, nil
}

// CountFailure counts a failed try against t's terminal (and operator),
// locking each whose count reaches LockoutAfter or more for LockoutDelay,
// audited; it returns when tries are allowed again (zero: now).
func (s *Store) CountFailure(ctx context.Context, t Try, now time.Time) (time.Time, error) {
	var until time.Time
	err := s.write(ctx, func(tx *gorm.DB) error {
		for _, subject := range t.subjects() {
			var r Lockout
			if err := tx.Where("kind = ? AND subject = ?", t.Kind, subject).Limit(1).Find(&r).Error; err != nil {
				return err
			}
			r.Kind, r.Subject, r.TerminalID = t.Kind, subject, t.TerminalID
			if subject != t.subjects()[0] {
				r.OperatorID = t.OperatorID
			}
			r.Failures++
			r.LastAt = now
			if d := LockoutDelay(r.Failures); d > 0 {
				r.LockedAt, r.LockedUntil = now, now.Add(d)
				if r.LockedUntil.After(until) {
					until = r.LockedUntil
				}
				if err := tx.Create(&AuditEntry{At: now, TerminalID: t.TerminalID, OperatorID: r.OperatorID,
					Action: lockAudit(t.Kind), Subject: subject,
					Detail: fmt.Sprintf("%d failed tries in a row; locked for %s", r.Failures, d)}).Error; err != nil {
					return err
				}
			}
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&r).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, dbError(s.path, fmt.Errorf("store: count failed try: %w", err))
	}
	return until, nil
}

// ResetFailures starts t's counts afresh after a success: the terminal's
// and, when t names one, the operator's. A lock-out's time stays listed.
func (s *Store) ResetFailures(ctx context.Context, t Try) error {
	var pending int64
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&Lockout{}).Where("kind = ? AND subject IN ? AND failures > 0", t.Kind, t.subjects()).Count(&pending).Error
	})
	if err != nil || pending == 0 {
		return err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Lockout{}).Where("kind = ? AND subject IN ?", t.Kind, t.subjects()).
			Updates(map[string]any{"failures": 0, "locked_until": time.Time{}}).Error
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: reset failed tries: %w", err))
	}
	return nil
}

// Lockouts lists the lock-outs that began at or after since, the latest
// first. (The table holds a row per terminal and operator at most: it is
// read whole and filtered here, since SQLite compares times as text.)
func (s *Store) Lockouts(ctx context.Context, since time.Time) ([]Lockout, error) {
	var all []Lockout
	err := s.read(ctx, func(db *gorm.DB) error { return db.Find(&all).Error })
	if err != nil {
		return nil, fmt.Errorf("store: lock-outs: %w", err)
	}
	var out []Lockout
	for _, l := range all {
		if !l.LockedAt.IsZero() && !l.LockedAt.Before(since) {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LockedAt.After(out[j].LockedAt) })
	return out, nil
}

// WaitArg is how long to wait, for a message's {{.Wait}}: whole seconds,
// rounded up. The screens say it in the user's language.
func WaitArg(wait time.Duration) time.Duration {
	return (wait + time.Second - 1).Truncate(time.Second)
}

// ErrCodesLocked refuses a staff code while codes are locked out, for
// wait more.
func ErrCodesLocked(wait time.Duration) error {
	return &Error{Code: EINVALID, Key: "error.code.locked", Fallback: "Too many wrong codes: try again in {{.Wait}}",
		Args: map[string]any{"Wait": WaitArg(wait)}}
}
