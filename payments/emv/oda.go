package emv

import (
	"bytes"
	"crypto/sha1"
	"time"
)

// ODAOutcome is how offline data authentication ended.
type ODAOutcome string

// Offline data authentication outcomes.
const (
	ODANotPerformed ODAOutcome = "not_performed" // the card offers none, or the terminal cannot do it
	ODAPassed       ODAOutcome = "passed"
	ODAFailed       ODAOutcome = "failed"
)

// Reasons an offline data authentication did not pass, as translation keys.
const (
	ODAReasonNotOffered = "oda.reason.not_offered"  // the card offers no fDDA
	ODAReasonNoKeys     = "oda.reason.no_keys"      // the terminal has no CA public keys
	ODAReasonUnknownCA  = "oda.reason.unknown_ca"   // the card's CA key index is not in the table
	ODAReasonCARevoked  = "oda.reason.ca_revoked"   // the CA key or the issuer certificate is revoked
	ODAReasonCAExpired  = "oda.reason.ca_expired"   // the CA key has expired
	ODAReasonIssuerCert = "oda.reason.issuer_cert"  // the issuer certificate does not recover or check
	ODAReasonICCCert    = "oda.reason.icc_cert"     // the ICC certificate does not recover or check
	ODAReasonExpired    = "oda.reason.cert_expired" // an issuer or ICC certificate has expired
	ODAReasonSignature  = "oda.reason.signature"    // the signed dynamic data does not verify
	ODAReasonData       = "oda.reason.data"         // data the check needs is missing or malformed
)

// ODAResult is the outcome of offline data authentication for one read.
type ODAResult struct {
	// Method is "fDDA" when it was attempted, "" otherwise.
	Method  string
	Outcome ODAOutcome
	// Reason is, unless the outcome is ODAPassed, one of the ODAReason
	// keys.
	Reason string
}

// Passed reports whether the card's data was authenticated offline.
func (r ODAResult) Passed() bool { return r.Outcome == ODAPassed }

// CAKey is a certification authority public key of a payment scheme, as the
// terminal's CA public key table holds it.
type CAKey struct {
	RID      []byte // 5 bytes: the first five of the AID
	Index    byte   // matched with the card's 8F
	Modulus  []byte
	Exponent []byte // 03 or 01 00 01
	// Expiry is the last day the key may be used (its end).
	Expiry time.Time
	// Revoked marks a key the scheme has withdrawn.
	Revoked bool
}

// Checksum is the key's check value: SHA-1 over RID, index, modulus and
// exponent.
func (k CAKey) Checksum() []byte {
	h := sha1.New()
	h.Write(k.RID)
	h.Write([]byte{k.Index})
	h.Write(k.Modulus)
	h.Write(k.Exponent)
	return h.Sum(nil)
}

// CAKeys is a CA public key table.
type CAKeys []CAKey

// Find returns the key of rid and index.
func (t CAKeys) Find(rid []byte, index byte) (CAKey, bool) {
	for _, k := range t {
		if k.Index == index && bytes.Equal(k.RID, rid) {
			return k, true
		}
	}
	return CAKey{}, false
}
