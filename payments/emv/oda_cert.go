package emv

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"time"
)

// Formats of the recovered EMV data (Book 2).
const (
	formatIssuerCert = 0x02
	formatICCCert    = 0x04
	formatSDAD       = 0x05
)

// Algorithm indicators the kernel supports.
const (
	hashSHA1 = 0x01
	algRSA   = 0x01
)

// errRemainderMissing reports a certificate whose key does not fit and whose
// remainder (92 or 9F48) the card did not give: ICC data is missing.
var errRemainderMissing = errors.New("public key remainder missing")

// certificate is what a recovered issuer or ICC public key certificate
// certifies.
type certificate struct {
	// id is the issuer identifier (4 bytes) or the application PAN (10
	// bytes), cn padded with F. It holds PAN digits: wipe it after use.
	id     []byte
	expiry [2]byte // MMYY, BCD
	serial [3]byte
	key    publicKey
}

// wipe zeroes the PAN digits of the certificate.
func (c *certificate) wipe() { clear(c.id) }

// recoverCert recovers a public key certificate (format 02 issuer, format 04
// ICC) with the key of its signer and checks it as Book 2 does: length,
// trailer BC, header 6A, format, hash and algorithm indicators, key and
// exponent lengths, and the hash over the certificate fields, the remainder,
// the exponent and then extra (the static data to be authenticated for an
// ICC certificate). The certified modulus is the leftmost part followed by
// the remainder. Expiry, identifier and revocation are the caller's checks.
func recoverCert(cert []byte, signer publicKey, format byte, remainder, exponent, extra []byte) (certificate, error) {
	idLen := 4
	if format == formatICCCert {
		idLen = 10
	}
	head := 11 + idLen // 6A, format, id, expiry 2, serial 3, hash, alg, key length, exponent length
	n := len(signer.modulus)
	if n < head+21+1 {
		return certificate{}, fmt.Errorf("signer modulus of %d bytes is too short for a format %02X certificate", n, format)
	}
	if len(cert) != n {
		return certificate{}, fmt.Errorf("certificate of %d bytes with a %d-byte signer key", len(cert), n)
	}
	rec, err := rsaRecover(cert, signer)
	if err != nil {
		return certificate{}, fmt.Errorf("recover: %w", err)
	}
	defer clear(rec)
	switch {
	case rec[n-1] != 0xBC:
		return certificate{}, fmt.Errorf("trailer %02X, not BC", rec[n-1])
	case rec[0] != 0x6A:
		return certificate{}, fmt.Errorf("header %02X, not 6A", rec[0])
	case rec[1] != format:
		return certificate{}, fmt.Errorf("format %02X, not %02X", rec[1], format)
	}
	p := 2 + idLen
	c := certificate{id: append([]byte(nil), rec[2:p]...)}
	copy(c.expiry[:], rec[p:p+2])
	copy(c.serial[:], rec[p+2:p+5])
	hashAlg, pkAlg, keyLen, expLen := rec[p+5], rec[p+6], int(rec[p+7]), int(rec[p+8])
	field := rec[head : n-21]
	fail := func(err error) (certificate, error) {
		c.wipe()
		return certificate{}, err
	}
	switch {
	case hashAlg != hashSHA1:
		return fail(fmt.Errorf("hash algorithm %02X is not SHA-1", hashAlg))
	case pkAlg != algRSA:
		return fail(fmt.Errorf("public key algorithm %02X is not RSA", pkAlg))
	case keyLen == 0 || keyLen > n:
		return fail(fmt.Errorf("certified key of %d bytes under a %d-byte key", keyLen, n))
	case expLen != len(exponent) || !validExponent(exponent):
		return fail(fmt.Errorf("exponent length %d, exponent %X", expLen, exponent))
	}
	if keyLen > len(field) {
		switch {
		case len(remainder) == 0:
			return fail(errRemainderMissing)
		case len(remainder) != keyLen-len(field):
			return fail(fmt.Errorf("remainder of %d bytes, want %d", len(remainder), keyLen-len(field)))
		}
	}
	h := sha1.New()
	h.Write(rec[1 : n-21])
	h.Write(remainder)
	h.Write(exponent)
	h.Write(extra)
	if !bytes.Equal(h.Sum(nil), rec[n-21:n-1]) {
		return fail(errors.New("hash does not match"))
	}
	mod := make([]byte, 0, keyLen)
	if keyLen <= len(field) {
		mod = append(mod, field[:keyLen]...)
	} else {
		mod = append(append(mod, field...), remainder...)
	}
	if mod[0] == 0 {
		return fail(errors.New("certified modulus has a leading zero byte"))
	}
	c.key = publicKey{modulus: mod, exponent: append([]byte(nil), exponent...)}
	return c, nil
}

// verifySDAD recovers Signed Dynamic Application Data (format 05) with the
// ICC public key and checks it against the terminal's dynamic data. It
// returns a copy of the ICC dynamic data.
func verifySDAD(sdad []byte, key publicKey, terminal []byte) ([]byte, error) {
	n := len(key.modulus)
	if n < 26 {
		return nil, fmt.Errorf("ICC modulus of %d bytes is too short", n)
	}
	if len(sdad) != n {
		return nil, fmt.Errorf("signed data of %d bytes with a %d-byte ICC key", len(sdad), n)
	}
	rec, err := rsaRecover(sdad, key)
	if err != nil {
		return nil, fmt.Errorf("recover: %w", err)
	}
	defer clear(rec)
	ldd := int(rec[3])
	switch {
	case rec[n-1] != 0xBC:
		return nil, fmt.Errorf("trailer %02X, not BC", rec[n-1])
	case rec[0] != 0x6A:
		return nil, fmt.Errorf("header %02X, not 6A", rec[0])
	case rec[1] != formatSDAD:
		return nil, fmt.Errorf("format %02X, not 05", rec[1])
	case rec[2] != hashSHA1:
		return nil, fmt.Errorf("hash algorithm %02X is not SHA-1", rec[2])
	case ldd > n-25:
		return nil, fmt.Errorf("dynamic data of %d bytes in a %d-byte block", ldd, n)
	}
	h := sha1.New()
	h.Write(rec[1 : n-21])
	h.Write(terminal)
	if !bytes.Equal(h.Sum(nil), rec[n-21:n-1]) {
		return nil, errors.New("hash does not match")
	}
	return append([]byte(nil), rec[4:4+ldd]...), nil
}

// certExpiry returns the last month a certificate is valid in, as
// year*100+month, from its BCD MMYY (YY 00-49 is 20YY, 50-99 19YY).
func certExpiry(mmyy [2]byte) (int, error) {
	m, okM := bcdByte(mmyy[0])
	y, okY := bcdByte(mmyy[1])
	if !okM || !okY || m < 1 || m > 12 {
		return 0, fmt.Errorf("expiry %02X%02X is not MMYY", mmyy[0], mmyy[1])
	}
	if y < 50 {
		y += 2000
	} else {
		y += 1900
	}
	return y*100 + m, nil
}

// certExpired reports whether a certificate valid through the month ym
// (year*100+month) has expired on date: it is valid to the month's last day.
func certExpired(ym int, date time.Time) bool {
	return date.Year()*100+int(date.Month()) > ym
}

// bcdByte decodes two BCD digits.
func bcdByte(b byte) (int, bool) {
	hi, lo := b>>4, b&0x0F
	return int(hi)*10 + int(lo), hi <= 9 && lo <= 9
}

// cnDigits decodes a cn value (digits then F padding to the end); ok is
// false if anything else appears.
func cnDigits(b []byte) (digits []byte, ok bool) {
	digits = make([]byte, 0, 2*len(b))
	pad := false
	for _, x := range b {
		for _, d := range [2]byte{x >> 4, x & 0x0F} {
			switch {
			case d == 0x0F:
				pad = true
			case d <= 9 && !pad:
				digits = append(digits, '0'+d)
			default:
				clear(digits)
				return nil, false
			}
		}
	}
	return digits, true
}

// issuerIDMatches reports whether the issuer identifier of an issuer
// certificate (3 to 8 leading PAN digits, F-padded) begins pan.
func issuerIDMatches(id, pan []byte) bool {
	digits, ok := cnDigits(id)
	defer clear(digits)
	return ok && len(digits) >= 3 && len(digits) <= 8 && bytes.HasPrefix(pan, digits)
}

// panMatches reports whether the PAN of an ICC certificate equals pan.
func panMatches(id, pan []byte) bool {
	digits, ok := cnDigits(id)
	defer clear(digits)
	return ok && len(digits) > 0 && bytes.Equal(digits, pan)
}
