package emv_test

import (
	"context"
	"testing"

	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// benchRead reads the card of p again and again with cfg.
func benchRead(b *testing.B, p emvcard.Profile, cfg emv.Config, want emv.ODAOutcome) {
	tr := emvcard.Transport(emvcard.New(p))
	for b.Loop() {
		c, err := emv.Read(context.Background(), tr, cfg, txn())
		if err != nil {
			b.Fatal(err)
		}
		if c.ODA.Outcome != want {
			b.Fatalf("ODA %+v", c.ODA)
		}
		c.Wipe()
	}
}

// BenchmarkReadPlain reads the UnionPay card without CA keys: no ODA.
func BenchmarkReadPlain(b *testing.B) {
	benchRead(b, emvcard.UnionPayDebit(), emv.DefaultConfig(), emv.ODANotPerformed)
}

// BenchmarkReadWithFDDA is the same read with the test CA keys: fDDA runs
// and passes (the simulator signs 9F4B too).
func BenchmarkReadWithFDDA(b *testing.B) {
	benchRead(b, emvcard.UnionPayDebit(), odaConfig(), emv.ODAPassed)
}

// BenchmarkFDDAVerify is fDDA alone on data captured once: three RSA
// recoveries and their hashes.
func BenchmarkFDDAVerify(b *testing.B) {
	verify, err := emv.FDDAVerifier(emvcard.Transport(emvcard.New(emvcard.UnionPayDebit())), odaConfig(), txn())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if r := verify(); !r.Passed() {
			b.Fatalf("ODA %+v", r)
		}
	}
}
