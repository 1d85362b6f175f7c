package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/payments/esign"
)

// The logical canvas a SignaturePad records on, whatever its size on screen.
const (
	PadCanvasWidth  = 1000
	PadCanvasHeight = 400
)

// Colours of the pad: paper white in both themes, as the slip is.
var (
	padPaper    = color.White
	padInk      = color.Black
	padBorder   = color.Gray{Y: 0xB0}
	padBaseline = color.Gray{Y: 0xC8}
	padHint     = color.Gray{Y: 0x90}
)

// SignaturePad is where the cardholder signs with a finger or a mouse: a
// white box with a baseline and a "×", filling the space it is given. Each
// drag is a stroke and each tap a dot, recorded on a PadCanvasWidth ×
// PadCanvasHeight canvas; points beyond esign's limits are not recorded.
type SignaturePad struct {
	widget.BaseWidget

	// OnChanged is called when a stroke ends, a dot is tapped, or the pad
	// is cleared.
	OnChanged func()

	strokes []esign.Stroke
	drawing bool // a drag is under way: its points join the last stroke
	points  int
	cleared int // Clears so far: the renderer starts its ink again after one
}

var (
	_ fyne.Draggable = (*SignaturePad)(nil)
	_ fyne.Tappable  = (*SignaturePad)(nil)
)

// NewSignaturePad returns an empty pad.
func NewSignaturePad() *SignaturePad {
	p := &SignaturePad{}
	p.ExtendBaseWidget(p)
	return p
}

// MinSize is large enough for a finger: 320 × 160.
func (p *SignaturePad) MinSize() fyne.Size { return fyne.NewSize(320, 160) }

// Signature is a copy of what has been drawn.
func (p *SignaturePad) Signature() esign.Signature {
	s := esign.Signature{Width: PadCanvasWidth, Height: PadCanvasHeight}
	for _, st := range p.strokes {
		s.Strokes = append(s.Strokes, append(esign.Stroke(nil), st...))
	}
	return s
}

// Clear wipes the pad.
func (p *SignaturePad) Clear() {
	p.strokes, p.drawing, p.points = nil, false, 0
	p.cleared++
	p.Refresh()
	p.changed()
}

// Dragged adds the pointer's position to the stroke under way, starting
// one (at where the drag began) when none is.
func (p *SignaturePad) Dragged(e *fyne.DragEvent) {
	if !p.drawing {
		if !p.startStroke() {
			return
		}
		p.drawing = true
		p.add(e.Position.Subtract(e.Dragged))
	}
	p.add(e.Position)
	p.Refresh()
}

// DragEnd ends the stroke under way.
func (p *SignaturePad) DragEnd() {
	if !p.drawing {
		return
	}
	p.drawing = false
	p.changed()
}

// Tapped adds a dot.
func (p *SignaturePad) Tapped(e *fyne.PointEvent) {
	if p.drawing || !p.startStroke() {
		return
	}
	p.add(e.Position)
	p.Refresh()
	p.changed()
}

func (p *SignaturePad) changed() {
	if p.OnChanged != nil {
		p.OnChanged()
	}
}

// startStroke begins an empty stroke, if another one may be kept.
func (p *SignaturePad) startStroke() bool {
	if len(p.strokes) >= esign.MaxStrokes || p.points >= esign.MaxPoints {
		return false
	}
	p.strokes = append(p.strokes, nil)
	return true
}

// add records pos (in the pad's coordinates) in the last stroke, on the
// logical canvas; a point where the last one is, or beyond the limit of
// points, is left out.
func (p *SignaturePad) add(pos fyne.Position) {
	if p.points >= esign.MaxPoints || len(p.strokes) == 0 {
		return
	}
	size := p.Size()
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	pt := esign.Point{X: scaleTo(pos.X, size.Width, PadCanvasWidth), Y: scaleTo(pos.Y, size.Height, PadCanvasHeight)}
	st := &p.strokes[len(p.strokes)-1]
	if n := len(*st); n > 0 && (*st)[n-1] == pt {
		return
	}
	*st = append(*st, pt)
	p.points++
}

// scaleTo maps v of 0..size onto 0..n-1.
func scaleTo(v, size float32, n int) uint16 {
	x := int(v * float32(n) / size)
	return uint16(min(max(x, 0), n-1))
}

// CreateRenderer draws the paper, the baseline, the "×" and the ink.
func (p *SignaturePad) CreateRenderer() fyne.WidgetRenderer {
	p.ExtendBaseWidget(p)
	paper := canvas.NewRectangle(padPaper)
	paper.StrokeColor = padBorder
	paper.StrokeWidth = 1
	hint := canvas.NewText("×", padHint)
	hint.TextSize = 28
	return &padRenderer{p: p, paper: paper, baseline: canvas.NewLine(padBaseline), hint: hint}
}

type padRenderer struct {
	p        *SignaturePad
	paper    *canvas.Rectangle
	baseline *canvas.Line
	hint     *canvas.Text
	ink      []fyne.CanvasObject // a line for each segment, a circle for each dot
	segs     []inkSeg            // what each of ink draws, on the canvas
	drawn    []int               // for each stroke, the points drawn
	cleared  int                 // the pad's Clears the ink reflects
	size     fyne.Size
}

// inkSeg is the canvas points one ink object joins (a == b: a dot).
type inkSeg struct{ a, b esign.Point }

func (r *padRenderer) Destroy() {}

func (r *padRenderer) MinSize() fyne.Size { return r.p.MinSize() }

func (r *padRenderer) Objects() []fyne.CanvasObject {
	return append([]fyne.CanvasObject{r.paper, r.baseline, r.hint}, r.ink...)
}

func (r *padRenderer) Layout(size fyne.Size) {
	r.size = size
	r.paper.Resize(size)
	y := size.Height * 0.75
	r.baseline.Position1 = fyne.NewPos(size.Width*0.05, y)
	r.baseline.Position2 = fyne.NewPos(size.Width*0.95, y)
	r.baseline.StrokeWidth = 1
	hs := r.hint.MinSize()
	r.hint.Move(fyne.NewPos(size.Width*0.05, y-hs.Height))
	for i := range r.ink {
		r.place(i)
	}
}

// Refresh adds the ink of new points, or starts again after a Clear.
func (r *padRenderer) Refresh() {
	strokes := r.p.strokes
	if r.cleared != r.p.cleared {
		r.ink, r.segs, r.drawn, r.cleared = nil, nil, nil, r.p.cleared
	}
	for i, st := range strokes {
		if i == len(r.drawn) {
			r.drawn = append(r.drawn, 0)
		}
		from := r.drawn[i]
		for j := from; j < len(st); j++ {
			switch {
			case j == 0 && len(st) == 1:
				r.addInk(inkSeg{st[0], st[0]})
			case j > 0:
				if from == 1 && j == 1 && len(r.segs) > 0 && r.segs[len(r.segs)-1] == (inkSeg{st[0], st[0]}) {
					// The stroke's first point was drawn as a dot: its line replaces it.
					r.ink, r.segs = r.ink[:len(r.ink)-1], r.segs[:len(r.segs)-1]
				}
				r.addInk(inkSeg{st[j-1], st[j]})
			}
		}
		r.drawn[i] = len(st)
	}
	r.paper.Refresh()
	canvas.Refresh(r.p)
}

func (r *padRenderer) addInk(s inkSeg) {
	var o fyne.CanvasObject = canvas.NewLine(padInk)
	if s.a == s.b {
		o = canvas.NewCircle(padInk)
	}
	r.ink = append(r.ink, o)
	r.segs = append(r.segs, s)
	r.place(len(r.ink) - 1)
}

// pen is the ink's width on screen: about 3 units of the logical canvas'
// width, at least 2.
func (r *padRenderer) pen() float32 { return max(2, r.size.Width*3/PadCanvasWidth) }

// place puts ink object i where its canvas points are on screen.
func (r *padRenderer) place(i int) {
	at := func(p esign.Point) fyne.Position {
		return fyne.NewPos((float32(p.X)+0.5)*r.size.Width/PadCanvasWidth, (float32(p.Y)+0.5)*r.size.Height/PadCanvasHeight)
	}
	s := r.segs[i]
	switch o := r.ink[i].(type) {
	case *canvas.Line:
		o.Position1, o.Position2 = at(s.a), at(s.b)
		o.StrokeWidth = r.pen()
	case *canvas.Circle:
		c, d := at(s.a), r.pen()
		o.Position1 = fyne.NewPos(c.X-d, c.Y-d)
		o.Position2 = fyne.NewPos(c.X+d, c.Y+d)
	}
}
