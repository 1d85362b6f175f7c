package emvcard

import (
	"bytes"

	"github.com/till-pos/till/payments/emv"
)

// FDDA makes an application support fast DDA: its GPO answer carries Signed
// Dynamic Application Data (9F4B) signed with its ICC private key over the
// ATC and the terminal's UN, amount, currency and the card's 9F69. Profiles
// get one from the test PKI; it cannot be built elsewhere.
type FDDA struct {
	icc *rsaKey
	cad []byte // 9F69, card authentication related data
	// BreakSignature corrupts 9F4B so that it does not verify.
	BreakSignature bool
}

// signGPO returns 9F4B for a GPO with PDOL data pdolData under pdol.
func (f *FDDA) signGPO(pdol, pdolData []byte, atc uint16) []byte {
	v := dolValues(pdol, pdolData)
	var terminal []byte
	for _, t := range []struct {
		tag uint32
		n   int
	}{{0x9F37, 4}, {0x9F02, 6}, {0x5F2A, 2}} {
		b := v[t.tag]
		if len(b) != t.n {
			b = make([]byte, t.n)
		}
		terminal = append(terminal, b...)
	}
	terminal = append(terminal, f.cad...)
	sdad := f.icc.signDynamic(atc, terminal)
	if f.BreakSignature {
		sdad[len(sdad)/2] ^= 0x01
	}
	return sdad
}

// dolValues splits DOL data into the values of the DOL's tags. A malformed
// DOL gives what could be read.
func dolValues(dol, data []byte) map[uint32][]byte {
	out := map[uint32][]byte{}
	for i, off := 0, 0; i < len(dol); {
		tag := uint32(dol[i])
		if dol[i]&0x1F == 0x1F {
			for i++; i < len(dol); i++ {
				tag = tag<<8 | uint32(dol[i])
				if dol[i]&0x80 == 0 {
					break
				}
			}
		}
		i++
		if i >= len(dol) {
			break
		}
		n := int(dol[i])
		i++
		if off+n > len(data) {
			break
		}
		out[tag] = data[off : off+n]
		off += n
	}
	return out
}

// pki says how a profile's fDDA data is certified.
type pki struct {
	ca           *rsaKey // signs the issuer certificate
	caIndex      byte    // 8F
	issuer, icc  *rsaKey
	issuerExpiry string // MMYY of the issuer certificate
	iccExpiry    string // MMYY of the ICC certificate
	serial       string // issuer certificate serial, 6 hex digits
}

// unionPayPKI and visaPKI are the good test PKI of each scheme.
func unionPayPKI() pki {
	return pki{ca: caUnionPayF1, caIndex: TestCAIndex, issuer: issuerUnionPay, icc: iccUnionPay,
		issuerExpiry: "1240", iccExpiry: "1231", serial: "000101"}
}

func visaPKI() pki {
	return pki{ca: caVisaF1, caIndex: TestCAIndex, issuer: issuerVisa, icc: iccVisa,
		issuerExpiry: "1240", iccExpiry: "1230", serial: "000201"}
}

// withFDDA gives app fDDA: it certifies the issuer key under the CA and the
// ICC key over the static data (the records the AFL flags, then the AIP, as
// 9F4A 82 says), adds records 1-3 of SFI 2 with 8F, 90, 9F32, 92, 9F46,
// 9F47, 9F48, 9F4A and 9F69 (unsigned), and sets the DDA bit of the AIP.
func withFDDA(app *App, pan string, s pki) {
	app.AIP[0] |= 0x20
	ctq := app.CTQ
	if len(ctq) != 2 {
		ctq = []byte{0x00, 0x00}
	}
	cad := append([]byte{0x01, 0x5A, 0x3C, 0x96, 0x0F}, ctq...) // version 01, card UN, CTQ
	static := append(staticData(*app), app.AIP[:]...)
	issuer := certKey{signer: s.ca, format: 0x02, id: CN(pan[:6], 4), mmyy: mustHex(s.issuerExpiry),
		serial: mustHex(s.serial), key: s.issuer}.build()
	icc := certKey{signer: s.issuer, format: 0x04, id: CN(pan, 10), mmyy: mustHex(s.iccExpiry),
		serial: mustHex("000001"), key: s.icc, static: static}.build()
	rec2 := []emv.TLV{{Tag: 0x9F32, Value: issuer.exponent}}
	if issuer.remainder != nil {
		rec2 = append(rec2, emv.TLV{Tag: 0x92, Value: issuer.remainder})
	}
	rec3 := []emv.TLV{{Tag: 0x9F46, Value: icc.cert}, {Tag: 0x9F47, Value: icc.exponent}}
	if icc.remainder != nil {
		rec3 = append(rec3, emv.TLV{Tag: 0x9F48, Value: icc.remainder})
	}
	rec3 = append(rec3, emv.TLV{Tag: 0x9F4A, Value: []byte{0x82}}, emv.TLV{Tag: 0x9F69, Value: cad})
	app.Records = append(app.Records,
		Record{SFI: 2, Number: 1, Data: Template(emv.TLV{Tag: 0x8F, Value: []byte{s.caIndex}}, emv.TLV{Tag: 0x90, Value: issuer.cert})},
		Record{SFI: 2, Number: 2, Data: Template(rec2...)},
		Record{SFI: 2, Number: 3, Data: Template(rec3...)},
	)
	app.AFL = append(append([]byte(nil), app.AFL...), 0x10, 0x01, 0x03, 0x00)
	app.FDDA = &FDDA{icc: s.icc, cad: cad}
}

// staticData returns the records of app that its AFL flags for offline
// data authentication: the value inside 70 for SFI 1-10, the whole record
// for SFI 11-30.
func staticData(app App) []byte {
	var out []byte
	for i := 0; i+4 <= len(app.AFL); i += 4 {
		sfi, first, n := app.AFL[i]>>3, app.AFL[i+1], int(app.AFL[i+3])
		for rec := int(first); rec < int(first)+n; rec++ {
			for _, r := range app.Records {
				if r.SFI != sfi || int(r.Number) != rec {
					continue
				}
				if sfi > 10 {
					out = append(out, r.Data...)
				} else if list, err := emv.Decode(r.Data); err == nil && len(list) == 1 {
					out = append(out, list[0].Value...)
				}
			}
		}
	}
	return bytes.Clone(out)
}
