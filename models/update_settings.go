package models

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The update channel's settings: the URL of its manifest.json and the
// base64 Ed25519 public key that must have signed it. services/update reads
// them; only SetUpdateChannel writes them.
const (
	SettingUpdateURL = "update_url"
	SettingUpdateKey = "update_public_key"
)

// Audit actions of the update channel.
const (
	ActionUpdateChannel = "update_channel" // the channel's URL or key set
	ActionUpdateInstall = "update_install" // a new version put in place of the running one
)

// Refusals of an update channel.
var (
	errUpdateOwnerOnly = &Error{Code: EINVALID, Key: "error.update.owner_only",
		Fallback: "Only an owner chooses where Till's updates come from"}
	errUpdateURL = &Error{Code: EINVALID, Key: "error.update.bad_url",
		Fallback: "The update address must be an http:// or https:// address of manifest.json, without a user name or password"}
	errUpdateKey = &Error{Code: EINVALID, Key: "error.update.bad_key",
		Fallback: "The update public key must be the base64 of a 32-byte Ed25519 key (the content of update.pub)"}
	errUpdateHalf = &Error{Code: EINVALID, Key: "error.update.half_channel",
		Fallback: "Set both the update address and its public key, or clear both"}
)

// CheckUpdateURL is nil when u may be an update channel's address: http or
// https, with a host, and no user name or password (which would be stored
// and audited). Plain http adds nothing the signature does not already
// give, so it is allowed; anything else (file:, ftp:, a bare path) is not.
func CheckUpdateURL(u string) error {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.User != nil {
		return errUpdateURL
	}
	return nil
}

// ParseUpdateKey reads an update channel's Ed25519 public key written as
// standard base64 (as till-sign writes update.pub), white space around it
// ignored.
func ParseUpdateKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errUpdateKey
	}
	return ed25519.PublicKey(b), nil
}

// KeyFingerprint is how a public key is shown and audited: the first 8 hex
// digits of its SHA-256.
func KeyFingerprint(pub []byte) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:4])
}

// UpdateChannel is the stored update channel: its URL and its key in
// base64, "" when unset.
func (s *Store) UpdateChannel(ctx context.Context) (u, key string, err error) {
	if u, err = s.Setting(ctx, SettingUpdateURL, ""); err != nil {
		return "", "", err
	}
	if key, err = s.Setting(ctx, SettingUpdateKey, ""); err != nil {
		return "", "", err
	}
	return u, key, nil
}

// SetUpdateChannel stores the update channel: the URL of its manifest and
// its public key in base64 (both empty: no channel). It decides which
// software the till runs, so by must, as stored now, hold
// PermSettingsShop and be an owner. A bad URL or key is refused and
// nothing stored. The change is audited with the URL and the key's
// fingerprint (KeyFingerprint).
func (s *Store) SetUpdateChannel(ctx context.Context, u, pubKeyB64 string, by Operator, terminalID string) error {
	u, pubKeyB64 = strings.TrimSpace(u), strings.TrimSpace(pubKeyB64)
	fp := "-"
	switch {
	case u == "" && pubKeyB64 == "":
	case u == "" || pubKeyB64 == "":
		return errUpdateHalf
	default:
		if err := CheckUpdateURL(u); err != nil {
			return err
		}
		pub, err := ParseUpdateKey(pubKeyB64)
		if err != nil {
			return err
		}
		pubKeyB64 = base64.StdEncoding.EncodeToString(pub)
		fp = KeyFingerprint(pub)
	}
	if terminalID == "" {
		terminalID = DefaultTerminalID
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		now, err := allowedIn(tx, by, PermSettingsShop)
		if err != nil {
			return err
		}
		if now.Role != RoleOwner {
			return errUpdateOwnerOnly
		}
		for k, v := range map[string]string{SettingUpdateURL: u, SettingUpdateKey: pubKeyB64} {
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Setting{Key: k, Value: v}).Error; err != nil {
				return err
			}
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: now.ID,
			Action: ActionUpdateChannel, Subject: "key " + fp, Detail: truncateUTF8(u, 512)}).Error
	})
	if err != nil {
		return ruleOrDBError(s.path, "store: update channel: %w", err)
	}
	return nil
}

// MayInstallUpdate is nil when by, as stored now, may install an update:
// they hold PermSettingsShop.
func (s *Store) MayInstallUpdate(ctx context.Context, by Operator) error {
	return s.Allowed(ctx, by, PermSettingsShop)
}

// AuditUpdateInstall records that by put version to in place of from,
// checking again that by, as stored now, holds PermSettingsShop.
func (s *Store) AuditUpdateInstall(ctx context.Context, from, to string, by Operator, terminalID string) error {
	if terminalID == "" {
		terminalID = DefaultTerminalID
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		now, err := allowedIn(tx, by, PermSettingsShop)
		if err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: now.ID,
			Action: ActionUpdateInstall, Subject: truncateUTF8(from+" -> "+to, 120),
			Detail: fmt.Sprintf("from=%s to=%s", from, to)}).Error
	})
	if err != nil {
		return ruleOrDBError(s.path, "store: audit update install: %w", err)
	}
	return nil
}

// DayClosed reports whether terminal's business day is closed: a Z report
// has been taken, no shift is open, and nothing has been sold, refunded or
// moved in the day opened since.
func (s *Store) DayClosed(ctx context.Context, terminalID string) (bool, error) {
	closed := false
	err := s.read(ctx, func(db *gorm.DB) error {
		n, err := openDay(db, terminalID)
		if err != nil || n <= 1 {
			return err // no Z report yet
		}
		shift, err := openShiftID(db, terminalID)
		if err != nil || shift != 0 {
			return err
		}
		t, err := totalsOf(db, ScopeDay, terminalID, n)
		if err != nil {
			return err
		}
		closed = t.Figures == Figures{}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: day closed: %w", err)
	}
	return closed, nil
}
