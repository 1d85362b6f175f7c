package qrpay

import "fmt"

// CRC16 returns the CRC-16/CCITT-FALSE of data (polynomial 0x1021, initial
// value 0xFFFF, no reflection, no final XOR), the checksum EMVCo MPM object
// 63 carries. CRC16([]byte("123456789")) is 0x29B1.
func CRC16(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, b := range data {
		crc ^= uint16(b) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// crcHex formats the CRC of s as the four uppercase hex digits of object 63.
func crcHex(s string) string {
	return fmt.Sprintf("%04X", CRC16([]byte(s)))
}
