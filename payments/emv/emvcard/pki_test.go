package emvcard

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/till-pos/till/payments/emv"
)

func TestSignedRecordInSFI11(t *testing.T) {
	// Records of SFI 11-30 are signed whole, 70 and length included; the
	// simulator and the kernel must agree on it.
	p := unionPayProfile("UnionPay debit with an SFI 11 record (test)", "6212345678901232")
	p.Apps[0].AFL = mustHex("08010202" + "58010101")
	p.Apps[0].Records = append(p.Apps[0].Records, Record{SFI: 11, Number: 1,
		Data: Template(emv.TLV{Tag: 0x9F08, Value: []byte{0x00, 0x30}})})
	withFDDA(&p.Apps[0], p.PAN, unionPayPKI())
	cfg := emv.DefaultConfig()
	cfg.CAKeys = TestCAKeys()
	tx := emv.Transaction{Amount: 100, Date: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)}
	card, err := emv.Read(context.Background(), Transport(New(p)), cfg, tx)
	if err != nil {
		t.Fatal(err)
	}
	defer card.Wipe()
	if !card.ODA.Passed() || card.APDUs != 9 {
		t.Errorf("ODA %+v after %d APDUs", card.ODA, card.APDUs)
	}
}

func TestTestCAKeys(t *testing.T) {
	keys := TestCAKeys()
	for _, k := range keys {
		if len(k.Modulus) != 144 || !k.Expiry.After(time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%X/%02X: %d-byte modulus, expiry %s", k.RID, k.Index, len(k.Modulus), k.Expiry)
		}
		if k.Revoked != (k.Index == RevokedCAIndex) {
			t.Errorf("%X/%02X revoked %v", k.RID, k.Index, k.Revoked)
		}
	}
	if _, ok := keys.Find(ridUnionPay, UnknownCAIndex8F); ok {
		t.Error("the unknown index is known")
	}
	keys[0].Modulus[0] = 0
	if TestCAKeys()[0].Modulus[0] == 0 {
		t.Error("TestCAKeys shares its bytes")
	}
	// Every test key's private half matches its public half.
	for _, k := range []*rsaKey{caUnionPayF1, caUnionPayF2, caVisaF1, issuerUnionPay, issuerVisa, iccUnionPay, iccVisa} {
		block := make([]byte, k.size)
		block[1] = 0x42
		s := k.sign(block)
		mod, exp := k.public()
		if got := new(rsaCheck).apply(s, mod, exp); got[1] != 0x42 {
			t.Errorf("%d-byte key does not verify its own signature", k.size)
		}
	}
}

// rsaCheck applies a public key with math/big, for the key test.
type rsaCheck struct{}

func (rsaCheck) apply(sig, mod, exp []byte) []byte {
	m := new(big.Int).SetBytes(mod)
	y := new(big.Int).Exp(new(big.Int).SetBytes(sig), new(big.Int).SetBytes(exp), m)
	return y.FillBytes(make([]byte, len(mod)))
}
