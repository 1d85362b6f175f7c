package acquirer

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/till-pos/till/models"
)

// MasterKeySize is the length of the terminal master key (TMK) and of each
// of its components: AES-128.
const MasterKeySize = 16

// KeyCheckValue is a key's check value: the first three bytes of the key
// encrypting a block of zeros (AES-ECB), as six hexadecimal digits. It
// tells a key typed wrong from the right one without revealing the key.
func KeyCheckValue(key []byte) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", fmt.Errorf("acquirer: check value: %w", err)
	}
	var zero, out [aes.BlockSize]byte
	block.Encrypt(out[:], zero[:])
	return strings.ToUpper(hex.EncodeToString(out[:3])), nil
}

// Errors of key entry, for the person typing a component.
var (
	ErrKeyFormat = &models.Error{Code: models.EINVALID, Key: "error.acquirer.key_format",
		Fallback: "A key component is 32 hexadecimal digits (0–9, A–F), as the acquirer's key custodian gave it"}
	ErrCheckFormat = &models.Error{Code: models.EINVALID, Key: "error.acquirer.check_format",
		Fallback: "A check value is 6 hexadecimal digits (0–9, A–F)"}
	ErrKeyCheck = &models.Error{Code: models.EINVALID, Key: "error.acquirer.key_check",
		Fallback: "The component does not match its check value: it was typed wrong, type it again"}
	ErrSameComponents = &models.Error{Code: models.EINVALID, Key: "error.acquirer.same_components",
		Fallback: "The two components are the same; each custodian enters their own"}
)

// normalHex is s without spaces, upper case.
func normalHex(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ParseKeyComponent reads one component of the master key as its custodian
// types it (32 hex digits, spaces allowed) and checks it against the check
// value given with it.
func ParseKeyComponent(hexKey, check string) ([]byte, error) {
	hexKey, check = normalHex(hexKey), normalHex(check)
	k, err := hex.DecodeString(hexKey)
	if err != nil || len(k) != MasterKeySize {
		return nil, ErrKeyFormat
	}
	if _, err := hex.DecodeString(check); err != nil || len(check) != 6 {
		return nil, ErrCheckFormat
	}
	kcv, err := KeyCheckValue(k)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(kcv), []byte(check)) != 1 {
		return nil, ErrKeyCheck
	}
	return k, nil
}

// ComponentCheck is the check value of a component as typed so far (spaces
// allowed), once it is 32 hexadecimal digits: for its custodian to compare
// with the check value on their paper before it is saved. ok is false
// while it is not yet a component.
func ComponentCheck(hexKey string) (kcv string, ok bool) {
	k, err := hex.DecodeString(normalHex(hexKey))
	if err != nil || len(k) != MasterKeySize {
		return "", false
	}
	kcv, err = KeyCheckValue(k)
	return kcv, err == nil
}

// CombineComponents is the master key the components make: their XOR, so
// that no custodian alone knows it. Two equal components are refused (their
// XOR is zero).
func CombineComponents(parts ...[]byte) ([]byte, error) {
	if len(parts) < 2 {
		return nil, fmt.Errorf("acquirer: a master key needs at least two components")
	}
	out := make([]byte, MasterKeySize)
	for _, p := range parts {
		if len(p) != MasterKeySize {
			return nil, ErrKeyFormat
		}
		subtle.XORBytes(out, out, p)
	}
	var zero [MasterKeySize]byte
	if subtle.ConstantTimeCompare(out, zero[:]) == 1 {
		return nil, ErrSameComponents
	}
	return out, nil
}
