package models

import (
	"strconv"
	"strings"
)

// Currency is an ISO 4217 currency code such as "CNY".
type Currency string

// CNY is the Chinese yuan, Till's default currency.
const CNY Currency = "CNY"

// Symbol is the sign shown before an amount: ¥ for CNY, else the code and a space.
func (c Currency) Symbol() string {
	switch c {
	case CNY, "JPY":
		return "¥"
	case "USD":
		return "$"
	case "EUR":
		return "€"
	case "HKD":
		return "HK$"
	}
	return string(c) + " "
}

// MaxAmount is the largest amount Till accepts anywhere, in minor units
// (¥99,999,999.99); it keeps every product of amounts far from overflow.
const MaxAmount = 9_999_999_999

// Money is an amount in minor units (fen for CNY) with its currency.
// Two decimals of minor unit are assumed, as for CNY.
type Money struct {
	Minor    int64
	Currency Currency
}

// Yuan returns an amount of CNY given in fen.
func Yuan(fen int64) Money { return Money{Minor: fen, Currency: CNY} }

// Add returns m + o; o is taken to be in m's currency.
func (m Money) Add(o Money) Money { return Money{m.Minor + o.Minor, m.Currency} }

// Sub returns m - o; o is taken to be in m's currency.
func (m Money) Sub(o Money) Money { return Money{m.Minor - o.Minor, m.Currency} }

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Minor == 0 }

// String formats the amount for people: ¥12.50, -¥3.00.
func (m Money) String() string {
	if m.Minor < 0 {
		return "-" + m.Currency.Symbol() + groupThousands(FormatMinor(-m.Minor))
	}
	return m.Currency.Symbol() + groupThousands(FormatMinor(m.Minor))
}

// groupThousands puts a comma between each three digits of the whole part
// of a plain decimal: "50000.00" → "50,000.00".
func groupThousands(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(whole) % 3
	if lead > 0 {
		b.WriteString(whole[:lead])
	}
	for i := lead; i < len(whole); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(whole[i : i+3])
	}
	return b.String() + "." + frac
}

// AmountText formats minor units of the shop's currency (CNY) for a
// message: ¥50,000.00. Messages about an order or a payment whose currency
// is at hand use Money.String instead.
func AmountText(minor int64) string { return Money{Minor: minor, Currency: CNY}.String() }

// Code formats the amount with its ISO code, as on reports: CNY 12.50.
func (m Money) Code() string { return string(m.Currency) + " " + FormatMinor(m.Minor) }

// FormatMinor formats minor units as a plain decimal with two places: 1250 → "12.50".
// A negative amount gets a leading minus sign.
func FormatMinor(minor int64) string {
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign = "-"
		u = uint64(-minor)
	}
	frac := u % 100
	s := sign + strconv.FormatUint(u/100, 10) + "."
	if frac < 10 {
		s += "0"
	}
	return s + strconv.FormatUint(frac, 10)
}

// ParseMinor reads a non-negative decimal amount with at most two decimals
// ("12", "12.5", "12.50", "¥12.50", "1,200.00") and returns minor units.
func ParseMinor(s string) (int64, error) {
	in := s
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "¥")
	s = strings.TrimPrefix(s, "￥")
	s = strings.ReplaceAll(s, ",", "")
	s = strings.TrimSpace(s)
	args := map[string]any{"Input": in}
	if s == "" {
		return 0, invalid("error.amount.empty", "Enter an amount", nil)
	}
	if strings.HasPrefix(s, "-") {
		return 0, invalid("error.amount.negative", "The amount {{.Input}} cannot be negative", args)
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if hasDot && len(frac) > 2 {
		return 0, invalid("error.amount.decimals", "{{.Input}} has more than two decimals", args)
	}
	if whole == "" && (!hasDot || frac == "") {
		return 0, errNotAmount(args)
	}
	if !allDigits(whole) || !allDigits(frac) || len(whole) > 12 {
		return 0, errNotAmount(args)
	}
	var w int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64)
	}
	f := int64(0)
	switch len(frac) {
	case 1:
		f = int64(frac[0]-'0') * 10
	case 2:
		f = int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	v := w*100 + f
	if v > MaxAmount {
		return 0, invalid("error.amount.too_large", "{{.Input}} is too large", args)
	}
	return v, nil
}

// ParseMoney reads an amount like ParseMinor, in currency c.
func ParseMoney(s string, c Currency) (Money, error) {
	v, err := ParseMinor(s)
	return Money{v, c}, err
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mulDivRound returns a*b/c rounded half away from zero. c must be positive
// and a*b must fit in int64, which MaxAmount and MaxQuantity guarantee.
func mulDivRound(a, b, c int64) int64 {
	p := a * b
	if p < 0 {
		return -((-p + c/2) / c)
	}
	return (p + c/2) / c
}
