package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CAPublicKey is one entry of the terminal's CA public key table: a payment
// scheme's certification authority key that offline data authentication
// recovers issuer certificates with. Public keys are not secret; the table
// is replaced whole when the acquirer ships a new one.
type CAPublicKey struct {
	ID       uint   `gorm:"primaryKey"`
	RID      string `gorm:"column:rid;size:10;not null;uniqueIndex:idx_ca_key"` // hex, 5 bytes
	Index    int    `gorm:"column:ca_index;not null;uniqueIndex:idx_ca_key"`    // 0..255, the card's 8F
	Modulus  []byte `gorm:"not null"`
	Exponent []byte `gorm:"not null"`
	Expiry   time.Time
	// Checksum is SHA-1 over RID, index, modulus and exponent, checked when
	// the table was loaded; kept to show beside the key.
	Checksum string `gorm:"size:40;not null"`
	Revoked  bool   `gorm:"not null;default:false"`
	// Test marks a scheme's or Till's test key (the demo cards'): only a
	// demo's database may hold one.
	Test bool `gorm:"not null;default:false"`
}

// errTestCAKey refuses a test CA key in a shop's database.
func errTestCAKey(k CAPublicKey) error {
	return &Error{Code: EINVALID, Key: "error.card.test_ca_key", Args: map[string]any{"Key": fmt.Sprintf("%s %02X", k.RID, k.Index)},
		Fallback: "The file holds a test CA key ({{.Key}}), which a shop's terminal must never trust; ask the acquirer for its production table"}
}

// RevokedIssuer is one revoked issuer certificate: the CA key it was
// signed under and its serial number.
type RevokedIssuer struct {
	ID     uint   `gorm:"primaryKey"`
	RID    string `gorm:"column:rid;size:10;not null"`
	Index  int    `gorm:"column:ca_index;not null"`
	Serial string `gorm:"size:6;not null"` // hex, 3 bytes
}

// CAKeyTable is the CA public key table with its revocation list.
type CAKeyTable struct {
	Keys    []CAPublicKey
	Revoked []RevokedIssuer
}

// Summary names the keys for a person: "A000000333 F1, A000000003 F1".
func (t CAKeyTable) Summary() string {
	names := make([]string, 0, len(t.Keys))
	for _, k := range t.Keys {
		name := fmt.Sprintf("%s %02X", k.RID, k.Index)
		if k.Revoked {
			name += " (revoked)"
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// CAKeys returns the CA public key table; an empty table when none was
// loaded.
func (s *Store) CAKeys(ctx context.Context) (CAKeyTable, error) {
	var t CAKeyTable
	err := s.read(ctx, func(db *gorm.DB) error {
		if err := db.Order("rid, ca_index").Find(&t.Keys).Error; err != nil {
			return err
		}
		return db.Order("rid, ca_index, serial").Find(&t.Revoked).Error
	})
	if err != nil {
		return CAKeyTable{}, dbError(s.path, fmt.Errorf("store: CA keys: %w", err))
	}
	return t, nil
}

// ReplaceCAKeys replaces the CA public key table and its revocation list
// with t, in one transaction, for by (payment settings permission); the
// change is audited with the keys' names. Test keys are refused unless the
// database is a demo's.
func (s *Store) ReplaceCAKeys(ctx context.Context, t CAKeyTable, by Operator, terminalID string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		inSetup, err := setupRunning(tx)
		if err != nil {
			return err
		}
		if !inSetup || by.ID != 0 {
			if _, err := allowedIn(tx, by, PermSettingsPayments); err != nil {
				return err
			}
		}
		mode, err := databaseMode(tx)
		if err != nil {
			return err
		}
		for _, k := range t.Keys {
			if k.Test && mode != DatabaseDemo && mode != DatabaseTraining { // never a shop's
				return errTestCAKey(k)
			}
		}
		if err := tx.Where("1 = 1").Delete(&CAPublicKey{}).Error; err != nil {
			return err
		}
		if err := tx.Where("1 = 1").Delete(&RevokedIssuer{}).Error; err != nil {
			return err
		}
		for _, k := range t.Keys {
			k.ID = 0
			if err := tx.Create(&k).Error; err != nil {
				return fmt.Errorf("key %s %02X: %w", k.RID, k.Index, err)
			}
		}
		for _, r := range t.Revoked {
			r.ID = 0
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID,
			Action: "ca_keys", Subject: fmt.Sprintf("%d keys, %d revoked certificates", len(t.Keys), len(t.Revoked)),
			Detail: truncateUTF8(t.Summary(), 512)}).Error
	})
	if err != nil {
		if IsDenied(err) || ErrorCode(err) == EINVALID {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: replace CA keys: %w", err))
	}
	return nil
}
