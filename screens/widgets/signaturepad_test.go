package widgets

import (
	"image"
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/payments/esign"
)

// padWindow shows a pad at 500 × 200 (half the logical canvas' units).
func padWindow(t *testing.T) (*SignaturePad, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	p := NewSignaturePad()
	w := test.NewWindow(p)
	t.Cleanup(w.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(500, 200))
	if p.Size() != fyne.NewSize(500, 200) {
		t.Fatalf("pad of %v", p.Size())
	}
	return p, w
}

func drag(p *SignaturePad, from fyne.Position, moves ...fyne.Position) {
	at := from
	for _, m := range moves {
		p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: m}, Dragged: fyne.NewDelta(m.X-at.X, m.Y-at.Y)})
		at = m
	}
	p.DragEnd()
}

func TestSignaturePadRecordsStrokes(t *testing.T) {
	p, w := padWindow(t)
	changes := 0
	p.OnChanged = func() { changes++ }
	// test.Drag moves the pointer by (100, 20) to (150, 70), once: the
	// stroke starts where the pointer was.
	test.Drag(w.Canvas(), fyne.NewPos(150, 70), 100, 20)
	drag(p, fyne.NewPos(200, 100), fyne.NewPos(210, 110), fyne.NewPos(210, 110), fyne.NewPos(230, 90))
	test.TapAt(p, fyne.NewPos(250, 100)) // the middle
	want := esign.Signature{Width: 1000, Height: 400, Strokes: []esign.Stroke{
		{{X: 100, Y: 100}, {X: 300, Y: 140}},
		{{X: 400, Y: 200}, {X: 420, Y: 220}, {X: 460, Y: 180}}, // the repeated point is left out
		{{X: 500, Y: 200}},
	}}
	if got := p.Signature(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Signature() = %+v\nwant %+v", got, want)
	}
	if changes != 3 {
		t.Fatalf("OnChanged called %d times, want 3 (two strokes, a dot)", changes)
	}
	// Off the pad, a drag's points stay on the canvas' edge.
	drag(p, fyne.NewPos(490, 190), fyne.NewPos(600, 300))
	if got := p.Signature().Strokes[3]; !reflect.DeepEqual(got, esign.Stroke{{X: 980, Y: 380}, {X: 999, Y: 399}}) {
		t.Fatalf("a drag off the pad: %v", got)
	}
	if err := p.Signature().Valid(); err != nil {
		t.Fatalf("Valid() = %v", err)
	}
	p.Clear()
	if !p.Signature().Empty() || changes != 5 {
		t.Fatalf("after Clear: %+v, %d changes", p.Signature(), changes)
	}
	// A stroke after a Clear starts a new signature.
	drag(p, fyne.NewPos(10, 10), fyne.NewPos(20, 10))
	if n := len(p.Signature().Strokes); n != 1 {
		t.Fatalf("%d strokes after a Clear and a drag", n)
	}
}

func TestSignaturePadDotIsNotEnough(t *testing.T) {
	p, _ := padWindow(t)
	test.Tap(p)
	if err := p.Signature().Valid(); err != esign.ErrTooLittle {
		t.Fatalf("a dot: Valid() = %v", err)
	}
}

func TestSignaturePadKeepsItsLimits(t *testing.T) {
	p, _ := padWindow(t)
	for i := range esign.MaxStrokes + 10 {
		p.Tapped(&fyne.PointEvent{Position: fyne.NewPos(float32(i%400), float32(i/400))})
	}
	if s := p.Signature(); len(s.Strokes) != esign.MaxStrokes {
		t.Fatalf("%d strokes kept", len(s.Strokes))
	}
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 < 0x4000
}

func TestSignaturePadDrawsTheInk(t *testing.T) {
	p, w := padWindow(t)
	img := w.Canvas().Capture()
	if dark(img, 250, 60) || dark(img, 100, 100) {
		t.Fatal("the empty pad has ink")
	}
	drag(p, fyne.NewPos(50, 60), fyne.NewPos(250, 60), fyne.NewPos(250, 120))
	test.TapAt(p, fyne.NewPos(250, 100)) // a dot
	img = w.Canvas().Capture()
	for _, pt := range []image.Point{{X: 60, Y: 60}, {X: 150, Y: 60}, {X: 240, Y: 60}, {X: 250, Y: 90}, {X: 250, Y: 115}} {
		if !dark(img, pt.X, pt.Y) {
			t.Errorf("no ink at %v where the stroke went", pt)
		}
	}
	if dark(img, 150, 120) || dark(img, 450, 30) {
		t.Error("ink where nothing was drawn")
	}
	// Resized, the ink follows the pad.
	w.Resize(fyne.NewSize(1000, 400))
	img = w.Canvas().Capture()
	if !dark(img, 300, 120) || dark(img, 150, 60) {
		t.Error("the ink did not scale with the pad")
	}
	p.Clear()
	if img = w.Canvas().Capture(); dark(img, 300, 120) {
		t.Error("ink after Clear")
	}
}

func TestSignaturePadMinSize(t *testing.T) {
	test.NewTempApp(t)
	if s := NewSignaturePad().MinSize(); s.Width < 320 || s.Height < 160 {
		t.Fatalf("MinSize %v", s)
	}
}
