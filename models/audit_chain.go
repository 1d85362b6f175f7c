package models

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The audit trail is a hash chain: each entry's Hash is SHA-256 over the
// Hash of the entry before it and its own fields, and AuditHead holds the
// last entry's sequence number and hash. An entry edited, deleted,
// inserted or moved breaks the chain at that entry; entries cut off the end
// no longer match the head (and the Z report carries the head, out of
// reach of the database). VerifyAudit walks the chain.

// AuditHead is the chain's last link: one row, updated in the transaction
// that adds each entry, which also serializes the writers of the chain.
type AuditHead struct {
	ID   uint   `gorm:"primaryKey"` // always 1
	Seq  int64  `gorm:"not null"`
	Hash string `gorm:"size:64;not null"`
}

// auditTimeUnit is the precision an entry's time is kept and hashed at:
// every store Till runs on keeps microseconds.
const auditTimeUnit = time.Microsecond

// ChainHash is the hash of e given the hash of the entry before it: SHA-256
// over each field, length-prefixed, in hex.
func (e *AuditEntry) ChainHash(prev string) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, f := range []string{prev, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.TerminalID,
		strconv.FormatUint(uint64(e.OperatorID), 10), e.Action, e.Subject, e.Detail} {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// BeforeCreate links e to the chain: it takes the head, gives e the next
// sequence number and its hash, and moves the head to e, all in the
// transaction that creates e.
func (e *AuditEntry) BeforeCreate(tx *gorm.DB) error {
	db := tx.Session(&gorm.Session{NewDB: true})
	var head AuditHead
	err := db.Where("id = 1").Limit(1).Find(&head).Error
	if err != nil {
		return fmt.Errorf("audit chain: head: %w", err)
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.Truncate(auditTimeUnit)
	e.Seq, e.PrevHash = head.Seq+1, head.Hash
	e.Hash = e.ChainHash(e.PrevHash)
	head = AuditHead{ID: 1, Seq: e.Seq, Hash: e.Hash}
	if err := db.Save(&head).Error; err != nil {
		return fmt.Errorf("audit chain: move the head: %w", err)
	}
	return nil
}

// AuditBreak is where the chain is broken: the entry (by ID and by the
// sequence number it should have) and why.
type AuditBreak struct {
	ID  uint  // the entry's row; 0 when the break is at the end
	Seq int64 // the sequence number the chain expected there
	// Why: "edited" (the entry's fields do not give its hash), "gap" (an
	// entry before it is missing, inserted or moved), "head" (the last
	// entries are missing, or the head was rewritten).
	Why string
}

func (b *AuditBreak) Error() string {
	switch b.Why {
	case "edited":
		return fmt.Sprintf("audit entry %d (no. %d) was changed after it was written", b.ID, b.Seq)
	case "gap":
		return fmt.Sprintf("audit entry %d: the entry before it (no. %d) is missing, inserted or moved", b.ID, b.Seq-1)
	}
	return fmt.Sprintf("the audit trail ends at no. %d, but its head says more were written", b.Seq-1)
}

// AuditCheck is the outcome of VerifyAudit.
type AuditCheck struct {
	Entries int64  // entries read
	Head    int64  // the last entry's sequence number
	Hash    string // the last entry's hash
	// Break is the first broken link; nil when the chain holds.
	Break *AuditBreak
}

// auditBatch is how many entries VerifyAudit reads at a time.
const auditBatch = 5000

// VerifyAudit walks the audit chain in the order the entries were written
// and reports the first broken link, telling progress how many entries it
// has read. Memory stays flat whatever the trail's length.
func (s *Store) VerifyAudit(ctx context.Context, progress func(read int64)) (AuditCheck, error) {
	var c AuditCheck
	var lastID uint
	prev := ""
	for {
		var batch []AuditEntry
		err := s.read(ctx, func(db *gorm.DB) error {
			return db.Where("id > ?", lastID).Order("id").Limit(auditBatch).Find(&batch).Error
		})
		if err != nil {
			return c, fmt.Errorf("store: audit chain after entry %d: %w", lastID, err)
		}
		for i := range batch {
			e := &batch[i]
			want := c.Head + 1
			switch {
			case e.Seq != want || e.PrevHash != prev:
				c.Break = &AuditBreak{ID: e.ID, Seq: want, Why: "gap"}
			case e.ChainHash(prev) != e.Hash:
				c.Break = &AuditBreak{ID: e.ID, Seq: want, Why: "edited"}
			}
			if c.Break != nil {
				return c, nil
			}
			c.Entries, c.Head, c.Hash, prev, lastID = c.Entries+1, e.Seq, e.Hash, e.Hash, e.ID
		}
		if progress != nil {
			progress(c.Entries)
		}
		if len(batch) < auditBatch {
			break
		}
	}
	var head AuditHead
	err := s.read(ctx, func(db *gorm.DB) error { return db.Where("id = 1").Limit(1).Find(&head).Error })
	if err != nil {
		return c, fmt.Errorf("store: audit chain head: %w", err)
	}
	if head.Seq != c.Head || head.Hash != c.Hash {
		c.Break = &AuditBreak{Seq: c.Head + 1, Why: "head"}
	}
	return c, nil
}

// AuditHeadNow is the chain's head: the last entry's sequence number and
// hash, as a Z report carries them.
func (s *Store) AuditHeadNow(ctx context.Context) (int64, string, error) {
	var head AuditHead
	err := s.read(ctx, func(db *gorm.DB) error { return db.Where("id = 1").Limit(1).Find(&head).Error })
	if err != nil {
		return 0, "", fmt.Errorf("store: audit chain head: %w", err)
	}
	return head.Seq, head.Hash, nil
}

// chainAudit links the entries already written, in the order written,
// into the chain (migration 15), and makes the trail append-only in
// SQLite: an UPDATE or DELETE of an entry is refused.
func chainAudit(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&AuditEntry{}, &AuditHead{}); err != nil {
		return err
	}
	var head AuditHead
	var lastID uint
	for {
		var batch []AuditEntry
		if err := tx.Where("id > ?", lastID).Order("id").Limit(auditBatch).Find(&batch).Error; err != nil {
			return fmt.Errorf("read the audit trail: %w", err)
		}
		for i := range batch {
			e := &batch[i]
			e.At = e.At.Truncate(auditTimeUnit)
			e.Seq, e.PrevHash = head.Seq+1, head.Hash
			e.Hash = e.ChainHash(e.PrevHash)
			if err := tx.Model(&AuditEntry{}).Where("id = ?", e.ID).
				Updates(map[string]any{"at": e.At, "seq": e.Seq, "prev_hash": e.PrevHash, "hash": e.Hash}).Error; err != nil {
				return fmt.Errorf("chain audit entry %d: %w", e.ID, err)
			}
			head, lastID = AuditHead{ID: 1, Seq: e.Seq, Hash: e.Hash}, e.ID
		}
		if len(batch) < auditBatch {
			break
		}
	}
	if err := tx.Save(&head).Error; err != nil {
		return fmt.Errorf("audit chain head: %w", err)
	}
	// Two writers that read the same head (terminals sharing a server)
	// cannot both add entry no. N: one of them fails and tries again.
	if err := tx.Exec("CREATE UNIQUE INDEX IF NOT EXISTS idx_audit_entries_seq ON audit_entries(seq)").Error; err != nil {
		return fmt.Errorf("audit chain: unique sequence numbers: %w", err)
	}
	if err := appendOnly(tx, "audit_entries", "the audit trail is append-only"); err != nil {
		return fmt.Errorf("make the audit trail append-only: %w", err)
	}
	return nil
}

// appendOnly makes table refuse every UPDATE and DELETE, saying why, on
// SQLite (triggers named table_no_update and table_no_delete); on other
// engines it does nothing yet.
func appendOnly(tx *gorm.DB, table, why string) error {
	if tx.Dialector.Name() != "sqlite" {
		return nil
	}
	for _, op := range []string{"update", "delete"} {
		stmt := fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS %s_no_%s BEFORE %s ON %s
		 BEGIN SELECT RAISE(ABORT, '%s'); END`, table, op, strings.ToUpper(op), table, why)
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}
