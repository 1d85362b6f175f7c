package qrpay

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	for code, want := range map[string]Wallet{
		"134567890123456789":         WeChat,
		"104567890123456789":         WeChat,
		"154567890123456789\r\n":     WeChat,
		" 134567890123456789 ":       WeChat,
		"2812345678901234":           Alipay,
		"251234567890123456789012":   Alipay,
		"301234567890123456":         Alipay,
		"6212345678901234567":        UnionPay,
		"":                           "",
		"   ":                        "",
		"164567890123456789":         "",
		"13456789012345678":          "",
		"1345678901234567890":        "",
		"281234567890123":            "",
		"2512345678901234567890123":  "",
		"6312345678901234567":        "",
		"621234567890123456":         "",
		"13456789012345678a":         "",
		"１３4567890123456789":         "",
		"00020101021226160012cn.til": "",
	} {
		got, err := Classify(code)
		if got != want {
			t.Errorf("Classify(%q) = %q, want %q", code, got, want)
		}
		if want == "" && errKey(err) != KeyPaycode {
			t.Errorf("Classify(%q): err = %v, want %s", code, err, KeyPaycode)
		}
		if want != "" && err != nil {
			t.Errorf("Classify(%q): %v", code, err)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"134567890123456789":     "1345**********6789",
		" 6212345678901234567\n": "6212***********4567",
		"12345678":               "********",
		"123456789":              "1234*6789",
		"":                       "",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassifyErrorDoesNotLeakCode(t *testing.T) {
	_, err := Classify("1645678901234567891")
	if err == nil {
		t.Fatal("no error")
	}
	if s := err.Error(); strings.Contains(s, "1645678901234567891") {
		t.Fatalf("error text holds the whole code: %s", s)
	}
}
