package qrpay

import (
	"reflect"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(emvcoExample)
	f.Add(cnyExample)
	if s, err := DynamicOrder(DefaultDemoMerchant(), 888, "B-1", "POS1"); err == nil {
		f.Add(s) // with template 64 in Chinese
	}
	f.Add(withCRC("000201010212" + "26160012cn.till.demo" + "52045411" + "5303156" + "5802CN" + "5904SHOP" + "6002SH" +
		"6427" + "0002ZH" + "0102商店" + "0202上海" + "0305extra"))
	f.Add("")
	f.Add("000201")
	f.Add("00020101021263041234")
	f.Add("\xff\x00garbage6304")
	f.Fuzz(func(t *testing.T, s string) {
		checkRebuild(t, s)
		// Also with a correct CRC, so mutations reach the data objects.
		body := s
		if n := len(s); n >= 8 && s[n-8:n-4] == "6304" {
			body = s[:n-8]
		}
		checkRebuild(t, withCRC(body))
	})
}

// checkRebuild fails t if s parses but does not rebuild to s or to a payload
// that parses back equal.
func checkRebuild(t *testing.T, s string) {
	p, err := Parse(s)
	if err != nil {
		return
	}
	built, err := Build(p)
	if err != nil {
		t.Fatalf("Build(Parse(%q)): %v", s, err)
	}
	if built == s {
		return
	}
	q, err := Parse(built)
	if err != nil {
		t.Fatalf("Parse(Build(Parse(%q))) = %q: %v", s, built, err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("re-parse of %q differs:\n%#v\n%#v", s, p, q)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"134567890123456789", "2812345678901234", "6212345678901234567", "", " 62\r\n", "１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := Classify(s)
		if (w == "") == (err == nil) {
			t.Fatalf("Classify(%q) = %q, %v", s, w, err)
		}
		if err == nil {
			if again, _ := Classify(" " + s + "\n"); again != w {
				t.Fatalf("Classify with spaces = %q, want %q", again, w)
			}
		}
		_ = Mask(s)
	})
}

func FuzzBuildFields(f *testing.F) {
	f.Add("TILL DEMO STORE", "SHANGHAI", "ZH", "收银台示范店", "上海", int64(1234), "B1", "T1", "01")
	f.Add("收银台示范店", "上海", "", "", "", int64(1234), "B1", "T1", "01")
	f.Add("A", "B", "zh", "店", "", int64(1), "", "", "03")
	f.Fuzz(func(t *testing.T, name, city, language, localName, localCity string, amount int64, bill, terminal, subID string) {
		p := demoPayload()
		p.MerchantName, p.MerchantCity, p.Amount = name, city, amount
		p.Language = MerchantLanguage{Language: language, Name: localName, City: localCity}
		p.AdditionalData = AdditionalData{BillNumber: bill, TerminalLabel: terminal}
		p.MerchantAccounts[0].Fields = []Field{{ID: subID, Value: bill}}
		s, err := Build(p)
		if err != nil {
			return
		}
		// What Build accepts keeps to the specification: 59 and 60 in the
		// common character set, 64 with its language and name.
		if CheckLatin("59", name) != nil || CheckLatin("60", city) != nil {
			t.Fatalf("Build took name %q, city %q outside the common character set", name, city)
		}
		if !p.Language.IsZero() && (len(language) != 2 || localName == "") {
			t.Fatalf("Build took template 64 without its language or name: %+v", p.Language)
		}
		q, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(Build) = %q: %v", s, err)
		}
		if again, err := Build(q); err != nil || again != s {
			t.Fatalf("Build(Parse(%q)) = %q, %v", s, again, err)
		}
	})
}
