package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Fingerprint is an enrolled finger: whose it is, where the module keeps
// it, the template sealed with the terminal's device key (AES-GCM; never on
// disk in the clear), and the consent given before it was taken (China's
// PIPL counts biometrics as sensitive personal information).
type Fingerprint struct {
	ID         uint   `gorm:"primaryKey"`
	OwnerKind  string `gorm:"size:16;not null;index:idx_fp_owner"` // "operator" or "member"
	OwnerID    uint   `gorm:"not null;index:idx_fp_owner"`
	PageID     int    `gorm:"not null;uniqueIndex"` // the module's template slot
	Sealed     []byte `gorm:"not null"`             // nonce ‖ AES-GCM(template)
	ConsentAt  time.Time
	ConsentBy  string `gorm:"size:64;not null"`   // who consented (the person's name)
	Purpose    string `gorm:"size:64;not null"`   // "staff login and approvals", ...
	EnrolledBy uint   `gorm:"not null;default:0"` // the manager who enrolled it
	CreatedAt  time.Time
}

// ErrSealed means a sealed template could not be opened: another
// terminal's key, or damaged data.
var ErrSealed = errors.New("models: sealed template cannot be opened")

// SealTemplate seals a fingerprint template with key (16, 24 or 32 bytes):
// a random nonce, then the AES-GCM ciphertext bound to the template's
// slot.
func SealTemplate(key, tpl []byte, pageID int) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(tpl)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("models: seal: %w", err)
	}
	return aead.Seal(nonce, nonce, tpl, []byte(fmt.Sprint(pageID))), nil
}

// OpenTemplate opens a template sealed by SealTemplate.
func OpenTemplate(key, sealed []byte, pageID int) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, ErrSealed
	}
	tpl, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(fmt.Sprint(pageID)))
	if err != nil {
		return nil, ErrSealed
	}
	return tpl, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("models: seal key: %w", err)
	}
	return cipher.NewGCM(block)
}

// SaveFingerprint stores an enrolled finger (its template already sealed)
// with an audit entry naming who enrolled it and the consent.
func (s *Store) SaveFingerprint(ctx context.Context, fp *Fingerprint, terminalID string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(fp).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: fp.EnrolledBy,
			Action: "enrol", Subject: fmt.Sprintf("%s:%d", fp.OwnerKind, fp.OwnerID),
			Detail: fmt.Sprintf("page=%d consent=%s %s", fp.PageID, fp.ConsentBy, fp.ConsentAt.UTC().Format(time.RFC3339))}).Error
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: save fingerprint: %w", err))
	}
	return nil
}

// FingerprintByPage finds the finger the module keeps in a slot.
func (s *Store) FingerprintByPage(ctx context.Context, pageID int) (*Fingerprint, error) {
	var fp Fingerprint
	err := s.read(ctx, func(db *gorm.DB) error { return db.Where("page_id = ?", pageID).First(&fp).Error })
	if err != nil {
		return nil, notFound(err, "error.fingerprint.unknown", "This finger is not enrolled here", nil)
	}
	return &fp, nil
}

// Fingerprints lists every enrolled finger (to reload a replaced module).
func (s *Store) Fingerprints(ctx context.Context) ([]Fingerprint, error) {
	var out []Fingerprint
	err := s.read(ctx, func(db *gorm.DB) error { return db.Order("page_id").Find(&out).Error })
	if err != nil {
		return nil, fmt.Errorf("store: fingerprints: %w", err)
	}
	return out, nil
}

// NextFingerprintPage is the lowest module slot not in use.
func (s *Store) NextFingerprintPage(ctx context.Context) (int, error) {
	var pages []int
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&Fingerprint{}).Order("page_id").Pluck("page_id", &pages).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: fingerprint pages: %w", err)
	}
	next := 0
	for _, p := range pages {
		if p != next {
			break
		}
		next++
	}
	return next, nil
}

// DeleteFingerprints deletes every finger of an owner (the module's copies
// are the caller's to delete) and audits it.
func (s *Store) DeleteFingerprints(ctx context.Context, ownerKind string, ownerID uint, by Operator, terminalID string) ([]int, error) {
	var pages []int
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if pages, err = deleteFingerprints(tx, ownerKind, ownerID); err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID, Action: "unenrol",
			Subject: fmt.Sprintf("%s:%d", ownerKind, ownerID), Detail: fmt.Sprintf("pages=%v", pages)}).Error
	})
	if err != nil {
		return nil, dbError(s.path, fmt.Errorf("store: delete fingerprints: %w", err))
	}
	return pages, nil
}

// deleteFingerprints deletes an owner's fingers inside tx and returns the
// module slots they had.
func deleteFingerprints(tx *gorm.DB, ownerKind string, ownerID uint) ([]int, error) {
	var pages []int
	if err := tx.Model(&Fingerprint{}).Where("owner_kind = ? AND owner_id = ?", ownerKind, ownerID).
		Pluck("page_id", &pages).Error; err != nil {
		return nil, err
	}
	if err := tx.Where("owner_kind = ? AND owner_id = ?", ownerKind, ownerID).Delete(&Fingerprint{}).Error; err != nil {
		return nil, err
	}
	return pages, nil
}

// CountAudit counts the audit entries of an action.
func (s *Store) CountAudit(ctx context.Context, action string) (int, error) {
	var n int64
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&AuditEntry{}).Where("action = ?", action).Count(&n).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: count audit: %w", err)
	}
	return int(n), nil
}

// errLastOwner: the shop keeps an owner.
var errLastOwner = &Error{Code: ECONFLICT, Key: "error.operator.last_owner", Fallback: "The shop's last owner cannot leave: make someone else an owner first"}

// removalRule refuses, inside a read or a transaction, that by (as stored
// now) removes active operator id from the staff: by must manage staff,
// only an owner removes an owner, the shop's last owner stays, and nobody
// removes themself.
func removalRule(db *gorm.DB, id uint, by Operator) error {
	byNow, err := allowedIn(db, by, PermStaff)
	if err != nil {
		return err
	}
	leaving, err := activeOperator(db, id)
	if err != nil {
		return err
	}
	if leaving.Role == RoleOwner {
		if byNow.Role != RoleOwner {
			return errOwnerRemovesOwners
		}
		owners, err := activeOwners(db)
		if err != nil {
			return err
		}
		if owners <= 1 {
			return errLastOwner
		}
	}
	if id == byNow.ID {
		return invalid("error.operator.self", "A manager cannot remove themself; ask another manager", nil)
	}
	return nil
}

// CheckRemoveOperator is nil when by may remove operator id from the staff
// (removalRule), else why not; it changes nothing.
func (s *Store) CheckRemoveOperator(ctx context.Context, id uint, by Operator) error {
	err := s.read(ctx, func(db *gorm.DB) error { return removalRule(db, id, by) })
	if err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ECONFLICT || c == ENOTFOUND {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: check removal of operator %d: %w", id, err))
	}
	return nil
}

// RemoveOperator closes sign-in for a member of staff who leaves: the
// operator is kept (their sales name them) but made inactive, and their
// code's hash and fingerprints are deleted; it returns the module slots to
// clear. The rules are removalRule's, checked in the same transaction.
func (s *Store) RemoveOperator(ctx context.Context, id uint, by Operator, terminalID string) ([]int, error) {
	var pages []int
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := removalRule(tx, id, by); err != nil {
			return err
		}
		res := tx.Model(&Operator{}).Where("id = ? AND active", id).Update("active", false)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFoundAs(nil, msgNoOperator)
		}
		// Their code goes with them: its hash is not kept once sign-in is closed.
		if err := tx.Where("operator_id = ?", id).Delete(&StaffCode{}).Error; err != nil {
			return err
		}
		// So does an owner's authenticator for one-time codes.
		if err := tx.Where("operator_id = ?", id).Delete(&OTPSecret{}).Error; err != nil {
			return err
		}
		var err error
		if pages, err = deleteFingerprints(tx, "operator", id); err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID,
			Action: "operator_remove", Subject: fmt.Sprint(id), Detail: fmt.Sprintf("fingerprints=%d", len(pages))}).Error
	})
	if err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ECONFLICT || c == ENOTFOUND {
			return nil, err
		}
		return nil, dbError(s.path, fmt.Errorf("store: remove operator %d: %w", id, err))
	}
	return pages, nil
}
