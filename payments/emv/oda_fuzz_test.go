package emv

import (
	"bytes"
	"testing"
	"time"
)

// FuzzRecoverCertificate feeds arbitrary certificates, remainders,
// exponents and signer moduli through the recovery and parsing of issuer
// and ICC certificates and signed dynamic data, and arbitrary card data
// through the kernel's fDDA checks: none may panic, and nothing random may
// pass.
func FuzzRecoverCertificate(f *testing.F) {
	mod := bytes.Repeat([]byte{0xC3}, 144)
	f.Add(bytes.Repeat([]byte{0x5A}, 144), mod, []byte{0x03}, bytes.Repeat([]byte{0x11}, 20), byte(0x02), []byte("6212345678901232"))
	f.Add(bytes.Repeat([]byte{0x01}, 96), bytes.Repeat([]byte{0xFF}, 96), []byte{0x01, 0x00, 0x01}, []byte{}, byte(0x04), []byte("4111"))
	f.Add([]byte{}, []byte{}, []byte{}, []byte{}, byte(0x05), []byte{})
	f.Add([]byte{0x00, 0x02}, []byte{0x00, 0x03}, []byte{0x03}, []byte{0x92}, byte(0x02), []byte("1"))
	f.Fuzz(func(t *testing.T, cert, modulus, exponent, remainder []byte, format byte, pan []byte) {
		signer := publicKey{modulus: modulus, exponent: exponent}
		for _, fm := range []byte{formatIssuerCert, formatICCCert, format} {
			if c, err := recoverCert(cert, signer, fm, remainder, exponent, pan); err == nil {
				issuerIDMatches(c.id, pan)
				panMatches(c.id, pan)
				if ym, err := certExpiry(c.expiry); err == nil {
					certExpired(ym, time.Now())
				}
				c.wipe()
			}
		}
		verifySDAD(cert, signer, remainder)
		cnDigits(cert)

		rid := []byte{0xA0, 0x00, 0x00, 0x03, 0x33}
		k := &kernel{
			cfg:  Config{CAKeys: CAKeys{{RID: rid, Index: 0xF1, Modulus: modulus, Exponent: exponent}}},
			tx:   Transaction{Date: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)},
			term: map[uint32][]byte{0x9F37: {1, 2, 3, 4}, 0x9F02: make([]byte, 6), 0x5F2A: {0x01, 0x56}},
			card: map[uint32][]byte{
				0x82: {0x7C, 0x00}, 0x8F: {0xF1}, 0x90: cert, 0x92: remainder, 0x9F32: exponent,
				0x9F46: cert, 0x9F47: exponent, 0x9F48: remainder, 0x9F4B: cert, 0x9F69: append([]byte{0x01}, remainder...),
				0x9F4A: {format},
			},
			static: pan,
		}
		r, missing := k.fdda(append(rid, 0x01), pan)
		if r.Outcome == ODAPassed || (missing && r.Reason != ODAReasonData) {
			t.Fatalf("random data gave %+v (missing %v)", r, missing)
		}
	})
}
