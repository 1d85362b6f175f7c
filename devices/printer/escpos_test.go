package printer_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/escposdecode"
)

// h parses hex bytes written with spaces.
func h(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encode(t testing.TB, d printer.Doc, p printer.Profile) []byte {
	t.Helper()
	b, err := printer.Encode(d, p)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return b
}

func TestEncodeExactBytes(t *testing.T) {
	p := printer.Profile58()
	payload100 := strings.Repeat("0123456789", 10)
	tests := []struct {
		name  string
		build func(d *printer.Doc)
		want  string
	}{
		{"empty", func(d *printer.Doc) {}, "1B 40"},
		{"plain", func(d *printer.Doc) { d.Text("Hi", printer.Style{}) }, "1B 40 48 69 0A"},
		{"centred bold", func(d *printer.Doc) {
			d.Text("SHOP", printer.Style{Align: printer.Center, Bold: true})
		}, "1B 40 1B 61 01 1B 45 01 53 48 4F 50 0A"},
		{"style changes only", func(d *printer.Doc) {
			d.Text("A", printer.Style{Align: printer.Right, Double: true})
			d.Text("B", printer.Style{Align: printer.Right, Double: true})
			d.Text("C", printer.Style{})
		}, "1B 40 1B 61 02 1D 21 11 41 0A 42 0A 1B 61 00 1D 21 00 43 0A"},
		{"chinese", func(d *printer.Doc) { d.Text("可口可乐", printer.Style{}) },
			"1B 40 1C 26 BF C9 BF DA BF C9 C0 D6 1C 2E 0A"},
		{"mixed", func(d *printer.Doc) { d.Text("可乐 x2", printer.Style{}) },
			"1B 40 1C 26 BF C9 C0 D6 20 78 32 1C 2E 0A"},
		{"emoji", func(d *printer.Doc) { d.Text("可乐😀!", printer.Style{}) },
			"1B 40 1C 26 BF C9 C0 D6 3F 21 1C 2E 0A"},
		{"only emoji: no chinese mode", func(d *printer.Doc) { d.Text("😀", printer.Style{}) },
			"1B 40 3F 0A"},
		{"controls", func(d *printer.Doc) { d.Text("a\tb\x1b@\n", printer.Style{}) },
			"1B 40 61 20 62 3F 40 3F 0A"},
		{"feed", func(d *printer.Doc) { d.Feed(3); d.Feed(0) }, "1B 40 1B 64 03"},
		{"drawer", func(d *printer.Doc) { d.Drawer() }, "1B 40 1B 70 00 32 32"},
		{"partial cut", func(d *printer.Doc) { d.Cut(true) }, "1B 40 1B 64 04 1D 56 01"},
		{"full cut", func(d *printer.Doc) { d.Cut(false) }, "1B 40 1B 64 04 1D 56 00"},
		{"qr ABC", func(d *printer.Doc) { d.QR("ABC") },
			"1B 40 1B 61 01" +
				"1D 28 6B 04 00 31 41 32 00" +
				"1D 28 6B 03 00 31 43 06" +
				"1D 28 6B 03 00 31 45 31" +
				"1D 28 6B 06 00 31 50 30 41 42 43" +
				"1D 28 6B 03 00 31 51 30"},
		{"qr 100 bytes", func(d *printer.Doc) { d.QR(payload100) },
			"1B 40 1B 61 01" +
				"1D 28 6B 04 00 31 41 32 00" +
				"1D 28 6B 03 00 31 43 06" +
				"1D 28 6B 03 00 31 45 31" +
				"1D 28 6B 67 00 31 50 30" + hex.EncodeToString([]byte(payload100)) +
				"1D 28 6B 03 00 31 51 30"},
		{"barcode set B", func(d *printer.Doc) { d.Barcode("A{1") },
			"1B 40 1B 61 01 1D 68 50 1D 77 03 1D 48 02 1D 6B 49 06 7B 42 41 7B 7B 31"},
		{"barcode set C", func(d *printer.Doc) { d.Barcode("012345") },
			"1B 40 1B 61 01 1D 68 50 1D 77 03 1D 48 02 1D 6B 49 05 7B 43 01 17 2D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d printer.Doc
			tt.build(&d)
			got := encode(t, d, p)
			if want := h(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("got  % X\nwant % X", got, want)
			}
			if _, err := escposdecode.Decode(got); err != nil {
				t.Errorf("Decode: %v", err)
			}
		})
	}
}

func TestEncodeQRPayloadLength(t *testing.T) {
	// pL/pH for a payload longer than 252 bytes, sent as UTF-8 unchanged.
	payload := "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"
	var d printer.Doc
	d.QR(payload)
	b := encode(t, d, printer.Profile80())
	k := len(payload) + 3
	store := append([]byte{0x1D, 0x28, 0x6B, byte(k), byte(k >> 8), 0x31, 0x50, 0x30}, payload...)
	if !bytes.Contains(b, store) {
		t.Fatalf("store command with pL=%#02x pH=%#02x not found in % X", byte(k), byte(k>>8), b)
	}
	ops, err := escposdecode.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := escposdecode.Lines(ops); len(got) != 1 || got[0] != "[QR:"+payload+"]" {
		t.Errorf("Lines = %q", got)
	}
}

func TestEncodeQRModuleSizeShrinks(t *testing.T) {
	// A payload needing a large symbol gets a smaller module size on 58 mm.
	var d printer.Doc
	d.QR(strings.Repeat("x", 400))
	b := encode(t, d, printer.Profile58())
	i := bytes.Index(b, h(t, "1D 28 6B 03 00 31 43"))
	if i < 0 {
		t.Fatal("no module size command")
	}
	if size := b[i+7]; size >= 6 || size < 1 {
		t.Errorf("module size %d for a 400-byte payload on 384 dots", size)
	}
}

func TestEncodeRasterQR(t *testing.T) {
	for _, p := range []printer.Profile{printer.Profile58(), printer.Profile80()} {
		p.QRMode = printer.QRRaster
		var d printer.Doc
		d.QR("https://example.com/r/12345")
		b := encode(t, d, p)
		if !bytes.HasPrefix(b, h(t, "1B 40 1D 76 30 00")) {
			t.Fatalf("no GS v 0 header: % X", b[:min(len(b), 16)])
		}
		x := int(b[6]) | int(b[7])<<8
		y := int(b[8]) | int(b[9])<<8
		if x != p.DotsWide/8 {
			t.Errorf("width %d bytes, want %d", x, p.DotsWide/8)
		}
		if y == 0 || y > p.DotsWide {
			t.Errorf("height %d rows", y)
		}
		if len(b) != 10+x*y {
			t.Errorf("len %d, want %d", len(b), 10+x*y)
		}
		img := b[10:]
		// Top rows are the quiet zone; the finder pattern's top-left corner
		// is black.
		if img[0] != 0 {
			t.Error("quiet zone not white")
		}
		black := 0
		for _, c := range img {
			for ; c != 0; c &= c - 1 {
				black++
			}
		}
		if black == 0 || black > x*8*y/2 {
			t.Errorf("%d black dots of %d", black, x*8*y)
		}
		ops, err := escposdecode.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("[RASTER %dx%d]", x, y)
		if got := escposdecode.Lines(ops); len(got) != 1 || got[0] != want {
			t.Errorf("Lines = %q, want %q", got, want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	p := printer.Profile58()
	cases := map[string]struct {
		build func(d *printer.Doc)
		want  error
	}{
		"empty barcode":   {func(d *printer.Doc) { d.Barcode("") }, printer.ErrBadBarcode},
		"chinese barcode": {func(d *printer.Doc) { d.Barcode("可乐") }, printer.ErrBadBarcode},
		"long barcode":    {func(d *printer.Doc) { d.Barcode(strings.Repeat("A", 40)) }, printer.ErrBadBarcode},
		"empty qr":        {func(d *printer.Doc) { d.QR("") }, printer.ErrBadQR},
		"huge qr":         {func(d *printer.Doc) { d.QR(strings.Repeat("x", 3000)) }, printer.ErrBadQR},
	}
	for name, c := range cases {
		var d printer.Doc
		c.build(&d)
		if _, err := printer.Encode(d, p); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	if _, err := printer.Encode(printer.Doc{}, printer.Profile{}); !errors.Is(err, printer.ErrBadProfile) {
		t.Errorf("zero profile: err = %v", err)
	}
}

func TestTextColumns(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "可口可乐": 8, "可乐 x2": 7, "😀": 1, "€": 2} {
		if got := printer.TextColumns(s); got != want {
			t.Errorf("TextColumns(%q) = %d, want %d", s, got, want)
		}
	}
}

// pad lays out a left and a right part on one line of cols columns.
func pad(left, right string, cols int) string {
	n := cols - printer.TextColumns(left) - printer.TextColumns(right)
	return left + strings.Repeat(" ", max(n, 1)) + right
}

const demoQR = "00020101021215101234567890520458125303156540510.005802CN5910TEST STORE6007BEIJING6304EB40"

// receipt builds a realistic receipt of about 20 text lines and the lines
// escposdecode.Lines should give back for it.
func receipt(cols int) (printer.Doc, []string) {
	var d printer.Doc
	var want []string
	text := func(s string, st printer.Style, marks string) {
		d.Text(s, st)
		if s == "" {
			marks = ""
		}
		want = append(want, marks+s)
	}
	rule := strings.Repeat("-", cols)
	text("收银台示范店", printer.Style{Align: printer.Center, Bold: true, Double: true}, "[C][B][D]")
	text("北京市朝阳区建国路88号", printer.Style{Align: printer.Center}, "[C]")
	text("电话 010-12345678", printer.Style{Align: printer.Center}, "[C]")
	text(rule, printer.Style{}, "")
	text(pad("单号 20250101-0042", "收银员 王芳", cols), printer.Style{}, "")
	text(pad("时间", "2025-01-01 12:34", cols), printer.Style{}, "")
	text(rule, printer.Style{}, "")
	items := [][2]string{{"可口可乐 330ml x2", "6.00"}, {"康师傅红烧牛肉面", "4.50"}, {"农夫山泉 550ml", "2.00"},
		{"面包 (全麦)", "8.80"}, {"鸡蛋 10枚", "12.90"}, {"Tissue 纸巾", "3.50"}}
	for _, it := range items {
		text(pad(it[0], it[1], cols), printer.Style{}, "")
	}
	text(rule, printer.Style{}, "")
	text(pad("合计", "￥37.70", cols), printer.Style{Bold: true}, "[B]")
	text(pad("微信支付", "37.70", cols), printer.Style{}, "")
	text(pad("找零", "0.00", cols), printer.Style{}, "")
	text("", printer.Style{}, "")
	text("扫码开发票", printer.Style{Align: printer.Center}, "[C]")
	d.QR(demoQR)
	want = append(want, "[QR:"+demoQR+"]")
	d.Barcode("202501010042")
	want = append(want, "[BARCODE:202501010042]")
	text("谢谢惠顾，欢迎再次光临！", printer.Style{Align: printer.Center}, "[C]")
	text("Thank you!", printer.Style{Align: printer.Right}, "[R]")
	d.Feed(1)
	want = append(want, "")
	d.Cut(true)
	want = append(want, "", "", "", "", "[CUT]")
	d.Drawer()
	want = append(want, "[DRAWER]")
	return d, want
}

func TestRoundTrip(t *testing.T) {
	for _, p := range []printer.Profile{printer.Profile58(), printer.Profile80()} {
		for _, chinese := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dcols/chinese=%v", p.Columns, chinese), func(t *testing.T) {
				p.ChineseMode = chinese
				d, want := receipt(p.Columns)
				b := encode(t, d, p)
				// Without FS &, the printer must power up in Chinese mode.
				ops, err := escposdecode.DecodeOptions(b, escposdecode.Options{ChineseAtStart: !chinese})
				if err != nil {
					t.Fatal(err)
				}
				got := escposdecode.Lines(ops)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("lines differ:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				for _, l := range got {
					if l != "" && !strings.HasPrefix(l, "[") && printer.TextColumns(l) != p.Columns {
						t.Errorf("line %q is %d columns wide", l, printer.TextColumns(l))
					}
				}
			})
		}
	}
}

func FuzzEncodeText(f *testing.F) {
	for _, s := range []string{"", "hello", "可口可乐", "😀", "a\x1b@\x00\xff", "\xe5\xa5", "€·—¥", "\u0080\u00ff\ue000"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, flags uint8) {
		var d printer.Doc
		st := printer.Style{Align: printer.Align(flags % 3), Bold: flags&4 != 0, Double: flags&8 != 0}
		d.Text(s, st)
		d.Text(s, printer.Style{})
		p := printer.Profile58()
		p.ChineseMode = flags&16 == 0
		b, err := printer.Encode(d, p)
		if err != nil {
			t.Fatalf("Encode(%q): %v", s, err)
		}
		ops, err := escposdecode.DecodeOptions(b, escposdecode.Options{ChineseAtStart: !p.ChineseMode})
		if err != nil {
			t.Fatalf("Decode(Encode(%q)) = %v\n% X", s, err, b)
		}
		lines := escposdecode.Lines(ops)
		if len(lines) != 2 {
			t.Fatalf("%q gave %d lines: %q", s, len(lines), lines)
		}
		// The styled line carries the same text behind its markers.
		if !strings.HasSuffix(lines[0], lines[1]) {
			t.Fatalf("lines %q", lines)
		}
		// Every character prints in the columns TextColumns counted.
		if got, want := printer.TextColumns(lines[1]), printer.TextColumns(s); got != want {
			t.Fatalf("%q printed as %q: %d columns, want %d", s, lines[1], got, want)
		}
	})
}

func BenchmarkEncodeReceipt(b *testing.B) {
	d, _ := receipt(48)
	p := printer.Profile80()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := printer.Encode(d, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeReceiptRasterQR(b *testing.B) {
	d, _ := receipt(48)
	p := printer.Profile80()
	p.QRMode = printer.QRRaster
	b.ReportAllocs()
	for b.Loop() {
		if _, err := printer.Encode(d, p); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImageIsCentredRaster(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 16, 2))
	for x := 0; x < 16; x++ {
		img.SetGray(x, 0, color.Gray{Y: 0}) // black top row
		img.SetGray(x, 1, color.Gray{Y: 255})
	}
	var d printer.Doc
	d.Image(img)
	b, err := printer.Encode(d, printer.Profile58())
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte{0x1D, 'v', '0', 0, 48, 0, 2, 0})
	if i < 0 {
		t.Fatalf("no GS v 0 of 48 bytes × 2 rows in % x", b)
	}
	raster := b[i+8 : i+8+96]
	// 16 dots centred on 384: dots 184–199 are bytes 23 and 24 of row 0.
	if raster[23] != 0xFF || raster[24] != 0xFF || raster[22] != 0 || raster[48+23] != 0 {
		t.Fatalf("raster rows: % x / % x", raster[:48], raster[48:])
	}
	wide := image.NewGray(image.Rect(0, 0, 1000, 10))
	d = printer.Doc{}
	d.Image(wide)
	if b, err := printer.Encode(d, printer.Profile58()); err != nil || !bytes.Contains(b, []byte{0x1D, 'v', '0', 0, 48, 0, 3, 0}) {
		t.Fatalf("a wide image is not scaled to the paper: %v", err)
	}
}
