package emv

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// MethodFDDA is the ODAResult method of fast dynamic data authentication.
const MethodFDDA = "fDDA"

// fddaVersion01 is the only fDDA version the kernel performs (9F69 byte 1):
// the terminal declares it in TTQ byte 4 and hashes UN, amount, currency
// and 9F69 as its dynamic data. Version 00 (UN only) is not supported.
const fddaVersion01 = 0x01

// odaFailure is why fDDA failed: an ODAReason key, whether it is because ICC
// data is missing (TVR byte 1 bit 20), and the detail for debugging.
type odaFailure struct {
	reason  string
	missing bool
	err     error
}

func (f *odaFailure) Error() string { return fmt.Sprintf("%s: %v", f.reason, f.err) }

// fail returns an odaFailure for reason.
func fail(reason string, format string, args ...any) *odaFailure {
	return &odaFailure{reason: reason, err: fmt.Errorf(format, args...)}
}

// missingData returns the failure for a data object the card did not give.
func missingData(tag uint32) *odaFailure {
	return &odaFailure{reason: ODAReasonData, missing: true, err: fmt.Errorf("%s missing", TagString(tag))}
}

// fdda performs fast DDA (Book C-3 / qPBOC) on the data the read collected,
// for the application aid whose PAN is pan. A card not offering it (AIP
// without the DDA bit, or no 9F4B) and a terminal without CA keys give
// ODANotPerformed; otherwise the outcome is passed or failed. The second
// result reports a failure for missing ICC data. It never fails the read.
func (k *kernel) fdda(aid, pan []byte) (ODAResult, bool) {
	aip := k.card[0x82]
	if _, ok := k.card[0x9F4B]; !ok || len(aip) < 1 || aip[0]&0x20 == 0 {
		return ODAResult{Outcome: ODANotPerformed, Reason: ODAReasonNotOffered}, false
	}
	if len(k.cfg.CAKeys) == 0 {
		return ODAResult{Outcome: ODANotPerformed, Reason: ODAReasonNoKeys}, false
	}
	if f := k.verifyFDDA(aid, pan); f != nil {
		return ODAResult{Method: MethodFDDA, Outcome: ODAFailed, Reason: f.reason}, f.missing
	}
	return ODAResult{Method: MethodFDDA, Outcome: ODAPassed}, false
}

// verifyFDDA runs the checks of fDDA in the order of Book 2: CA key,
// issuer certificate, ICC certificate over the static data, then the signed
// dynamic application data. nil means it passed.
func (k *kernel) verifyFDDA(aid, pan []byte) *odaFailure {
	need := func(tags ...uint32) *odaFailure {
		for _, t := range tags {
			if len(k.card[t]) == 0 {
				return missingData(t)
			}
		}
		return nil
	}
	if f := need(0x8F, 0x90, 0x9F32, 0x9F46, 0x9F47, 0x9F4B, 0x9F69); f != nil {
		return f
	}
	if len(aid) < 5 {
		return fail(ODAReasonData, "AID %X has no RID", aid)
	}
	if len(k.card[0x8F]) != 1 {
		return fail(ODAReasonData, "CA key index (8F) of %d bytes", len(k.card[0x8F]))
	}
	rid, index := aid[:5], k.card[0x8F][0]
	ca, ok := k.cfg.CAKeys.Find(rid, index)
	switch {
	case !ok:
		return fail(ODAReasonUnknownCA, "no CA key %X index %02X", rid, index)
	case ca.Revoked:
		return fail(ODAReasonCARevoked, "CA key %X index %02X is revoked", rid, index)
	case caExpired(ca, k.tx.Date):
		return fail(ODAReasonCAExpired, "CA key %X index %02X expired %s", rid, index, ca.Expiry.Format(time.DateOnly))
	}

	issuer, err := recoverCert(k.card[0x90], publicKey{ca.Modulus, ca.Exponent}, formatIssuerCert, k.card[0x92], k.card[0x9F32], nil)
	if err != nil {
		return certFailure(ODAReasonIssuerCert, 0x92, "issuer certificate", err)
	}
	defer issuer.wipe()
	if !issuerIDMatches(issuer.id, pan) {
		return fail(ODAReasonIssuerCert, "issuer identifier does not match the PAN")
	}
	if f := checkExpiry("issuer certificate", issuer.expiry, k.tx.Date, ODAReasonIssuerCert); f != nil {
		return f
	}
	for _, r := range k.cfg.RevokedIssuers {
		if r.Index == index && bytes.Equal(r.RID, rid) && bytes.Equal(r.Serial, issuer.serial[:]) {
			return fail(ODAReasonCARevoked, "issuer certificate %X is revoked", issuer.serial)
		}
	}

	static := k.static
	if list, ok := k.card[0x9F4A]; ok {
		if !bytes.Equal(list, []byte{0x82}) {
			return fail(ODAReasonData, "static data authentication tag list %X is not 82", list)
		}
		static = append(append(make([]byte, 0, len(k.static)+2), k.static...), k.card[0x82]...)
		defer clear(static)
	}
	icc, err := recoverCert(k.card[0x9F46], issuer.key, formatICCCert, k.card[0x9F48], k.card[0x9F47], static)
	if err != nil {
		return certFailure(ODAReasonICCCert, 0x9F48, "ICC certificate", err)
	}
	defer icc.wipe()
	if !panMatches(icc.id, pan) {
		return fail(ODAReasonICCCert, "ICC certificate PAN does not match the application PAN")
	}
	if f := checkExpiry("ICC certificate", icc.expiry, k.tx.Date, ODAReasonICCCert); f != nil {
		return f
	}
	if len(icc.key.modulus) > len(issuer.key.modulus) {
		return fail(ODAReasonICCCert, "ICC key of %d bytes longer than the issuer key", len(icc.key.modulus))
	}

	cad := k.card[0x9F69]
	if cad[0] != fddaVersion01 {
		return fail(ODAReasonData, "fDDA version %02X is not supported", cad[0])
	}
	if len(cad) < 5 || len(cad) > 16 {
		return fail(ODAReasonData, "card authentication related data (9F69) of %d bytes", len(cad))
	}
	var term []byte
	for _, t := range []uint32{0x9F37, 0x9F02, 0x5F2A} {
		term = append(term, k.term[t]...)
	}
	term = append(term, cad...)
	dyn, err := verifySDAD(k.card[0x9F4B], icc.key, term)
	if err != nil {
		return fail(ODAReasonSignature, "signed dynamic application data: %v", err)
	}
	return k.checkDynamicNumber(dyn)
}

// checkDynamicNumber checks the ICC dynamic data of fDDA: a length byte
// 2..8 and the ICC dynamic number, which for fDDA is the ATC and must equal
// 9F36 when the card gave it. The number is kept as 9F4C.
func (k *kernel) checkDynamicNumber(dyn []byte) *odaFailure {
	if len(dyn) < 1 || dyn[0] < 2 || dyn[0] > 8 || int(dyn[0]) > len(dyn)-1 {
		return fail(ODAReasonSignature, "ICC dynamic data %X has no dynamic number", dyn)
	}
	num := dyn[1 : 1+dyn[0]]
	if atc, ok := k.card[0x9F36]; ok && len(num) == 2 && !bytes.Equal(num, atc) {
		return fail(ODAReasonSignature, "ICC dynamic number %X is not the ATC %X", num, atc)
	}
	k.set(0x9F4C, num)
	return nil
}

// certFailure maps a recoverCert error to a reason: missing remainder is
// missing ICC data, anything else the certificate's own reason.
func certFailure(reason string, remainderTag uint32, what string, err error) *odaFailure {
	if errors.Is(err, errRemainderMissing) {
		f := missingData(remainderTag)
		f.err = fmt.Errorf("%s: %w", what, err)
		return f
	}
	return fail(reason, "%s: %v", what, err)
}

// checkExpiry checks a certificate's MMYY expiry against the transaction
// date: a malformed date is the certificate's reason, a past one
// ODAReasonExpired.
func checkExpiry(what string, mmyy [2]byte, date time.Time, reason string) *odaFailure {
	ym, err := certExpiry(mmyy)
	if err != nil {
		return fail(reason, "%s: %v", what, err)
	}
	if certExpired(ym, date) {
		return fail(ODAReasonExpired, "%s expired %02X/%02X", what, mmyy[0], mmyy[1])
	}
	return nil
}

// caExpired reports whether a CA key is past its expiry day on date,
// comparing calendar dates. A zero Expiry is not checked.
func caExpired(k CAKey, date time.Time) bool {
	if k.Expiry.IsZero() {
		return false
	}
	day := func(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }
	return day(date) > day(k.Expiry)
}

// addStatic appends one record to the static data to be authenticated:
// the value inside the 70 template for SFI 1-10, the whole record for SFI
// 11-30 (Book 3 10.3).
func (k *kernel) addStatic(sfi byte, record []byte, template TLV) {
	if sfi <= 10 {
		k.static = append(k.static, template.Value...)
	} else {
		k.static = append(k.static, record...)
	}
}
