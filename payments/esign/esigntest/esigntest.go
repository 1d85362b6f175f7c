// Package esigntest gives tests a realistic signature.
package esigntest

import (
	"math"

	"github.com/till-pos/till/payments/esign"
)

// Sample is a handwritten-looking signature on a 1000 × 400 canvas: a
// looping name of 200 points, a crossing stroke, an underline and a dot,
// 301 points in all, with the small jitter of a finger on glass. It is
// the same every time.
func Sample() esign.Signature {
	seed := uint32(7)
	jitter := func() float64 {
		seed = seed*1664525 + 1013904223
		return float64(seed>>24)/255*4 - 2
	}
	pt := func(x, y float64) esign.Point {
		x = math.Min(math.Max(x+jitter(), 0), 999)
		y = math.Min(math.Max(y+jitter(), 0), 399)
		return esign.Point{X: uint16(x), Y: uint16(y)}
	}
	var name, cross, under esign.Stroke
	for i := range 200 {
		t := float64(i) / 199
		x := 90 + 620*t + 45*math.Sin(t*14*math.Pi)
		y := 190 - 95*math.Sin(t*7*math.Pi)*math.Exp(-t) + 35*math.Cos(t*14*math.Pi)
		name = append(name, pt(x, y))
	}
	for i := range 50 {
		t := float64(i) / 49
		cross = append(cross, pt(300+260*t, 110+150*t-40*t*t))
	}
	for i := range 50 {
		t := float64(i) / 49
		under = append(under, pt(120+700*t, 330-25*math.Sin(t*math.Pi)))
	}
	dot := esign.Stroke{pt(760, 90)}
	return esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{name, cross, under, dot}}
}
