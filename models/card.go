package models

import "strings"

// maskedPrefix stands for every digit of a card number but the last four.
const maskedPrefix = "**** **** **** "

// MaskCardNumber is a card number as Till keeps and shows it: its last four
// digits only, "**** **** **** 1232". Beside a card's keyed token nothing
// more may be kept (PCI DSS 3.4.1 and 3.5.1: a truncated number beside a
// hash of the full number must not let it be rebuilt, so never the first
// six and the last four together), and a receipt needs no more either. A
// number too short to be a card's (under ten digits) is all stars; an empty
// one stays empty.
func MaskCardNumber(pan string) string {
	n := len(pan)
	if n < 10 {
		return strings.Repeat("*", n)
	}
	return maskedPrefix + pan[n-4:]
}

// CardLastFour is the last four digits of a card number, full or masked in
// any form ("621234******1232", "**** **** **** 1232"); "" when it does not
// end in four digits.
func CardLastFour(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return ""
	}
	last := s[len(s)-4:]
	for _, r := range last {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return last
}

// RemaskCardNumber rewrites a stored masked card number to keep only its
// last four digits: "621234******1232" becomes "**** **** **** 1232". One
// without four digits at its end becomes all stars.
func RemaskCardNumber(masked string) string {
	if masked == "" {
		return ""
	}
	if last := CardLastFour(masked); last != "" {
		return maskedPrefix + last
	}
	return strings.Repeat("*", min(len(masked), len(maskedPrefix)+4))
}
