package emv

import "testing"

func TestFillDOL(t *testing.T) {
	values := map[uint32][]byte{
		0x9F02: {0x00, 0x00, 0x00, 0x00, 0x12, 0x34},
		0x9F66: {0x36, 0x00, 0x00, 0x00},
		0x5A:   {0x41, 0x11},
		0x9F1A: {0x01, 0x56},
	}
	lookup := func(tag uint32) ([]byte, bool) { v, ok := values[tag]; return v, ok }
	cases := []struct{ dol, want string }{
		{"9F0206", "000000001234"},               // exact
		{"9F0204", "00001234"},                   // n truncated: rightmost kept
		{"9F0208", "0000000000001234"},           // n padded on the left
		{"9F1A01", "56"},                         // n truncated
		{"9F6602", "3600"},                       // b truncated: leftmost kept
		{"9F6606", "360000000000"},               // b padded on the right
		{"5A04", "4111FFFF"},                     // cn padded with FF
		{"9F4005", "0000000000"},                 // unknown: zeros
		{"BF0C02", "0000"},                       // constructed: zeros
		{"9F66049F0206", "36000000000000001234"}, // several
		{"", ""},
	}
	for _, c := range cases {
		entries, err := parseDOL(unhex(t, c.dol))
		if err != nil {
			t.Errorf("%s: %v", c.dol, err)
			continue
		}
		got, err := fillDOL(entries, lookup)
		if err != nil || hexUpper(got) != c.want {
			t.Errorf("%s: %X, %v; want %s", c.dol, got, err, c.want)
		}
	}
}

func TestParseDOLErrors(t *testing.T) {
	for _, dol := range []string{"9F", "9F66", "9F6681", "9F66049F02"} {
		if _, err := parseDOL(unhex(t, dol)); err == nil {
			t.Errorf("%s: no error", dol)
		}
	}
	entries, _ := parseDOL(unhex(t, "9F4B7F9F4B7F9F4B7F"))
	if _, err := fillDOL(entries, func(uint32) ([]byte, bool) { return nil, false }); err == nil {
		t.Error("381 bytes of DOL data accepted")
	}
}

func TestParseAFL(t *testing.T) {
	afl, err := parseAFL(unhex(t, "0801030010020201"))
	if err != nil {
		t.Fatal(err)
	}
	if len(afl) != 2 || afl[0] != (aflEntry{1, 1, 3, 0}) || afl[1] != (aflEntry{2, 2, 2, 1}) {
		t.Errorf("AFL = %+v", afl)
	}
	if afl, err := parseAFL(nil); err != nil || len(afl) != 0 {
		t.Errorf("empty AFL: %+v, %v", afl, err)
	}
	for _, bad := range []string{
		"080101",                  // not a multiple of 4
		"00010100",                // SFI 0
		"F8010100",                // SFI 31
		"09010100",                // low bits set
		"08000100",                // first record 0
		"08030200",                // last before first
		"08010203",                // 3 ODA records of 2
		"08 01 FF 00 10 01 FF 00", // too many records
	} {
		if _, err := parseAFL(unhex(t, stripSpaces(bad))); err == nil {
			t.Errorf("AFL %s accepted", bad)
		}
	}
}

func stripSpaces(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

func TestDirectoryOrder(t *testing.T) {
	entry := func(aid string, prio byte) TLV {
		kids := []TLV{{Tag: 0x4F, Value: unhexMust(aid)}}
		if prio != 0xFF {
			kids = append(kids, TLV{Tag: 0x87, Value: []byte{prio}})
		}
		return TLV{Tag: 0x61, Children: kids}
	}
	fci := Encode([]TLV{{Tag: 0x6F, Children: []TLV{{Tag: 0xA5, Children: []TLV{{Tag: 0xBF0C, Children: []TLV{
		entry("A0000000031010", 0x00),   // no priority: last
		entry("A000000333010101", 0x82), // 2 (b8 set: confirmation required)
		entry("A0000000041010", 0x01),   // 1
		entry("A000000025010801", 0x01), // not accepted
		entry("A000000333010102", 0x02), // 2, after the other 2
		entry("A0000000031010", 0xFF),   // no 87: last, after the first
	}}}}}}})
	list, listed, ok := directory(fci, DefaultConfig().AIDs)
	if !ok || listed != 6 {
		t.Fatalf("ok %v listed %d", ok, listed)
	}
	var got []string
	for _, c := range list {
		got = append(got, hexUpper(c.aid))
	}
	want := []string{"A0000000041010", "A000000333010101", "A000000333010102", "A0000000031010", "A0000000031010"}
	if len(got) != len(want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order = %v, want %v", got, want)
		}
	}
}

func unhexMust(s string) []byte { return mustHex(s) }

func TestBCD(t *testing.T) {
	if b, _ := bcd("156", 2); hexUpper(b) != "0156" {
		t.Errorf("bcd(156) = %X", b)
	}
	if _, err := bcd("1x6", 2); err == nil {
		t.Error("non-digit accepted")
	}
	if _, err := bcd("12345", 2); err == nil {
		t.Error("5 digits in 2 bytes accepted")
	}
	for amount, want := range map[int64]string{0: "000000000000", 1234: "000000001234", 999999999999: "999999999999", 100: "000000000100"} {
		if got := hexUpper(amountBCD(amount)); got != want {
			t.Errorf("amountBCD(%d) = %s, want %s", amount, got, want)
		}
	}
}
