package qrpay

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxAmountLen is the longest amount (object 54) EMVCo allows, in characters.
const maxAmountLen = 13

// formatAmount writes fen as yuan with two decimals, e.g. 1234 → "12.34".
// An amount too long for that drops trailing zero decimals ("99999999999.9",
// "9999999999999"), so every amount parseAmount accepts can be written back.
func formatAmount(fen int64) (string, error) {
	if fen < 0 {
		return "", fmt.Errorf("amount %d fen is negative", fen)
	}
	yuan, cents := fen/100, fen%100
	s := fmt.Sprintf("%d.%02d", yuan, cents)
	if len(s) > maxAmountLen && cents%10 == 0 {
		s = fmt.Sprintf("%d.%d", yuan, cents/10)
		if len(s) > maxAmountLen && cents == 0 {
			s = fmt.Sprintf("%d", yuan)
		}
	}
	if len(s) > maxAmountLen {
		return "", fmt.Errorf("amount %s has more than %d characters", s, maxAmountLen)
	}
	return s, nil
}

// parseAmount reads an object 54 value ("23.72", "98", "98.", "0.5") as fen.
// It rejects signs, separators, more than one point, more than two decimals
// and values longer than 13 characters.
func parseAmount(s string) (int64, error) {
	if len(s) == 0 || len(s) > maxAmountLen {
		return 0, fmt.Errorf("amount %q must have 1 to %d characters", s, maxAmountLen)
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if hasPoint && strings.Contains(frac, ".") {
		return 0, fmt.Errorf("amount %q has more than one decimal point", s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q has more than two decimals", s)
	}
	if whole == "" && frac == "" {
		return 0, errors.New("amount has no digits")
	}
	for _, part := range []string{whole, frac} {
		if part != "" && !isDigits(part, len(part)) {
			return 0, fmt.Errorf("amount %q is not a number", s)
		}
	}
	var yuan, cents int64
	if whole != "" {
		v, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("amount %q: %w", s, err)
		}
		yuan = v
	}
	if frac != "" {
		v, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			v *= 10
		}
		cents = v
	}
	// 13 characters cap yuan below 10^13, so yuan*100 fits in int64.
	return yuan*100 + cents, nil
}
