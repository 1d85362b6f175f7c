package payments

import (
	"testing"

	"github.com/till-pos/till/models"
)

func TestVerificationPolicy(t *testing.T) {
	p := DefaultVerificationPolicy
	for _, c := range []struct {
		amount int64
		device bool
		want   CVM
		err    string
	}{
		{1, false, CVMNone, ""},
		{100000, false, CVMNone, ""}, // ¥1,000 inclusive
		{100001, false, CVMSignature, ""},
		{100001, true, CVMDevice, ""},
		{5000000, true, "", "error.card.over_limit"},
	} {
		v, err := p.Decide(c.amount, c.device)
		var key string
		if e, ok := err.(*models.Error); ok {
			key = e.Key
		}
		if v.CVM != c.want || key != c.err {
			t.Errorf("Decide(%d, %v) = %+v, %v; want %s %s", c.amount, c.device, v, err, c.want, c.err)
		}
	}
}

func TestCVMResultsTellTheBankWhatWasDone(t *testing.T) {
	for cvm, want := range map[CVM][3]byte{
		CVMNone: {0x1F, 0x00, 0x02}, CVMSignature: {0x1E, 0x03, 0x00}, CVMDevice: {0x01, 0x00, 0x02},
		CVMFingerprint: {0x3F, 0x00, 0x01},
	} {
		if got := cvm.Results(); got != want {
			t.Errorf("%s: 9F34 = % X, want % X", cvm, got, want)
		}
	}
}
