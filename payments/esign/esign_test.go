package esign_test

import (
	"bytes"
	"errors"
	"image/png"
	"reflect"
	"testing"

	"github.com/till-pos/till/payments/esign"
	"github.com/till-pos/till/payments/esign/esigntest"
)

func TestValid(t *testing.T) {
	long := make(esign.Stroke, 0, esign.MaxPoints+1)
	for i := range esign.MaxPoints + 1 {
		long = append(long, esign.Point{X: uint16(i % 1000), Y: 10})
	}
	for name, tc := range map[string]struct {
		s    esign.Signature
		want error
	}{
		"sample":       {esigntest.Sample(), nil},
		"nothing":      {esign.Signature{Width: 1000, Height: 400}, esign.ErrEmpty},
		"empty stroke": {esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{{}}}, esign.ErrEmpty},
		"a dot":        {esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{{{X: 500, Y: 200}}}}, esign.ErrTooLittle},
		"a tick": {esign.Signature{Width: 1000, Height: 400,
			Strokes: []esign.Stroke{{{X: 500, Y: 200}, {X: 560, Y: 230}}}}, esign.ErrTooLittle},
		"a short name": {esign.Signature{Width: 1000, Height: 400,
			Strokes: []esign.Stroke{{{X: 100, Y: 200}, {X: 160, Y: 150}, {X: 220, Y: 250}}}}, nil},
		"off the canvas": {esign.Signature{Width: 1000, Height: 400,
			Strokes: []esign.Stroke{{{X: 100, Y: 200}, {X: 900, Y: 400}}}}, esign.ErrTooMuch},
		"too many points": {esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{long}}, esign.ErrTooMuch},
	} {
		t.Run(name, func(t *testing.T) {
			if err := tc.s.Valid(); !errors.Is(err, tc.want) {
				t.Fatalf("Valid() = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestInkAndEmpty(t *testing.T) {
	s := esign.Signature{Width: 100, Height: 100, Strokes: []esign.Stroke{{{X: 0, Y: 0}, {X: 3, Y: 4}, {X: 3, Y: 10}}, {{X: 50, Y: 50}}}}
	if s.Empty() || s.Points() != 4 || s.Ink() != 11 {
		t.Fatalf("Empty %v, Points %d, Ink %d; want false, 4, 11", s.Empty(), s.Points(), s.Ink())
	}
	if !(esign.Signature{}).Empty() {
		t.Fatal("the zero signature is not empty")
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	s := esigntest.Sample()
	b := s.Encode()
	got, err := esign.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatal("the decoded signature differs")
	}
	// Deltas of a few units take one byte each: about 2 bytes a point.
	if len(b) > 3*s.Points() {
		t.Fatalf("%d points take %d bytes", s.Points(), len(b))
	}
	t.Logf("%d points in %d strokes: %d bytes encoded", s.Points(), len(s.Strokes), len(b))
}

func TestEncodeLayout(t *testing.T) {
	s := esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{{{X: 10, Y: 20}, {X: 8, Y: 25}}, {}, {{X: 300, Y: 20}}}}
	got := s.Encode()
	exact := []byte{
		1,          // version
		0xE8, 0x07, // width 1000
		0x90, 0x03, // height 400
		2,      // strokes: the empty one is left out
		2,      // points
		20, 40, // +10, +20 from 0,0 (zigzag: 2n)
		3, 10, // -2, +5 (zigzag: -n is 2n-1)
		1,          // point
		0xC8, 0x04, // +292 (584)
		9, // -5
	}
	if !bytes.Equal(got, exact) {
		t.Fatalf("Encode = % X\nwant     % X", got, exact)
	}
}

func TestDecodeRefuses(t *testing.T) {
	good := esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{{{X: 10, Y: 20}, {X: 8, Y: 25}}}}.Encode()
	for name, b := range map[string][]byte{
		"nothing":          nil,
		"version 2":        append([]byte{2}, good[1:]...),
		"cut short":        good[:len(good)-1],
		"trailing":         append(append([]byte{}, good...), 0),
		"zero width":       {1, 0, 1, 0},
		"empty stroke":     {1, 10, 10, 1, 0},
		"off the canvas":   {1, 10, 10, 1, 1, 20, 0},
		"negative":         {1, 10, 10, 1, 1, 1, 0},
		"long varint":      {1, 0x8A, 0x00, 10, 0},
		"too many strokes": {1, 10, 10, 0x81, 0x02},
		"points unbacked":  {1, 10, 10, 1, 0xFF, 0x3F, 0, 0},
		"strokes unbacked": {1, 10, 10, 200, 1, 0, 0},
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := esign.Decode(b); err == nil {
				t.Fatalf("Decode(% X) = %+v, want an error", b, s)
			}
		})
	}
}

func TestRender(t *testing.T) {
	s := esigntest.Sample()
	img := s.Render(384)
	if b := img.Bounds(); b.Dx() != 384 || b.Dy() != 154 {
		t.Fatalf("image %v, want 384×154", b)
	}
	ink := 0
	for _, p := range img.Pix {
		ink += int(p)
	}
	// Strokes 5 dots thick over a drawn length of some 1,500 dots at this
	// scale: a few thousand dots of ink, a small share of the image.
	if ink < 2000 || ink > 384*154/4 {
		t.Fatalf("%d dots inked of %d", ink, 384*154)
	}
	// The dot at (760, 90) is inked; the top left corner is paper.
	if img.ColorIndexAt(292, 34) != 1 || img.ColorIndexAt(2, 2) != 0 {
		t.Fatal("the dot is not inked or the corner is")
	}
	// A tall canvas is fitted in a square.
	tall := esign.Signature{Width: 10, Height: 1000, Strokes: []esign.Stroke{{{X: 5, Y: 999}}}}.Render(100)
	if b := tall.Bounds(); b.Dx() != 1 || b.Dy() != 100 {
		t.Fatalf("tall canvas rendered %v", b)
	}
}

func TestPNGSize(t *testing.T) {
	s := esigntest.Sample()
	for _, w := range []int{384, 320, 256, 192} {
		b, err := s.PNG(w)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("width %d: %v, %d bytes", w, img.Bounds(), len(b))
	}
	// The slip's image at 384 dots is about 970 bytes; 320 dots fit
	// Newland's 900 for the upload.
	b, err := s.PNG(320)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) >= 900 {
		t.Fatalf("the PNG at 320 dots is %d bytes, want under 900", len(b))
	}
	if _, w, err := s.PNGWithin(len(b)+1, 384, 320, 256); err != nil || w != 320 {
		t.Fatalf("PNGWithin(%d) chose width %d, %v; want 320", len(b)+1, w, err)
	}
	if _, _, err := s.PNGWithin(10, 384, 256); !errors.Is(err, esign.ErrTooLarge) {
		t.Fatalf("PNGWithin(10) = %v, want ErrTooLarge", err)
	}
}

func TestFeatureCode(t *testing.T) {
	for _, tc := range []struct{ date, rrn, want string }{
		// "1225" ‖ "000000000123" = 12 25 00 00 | 00 00 01 23;
		// 12^00 25^00 00^01 00^23 = 12 25 01 23.
		{"1225", "000000000123", "12250123"},
		// No settlement date: "0000" ‖ "123456789012" = 00 00 12 34 | 56 78 90 12;
		// 00^56 00^78 12^90 34^12 = 56 78 82 26.
		{"", "123456789012", "56788226"},
		// "0317" ‖ "987654321098" = 03 17 98 76 | 54 32 10 98;
		// 03^54 17^32 98^10 76^98 = 57 25 88 EE.
		{"0317", "987654321098", "572588EE"},
		// A short RRN is zero-padded: "0101" ‖ "000000000042" = 01 01 00 00 | 00 00 00 42.
		{"0101", "42", "01010042"},
	} {
		if got := esign.FeatureCode(tc.date, tc.rrn); got != tc.want {
			t.Errorf("FeatureCode(%q, %q) = %s, want %s", tc.date, tc.rrn, got, tc.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(esigntest.Sample().Encode())
	f.Add(esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{{{X: 10, Y: 20}, {X: 8, Y: 25}}, {{X: 300, Y: 20}}}}.Encode())
	f.Add([]byte{1, 10, 10, 0})
	f.Add([]byte{1, 0xFF, 0xFF, 0x03, 0xFF, 0xFF, 0x03, 0x80, 0x02})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := esign.Decode(b)
		if err != nil {
			return
		}
		if again := s.Encode(); !bytes.Equal(again, b) {
			t.Fatalf("Decode(% X) encodes again as % X", b, again)
		}
		_ = s.Valid()
		_ = s.Ink()
		if len(b) < 64 {
			_ = s.Render(64)
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	s := esigntest.Sample()
	b.ReportAllocs()
	for b.Loop() {
		s.Encode()
	}
}

func BenchmarkDecode(b *testing.B) {
	enc := esigntest.Sample().Encode()
	b.ReportAllocs()
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, err := esign.Decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPNG384(b *testing.B) {
	s := esigntest.Sample()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PNG(384); err != nil {
			b.Fatal(err)
		}
	}
}
