package emv

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Application identifiers the default configuration accepts.
var (
	AIDUnionPayDebit       = mustHex("A000000333010101")
	AIDUnionPayCredit      = mustHex("A000000333010102")
	AIDUnionPayQuasiCredit = mustHex("A000000333010103")
	AIDVisa                = mustHex("A0000000031010")
	AIDMastercard          = mustHex("A0000000041010")
)

// DefaultTTQ is the Terminal Transaction Qualifiers the reader sends (9F66):
// EMV mode and signature supported (byte 1 = 22), online cryptogram required
// (byte 2 = 80), no online PIN, since a PC/SC reader has no PIN pad, and
// fDDA version 01 supported (byte 4 = 80).
//
// Byte 1 bit 01 ("ODA for online authorisations supported") stays clear:
// PROTOCOLS lists the bit but not what Book C-3 then requires of a reader
// whose ODA fails on an online transaction, so it is not declared. Every
// payment goes online anyway; a card that still returns 9F4B is checked and
// the outcome reaches the issuer in the TVR.
var DefaultTTQ = [4]byte{0x22, 0x80, 0x00, 0x80}

// Config is the terminal's side of a read: what it accepts and declares.
type Config struct {
	// AIDs are the accepted applications, highest priority first. A card
	// application matches when its AID equals one or begins with it.
	AIDs [][]byte
	// TTQ is sent to the card in 9F66; zero means DefaultTTQ.
	TTQ [4]byte
	// ContactlessLimit is the reader contactless transaction limit in minor
	// units (fen): an amount at or above it is refused before GPO. Zero
	// means no limit.
	ContactlessLimit int64
	// Country is the terminal country code, ISO 3166 numeric ("156" if empty).
	Country string
	// Currency is the default transaction currency, ISO 4217 numeric ("156"
	// if empty).
	Currency string
	// TerminalCapabilities (9F33, 3 bytes) and TerminalType (9F35) are sent
	// when a DOL asks for them and put in field 55; absent when zero.
	TerminalCapabilities []byte
	TerminalType         byte
	// CAKeys is the CA public key table for offline data authentication;
	// without it no card is authenticated offline (ODANotPerformed with
	// ODAReasonNoKeys).
	CAKeys CAKeys
	// RevokedIssuers lists revoked issuer certificates (RID, CA key index,
	// certificate serial number).
	RevokedIssuers []Revocation
}

// Revocation names one revoked issuer certificate.
type Revocation struct {
	RID    []byte
	Index  byte
	Serial []byte // 3 bytes
}

// DefaultConfig returns the configuration for a mainland China terminal
// accepting UnionPay, Visa and Mastercard, with no contactless limit.
func DefaultConfig() Config {
	return Config{
		AIDs:     [][]byte{AIDUnionPayDebit, AIDUnionPayCredit, AIDUnionPayQuasiCredit, AIDVisa, AIDMastercard},
		TTQ:      DefaultTTQ,
		Country:  "156",
		Currency: "156",
	}
}

// withDefaults fills the zero fields of c from DefaultConfig.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	if len(c.AIDs) == 0 {
		c.AIDs = d.AIDs
	}
	for _, aid := range c.AIDs {
		if len(aid) < 5 || len(aid) > 16 {
			return c, fmt.Errorf("emv: configured AID %X is not 5 to 16 bytes", aid)
		}
	}
	if c.TTQ == [4]byte{} {
		c.TTQ = d.TTQ
	}
	if c.Country == "" {
		c.Country = d.Country
	}
	if c.Currency == "" {
		c.Currency = d.Currency
	}
	if _, err := bcd(c.Country, 2); err != nil {
		return c, fmt.Errorf("emv: terminal country: %w", err)
	}
	if len(c.TerminalCapabilities) != 0 && len(c.TerminalCapabilities) != 3 {
		return c, fmt.Errorf("emv: terminal capabilities must be 3 bytes, not %d", len(c.TerminalCapabilities))
	}
	return c, nil
}

// Transaction is the payment the card is read for.
type Transaction struct {
	// Amount is the amount authorised in minor units (fen).
	Amount int64
	// Currency is ISO 4217 numeric, e.g. "156"; empty means Config.Currency.
	Currency string
	// Date is the transaction date and time; zero means now.
	Date time.Time
	// Type is the transaction type (9C): 0x00 purchase.
	Type byte
	// UnpredictableNumber (9F37) is 4 bytes; nil means 4 random bytes.
	UnpredictableNumber []byte
}

// maxAmount is the largest amount that fits n12.
const maxAmount = 999_999_999_999

// withDefaults fills the zero fields of tx and checks it.
func (tx Transaction) withDefaults(cfg Config) (Transaction, error) {
	if tx.Amount < 0 || tx.Amount > maxAmount {
		return tx, fmt.Errorf("emv: amount %d is outside 0..%d", tx.Amount, int64(maxAmount))
	}
	if tx.Currency == "" {
		tx.Currency = cfg.Currency
	}
	if _, err := bcd(tx.Currency, 2); err != nil {
		return tx, fmt.Errorf("emv: transaction currency: %w", err)
	}
	if tx.Date.IsZero() {
		tx.Date = time.Now()
	}
	switch len(tx.UnpredictableNumber) {
	case 0:
		un := make([]byte, 4)
		if _, err := rand.Read(un); err != nil {
			return tx, fmt.Errorf("emv: unpredictable number: %w", err)
		}
		tx.UnpredictableNumber = un
	case 4:
	default:
		return tx, fmt.Errorf("emv: unpredictable number must be 4 bytes, not %d", len(tx.UnpredictableNumber))
	}
	return tx, nil
}

// bcd encodes a decimal digit string as n bytes of packed BCD, right
// aligned and left padded with zeros.
func bcd(digits string, n int) ([]byte, error) {
	if len(digits) > 2*n {
		return nil, fmt.Errorf("%q has more than %d digits", digits, 2*n)
	}
	out := make([]byte, n)
	for i := 0; i < len(digits); i++ {
		c := digits[len(digits)-1-i]
		if c < '0' || c > '9' {
			return nil, fmt.Errorf("%q is not all digits", digits)
		}
		d := c - '0'
		if i%2 == 1 {
			d <<= 4
		}
		out[n-1-i/2] |= d
	}
	return out, nil
}

// amountBCD encodes a non-negative amount as n12 (6 bytes).
func amountBCD(minor int64) []byte {
	out := make([]byte, 6)
	for i := 5; i >= 0 && minor > 0; i-- {
		out[i] = byte(minor%10) | byte(minor/10%10)<<4
		minor /= 100
	}
	return out
}

// mustHex decodes a hex constant of this package.
func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic("emv: bad hex constant " + s)
	}
	return b
}
