package models

import (
	"errors"
	"testing"
)

func errKey(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestFormatMinor(t *testing.T) {
	for in, want := range map[int64]string{0: "0.00", 5: "0.05", 50: "0.50", 1250: "12.50", -300: "-3.00", 123456789: "1234567.89"} {
		if got := FormatMinor(in); got != want {
			t.Errorf("FormatMinor(%d) = %q, want %q", in, got, want)
		}
	}
	if got := Yuan(1250).String(); got != "¥12.50" {
		t.Errorf("String = %q", got)
	}
	for in, want := range map[int64]string{-300: "-¥3.00", 99999: "¥999.99", 100000: "¥1,000.00", 5000000: "¥50,000.00",
		123456789: "¥1,234,567.89", -12345678: "-¥123,456.78"} {
		if got := Yuan(in).String(); got != want {
			t.Errorf("Yuan(%d).String() = %q, want %q", in, got, want)
		}
	}
	// What String writes, ParseMinor reads back.
	for _, v := range []int64{0, 1, 99999, 100000, 123456789} {
		if back, err := ParseMinor(Yuan(v).String()); err != nil || back != v {
			t.Errorf("ParseMinor(%q) = %d, %v", Yuan(v).String(), back, err)
		}
	}
	if got := Yuan(1250).Code(); got != "CNY 12.50" {
		t.Errorf("Code = %q", got)
	}
	if got := (Money{100, "USD"}).String(); got != "$1.00" {
		t.Errorf("USD = %q", got)
	}
}

func TestParseMinor(t *testing.T) {
	ok := map[string]int64{"12": 1200, "12.5": 1250, "12.50": 1250, "¥12.50": 1250, "￥3": 300, " 1,200.00 ": 120000, ".5": 50, "0": 0, "0.01": 1}
	for in, want := range ok {
		got, err := ParseMinor(in)
		if err != nil || got != want {
			t.Errorf("ParseMinor(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":              "error.amount.empty",
		"-1":            "error.amount.negative",
		"12.345":        "error.amount.decimals",
		"abc":           "error.amount.format",
		"1.2.3":         "error.amount.decimals",
		"12,5x":         "error.amount.format",
		".":             "error.amount.format",
		"100000000000":  "error.amount.too_large",
		"1e5":           "error.amount.format",
		"9999999999999": "error.amount.format",
		"12.3a":         "error.amount.format",
		"１２":            "error.amount.format",
	}
	for in, key := range bad {
		_, err := ParseMinor(in)
		if err == nil || ErrorCode(err) != EINVALID || errKey(err) != key {
			t.Errorf("ParseMinor(%q) err = %v (key %q), want key %q", in, err, errKey(err), key)
		}
	}
}

func FuzzParseMinor(f *testing.F) {
	for _, s := range []string{"12.50", "¥3", "1,200.00", "-1", ".5", "12.345", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseMinor(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseMinor(%q): error without code: %v", s, err)
			}
			return
		}
		if v < 0 || v > MaxAmount {
			t.Fatalf("ParseMinor(%q) = %d, out of range", s, v)
		}
		back, err := ParseMinor(FormatMinor(v))
		if err != nil || back != v {
			t.Fatalf("round trip of %d: %d, %v", v, back, err)
		}
	})
}
