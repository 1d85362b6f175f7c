package qrpay

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Wallet names the payment app a customer-presented payment code comes from.
type Wallet string

// Wallets whose payment codes Classify recognises.
const (
	WeChat   Wallet = "wechat"
	Alipay   Wallet = "alipay"
	UnionPay Wallet = "unionpay"
)

// Classify tells which wallet a scanned payment code (the one-time barcode
// or QR shown in the customer's app) belongs to. Surrounding spaces and the
// CR/LF a keyboard-wedge scanner appends are ignored. The published rules:
// WeChat Pay 18 digits starting 10 to 15; Alipay 16 to 24 digits starting
// 25 to 30; UnionPay 19 digits starting 62. Anything else fails with a
// *models.Error with KeyPaycode.
func Classify(code string) (Wallet, error) {
	c := strings.TrimSpace(code)
	if c == "" || !isDigits(c, len(c)) {
		return "", qrError(KeyPaycode, fmt.Errorf("qrpay: classify payment code %s: not all digits", Mask(c)))
	}
	prefix := 0
	if len(c) >= 2 {
		prefix = idNum(c[:2])
	}
	switch n := len(c); {
	case n == 18 && prefix >= 10 && prefix <= 15:
		return WeChat, nil
	case n >= 16 && n <= 24 && prefix >= 25 && prefix <= 30:
		return Alipay, nil
	case n == 19 && prefix == 62:
		return UnionPay, nil
	}
	return "", qrError(KeyPaycode, fmt.Errorf("qrpay: classify payment code %s: %d digits, no wallet matches", Mask(c), len(c)))
}

// Mask returns a payment code fit for logs: the first 4 and last 4
// characters kept and the rest replaced by '*' (surrounding spaces are
// trimmed). A code of 8 characters or fewer is masked whole.
func Mask(code string) string {
	c := strings.TrimSpace(code)
	n := utf8.RuneCountInString(c)
	if n <= 8 {
		return strings.Repeat("*", n)
	}
	r := []rune(c)
	return string(r[:4]) + strings.Repeat("*", n-8) + string(r[n-4:])
}
