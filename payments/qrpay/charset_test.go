package qrpay

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckLatin(t *testing.T) {
	for _, tc := range []struct {
		id, s string
		key   string // "" when accepted
	}{
		{"59", "TILL DEMO STORE", ""},
		{"59", ":;<=>?@ABCDEFGHIJKLMNOPQRS", KeyLatinName}, // 26 characters
		{"59", "A-Z a-z 0-9 .,&'()/@#*+", ""},
		{"59", strings.Repeat("N", 25), ""},
		{"59", strings.Repeat("N", 26), KeyLatinName},
		{"59", "", KeyLatinName},
		{"59", "收银台", KeyLatinName},
		{"59", "CAFÉ", KeyLatinName},
		{"59", "ＴＩＬＬ", KeyLatinName},
		{"59", "TILL\tSTORE", KeyLatinName},
		{"59", "TILL\x7f", KeyLatinName},
		{"59", "\xff", KeyLatinName},
		{"60", "SHANGHAI", ""},
		{"60", strings.Repeat("C", 15), ""},
		{"60", strings.Repeat("C", 16), KeyLatinCity},
		{"60", "上海", KeyLatinCity},
		{"60", "", KeyLatinCity},
	} {
		err := CheckLatin(tc.id, tc.s)
		if errKey(err) != tc.key {
			t.Errorf("CheckLatin(%s, %q) = %v, want key %q", tc.id, tc.s, err, tc.key)
		}
	}
	// Every printable ASCII character is in the common character set, and
	// nothing else is.
	var ascii []rune
	for r := rune(' '); r <= '~'; r++ {
		ascii = append(ascii, r)
	}
	for i := 0; i < len(ascii); i += MaxCityLen {
		chunk := string(ascii[i:min(i+MaxCityLen, len(ascii))])
		if CheckLatin("59", chunk) != nil || CheckLatin("60", chunk) != nil {
			t.Fatalf("printable ASCII %q refused", chunk)
		}
	}
	for r := rune(0); r < 0x3000; r++ {
		if IsCommon(r) != (r >= ' ' && r <= '~') {
			t.Fatalf("IsCommon(%U) = %v", r, IsCommon(r))
		}
	}
	if err := CheckLatin("61", "200000"); err == nil || errKey(err) != "" {
		t.Fatalf("CheckLatin of object 61: %v", err)
	}
	err := CheckLatin("59", "收银台")
	if !strings.Contains(err.Error(), "'收' is not in the EMVCo common character set") {
		t.Fatalf("the error does not name the character refused: %v", err)
	}
}

func TestLatin(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"上海", MaxCityLen, "SHANGHAI"},
		{"成都", MaxCityLen, "CHENGDU"},
		{"重庆", MaxCityLen, "CHONGQING"},
		{"厦门", MaxCityLen, "XIAMEN"},
		{"收银台示范店", MaxNameLen, "SHOUYINTAISHIFANDIAN"},
		{"收银台示范店", MaxCityLen, "SHOUYINTAISHI"}, // cut between syllables
		{"老王 Noodles", MaxNameLen, "LAOWANG Noodles"},
		{"老王Noodles", MaxNameLen, "LAOWANG Noodles"},
		{"７－１１便利店", MaxNameLen, "7-11 BIANLIDIAN"},
		{"ＡＢＣ超市", MaxNameLen, "ABC CHAOSHI"},
		{"上海（浦东）", MaxNameLen, "SHANGHAI(PUDONG)"},
		{"收银台·示范店", MaxNameLen, "SHOUYINTAISHIFANDIAN"},
		{"中华人民共和国国家博物馆纪念品商店", MaxNameLen, "ZHONGHUARENMINGONGHEGUO"},
		{"  Corner   Shop  ", MaxNameLen, "Corner Shop"},
		{"ThisIsAVeryLongEnglishShopName", MaxCityLen, "ThisIsAVeryLong"}, // one word: cut inside
		{"Big Supermarket Shanghai", MaxCityLen, "Big Supermarket"},
		{"Big Supermarkets Shanghai", MaxCityLen, "Big"},
		{"★☆", MaxNameLen, ""},
		{"", MaxNameLen, ""},
	} {
		got := Latin(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("Latin(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if got != "" {
			id := map[int]string{MaxNameLen: "59", MaxCityLen: "60"}[tc.max]
			if err := CheckLatin(id, got); err != nil {
				t.Errorf("Latin(%q) = %q breaks the rule of %s: %v", tc.in, got, id, err)
			}
		}
	}
}

func TestMerchantNamesFilledAndChecked(t *testing.T) {
	n := MerchantNames{LocalName: "收银台示范店", LocalCity: "上海"}.Filled()
	want := MerchantNames{Name: "SHOUYINTAISHIFANDIAN", City: "SHANGHAI", LocalName: "收银台示范店", LocalCity: "上海"}
	if n != want {
		t.Fatalf("Filled = %+v, want %+v", n, want)
	}
	if err := n.Check(); err != nil {
		t.Fatal(err)
	}
	// Set Latin names are kept as they are.
	set := MerchantNames{Name: "Lao Wang Noodles", City: "Shanghai", LocalName: "老王面馆", LocalCity: "上海"}
	if got := set.Filled(); got != set {
		t.Fatalf("Filled changed set names: %+v", got)
	}
	// Nothing writable in Latin letters, and a Chinese name too long.
	odd := MerchantNames{LocalName: strings.Repeat("★", 30)}.Filled()
	if odd.Name != "NA" || odd.City != "NA" || utf8.RuneCountInString(odd.LocalName) != MaxNameLen || odd.Check() != nil {
		t.Fatalf("Filled = %+v, %v", odd, odd.Check())
	}
	for _, tc := range []struct {
		n   MerchantNames
		key string
	}{
		{MerchantNames{Name: "收银台", City: "SHANGHAI"}, KeyLatinName},
		{MerchantNames{Name: "TILL", City: "上海"}, KeyLatinCity},
		{MerchantNames{Name: "TILL", City: "SHANGHAI", LocalName: strings.Repeat("店", 26)}, KeyLocalName},
		{MerchantNames{Name: "TILL", City: "SHANGHAI", LocalCity: strings.Repeat("海", 16)}, KeyLocalCity},
	} {
		if err := tc.n.Check(); errKey(err) != tc.key {
			t.Errorf("Check(%+v) = %v, want %s", tc.n, err, tc.key)
		}
	}
}

func TestLanguageTemplateRoundTrip(t *testing.T) {
	for name, l := range map[string]MerchantLanguage{
		"name and city": {Language: LanguageZH, Name: "收银台示范店", City: "上海"},
		"name only":     {Language: LanguageZH, Name: "老王面馆"},
		"longest":       {Language: "zh", Name: strings.Repeat("店", MaxNameLen), City: strings.Repeat("海", MaxCityLen)},
		"reserved IDs":  {Language: LanguageZH, Name: "店", Other: []Field{{"03", "x"}, {"99", "末"}}},
	} {
		p := demoPayload()
		p.Language = l
		s, err := Build(p)
		if err != nil {
			t.Fatalf("%s: Build: %v", name, err)
		}
		q, err := Parse(s)
		if err != nil {
			t.Fatalf("%s: Parse(%s): %v", name, s, err)
		}
		if !reflect.DeepEqual(q.Language, l) {
			t.Fatalf("%s: template 64 parsed as %+v, want %+v", name, q.Language, l)
		}
		if again, err := Build(q); err != nil || again != s {
			t.Fatalf("%s: Build(Parse) = %q, %v; want %q", name, again, err, s)
		}
	}
	// Without a language template, 64 is left out.
	p := demoPayload()
	p.Language = MerchantLanguage{}
	s, err := Build(p)
	if err != nil || strings.Contains(s, "0002ZH") {
		t.Fatalf("Build without 64 = %q, %v", s, err)
	}
	// Sub-objects in another order parse the same and rebuild in ascending order.
	body := "000201010212" + "26160012cn.till.demo" + "52045411" + "5303156" + "5802CN" + "5904SHOP" + "6008SHANGHAI" +
		"6418" + "0202上海" + "0002ZH" + "0102商店"
	q, err := Parse(withCRC(body))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q.Language, MerchantLanguage{Language: "ZH", Name: "商店", City: "上海"}) {
		t.Fatalf("parsed %+v", q.Language)
	}
	if s, err := Build(q); err != nil || !strings.Contains(s, "64180002ZH0102商店0202上海") {
		t.Fatalf("rebuilt %q, %v", s, err)
	}
}

func TestDynamicOrderTemplate64(t *testing.T) {
	cfg := DefaultDemoMerchant()
	cfg.LocalCity = ""
	s, err := DynamicOrder(cfg, 100, "B1", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Language, MerchantLanguage{Language: "ZH", Name: "收银台示范店"}) {
		t.Fatalf("template 64 without a city: %+v", p.Language)
	}
	cfg.LocalName = ""
	s, err = DynamicOrder(cfg, 100, "B1", "")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := Parse(s); err != nil || !p.Language.IsZero() {
		t.Fatalf("without a Chinese name: %+v, %v", p.Language, err)
	}
	for _, r := range s {
		if !IsCommon(r) {
			t.Fatalf("a payload without a Chinese name has %q: %s", r, s)
		}
	}
}
