package qrpay

import (
	"reflect"
	"strings"
	"testing"
)

// demoPayload is a valid static payload for the tests to change.
func demoPayload() Payload {
	return Payload{
		Initiation:       Static,
		MerchantAccounts: []MerchantAccount{{ID: "26", GUID: "cn.till.demo", Fields: []Field{{"01", "898310012345678"}}}},
		MCC:              "5411",
		Currency:         CurrencyCNY,
		Country:          CountryCN,
		MerchantName:     "TILL DEMO STORE",
		MerchantCity:     "SHANGHAI",
		Language:         MerchantLanguage{Language: LanguageZH, Name: "收银台示范店", City: "上海"},
	}
}

func TestBuildChineseLengthsInCharacters(t *testing.T) {
	s, err := Build(demoPayload())
	if err != nil {
		t.Fatal(err)
	}
	// Template 64: 6 + 10 + 6 characters (22), though 34 bytes in UTF-8.
	if !strings.Contains(s, "6422"+"0002ZH"+"0106收银台示范店"+"0202上海") {
		t.Fatalf("Build = %s", s)
	}
	want := "000201" + "010211" + "26350012cn.till.demo0115898310012345678" + "52045411" + "5303156" + "5802CN" +
		"5915TILL DEMO STORE" + "6008SHANGHAI" + "64220002ZH0106收银台示范店0202上海" + "6304"
	if s[:len(s)-4] != want {
		t.Fatalf("Build =\n%s\nwant\n%s", s[:len(s)-4], want)
	}
	if s[len(s)-4:] != crcHex(want) {
		t.Fatalf("CRC %s, want %s", s[len(s)-4:], crcHex(want))
	}
}

func TestBuildRoundTrip(t *testing.T) {
	p := demoPayload()
	p.Initiation = Dynamic
	p.Amount = 123456
	p.PostalCode = "200000"
	p.AdditionalData = AdditionalData{BillNumber: "B-0001", ReferenceLabel: "REF", TerminalLabel: "T1", Other: []Field{{"03", "店1"}}}
	p.Language = MerchantLanguage{Language: "ZH", Name: "示范店", Other: []Field{{"03", "x"}, {"05", "y"}}}
	p.Other = []Field{{"80", "xyz"}}
	s, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "54071234.56") {
		t.Fatalf("amount not formatted: %s", s)
	}
	q, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%s): %v", s, err)
	}
	q.Order = nil
	p.PayloadFormat = "01"
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip:\n%#v\n%#v", p, q)
	}
}

func TestBuildRejects(t *testing.T) {
	for name, change := range map[string]func(*Payload){
		"name 26 characters":   func(p *Payload) { p.MerchantName = strings.Repeat("店", 26) },
		"city 16 characters":   func(p *Payload) { p.MerchantCity = strings.Repeat("A", 16) },
		"empty name":           func(p *Payload) { p.MerchantName = "" },
		"negative amount":      func(p *Payload) { p.Amount = -1 },
		"amount 14 characters": func(p *Payload) { p.Amount = 1_000_000_000_001 },
		"no account":           func(p *Payload) { p.MerchantAccounts = nil },
		"account no GUID":      func(p *Payload) { p.MerchantAccounts[0].GUID = "" },
		"account ID 52":        func(p *Payload) { p.MerchantAccounts[0].ID = "52" },
		"network account tpl":  func(p *Payload) { p.MerchantAccounts[0].ID = "15" },
		"duplicate account":    func(p *Payload) { p.MerchantAccounts = append(p.MerchantAccounts, p.MerchantAccounts[0]) },
		"missing MCC":          func(p *Payload) { p.MCC = "" },
		"missing currency":     func(p *Payload) { p.Currency = "" },
		"missing country":      func(p *Payload) { p.Country = "" },
		"bad format":           func(p *Payload) { p.PayloadFormat = "02" },
		"bad initiation":       func(p *Payload) { p.Initiation = "13" },
		"value 100 characters": func(p *Payload) { p.MerchantAccounts[0].Fields[0].Value = strings.Repeat("1", 100) },
		"template too long":    func(p *Payload) { p.MerchantAccounts[0].Fields[0].Value = strings.Repeat("1", 90) },
		"other modeled ID":     func(p *Payload) { p.Other = []Field{{"59", "X"}} },
		"other bad ID":         func(p *Payload) { p.Other = []Field{{"8", "X"}} },
		"bill 26 characters":   func(p *Payload) { p.AdditionalData.BillNumber = strings.Repeat("1", 26) },
		"invalid UTF-8":        func(p *Payload) { p.MerchantName = "\xff" },
		"Chinese name (59)":    func(p *Payload) { p.MerchantName = "收银台示范店" },
		"Chinese city (60)":    func(p *Payload) { p.MerchantCity = "上海" },
		"accented name":        func(p *Payload) { p.MerchantName = "CAFÉ" },
		"full-width name":      func(p *Payload) { p.MerchantName = "ＴＩＬＬ" },
		"tab in name":          func(p *Payload) { p.MerchantName = "TILL\tSTORE" },
		"DEL in city":          func(p *Payload) { p.MerchantCity = "SHANG\x7fHAI" },
		"Chinese postal code":  func(p *Payload) { p.PostalCode = "二〇〇〇〇〇" },
		"language 3 letters":   func(p *Payload) { p.Language.Language = "ZHO" },
		"language not letters": func(p *Payload) { p.Language.Language = "Z1" },
		"language missing":     func(p *Payload) { p.Language.Language = "" },
		"local name missing":   func(p *Payload) { p.Language.Name = "" },
		"local name 26":        func(p *Payload) { p.Language.Name = strings.Repeat("店", 26) },
		"local city 16":        func(p *Payload) { p.Language.City = strings.Repeat("海", 16) },
		"local other 01":       func(p *Payload) { p.Language.Other = []Field{{"01", "x"}} },
		"local other dup":      func(p *Payload) { p.Language.Other = []Field{{"05", "x"}, {"05", "y"}} },
	} {
		p := demoPayload()
		change(&p)
		if _, err := Build(p); errKey(err) != KeyBuild {
			t.Errorf("%s: err = %v, want %s", name, err, KeyBuild)
		}
	}
}

func TestAmounts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fen  int64
		fail bool
	}{
		{"23.72", 2372, false}, {"98", 9800, false}, {"98.", 9800, false}, {"0.5", 50, false},
		{".5", 50, false}, {"9999999999999", 999999999999900, false},
		{"1.234", 0, true}, {"1,00", 0, true}, {"-1", 0, true}, {"+1", 0, true}, {"1e3", 0, true},
		{".", 0, true}, {"", 0, true}, {"12345678901234", 0, true}, {"1.2.3", 0, true}, {" 1", 0, true},
	} {
		fen, err := parseAmount(tc.in)
		if (err != nil) != tc.fail || fen != tc.fen {
			t.Errorf("parseAmount(%q) = %d, %v", tc.in, fen, err)
		}
	}
	for fen, want := range map[int64]string{
		1: "0.01", 1234: "12.34", 999999999999: "9999999999.99",
		9999999999990: "99999999999.9", 999999999999900: "9999999999999",
	} {
		if got, err := formatAmount(fen); err != nil || got != want {
			t.Errorf("formatAmount(%d) = %q, %v; want %q", fen, got, err, want)
		}
	}
}
