package qrpay

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

func TestImageMatchesSymbol(t *testing.T) {
	payload, err := DynamicOrder(DefaultDemoMerchant(), 12345, "B-20260101-0001", "POS1")
	if err != nil {
		t.Fatal(err)
	}
	img, err := Image(payload, 480)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 480 || b.Dy() != 480 {
		t.Fatalf("bounds %v, want 480×480", b)
	}
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bitmap := q.Bitmap()
	n := len(bitmap)
	scale := 480 / n
	offset := (480 - n*scale) / 2
	for y := range n {
		for x := range n {
			c := color.GrayModel.Convert(img.At(offset+x*scale+scale/2, offset+y*scale+scale/2)).(color.Gray)
			if dark := c.Y < 128; dark != bitmap[y][x] {
				t.Fatalf("module (%d,%d): dark=%v, want %v", x, y, dark, bitmap[y][x])
			}
		}
	}
	// Quiet zone: the first four modules (and the margin) are white.
	for i := 0; i < offset+4*scale; i++ {
		for _, p := range []image.Point{{i, i}, {479 - i, i}, {i, 479 - i}} {
			if c := color.GrayModel.Convert(img.At(p.X, p.Y)).(color.Gray); c.Y < 128 {
				t.Fatalf("pixel %v in the quiet zone is dark", p)
			}
		}
	}
}

func TestPNG(t *testing.T) {
	b, err := PNG(emvcoExample, 480)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 480 {
		t.Fatalf("width %d", img.Bounds().Dx())
	}
}

func TestImageRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		payload string
		px      int
	}{
		"zero size":     {emvcoExample, 0},
		"negative size": {emvcoExample, -3},
		"huge size":     {emvcoExample, MaxImagePx + 1},
		"too small":     {emvcoExample, 20},
		"empty":         {"", 480},
		"too long":      {strings.Repeat("店", 3000), 480},
	} {
		if _, err := Image(tc.payload, tc.px); errKey(err) != KeyImage {
			t.Errorf("%s: err = %v, want %s", name, err, KeyImage)
		}
	}
}
