package escposdecode

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func hx(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeOps(t *testing.T) {
	b := hx(t, "1B40 1B6101 1B4501 1D2111 1C26 CAD5D2F8CCA8 1C2E 0A"+
		"1B6100 1B4500 1D2100 41 0A 1B6403 1D5601 1B7000 3232 100401"+
		"1D286B0300314306 1D286B06003150304142 43 1D286B0300315130"+
		"1D6B4906 7B42417B7B31 1D5642 05")
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Op{
		{Kind: KindInit}, {Kind: KindAlign, Arg: 1}, {Kind: KindBold, Arg: 1}, {Kind: KindSize, Arg: 0x11},
		{Kind: KindChineseOn}, {Kind: KindText, Text: "收银台"}, {Kind: KindChineseOff}, {Kind: KindFeed, Arg: 1},
		{Kind: KindAlign}, {Kind: KindBold}, {Kind: KindSize}, {Kind: KindText, Text: "A"}, {Kind: KindFeed, Arg: 1},
		{Kind: KindFeed, Arg: 3}, {Kind: KindCut, Arg: 1}, {Kind: KindDrawer, Data: []byte{0x32, 0x32}},
		{Kind: KindStatusRequest, Arg: 1},
		{Kind: KindQR, Text: "ABC", Arg: 6, Data: []byte("ABC")},
		{Kind: KindBarcode, Arg: 73, Text: "A{1", Data: []byte("{BA{{1")}, {Kind: KindCut, Arg: 1, Data: []byte{5}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	lines := Lines(got)
	wantLines := []string{"[C][B][D]收银台", "A", "", "", "", "[CUT]", "[DRAWER]", "[QR:ABC]", "[BARCODE:A{1]", "[CUT]"}
	if !reflect.DeepEqual(lines, wantLines) {
		t.Errorf("Lines = %q\nwant    %q", lines, wantLines)
	}
}

func TestDecodeModes(t *testing.T) {
	// Outside Chinese mode high bytes are code page 437 ...
	ops, err := Decode([]byte{0x82, 'a'})
	if err != nil || len(ops) != 1 || ops[0].Text != "éa" {
		t.Errorf("CP437: %+v, %v", ops, err)
	}
	// ... unless the printer powers up in Chinese mode.
	ops, err = DecodeOptions(hx(t, "BFC9C0D6"), Options{ChineseAtStart: true})
	if err != nil || len(ops) != 1 || ops[0].Text != "可乐" {
		t.Errorf("Chinese at start: %+v, %v", ops, err)
	}
	// ESC ! sets bold and size at once.
	ops, err = Decode(hx(t, "1B2138 41"))
	if err != nil || Lines(ops)[0] != "[B][D]A" {
		t.Errorf("ESC !: %+v, %v", ops, err)
	}
	// GS ! with other sizes; code set C barcode; NUL-terminated barcode.
	ops, err = Decode(hx(t, "1D2110 41 0A 1D6B4905 7B43011 72D 1D6B02 34393031323334353637383934 00"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"[2x1]A", "[BARCODE:012345]", "[BARCODE:4901234567894]"}
	if got := Lines(ops); !reflect.DeepEqual(got, want) {
		t.Errorf("Lines = %q, want %q", got, want)
	}
	// A raster image.
	ops, err = Decode(append(hx(t, "1D763000 0200 0300"), 1, 2, 3, 4, 5, 6))
	if err != nil || len(ops) != 1 || !bytes.Equal(ops[0].Data, []byte{1, 2, 3, 4, 5, 6}) || Lines(ops)[0] != "[RASTER 2x3]" {
		t.Errorf("raster: %+v, %v", ops, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := map[string]struct {
		in   string
		want error
	}{
		"lone ESC":             {"1B", ErrTruncated},
		"ESC a no arg":         {"1B61", ErrTruncated},
		"ESC a bad":            {"1B6107", ErrUnknown},
		"unknown ESC":          {"1B01", ErrUnknown},
		"unknown GS":           {"1D01", ErrUnknown},
		"control":              {"41 07", ErrUnknown},
		"QR store short":       {"1D286B0600315030 41", ErrTruncated},
		"QR not cn 49":         {"1D286B 0300 304130", ErrUnknown},
		"raster short":         {"1D763000 0200 0300 0102", ErrTruncated},
		"raster huge":          {"1D763000 FFFF FFFF", ErrTruncated},
		"barcode short":        {"1D6B49 05 7B42", ErrTruncated},
		"barcode no set":       {"1D6B49 02 4142", ErrUnknown},
		"barcode no NUL":       {"1D6B02 3132", ErrTruncated},
		"GB half":              {"1C26 BF", ErrTruncated},
		"GB four bytes":        {"1C26 8130 8436", ErrBadText},
		"GB bad lead":          {"1C26 80", ErrBadText},
		"DLE EOT bad":          {"100409", ErrUnknown},
		"status short":         {"1004", ErrTruncated},
		"drawer short":         {"1B7000 32", ErrTruncated},
		"cut bad":              {"1D5607", ErrUnknown},
		"GS ! too big":         {"1D2188", ErrUnknown},
		"QR print bad":         {"1D286B0300315131", ErrUnknown},
		"QR module size zero":  {"1D286B0300314300", ErrUnknown},
		"QR function unknown":  {"1D286B0300317030", ErrUnknown},
		"GS ( not k":           {"1D284C 0000", ErrUnknown},
		"barcode bad set C":    {"1D6B49 03 7B4364", ErrUnknown},
		"barcode dangling {":   {"1D6B49 03 7B427B", ErrUnknown},
		"raster bad mode":      {"1D763009 0000 0000", ErrUnknown},
		"GS v not 0":           {"1D7631 00 0000 0000", ErrUnknown},
		"FS unknown":           {"1C01", ErrUnknown},
		"barcode unknown kind": {"1D6B20", ErrUnknown},
	}
	for name, c := range cases {
		_, err := Decode(hx(t, c.in))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"1B40 1B6101 1B4501 1D2111 1C26 CAD5D2F8CCA8 1C2E 0A",
		"1D286B0400314132 00 1D286B0300314306 1D286B0300314531 1D286B06003150304142 43 1D286B0300315130",
		"1D763000 0200 0300 010203040506",
		"1D6B4906 7B42417B7B31 1D6B4905 7B43011 72D 1D6B02 3132 00",
		"1B6404 1D5601 1D5642 05 1B7000 3232 100401 100402 100404",
		"1B2138 41 82 0D 0A",
	} {
		f.Add(hx(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, chinese := range []bool{false, true} {
			ops, err := DecodeOptions(b, Options{ChineseAtStart: chinese})
			if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrUnknown) && !errors.Is(err, ErrBadText) {
				t.Fatalf("error %v is not one of the sentinels", err)
			}
			lines := Lines(ops)
			for _, op := range ops {
				if op.Kind == KindRaster && len(op.Data) > len(b) {
					t.Fatalf("raster of %d bytes from %d input bytes", len(op.Data), len(b))
				}
			}
			_ = lines
		}
	})
}
