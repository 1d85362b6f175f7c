package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestKeypadPress(t *testing.T) {
	test.NewTempApp(t)
	cases := []struct {
		name     string
		decimals int
		keys     []string
		want     string
	}{
		{"amount", 2, []string{"1", "2", ".", "5"}, "12.5"},
		{"no third decimal", 2, []string{"1", ".", "2", "5", "9"}, "1.25"},
		{"one point only", 2, []string{"1", ".", ".", "5"}, "1.5"},
		{"leading point gets a zero", 2, []string{".", "5"}, "0.5"},
		{"leading zero replaced", 2, []string{"0", "7"}, "7"},
		{"double zero", 2, []string{"5", "00"}, "500"},
		{"backspace", 2, []string{"1", "2", "⌫"}, "1"},
		{"backspace on empty", 2, []string{"⌫"}, ""},
		{"clear", 2, []string{"9", "9", "C"}, ""},
		{"no point for whole numbers", 0, []string{"3", ".", "4"}, "34"},
		{"weight", 3, []string{"0", ".", "2", "5", "5", "1"}, "0.255"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := NewKeypad(c.decimals)
			test.NewWindow(k)
			var seen string
			k.OnChanged = func(s string) { seen = s }
			for _, key := range c.keys {
				if b := k.Key(key); b != nil {
					test.Tap(b)
				} else {
					k.Press(key)
				}
			}
			if k.Text() != c.want {
				t.Fatalf("typed %v: %q, want %q", c.keys, k.Text(), c.want)
			}
			if len(c.keys) > 0 && seen != k.Text() && c.want != "" {
				t.Fatalf("OnChanged saw %q", seen)
			}
		})
	}
	k := NewKeypad(2)
	k.MaxLen = 4
	for i := 0; i < 6; i++ {
		k.Press("9")
	}
	if k.Text() != "9999" {
		t.Fatalf("MaxLen: %q", k.Text())
	}
}

func TestSecretKeypadKeepsLeadingZerosAndHidesDigits(t *testing.T) {
	k := NewKeypad(0)
	k.Secret = true
	for _, key := range []string{"0", "0", "1", "2"} {
		k.Press(key)
	}
	if k.Text() != "0012" {
		t.Fatalf("code = %q", k.Text())
	}
	if got := k.shown(); got != "●●●●" {
		t.Fatalf("display = %q", got)
	}
}

func TestTheFirstKeyReplacesTheValueShown(t *testing.T) {
	k := NewKeypad(3)
	k.SetText("1")
	k.Press("3")
	if k.Text() != "3" {
		t.Fatalf("3 typed over 1: %q", k.Text())
	}
	k.Press("5")
	if k.Text() != "35" {
		t.Fatalf("then 5: %q", k.Text())
	}
	k.SetText("12")
	k.Press("⌫")
	if k.Text() != "1" {
		t.Fatalf("backspace edits the value shown: %q", k.Text())
	}
	k.SetText("2.5")
	k.Press(".")
	if k.Text() != "0." {
		t.Fatalf("a point typed over 2.5: %q", k.Text())
	}
}

func TestKeypadTakesThePhysicalKeyboard(t *testing.T) {
	k := NewKeypad(2)
	for _, r := range "a1,5b" {
		k.TypeRune(r)
	}
	if k.Text() != "1.5" {
		t.Fatalf("typed a1,5b: %q", k.Text())
	}
	if !k.TypeKey(fyne.KeyBackspace) || k.Text() != "1." {
		t.Fatalf("backspace: %q", k.Text())
	}
	if !k.TypeKey(fyne.KeyDelete) || k.Text() != "" {
		t.Fatalf("delete: %q", k.Text())
	}
	if k.TypeKey(fyne.KeyF1) || k.TypeRune('x') {
		t.Fatal("a key that is not on the keypad was taken")
	}
}
