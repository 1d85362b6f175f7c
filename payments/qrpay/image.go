package qrpay

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// MaxImagePx is the largest side, in pixels, Image draws.
const MaxImagePx = 4096

// Image draws payload as a QR symbol at error-correction level M with a
// quiet zone of at least four modules, on a white px×px square. Every module
// is the same whole number of pixels, so the symbol stays sharp; the spare
// pixels widen the quiet zone. About 480 px suits a tablet read from 40 cm.
// px must be large enough for one pixel per module and at most MaxImagePx.
func Image(payload string, px int) (image.Image, error) {
	if px <= 0 || px > MaxImagePx {
		return nil, qrError(KeyImage, fmt.Errorf("qrpay: draw QR: size %d px is outside 1 to %d", px, MaxImagePx))
	}
	if payload == "" {
		return nil, qrError(KeyImage, errors.New("qrpay: draw QR: empty payload"))
	}
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, qrError(KeyImage, fmt.Errorf("qrpay: draw QR: %w", err))
	}
	bitmap := q.Bitmap() // includes the four-module quiet zone
	modules := len(bitmap)
	scale := px / modules
	if scale < 1 {
		return nil, qrError(KeyImage, fmt.Errorf("qrpay: draw QR: %d px is too small for %d modules", px, modules))
	}
	offset := (px - modules*scale) / 2
	img := image.NewPaletted(image.Rect(0, 0, px, px), color.Palette{color.White, color.Black})
	for y, row := range bitmap {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range scale {
				start := img.PixOffset(offset+x*scale, offset+y*scale+dy)
				for dx := range scale {
					img.Pix[start+dx] = 1
				}
			}
		}
	}
	return img, nil
}

// PNG returns Image(payload, px) encoded as PNG.
func PNG(payload string, px int) ([]byte, error) {
	img, err := Image(payload, px)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qrpay: encode QR as PNG: %w", err)
	}
	return buf.Bytes(), nil
}
