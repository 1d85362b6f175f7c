package qrpay

import "testing"

func BenchmarkMPMBuild(b *testing.B) {
	cfg := DefaultDemoMerchant()
	for b.Loop() {
		if _, err := DynamicOrder(cfg, 12345, "B-20260101-0001", "POS1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(emvcoExample); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQRImage(b *testing.B) {
	payload, err := DynamicOrder(DefaultDemoMerchant(), 12345, "B-20260101-0001", "POS1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Image(payload, 480); err != nil {
			b.Fatal(err)
		}
	}
}
