package emv

import (
	"encoding/hex"
	"strings"

	"github.com/till-pos/till/models"
)

// Cryptogram Information Data (9F27) types, bits 8-7.
const (
	CIDAAC  = 0x00 // application authentication cryptogram: declined
	CIDTC   = 0x40 // transaction certificate: approved offline
	CIDARQC = 0x80 // authorisation request cryptogram: go online
)

// Card is what a read found. The PAN, track 2 and ICC data are kept as
// byte slices so Wipe can overwrite them; read them through PAN, Track2 and
// ICCData only when needed.
type Card struct {
	AID            string // selected application, hex
	Label          string // application label (50)
	Scheme         string // "unionpay", "visa", "mastercard", … from the RID; "" if unknown
	Expiry         string // YYMM
	CardholderName string // 5F20, trimmed; often empty on contactless cards
	PANSequence    string // 5F34 as two digits, "" if absent (ISO 8583 field 23)
	AIP            []byte // 82
	CTQ            []byte // 9F6C, nil if absent
	CID            byte   // 9F27
	APDUs          int    // APDUs sent during the read, GET RESPONSE included
	// ODA is the outcome of offline data authentication; only a card that
	// passed it may be approved offline.
	ODA ODAResult

	odaMissing bool   // ODA failed because ICC data was missing
	pan        []byte // ASCII digits
	track2     []byte // raw 57
	icc        []byte // field 55 TLV
}

// PAN returns the primary account number as digits.
func (c *Card) PAN() string { return string(c.pan) }

// Masked returns the PAN as Till keeps and shows it, its last four digits
// only (models.MaskCardNumber): "**** **** **** 1111".
func (c *Card) Masked() string { return models.MaskCardNumber(string(c.pan)) }

// Track2 returns the track 2 equivalent data as ISO 8583 field 35 carries
// it: digits with '=' as the separator, padding dropped. It is "" when the
// card gave no tag 57.
func (c *Card) Track2() string {
	var b strings.Builder
	for i, x := range c.track2 {
		for j, d := range [2]byte{x >> 4, x & 0x0F} {
			switch {
			case d <= 9:
				b.WriteByte('0' + d)
			case d == 0x0D:
				b.WriteByte('=')
			case d == 0x0F && i == len(c.track2)-1 && j == 1:
				// final pad nibble
			default:
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

// ICCData returns a copy of the TLV data for ISO 8583 field 55.
func (c *Card) ICCData() []byte { return append([]byte(nil), c.icc...) }

// ICCDataHex returns the field 55 TLV data as upper-case hex.
func (c *Card) ICCDataHex() string { return strings.ToUpper(hex.EncodeToString(c.icc)) }

// Cryptogram names the cryptogram type in CID: "ARQC", "TC" or "AAC".
func (c *Card) Cryptogram() string {
	switch c.CID & 0xC0 {
	case CIDARQC:
		return "ARQC"
	case CIDTC:
		return "TC"
	case CIDAAC:
		return "AAC"
	}
	return "RFU"
}

// Wipe overwrites the PAN, track 2 and ICC data with zeros and forgets them.
func (c *Card) Wipe() {
	clear(c.pan)
	clear(c.track2)
	clear(c.icc)
	c.pan, c.track2, c.icc = nil, nil, nil
}

// schemes maps registered application provider identifiers to scheme names.
var schemes = map[string]string{
	"A000000333": "unionpay",
	"A000000003": "visa",
	"A000000004": "mastercard",
	"A000000025": "amex",
	"A000000065": "jcb",
	"A000000152": "discover",
}

// SchemeOf returns the scheme of an AID from its RID, or "".
func SchemeOf(aid []byte) string {
	if len(aid) < 5 {
		return ""
	}
	return schemes[strings.ToUpper(hex.EncodeToString(aid[:5]))]
}
