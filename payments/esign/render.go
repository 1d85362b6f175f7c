package esign

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Image widths Render accepts; outside them it uses the nearest.
const (
	MinRenderWidth = 32
	MaxRenderWidth = 2048
)

// Palette is Render's: index 0 white paper, index 1 black ink.
var Palette = color.Palette{color.Gray{Y: 0xFF}, color.Gray{Y: 0}}

// PenRadius is the radius in pixels of the pen Render draws with at an
// image width: 2 (lines 5 dots thick) on a 58 mm printer's 384 dots.
func PenRadius(width int) int { return max(1, (width+127)/192) }

// Render draws s black on white, 1 bit a pixel, scaled to width pixels
// (MinRenderWidth–MaxRenderWidth; a 58 mm printer has 384 dots, an 80 mm
// one 576): the canvas keeps its proportions, narrower than width when it
// is taller than wide, and each stroke is a line PenRadius thick around
// its points, a dot a disc.
func (s Signature) Render(width int) *image.Paletted {
	width = min(max(width, MinRenderWidth), MaxRenderWidth)
	cw, ch := float64(max(s.Width, 1)), float64(max(s.Height, 1))
	scale := float64(width) / cw
	if ch*scale > float64(width) {
		scale = float64(width) / ch
	}
	w := max(1, int(math.Round(cw*scale)))
	h := max(1, int(math.Round(ch*scale)))
	img := image.NewPaletted(image.Rect(0, 0, w, h), Palette)
	pen := disc(PenRadius(width))
	// A point stands for the middle of its canvas cell.
	at := func(p Point) (float64, float64) {
		return (float64(p.X) + 0.5) * scale, (float64(p.Y) + 0.5) * scale
	}
	for _, st := range s.Strokes {
		if len(st) == 0 {
			continue
		}
		x0, y0 := at(st[0])
		stamp(img, pen, x0, y0)
		for _, p := range st[1:] {
			x1, y1 := at(p)
			steps := int(math.Ceil(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))))
			for i := 1; i <= steps; i++ {
				t := float64(i) / float64(steps)
				stamp(img, pen, x0+(x1-x0)*t, y0+(y1-y0)*t)
			}
			x0, y0 = x1, y1
		}
	}
	return img
}

// disc is the offsets of the pixels of a disc of radius r.
func disc(r int) []image.Point {
	var pts []image.Point
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			if dx*dx+dy*dy <= r*r+r/2 {
				pts = append(pts, image.Point{X: dx, Y: dy})
			}
		}
	}
	return pts
}

// stamp inks the pen's pixels around (x, y), inside img.
func stamp(img *image.Paletted, pen []image.Point, x, y float64) {
	cx, cy := int(x), int(y)
	b := img.Rect
	for _, d := range pen {
		px, py := cx+d.X, cy+d.Y
		if px >= b.Min.X && px < b.Max.X && py >= b.Min.Y && py < b.Max.Y {
			img.Pix[(py-b.Min.Y)*img.Stride+px-b.Min.X] = 1
		}
	}
}

// PNG is Render(width) as a 1-bit palette PNG, compressed as far as
// image/png goes.
func (s Signature) PNG(width int) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, s.Render(width)); err != nil {
		return nil, fmt.Errorf("esign: PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// ErrTooLarge means a signature's image does not fit the size asked for
// even at the smallest width tried.
var ErrTooLarge = fmt.Errorf("esign: the signature's image is too large")

// PNGWithin is the PNG of s at the widest of widths (tried in turn, widest
// first as given) whose bytes number fewer than limit, with that width;
// ErrTooLarge when none fits. An upload with a size cap (Newland's 900
// bytes) takes it.
func (s Signature) PNGWithin(limit int, widths ...int) ([]byte, int, error) {
	for _, w := range widths {
		b, err := s.PNG(w)
		if err != nil {
			return nil, 0, err
		}
		if len(b) < limit {
			return b, w, nil
		}
	}
	return nil, 0, fmt.Errorf("%w: %d bytes at most, widths %v", ErrTooLarge, limit, widths)
}
