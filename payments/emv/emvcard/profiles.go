package emvcard

import (
	"bytes"
	"encoding/hex"

	"github.com/till-pos/till/payments/emv"
)

// Application identifiers of the ready profiles.
var (
	aidUnionPayDebit = emv.AIDUnionPayDebit
	aidVisa          = emv.AIDVisa
	aidMastercard    = emv.AIDMastercard
	aidAmex          = []byte{0xA0, 0x00, 0x00, 0x00, 0x25, 0x01, 0x08, 0x01}
)

// VisaCredit is the Visa qVSDC card of the PROTOCOLS §1.11 test vectors
// with fDDA: test PAN 4111111111111111, expiry 2030-12, PDOL 9F66 9F02 9F37
// 5F2A, GPO format 2 with track 2, an ARQC and 9F4B, AFL SFI 1 record 1
// (signed) and SFI 2 records 1-3 (certificates under the Visa test CA F1).
func VisaCredit() Profile {
	p := visaProfile("Visa credit (test)", "4111111111111111", "301231", "TEST/CARDHOLDER")
	p.Apps[0].AFL = mustHex("08010101") // record 1 is signed
	withFDDA(&p.Apps[0], p.PAN, visaPKI())
	return p
}

// visaProfile builds a one-record Visa qVSDC card without fDDA, exactly as
// the §1.11 vectors have it.
func visaProfile(name, pan, yymmdd, holder string) Profile {
	return Profile{
		Name: name, PAN: pan, Expiry: yymmdd[:4], CardholderName: holder,
		Apps: []App{{
			AID:      aidVisa,
			Label:    "VISA CREDIT",
			Priority: 1,
			PDOL:     mustHex("9F66049F02069F37045F2A02"),
			AIP:      [2]byte{0x20, 0x00},
			AFL:      mustHex("08010100"),
			Track2:   Track2(pan, yymmdd[:4], "201", "0000000"),
			CTQ:      []byte{0x00, 0x00},
			CID:      emv.CIDARQC,
			ATC:      1,
			AC:       mustHex("0102030405060708"),
			Records: []Record{{SFI: 1, Number: 1, Data: Template(
				emv.TLV{Tag: 0x5A, Value: CN(pan, 8)},
				emv.TLV{Tag: 0x5F24, Value: mustHex(yymmdd)},
				emv.TLV{Tag: 0x5F20, Value: []byte(holder)},
			)}},
		}},
	}
}

// UnionPayDebit is a UnionPay qUICS debit card with fDDA: test PAN
// 6212345678901232 (Luhn-valid), expiry 2031-12, GPO format 2 with track 2,
// an ARQC and 9F4B, AFL with SFI 1 records 1-2 (signed) and SFI 2 records
// 1-3 (certificates under the UnionPay test CA F1).
func UnionPayDebit() Profile {
	p := unionPayProfile("UnionPay debit (test)", "6212345678901232")
	withFDDA(&p.Apps[0], p.PAN, unionPayPKI())
	return p
}

// unionPayProfile builds a UnionPay qUICS debit card without fDDA: expiry
// 2031-12, SFI 1 records 1-2, both flagged for offline data authentication.
func unionPayProfile(name, pan string) Profile {
	yymmdd := "311231"
	return Profile{
		Name: name, PAN: pan, Expiry: yymmdd[:4], CardholderName: "TEST/UNIONPAY",
		Apps: []App{{
			AID:      aidUnionPayDebit,
			Label:    "UnionPay Debit",
			Priority: 1,
			PDOL:     mustHex("9F66049F02069F03069F1A0295055F2A029A039C019F3704"),
			AIP:      [2]byte{0x5C, 0x00},
			AFL:      mustHex("08010202"),
			Track2:   Track2(pan, yymmdd[:4], "220", "00000000"),
			CTQ:      []byte{0x20, 0x00},
			CID:      emv.CIDARQC,
			ATC:      0x0017,
			IAD:      mustHex("07010103A000000A0100000000001234567890"),
			PANSeq:   []byte{0x01},
			Records: []Record{
				{SFI: 1, Number: 1, Data: Template(
					emv.TLV{Tag: 0x5A, Value: CN(pan, 8)},
					emv.TLV{Tag: 0x5F24, Value: mustHex(yymmdd)},
					emv.TLV{Tag: 0x5F25, Value: mustHex("210101")},
					emv.TLV{Tag: 0x5F28, Value: mustHex("0156")},
					emv.TLV{Tag: 0x9F07, Value: mustHex("FF00")},
					emv.TLV{Tag: 0x5F20, Value: []byte("TEST/UNIONPAY")},
				)},
				{SFI: 1, Number: 2, Data: Template(
					emv.TLV{Tag: 0x8C, Value: mustHex("9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14")},
					emv.TLV{Tag: 0x8D, Value: mustHex("910A8A0295059F37049F4C08")},
					emv.TLV{Tag: 0x8E, Value: mustHex("000000000000000042031E031F00")},
					emv.TLV{Tag: 0x9F0D, Value: mustHex("D86004A800")},
					emv.TLV{Tag: 0x9F0E, Value: mustHex("0010980000")},
					emv.TLV{Tag: 0x9F0F, Value: mustHex("D86804F800")},
				)},
			},
		}},
	}
}

// MastercardDebit is a Mastercard M/Chip card: test PAN 5555555555554444,
// expiry 2030-08, a PDOL asking for tags the terminal partly does not know,
// GPO format 1 (AIP, AFL SFI 1 records 1-2 and SFI 2 record 1) and the
// cryptogram from GENERATE AC with CDOL1.
func MastercardDebit() Profile {
	pan, yymmdd := "5555555555554444", "300831"
	return Profile{
		Name: "Debit Mastercard (test)", PAN: pan, Expiry: yymmdd[:4], CardholderName: "TEST/DEBIT MASTERCARD",
		Apps: []App{{
			AID:      aidMastercard,
			Label:    "Debit Mastercard",
			Priority: 1,
			PDOL:     mustHex("9F35019F1A029F40059A03"),
			Format1:  true,
			AIP:      [2]byte{0x19, 0x80},
			AFL:      mustHex("0801020010010100"),
			CID:      emv.CIDARQC,
			ATC:      0x0042,
			IAD:      mustHex("0110A00003220000000000000000000000FF"),
			Records: []Record{
				{SFI: 1, Number: 1, Data: Template(
					emv.TLV{Tag: 0x57, Value: Track2(pan, yymmdd[:4], "201", "00000000000")},
					emv.TLV{Tag: 0x5F20, Value: []byte("TEST/DEBIT MASTERCARD     ")},
				)},
				{SFI: 1, Number: 2, Data: Template(
					emv.TLV{Tag: 0x5A, Value: CN(pan, 8)},
					emv.TLV{Tag: 0x5F24, Value: mustHex(yymmdd)},
					emv.TLV{Tag: 0x5F25, Value: mustHex("220801")},
					emv.TLV{Tag: 0x5F34, Value: []byte{0x00}},
					emv.TLV{Tag: 0x8C, Value: mustHex("9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F3403")},
					emv.TLV{Tag: 0x8D, Value: mustHex("910A8A0295059F37049F4C08")},
					emv.TLV{Tag: 0x8E, Value: mustHex("000000000000000042031E031F03")},
				)},
				{SFI: 2, Number: 1, Data: Template(
					emv.TLV{Tag: 0x8F, Value: []byte{0x05}},
					emv.TLV{Tag: 0x9F32, Value: []byte{0x03}},
					emv.TLV{Tag: 0x92, Value: filler(36, 0x44)},
				)},
			},
		}},
	}
}

// Expired is a Visa card (test PAN 4012888888881881) that expired in
// December 2022.
func Expired() Profile {
	return visaProfile("Expired Visa (test)", "4012888888881881", "221231", "TEST/EXPIRED")
}

// UnknownAIDOnly is a card whose only application is an American
// Express-like one the default terminal does not accept (test PAN
// 378282246310005).
func UnknownAIDOnly() Profile {
	p := visaProfile("Amex-like card (test)", "378282246310005", "301231", "TEST/AMEX")
	p.Apps[0].AID = aidAmex
	p.Apps[0].Label = "AMERICAN EXPRESS"
	return p
}

// NoPPSE is VisaCredit without a contactless directory: SELECT PPSE
// answers 6A82 and the Visa AID must be selected directly.
func NoPPSE() Profile {
	p := VisaCredit()
	p.Name = "Visa credit without PPSE (test)"
	p.NoPPSE = true
	return p
}

// BadTLV is VisaCredit whose record announces more bytes than it has.
func BadTLV() Profile {
	p := VisaCredit()
	p.Name = "Visa credit with a broken record (test)"
	p.Apps[0].Records[0].Data = mustHex("70225A084111111111111111")
	return p
}

// RemovedMidRead is UnionPayDebit taken out of the field after four APDUs,
// while its records are being read.
func RemovedMidRead() Profile {
	p := UnionPayDebit()
	p.Name = "UnionPay debit removed mid-read (test)"
	p.RemoveAfter = 4
	return p
}

// Profiles returns every ready profile by a short name, for a demo menu.
func Profiles() map[string]Profile {
	return map[string]Profile{
		"unionpay-debit":      UnionPayDebit(),
		"visa-credit":         VisaCredit(),
		"mastercard-debit":    MastercardDebit(),
		"expired":             Expired(),
		"unknown-aid":         UnknownAIDOnly(),
		"no-ppse":             NoPPSE(),
		"bad-tlv":             BadTLV(),
		"removed-mid-read":    RemovedMidRead(),
		"broken-signature":    BrokenSignature(),
		"expired-issuer-cert": ExpiredIssuerCert(),
		"revoked-ca":          RevokedCAKey(),
		"unknown-ca":          UnknownCAIndex(),
		"no-oda":              NoODA(),
	}
}

// Template returns a record: the objects inside a 70 template.
func Template(objs ...emv.TLV) []byte {
	return emv.Encode([]emv.TLV{{Tag: 0x70, Children: objs}})
}

// Track2 returns track 2 equivalent data (57): PAN, separator D, YYMM,
// service code and discretionary data, padded with F to whole bytes. Non-
// digits in the input become 0.
func Track2(pan, yymm, service, discretionary string) []byte {
	s := pan + "D" + yymm + service + discretionary
	if len(s)%2 == 1 {
		s += "F"
	}
	return packNibbles(s)
}

// CN returns digits in format cn of n bytes: packed, right-padded with F.
func CN(digits string, n int) []byte {
	s := digits
	for len(s) < 2*n {
		s += "F"
	}
	return packNibbles(s[:2*n])
}

// packNibbles packs a string of hex nibble characters (even length).
func packNibbles(s string) []byte {
	out := make([]byte, len(s)/2)
	for i := range out {
		out[i] = hexNibble(s[2*i])<<4 | hexNibble(s[2*i+1])
	}
	return out
}

func hexNibble(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

// filler returns n bytes standing in for a certificate a test card cannot
// have.
func filler(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

// mustHex decodes a hex constant of this package.
func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic("emvcard: bad hex constant " + s)
	}
	return b
}
