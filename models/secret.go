package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
)

// Settings of the terminal master key the acquirer's custodians loaded: the
// key sealed with the device key (which is kept outside the data folder),
// and its check value, which may be shown.
const (
	SettingMasterKey      = "acquirer_tmk"
	SettingMasterKeyCheck = "acquirer_tmk_kcv"
)

// ErrSecretSealed means a sealed secret could not be opened: another
// terminal's key, or damaged data.
var ErrSecretSealed = errors.New("models: sealed secret cannot be opened")

// ErrNoMasterKey means no terminal master key has been loaded.
var ErrNoMasterKey = &Error{Code: EINVALID, Key: "error.acquirer.no_master_key",
	Fallback: "The terminal master key is not loaded: the acquirer's key custodians enter it in Settings"}

// SealSecret seals plain with key (16, 24 or 32 bytes): a random nonce,
// then its AES-GCM ciphertext bound to name, so a sealed value moved to
// another name does not open.
func SealSecret(key, plain []byte, name string) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("models: seal %s: %w", name, err)
	}
	return aead.Seal(nonce, nonce, plain, []byte(name)), nil
}

// OpenSecret opens what SealSecret sealed under the same name.
func OpenSecret(key, sealed []byte, name string) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, ErrSecretSealed
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(name))
	if err != nil {
		return nil, ErrSecretSealed
	}
	return plain, nil
}

// SaveMasterKey keeps the terminal master key tmk, sealed with deviceKey,
// and its check value kcv, changed by by (an operator allowed the payment
// settings; nobody while the first-run setup runs). The audit names the
// settings changed, never the key.
func (s *Store) SaveMasterKey(ctx context.Context, deviceKey, tmk []byte, kcv string, by Operator) error {
	values, err := MasterKeySettings(deviceKey, tmk, kcv)
	if err != nil {
		return err
	}
	return s.ChangeSettings(ctx, PermSettingsPayments, values, by)
}

// MasterKeySettings are the settings that keep the terminal master key tmk,
// sealed with deviceKey, and its check value kcv: for ChangeSettings (with
// PermSettingsPayments) to store with other payment settings in one
// transaction.
func MasterKeySettings(deviceKey, tmk []byte, kcv string) (map[string]string, error) {
	sealed, err := SealSecret(deviceKey, tmk, SettingMasterKey)
	if err != nil {
		return nil, err
	}
	return map[string]string{SettingMasterKey: hex.EncodeToString(sealed), SettingMasterKeyCheck: kcv}, nil
}

// MasterKey opens the terminal master key with deviceKey: ErrNoMasterKey
// when none is loaded.
func (s *Store) MasterKey(ctx context.Context, deviceKey []byte) ([]byte, error) {
	v, err := s.Setting(ctx, SettingMasterKey, "")
	if err != nil {
		return nil, err
	}
	if v == "" {
		return nil, ErrNoMasterKey
	}
	sealed, err := hex.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("store: master key: %w", ErrSecretSealed)
	}
	k, err := OpenSecret(deviceKey, sealed, SettingMasterKey)
	if err != nil {
		return nil, fmt.Errorf("store: master key: %w", err)
	}
	return k, nil
}

// MasterKeyCheck is the loaded master key's check value, "" when none is
// loaded.
func (s *Store) MasterKeyCheck(ctx context.Context) (string, error) {
	return s.Setting(ctx, SettingMasterKeyCheck, "")
}
