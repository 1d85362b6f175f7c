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
		{100001, false, "", "error.card.cvm_needed"},
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
	p.Fingerprint = true
	if v, err := p.Decide(200000, false); err != nil || v.CVM != CVMFingerprint {
		t.Errorf("with a fingerprint reader: %+v %v", v, err)
	}
	if ErrVerificationNeeded.Args != nil {
		t.Error("a decision changed the shared error")
	}
}
