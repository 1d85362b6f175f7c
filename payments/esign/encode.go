package esign

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Version is the first byte of an encoded signature.
const Version = 1

// Errors of Decode (and of a signature beyond the limits).
var (
	errVersion     = errors.New("esign: unknown version")
	errCanvas      = errors.New("esign: canvas of zero size")
	errStrokes     = fmt.Errorf("esign: more than %d strokes", MaxStrokes)
	errPoints      = fmt.Errorf("esign: more than %d points", MaxPoints)
	errEmptyStroke = errors.New("esign: a stroke without points")
	errOffCanvas   = errors.New("esign: a point off the canvas")
	errTruncated   = errors.New("esign: cut short")
	errTrailing    = errors.New("esign: bytes after the last stroke")
	errVarint      = errors.New("esign: malformed number")
)

// Encode is s in a compact binary form: the version byte, the canvas width
// and height and the stroke count (unsigned varints), then for each stroke
// its point count and its points, each as the signed-varint difference of
// x and y from the point before (the first point of all from 0,0). Empty
// strokes are left out. Decode reads it back; a signature beyond the limits
// (MaxStrokes, MaxPoints, points off the canvas) encodes, but does not
// decode.
func (s Signature) Encode() []byte {
	b := make([]byte, 0, 8+3*s.Points())
	b = append(b, Version)
	b = binary.AppendUvarint(b, uint64(s.Width))
	b = binary.AppendUvarint(b, uint64(s.Height))
	n := 0
	for _, st := range s.Strokes {
		if len(st) > 0 {
			n++
		}
	}
	b = binary.AppendUvarint(b, uint64(n))
	var prev Point
	for _, st := range s.Strokes {
		if len(st) == 0 {
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(st)))
		for _, p := range st {
			b = binary.AppendVarint(b, int64(p.X)-int64(prev.X))
			b = binary.AppendVarint(b, int64(p.Y)-int64(prev.Y))
			prev = p
		}
	}
	return b
}

// Decode reads a signature that Encode wrote. It refuses, with an error and
// without allocating more than the input justifies, anything else: another
// version, a canvas of zero size, more than MaxStrokes strokes or MaxPoints
// points, an empty stroke, a point off the canvas, numbers in a longer form
// than Encode writes, bytes cut short or left over.
func Decode(b []byte) (Signature, error) {
	r := reader{b: b}
	if len(b) == 0 {
		return Signature{}, errTruncated
	}
	if b[0] != Version {
		return Signature{}, fmt.Errorf("%w %d", errVersion, b[0])
	}
	r.off = 1
	w, err := r.uvarint(0xFFFF)
	if err != nil {
		return Signature{}, fmt.Errorf("esign: canvas width: %w", err)
	}
	h, err := r.uvarint(0xFFFF)
	if err != nil {
		return Signature{}, fmt.Errorf("esign: canvas height: %w", err)
	}
	if w == 0 || h == 0 {
		return Signature{}, errCanvas
	}
	s := Signature{Width: uint16(w), Height: uint16(h)}
	n, err := r.uvarint(MaxStrokes)
	if err != nil {
		return Signature{}, fmt.Errorf("esign: stroke count: %w", err)
	}
	// Each stroke takes 3 bytes at least (its count and one point).
	if int(n) > r.left()/3 {
		return Signature{}, fmt.Errorf("esign: %d strokes in %d bytes: %w", n, r.left(), errTruncated)
	}
	if n > 0 {
		s.Strokes = make([]Stroke, 0, n)
	}
	var prev Point
	total := 0
	for i := 0; i < int(n); i++ {
		m, err := r.uvarint(MaxPoints)
		if err != nil {
			return Signature{}, fmt.Errorf("esign: stroke %d: point count: %w", i, err)
		}
		if m == 0 {
			return Signature{}, fmt.Errorf("esign: stroke %d: %w", i, errEmptyStroke)
		}
		if total += int(m); total > MaxPoints {
			return Signature{}, errPoints
		}
		// Each point takes 2 bytes at least.
		if int(m) > r.left()/2 {
			return Signature{}, fmt.Errorf("esign: stroke %d: %d points in %d bytes: %w", i, m, r.left(), errTruncated)
		}
		st := make(Stroke, m)
		for j := range st {
			x, err := r.coord(prev.X, s.Width)
			if err != nil {
				return Signature{}, fmt.Errorf("esign: stroke %d point %d x: %w", i, j, err)
			}
			y, err := r.coord(prev.Y, s.Height)
			if err != nil {
				return Signature{}, fmt.Errorf("esign: stroke %d point %d y: %w", i, j, err)
			}
			prev = Point{x, y}
			st[j] = prev
		}
		s.Strokes = append(s.Strokes, st)
	}
	if r.left() != 0 {
		return Signature{}, fmt.Errorf("%w: %d", errTrailing, r.left())
	}
	return s, nil
}

// reader reads varints off b, in their shortest form only, so that what
// decodes encodes to the same bytes.
type reader struct {
	b   []byte
	off int
}

func (r *reader) left() int { return len(r.b) - r.off }

// uvarint reads an unsigned varint of at most limit.
func (r *reader) uvarint(limit uint64) (uint64, error) {
	v, n := binary.Uvarint(r.b[r.off:])
	switch {
	case n == 0:
		return 0, errTruncated
	case n < 0:
		return 0, errVarint
	case n != binary.PutUvarint(make([]byte, 0, binary.MaxVarintLen64)[:binary.MaxVarintLen64], v):
		return 0, errVarint
	case v > limit:
		return 0, fmt.Errorf("%d is more than %d", v, limit)
	}
	r.off += n
	return v, nil
}

// coord reads a signed delta from prev, and checks the coordinate lies on
// a canvas side of size.
func (r *reader) coord(prev, size uint16) (uint16, error) {
	d, n := binary.Varint(r.b[r.off:])
	switch {
	case n == 0:
		return 0, errTruncated
	case n < 0 || n != binary.PutVarint(make([]byte, 0, binary.MaxVarintLen64)[:binary.MaxVarintLen64], d):
		return 0, errVarint
	}
	r.off += n
	v := int64(prev) + d
	if v < 0 || v >= int64(size) {
		return 0, errOffCanvas
	}
	return uint16(v), nil
}
