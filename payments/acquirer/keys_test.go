package acquirer_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/till-pos/till/payments/acquirer"
)

func TestKeyComponentsCombineWhenTheirCheckValuesMatch(t *testing.T) {
	// FIPS-197 appendix C.1's key encrypting zeros starts C6A13B…
	kcv, err := acquirer.KeyCheckValue(must(hex.DecodeString("000102030405060708090A0B0C0D0E0F")))
	if err != nil || kcv != "C6A13B" {
		t.Fatalf("check value = %q, %v", kcv, err)
	}
	c1hex, c2hex := "1111 2222 3333 4444 5555 6666 7777 8888", "0123456789ABCDEF0123456789ABCDEF"
	k1 := must(hex.DecodeString("11112222333344445555666677778888"))
	k2 := must(hex.DecodeString(c2hex))
	kcv1, _ := acquirer.KeyCheckValue(k1)
	kcv2, _ := acquirer.KeyCheckValue(k2)
	p1, err := acquirer.ParseKeyComponent(c1hex, kcv1)
	if err != nil || !bytes.Equal(p1, k1) {
		t.Fatalf("component 1: %x, %v", p1, err)
	}
	p2, err := acquirer.ParseKeyComponent(c2hex, kcv2)
	if err != nil {
		t.Fatal(err)
	}
	tmk, err := acquirer.CombineComponents(p1, p2)
	if err != nil || tmk[0] != 0x11^0x01 || tmk[15] != 0x88^0xEF {
		t.Fatalf("combined %x, %v", tmk, err)
	}
	for _, c := range []struct {
		hex, check string
		want       error
	}{
		{c2hex, kcv1, acquirer.ErrKeyCheck},
		{c2hex[:30], kcv2, acquirer.ErrKeyFormat},
		{"G" + c2hex[1:], kcv2, acquirer.ErrKeyFormat},
		{c2hex, "12345", acquirer.ErrCheckFormat},
	} {
		if _, err := acquirer.ParseKeyComponent(c.hex, c.check); !errors.Is(err, c.want) {
			t.Errorf("%s/%s: %v, want %v", c.hex, c.check, err, c.want)
		}
	}
	if _, err := acquirer.CombineComponents(k1, k1); !errors.Is(err, acquirer.ErrSameComponents) {
		t.Errorf("equal components: %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestAComponentsCheckValueShowsOnceItIsWhole(t *testing.T) {
	if kcv, ok := acquirer.ComponentCheck("0001 0203 0405 0607 0809 0a0b 0c0d 0e0f"); !ok || kcv != "C6A13B" {
		t.Fatalf("a whole component: %q %v", kcv, ok)
	}
	for _, typed := range []string{"", "000102030405060708090A0B0C0D0E0", "000102030405060708090A0B0C0D0E0F00", "000102030405060708090A0B0C0D0E0G"} {
		if kcv, ok := acquirer.ComponentCheck(typed); ok || kcv != "" {
			t.Errorf("%q is no component, yet its check value is %q", typed, kcv)
		}
	}
}
