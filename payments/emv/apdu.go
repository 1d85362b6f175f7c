package emv

import "fmt"

// Status words the kernel acts on (EMV Book 3 Table 4).
const (
	SWOK               = 0x9000 // normal processing
	SWBlocked          = 0x6283 // selected file invalidated: application blocked
	SWFunctionNotSupp  = 0x6A81 // function not supported: card blocked
	SWFileNotFound     = 0x6A82 // file (application, PPSE) not found
	SWRecordNotFound   = 0x6A83 // record not found
	SWConditionsNotMet = 0x6985 // conditions of use not satisfied
)

// PPSEName is the DF name of the contactless directory, "2PAY.SYS.DDF01".
var PPSEName = []byte("2PAY.SYS.DDF01")

// SelectCommand returns SELECT by DF name, first occurrence:
// 00 A4 04 00 Lc name 00.
func SelectCommand(name []byte) []byte {
	cmd := []byte{0x00, 0xA4, 0x04, 0x00, byte(len(name))}
	cmd = append(cmd, name...)
	return append(cmd, 0x00)
}

// GPOCommand returns GET PROCESSING OPTIONS with the PDOL-related data:
// 80 A8 00 00 Lc 83 L data 00. The data must fit a short APDU.
func GPOCommand(pdolData []byte) ([]byte, error) {
	body := Append(nil, 0x83, pdolData)
	if len(body) > 255 {
		return nil, fmt.Errorf("emv: PDOL data of %d bytes does not fit a GET PROCESSING OPTIONS command", len(pdolData))
	}
	cmd := []byte{0x80, 0xA8, 0x00, 0x00, byte(len(body))}
	cmd = append(cmd, body...)
	return append(cmd, 0x00), nil
}

// ReadRecordCommand returns READ RECORD of record rec in file sfi:
// 00 B2 rec (sfi<<3|4) 00.
func ReadRecordCommand(sfi, rec byte) []byte {
	return []byte{0x00, 0xB2, rec, sfi<<3 | 0x04, 0x00}
}

// generateACCommand returns GENERATE AC asking for the cryptogram type in
// p1 (0x80 ARQC) with the CDOL1-related data.
func generateACCommand(p1 byte, data []byte) ([]byte, error) {
	if len(data) > 255 {
		return nil, fmt.Errorf("emv: CDOL1 data of %d bytes does not fit a GENERATE AC command", len(data))
	}
	cmd := []byte{0x80, 0xAE, p1, 0x00, byte(len(data))}
	cmd = append(cmd, data...)
	return append(cmd, 0x00), nil
}

// splitSW separates response data from its status word. resp has at least
// two bytes (Channel guarantees it).
func splitSW(resp []byte) (data []byte, sw uint16) {
	n := len(resp)
	return resp[:n-2], uint16(resp[n-2])<<8 | uint16(resp[n-1])
}
