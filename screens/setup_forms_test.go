package screens

import (
	"testing"

	"fyne.io/fyne/v2/widget"
)

func TestAComponentIsTypedWithoutSpaces(t *testing.T) {
	for _, c := range []struct {
		text    string
		col     int
		want    string
		wantCol int
	}{
		{"1111 ", 5, "1111", 4},
		{"1111 2222", 9, "11112222", 8},
		{"11 112222", 3, "11112222", 2}, // a space typed inside: the cursor stays after it
		{" 1111", 0, "1111", 0},
		{"1111", 4, "1111", 4},
	} {
		if got, col := withoutSpaces(c.text, c.col); got != c.want || col != c.wantCol {
			t.Errorf("%q at %d: %q at %d, want %q at %d", c.text, c.col, got, col, c.want, c.wantCol)
		}
	}
}

func TestAComponentsNoteSaysWhatIsTyped(t *testing.T) {
	for _, c := range []struct {
		typed, want string
		imp         widget.Importance
	}{
		{"", "Its check value shows here once it is typed", widget.LowImportance},
		{"1111", "4 of 32 digits typed", widget.MediumImportance},
		{"000102030405060708090a0b0c0d0e0f", "Check value of what you typed: C6A13B", widget.MediumImportance},
		{"000102030405060708090A0B0C0D0E0F0", "Not a component: 32 hexadecimal digits (0–9, A–F)", widget.DangerImportance},
		{"00010203G", "Not a component: 32 hexadecimal digits (0–9, A–F)", widget.DangerImportance},
	} {
		if got, imp, _ := componentNote(c.typed); got != c.want || imp != c.imp {
			t.Errorf("%q: %q (%v), want %q (%v)", c.typed, got, imp, c.want, c.imp)
		}
	}
}
