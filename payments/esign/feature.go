package esign

import (
	"encoding/hex"
	"strings"
)

// FeatureCode is the transaction feature code (交易特征码) shown to the
// cardholder beside the signature and printed on the slip: the settlement
// date (field 15, MMDD; "0000" when the host gave none) followed by the RRN
// (field 37, 12 digits) read as 8 bytes of packed BCD, bytes 0–3 XOR bytes
// 4–7, as 8 upper-case hex digits. An RRN shorter than 12 characters is
// padded on the left with zeros, a longer one keeps its last 12; a
// character that is not a digit packs as its hex value (A–F) or its low 4
// bits, as terminals' ASCII-to-BCD routines do.
func FeatureCode(settlementDate, rrn string) string {
	if len(settlementDate) != 4 || !digits(settlementDate) {
		settlementDate = "0000"
	}
	if len(rrn) < 12 {
		rrn = strings.Repeat("0", 12-len(rrn)) + rrn
	}
	s := settlementDate + rrn[len(rrn)-12:]
	var b [8]byte
	for i := range b {
		b[i] = nibble(s[2*i])<<4 | nibble(s[2*i+1])
	}
	var code [4]byte
	for i := range code {
		code[i] = b[i] ^ b[i+4]
	}
	return strings.ToUpper(hex.EncodeToString(code[:]))
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func nibble(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c & 0x0F
}
