package esign

import (
	"math"

	"github.com/till-pos/till/models"
)

// Point is one sampled position of the pen, in canvas units.
type Point struct{ X, Y uint16 }

// Stroke is the points of one touch, from pen down to pen up; a stroke of
// one point is a dot.
type Stroke []Point

// Signature is what the cardholder drew on a canvas of Width × Height units.
type Signature struct {
	Width, Height uint16
	Strokes       []Stroke
}

// Limits that keep a signature, and anything decoded as one, small.
const (
	MaxStrokes = 256  // strokes in one signature
	MaxPoints  = 8192 // points in all strokes together
)

// minInkShare: a signature's drawn length must be at least the canvas's
// larger side divided by this; a dot or a short tick is not a signature.
const minInkShare = 8

// Errors of Valid, for the cardholder.
var (
	// ErrEmpty means nothing was drawn.
	ErrEmpty = &models.Error{Code: models.EINVALID, Key: "error.signature.empty",
		Fallback: "Please sign in the box"}
	// ErrTooLittle means what was drawn is too small to be a signature.
	ErrTooLittle = &models.Error{Code: models.EINVALID, Key: "error.signature.too_little",
		Fallback: "The signature is too small: please sign with your name"}
	// ErrTooMuch means the signature has more strokes or points than are
	// kept, or points off its canvas.
	ErrTooMuch = &models.Error{Code: models.EINVALID, Key: "error.signature.too_much",
		Fallback: "The signature cannot be kept: clear it and sign once more"}
)

// Empty reports whether nothing was drawn.
func (s Signature) Empty() bool { return s.Points() == 0 }

// Points counts the points of all strokes.
func (s Signature) Points() int {
	n := 0
	for _, st := range s.Strokes {
		n += len(st)
	}
	return n
}

// Ink is the drawn length of the strokes, in canvas units (rounded down):
// a dot has none.
func (s Signature) Ink() int {
	var sum float64
	for _, st := range s.Strokes {
		for i := 1; i < len(st); i++ {
			dx := float64(st[i].X) - float64(st[i-1].X)
			dy := float64(st[i].Y) - float64(st[i-1].Y)
			sum += math.Hypot(dx, dy)
		}
	}
	return int(sum)
}

// Valid reports why s cannot be accepted as a signature: nothing drawn
// (ErrEmpty), too little ink (ErrTooLittle), or more than is kept or points
// off the canvas (ErrTooMuch).
func (s Signature) Valid() error {
	if s.Empty() {
		return ErrEmpty
	}
	if err := s.bounded(); err != nil {
		return ErrTooMuch
	}
	if s.Ink()*minInkShare < int(max(s.Width, s.Height)) {
		return ErrTooLittle
	}
	return nil
}

// bounded checks the limits that Encode and Decode keep: a canvas of at
// least 1×1, at most MaxStrokes non-empty strokes and MaxPoints points, and
// every point on the canvas.
func (s Signature) bounded() error {
	if s.Width == 0 || s.Height == 0 {
		return errCanvas
	}
	if len(s.Strokes) > MaxStrokes {
		return errStrokes
	}
	if s.Points() > MaxPoints {
		return errPoints
	}
	for _, st := range s.Strokes {
		if len(st) == 0 {
			return errEmptyStroke
		}
		for _, p := range st {
			if p.X >= s.Width || p.Y >= s.Height {
				return errOffCanvas
			}
		}
	}
	return nil
}
