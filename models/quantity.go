package models

import (
	"strconv"
	"strings"
)

// Quantity is a count of thousandths of a unit, so that weighed goods
// (0.255 kg) and counted goods (3 pieces = 3000) share one type.
type Quantity int64

// Units returns a quantity of n whole units.
func Units(n int64) Quantity { return Quantity(n * 1000) }

// MaxQuantity is the largest quantity one line may hold (99,999 units).
const MaxQuantity Quantity = 99_999_000

// IsWhole reports whether q is a whole number of units.
func (q Quantity) IsWhole() bool { return q%1000 == 0 }

// String formats the quantity: "3", "0.255", "1.5".
func (q Quantity) String() string {
	sign := ""
	if q < 0 {
		sign = "-"
		q = -q
	}
	s := sign + strconv.FormatInt(int64(q/1000), 10)
	if f := int64(q % 1000); f != 0 {
		fs := strconv.FormatInt(1000+f, 10)[1:]
		s += "." + strings.TrimRight(fs, "0")
	}
	return s
}

// ParseQuantity reads a positive quantity with at most three decimals.
func ParseQuantity(s string) (Quantity, error) {
	in := s
	s = strings.TrimSpace(s)
	args := map[string]any{"Input": in}
	if s == "" {
		return 0, invalid("error.qty.empty", "Enter a quantity", nil)
	}
	if strings.HasPrefix(s, "-") {
		return 0, invalid("error.qty.negative", "The quantity {{.Input}} cannot be negative", args)
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if hasDot && len(frac) > 3 {
		return 0, invalid("error.qty.decimals", "{{.Input}} has more than three decimals", args)
	}
	if (whole == "" && frac == "") || !allDigits(whole) || !allDigits(frac) || len(whole) > 6 {
		return 0, errQtyFormat(args)
	}
	var w int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt((frac + "00")[:3], 10, 64)
	}
	q := Quantity(w*1000 + f)
	if q == 0 {
		return 0, errQtyZero()
	}
	if q > MaxQuantity {
		return 0, errQtyTooLarge(args)
	}
	return q, nil
}
