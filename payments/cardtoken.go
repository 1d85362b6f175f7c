package payments

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/till-pos/till/models"
)

// CardToken is a keyed hash of a card number: the same card always gives
// the same token under one terminal key, so its payments can be found again,
// but the number cannot be recovered from it.
func CardToken(key []byte, pan string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(pan))
	return hex.EncodeToString(m.Sum(nil))
}

// MaskPAN keeps a card number's last four digits only, as Till keeps and
// shows it (models.MaskCardNumber): "**** **** **** 1234".
func MaskPAN(pan string) string { return models.MaskCardNumber(pan) }

// SubKey derives from the device key a key of its own for one purpose
// (HMAC-SHA-256 of the purpose), so that no two uses share a key.
func SubKey(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("till subkey: " + purpose))
	return m.Sum(nil)
}
