package models

import "testing"

func TestQuantityString(t *testing.T) {
	for q, want := range map[Quantity]string{3000: "3", 255: "0.255", 1500: "1.5", 1: "0.001", 0: "0", -2500: "-2.5"} {
		if got := q.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int64(q), got, want)
		}
	}
}

func TestParseQuantity(t *testing.T) {
	for in, want := range map[string]Quantity{"3": 3000, "0.25": 250, "1.5": 1500, "0.255": 255, " 2 ": 2000, ".5": 500} {
		got, err := ParseQuantity(in)
		if err != nil || got != want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, key := range map[string]string{"0": "error.qty.zero", "-2": "error.qty.negative", "abc": "error.qty.format",
		"1.2345": "error.qty.decimals", "": "error.qty.empty", "100000": "error.qty.too_large", "0.000": "error.qty.zero", ".": "error.qty.format"} {
		_, err := ParseQuantity(in)
		if errKey(err) != key {
			t.Errorf("ParseQuantity(%q) err = %v, want key %s", in, err, key)
		}
	}
}

func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"3", "0.255", "-1", "1.2345", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuantity(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseQuantity(%q): %v", s, err)
			}
			return
		}
		if q <= 0 || q > MaxQuantity {
			t.Fatalf("ParseQuantity(%q) = %d, out of range", s, q)
		}
		if back, err := ParseQuantity(q.String()); err != nil || back != q {
			t.Fatalf("round trip of %d: %d, %v", q, back, err)
		}
	})
}
