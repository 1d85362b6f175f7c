package qrpay

import (
	"reflect"
	"strings"
	"testing"
)

func TestDynamicOrder(t *testing.T) {
	s, err := DynamicOrder(DefaultDemoMerchant(), 1234, "B0001", "POS1")
	if err != nil {
		t.Fatal(err)
	}
	want := "000201" + "010212" + "26350012cn.till.demo0115898310012345678" + "52045411" + "5303156" + "540512.34" +
		"5802CN" + "5915TILL DEMO STORE" + "6008SHANGHAI" + "62170105B00010704POS1" +
		"64220002ZH0106收银台示范店0202上海" + "6304"
	if s[:len(s)-4] != want {
		t.Fatalf("DynamicOrder =\n%s\nwant\n%s", s, want)
	}
	p, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Initiation != Dynamic || p.Amount != 1234 || p.AdditionalData.BillNumber != "B0001" ||
		p.AdditionalData.TerminalLabel != "POS1" || p.MerchantAccounts[0].GUID != "cn.till.demo" ||
		!reflect.DeepEqual(p.Language, MerchantLanguage{Language: "ZH", Name: "收银台示范店", City: "上海"}) {
		t.Fatalf("Parse = %+v", p)
	}
	if again, err := Build(p); err != nil || again != s {
		t.Fatalf("Build(Parse) = %q, %v", again, err)
	}
}

func TestDynamicOrderRejects(t *testing.T) {
	cfg := DefaultDemoMerchant()
	noID := cfg
	noID.MerchantID = ""
	longName := cfg
	longName.Name = strings.Repeat("D", 26)
	chineseName := cfg
	chineseName.Name = "收银台示范店"
	chineseCity := cfg
	chineseCity.City = "上海"
	longLocal := cfg
	longLocal.LocalName = strings.Repeat("店", 26)
	for name, tc := range map[string]struct {
		cfg    MerchantConfig
		amount int64
		bill   string
	}{
		"zero amount":      {cfg, 0, "B1"},
		"negative amount":  {cfg, -5, "B1"},
		"no merchant ID":   {noID, 100, "B1"},
		"long name":        {longName, 100, "B1"},
		"Chinese name":     {chineseName, 100, "B1"},
		"Chinese city":     {chineseCity, 100, "B1"},
		"long local name":  {longLocal, 100, "B1"},
		"long bill number": {cfg, 100, strings.Repeat("9", 26)},
	} {
		if _, err := DynamicOrder(tc.cfg, tc.amount, tc.bill, ""); errKey(err) != KeyBuild {
			t.Errorf("%s: err = %v, want %s", name, err, KeyBuild)
		}
	}
}
