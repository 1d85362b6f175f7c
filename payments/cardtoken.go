package payments

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// CardToken is a keyed hash of a card number: the same card always gives
// the same token under one terminal key, so its payments can be found again,
// but the number cannot be recovered from it.
func CardToken(key []byte, pan string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(pan))
	return hex.EncodeToString(m.Sum(nil))
}

// MaskPAN keeps a card number's first six and last four digits:
// "622848******1234". Shorter numbers keep only the last four.
func MaskPAN(pan string) string {
	n := len(pan)
	switch {
	case n >= 13:
		return pan[:6] + stars(n-10) + pan[n-4:]
	case n > 4:
		return stars(n-4) + pan[n-4:]
	}
	return stars(n)
}

func stars(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '*'
	}
	return string(b)
}
