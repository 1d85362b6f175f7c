package barcode

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
)

// Every symbol is 11 modules of three bars and three spaces, its bars an
// even number of modules (the parity a reader checks), each width 1 to 4,
// and no two alike; the stop pattern is 13 modules, ending with a bar.
func TestPatternTable(t *testing.T) {
	seen := map[string]int{}
	for v, p := range patterns {
		want, elems := 11, 6
		if v == Stop {
			want, elems = 13, 7
		}
		sum, bars := 0, 0
		for i, r := range p {
			w := int(r - '0')
			if w < 1 || w > 4 {
				t.Errorf("symbol %d: width %d", v, w)
			}
			sum += w
			if i%2 == 0 {
				bars += w
			}
		}
		if len(p) != elems || sum != want || (v != Stop && bars%2 != 0) {
			t.Errorf("symbol %d: %q is %d elements, %d modules, bars %d", v, p, len(p), sum, bars)
		}
		if u, dup := seen[p]; dup {
			t.Errorf("symbols %d and %d share %q", u, v, p)
		}
		seen[p] = v
	}
}

// Known symbols: each decoded by zbarimg (ZBar 0.23) from Image(2, 60),
// which checks the check character independently.
func TestKnownVectors(t *testing.T) {
	for _, c := range []struct {
		data string
		want []int
	}{
		// Code set B; check = (104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7) mod 103 = 879 mod 103 = 55.
		{"PJJ123C", []int{StartB, 48, 42, 42, 17, 18, 19, 35, 55, Stop}},
		// An even number of digits: code set C, two a symbol; (105 + 20 + 52 + 33 + 104) mod 103 = 5.
		{"20261126", []int{StartC, 20, 26, 11, 26, 5, Stop}},
		// An odd number of digits stays in code set B, as the printer does.
		{"1234567", []int{StartB, 17, 18, 19, 20, 21, 22, 23, 74, Stop}},
		// An order number.
		{"T01-00000042", []int{StartB, 52, 16, 17, 13, 16, 16, 16, 16, 16, 16, 20, 18, 5, Stop}},
	} {
		got, err := EncodeCode128(c.data)
		if err != nil {
			t.Fatalf("%q: %v", c.data, err)
		}
		if !slices.Equal(got.Symbols, c.want) {
			t.Errorf("%q: symbols %v, want %v", c.data, got.Symbols, c.want)
		}
	}
	// Start B in widths: 2 1 1 2 1 4; the stop pattern 2 3 3 1 1 1 2.
	c, _ := EncodeCode128("PJJ123C")
	w := c.Widths()
	if !slices.Equal(w[:6], []int{2, 1, 1, 2, 1, 4}) || !slices.Equal(w[len(w)-7:], []int{2, 3, 3, 1, 1, 1, 2}) {
		t.Errorf("widths %v", w)
	}
	if c.Modules() != 11*10+2+20 {
		t.Errorf("%d modules", c.Modules())
	}
}

func TestWidthsDecodeBack(t *testing.T) {
	for _, data := range []string{"T01-00000042", "20261126", "0", "00", "99", " ", "~", "{B}", "Hello, world!", strings.Repeat("7", MaxData)} {
		c, err := EncodeCode128(data)
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		got, err := DecodeCode128(c.Widths())
		if err != nil || got != data {
			t.Errorf("%q decodes as %q, %v", data, got, err)
		}
	}
}

func TestDecodeRefusesBadSymbols(t *testing.T) {
	c, _ := EncodeCode128("T01-00000042")
	w := c.Widths()
	// A data symbol changed for another: the check character catches it.
	bad := slices.Clone(w)
	copy(bad[6:12], []int{2, 2, 2, 1, 2, 2}) // symbol 1 for 52
	if _, err := DecodeCode128(bad); !errors.Is(err, ErrSymbol) {
		t.Errorf("changed symbol: %v", err)
	}
	for name, ws := range map[string][]int{
		"empty":      nil,
		"no stop":    w[:len(w)-1],
		"cut":        w[:len(w)-8],
		"not a code": append(append(slices.Clone(w[:6]), 1, 1, 1, 1, 1, 1), w[6:]...),
		"too wide":   append(slices.Clone(w[:len(w)-1]), 5),
	} {
		if _, err := DecodeCode128(ws); !errors.Is(err, ErrSymbol) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEncodeRefusesWhatCode128CannotHold(t *testing.T) {
	for _, data := range []string{"", "单号", "T01\n", "tab\there", "\x7f", strings.Repeat("x", MaxData+1)} {
		if _, err := EncodeCode128(data); !errors.Is(err, ErrData) {
			t.Errorf("%q: %v", data, err)
		}
	}
}

// readImage reads the barcode in an image with ZXing's Code 128 reader,
// apart from this package's decoder.
func readImage(t *testing.T, img gozxing.LuminanceSource) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(img))
	if err != nil {
		t.Fatal(err)
	}
	res, err := oned.NewCode128Reader().Decode(bmp, nil)
	if err != nil {
		return ""
	}
	return res.GetText()
}

func TestImageIsReadable(t *testing.T) {
	for _, data := range []string{"T01-00000042", "20261126", "1234567", "Till {pos}"} {
		c, err := EncodeCode128(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, module := range []int{1, 2, 3} {
			img := c.Image(module, 40)
			if img.Bounds().Dx() != c.Modules()*module || img.Bounds().Dy() != 40 {
				t.Fatalf("%q: image %v", data, img.Bounds())
			}
			// The quiet zones are blank.
			for x := 0; x < QuietZone*module; x++ {
				if img.GrayAt(x, 20).Y != 0xFF || img.GrayAt(img.Bounds().Dx()-1-x, 20).Y != 0xFF {
					t.Fatalf("%q: ink in the quiet zone at %d", data, x)
				}
			}
			if got := readImage(t, gozxing.NewLuminanceSourceFromImage(img)); got != data {
				t.Errorf("%q at %d px a module reads as %q", data, module, got)
			}
		}
	}
}

func FuzzCode128(f *testing.F) {
	for _, s := range []string{"T01-00000042", "20261126", "1", "", "单号", "{{", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		c, err := EncodeCode128(data)
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("%q: %v", data, err)
			}
			return
		}
		w := c.Widths()
		sum := 0
		for _, x := range w {
			sum += x
		}
		if sum != c.Modules()-2*QuietZone || len(w) != 6*len(c.Symbols)+1 {
			t.Fatalf("%q: %d modules in %d widths", data, sum, len(w))
		}
		if got, err := DecodeCode128(w); err != nil || got != data {
			t.Fatalf("%q decodes as %q, %v", data, got, err)
		}
	})
}
