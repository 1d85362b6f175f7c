package qrpay

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/till-pos/till/models"
)

// errKey returns the translation key of err, or "" if it is no *models.Error.
func errKey(err error) string {
	var me *models.Error
	if errors.As(err, &me) {
		return me.Key
	}
	return ""
}

func TestParseEMVCoExample(t *testing.T) {
	p, err := Parse(emvcoExample)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := Payload{
		PayloadFormat: "01",
		Initiation:    Dynamic,
		MerchantAccounts: []MerchantAccount{
			{ID: "29", GUID: "D15600000000", Fields: []Field{{"05", "A93FO3230Q"}}},
			{ID: "31", GUID: "D15600000001", Fields: []Field{{"03", "12345678"}}},
		},
		MCC:          "4111",
		Currency:     "156",
		Amount:       2372,
		Country:      "CN",
		MerchantName: "BEST TRANSPORT",
		MerchantCity: "BEIJING",
		AdditionalData: AdditionalData{
			TerminalLabel: "A6008667",
			Other:         []Field{{"03", "1234"}, {"06", "***"}, {"09", "ME"}},
		},
		Language: MerchantLanguage{Language: "ZH", Name: "最佳运输", City: "北京"},
		Other:    []Field{{"55", "01"}, {"91", "0016A011223344998877070812345678"}},
		Order:    []string{"01", "29", "31", "52", "58", "59", "60", "64", "54", "53", "55", "62", "91"},
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("Parse =\n%#v\nwant\n%#v", p, want)
	}
	got, err := Build(p)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if got != emvcoExample {
		t.Fatalf("Build(Parse(example)) =\n%s\nwant\n%s", got, emvcoExample)
	}
	if n, b := utf8.RuneCountInString(emvcoExample), len(emvcoExample); n != 248 || b != 260 {
		t.Fatalf("example has %d characters / %d bytes, want 248 / 260", n, b)
	}
}

func TestParseCNYExampleRoundTrip(t *testing.T) {
	p, err := Parse(cnyExample)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Amount != 1000 || len(p.MerchantAccounts) != 1 || p.MerchantAccounts[0].Value != "1234567890" {
		t.Fatalf("Parse = %+v", p)
	}
	p.Order = nil // ascending is the order of this payload
	got, err := Build(p)
	if err != nil || got != cnyExample {
		t.Fatalf("Build = %q, %v; want %q", got, err, cnyExample)
	}
}

func TestBuildAscendingOrder(t *testing.T) {
	p, err := Parse(emvcoExample)
	if err != nil {
		t.Fatal(err)
	}
	p.Order = nil
	s, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "000201010212") || !strings.Contains(s, "6304") || s[len(s)-8:len(s)-4] != "6304" {
		t.Fatalf("Build = %s", s)
	}
	q, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(Build): %v", err)
	}
	wantOrder := []string{"01", "29", "31", "52", "53", "54", "55", "58", "59", "60", "62", "64", "91"}
	if !reflect.DeepEqual(q.Order, wantOrder) {
		t.Fatalf("order = %v, want %v", q.Order, wantOrder)
	}
	q.Order = nil
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("re-parsed payload differs:\n%#v\n%#v", p, q)
	}
}

func TestParseFlippedCharacterFailsCRC(t *testing.T) {
	s := emvcoExample
	for i := 6; i < len(s)-8; i++ {
		c := s[i]
		if c >= 0x80 {
			continue // inside a multi-byte character
		}
		flipped := byte('7')
		if c == '7' {
			flipped = 'X'
		}
		bad := s[:i] + string(flipped) + s[i+1:]
		_, err := Parse(bad)
		if errKey(err) != KeyCRC {
			t.Fatalf("flip at %d (%q→%q): err = %v, want %s", i, c, flipped, err, KeyCRC)
		}
	}
}

func TestParseCRCValueDamaged(t *testing.T) {
	bad := emvcoExample[:len(emvcoExample)-1] + "B"
	if _, err := Parse(bad); errKey(err) != KeyCRC {
		t.Fatalf("err = %v, want %s", err, KeyCRC)
	}
	var me *models.Error
	_, err := Parse(bad)
	if !errors.As(err, &me) || me.Code != models.EINVALID || me.Fallback != "The QR code is damaged (its checksum does not match)" {
		t.Fatalf("err = %#v", err)
	}
}

func TestParseTruncated(t *testing.T) {
	for i := range len(emvcoExample) {
		if _, err := Parse(emvcoExample[:i]); err == nil {
			t.Fatalf("Parse of %d-byte prefix succeeded", i)
		}
	}
}

func TestParseNotPayment(t *testing.T) {
	for _, s := range []string{
		"",
		"https://example.com/pay",
		"134567890123456789",
		"000202010212" + "6304ABCD",
		withCRC("000201010212"),
		"0002016304" + crcHex("0002016304"),
		"\xff\xfe",
	} {
		_, err := Parse(s)
		if errKey(err) != KeyFormat {
			t.Errorf("Parse(%q): err = %v, want %s", s, err, KeyFormat)
		}
	}
}

// withCRC appends a correct CRC object to body.
func withCRC(body string) string {
	body += "6304"
	return body + crcHex(body)
}

func TestParseRejects(t *testing.T) {
	base := "000201010212" + "26160012cn.till.demo" + "52045411" + "5303156"
	tail := "5802CN" + "5904SHOP" + "6002SH"
	for name, body := range map[string]string{
		"three decimals":       base + "54051.234" + tail,
		"non-numeric amount":   base + "54041,00" + tail,
		"zero amount":          base + "54040.00" + tail,
		"two points":           base + "54051.2.3" + tail,
		"no merchant account":  "000201010212" + "52045411" + "5303156" + tail,
		"account without GUID": "000201010212" + "26080104abcd" + "52045411" + "5303156" + tail,
		"duplicate ID":         base + tail + "5904SHOP",
		"CRC not last":         base + "6304ABCD" + tail,
		"bad initiation":       "000201010213" + base[12:] + tail,
		"length too long":      base + tail + "6209",
		"name too long":        base + "5802CN" + "5926ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "6002SH",
		"empty value":          base + tail + "6100",
		"missing city":         base + "5802CN" + "5904SHOP",
		"Chinese name (59)":    base + "5802CN" + "5902商店" + "6002SH",
		"Chinese city (60)":    base + "5802CN" + "5904SHOP" + "6002上海",
		"64 without name":      base + tail + "64060002ZH",
		"64 without language":  base + tail + "64060102商店",
		"64 bad language":      base + tail + "64120002Z10102商店",
		"64 name 26 chars":     base + tail + "6436" + "0002ZH" + "0126" + strings.Repeat("店", 26),
		"64 city 16 chars":     base + tail + "6432" + "0002ZH" + "0102商店" + "0216" + strings.Repeat("海", 16),
		"64 duplicate ID":      base + tail + "64180002ZH0102商店0102商店",
	} {
		_, err := Parse(withCRC(body))
		if errKey(err) != KeyFormat {
			t.Errorf("%s: err = %v, want %s", name, err, KeyFormat)
		}
	}
	if _, err := Parse(withCRC(base + tail)); err != nil {
		t.Fatalf("base payload: %v", err)
	}
}

func TestParseLowercaseCRC(t *testing.T) {
	s := emvcoExample[:len(emvcoExample)-4] + "a13a"
	if _, err := Parse(s); err != nil {
		t.Fatalf("Parse with lowercase CRC: %v", err)
	}
}
