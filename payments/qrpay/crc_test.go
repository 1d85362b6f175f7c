package qrpay

import "testing"

func TestCRC16CheckValue(t *testing.T) {
	if got := CRC16([]byte("123456789")); got != 0x29B1 {
		t.Fatalf("CRC16(123456789) = %04X, want 29B1", got)
	}
	if got := crcHex("123456789"); got != "29B1" {
		t.Fatalf("crcHex = %s, want 29B1", got)
	}
}

func TestCRC16EMVCoExample(t *testing.T) {
	s := emvcoExample
	if got := crcHex(s[:len(s)-4]); got != "A13A" {
		t.Fatalf("CRC of EMVCo example = %s, want A13A", got)
	}
	if got := crcHex(cnyExample[:len(cnyExample)-4]); got != "EB40" {
		t.Fatalf("CRC of CNY example = %s, want EB40", got)
	}
}
