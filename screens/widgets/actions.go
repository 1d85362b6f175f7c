package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// ActionHeight is the height of a row of a screen's main buttons.
var ActionHeight float32 = 64

// actionMaxWidth keeps a button of an action row from stretching across a
// wide screen.
const actionMaxWidth float32 = 300

// actionsLayout places buttons in one row, each at least as wide as its
// text needs and as tall as the row, sharing the spare width equally up to
// actionMaxWidth each, the row centred. Its minimum width is the sum of the
// buttons' own, so a row of short Chinese labels stays narrow.
type actionsLayout struct{ height float32 }

func (l actionsLayout) widths(objs []fyne.CanvasObject, width float32) []float32 {
	var visible []fyne.CanvasObject
	for _, o := range objs {
		if o.Visible() {
			visible = append(visible, o)
		}
	}
	pad := theme.Padding()
	ws := make([]float32, len(objs))
	if len(visible) == 0 {
		return ws
	}
	spare := width - pad*float32(len(visible)-1)
	for _, o := range visible {
		spare -= o.MinSize().Width
	}
	share := max(spare, 0) / float32(len(visible))
	for i, o := range objs {
		if o.Visible() {
			m := o.MinSize().Width
			ws[i] = max(m, min(m+share, actionMaxWidth))
		}
	}
	return ws
}

func (l actionsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	ws := l.widths(objs, size.Width)
	pad := theme.Padding()
	var total float32
	n := 0
	for i, o := range objs {
		if o.Visible() {
			total += ws[i]
			n++
		}
	}
	if n > 0 {
		total += pad * float32(n-1)
	}
	x := max((size.Width-total)/2, 0)
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(ws[i], size.Height))
		x += ws[i] + pad
	}
}

func (l actionsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w += m.Width
		h = max(h, m.Height)
		n++
	}
	if n > 0 {
		w += theme.Padding() * float32(n-1)
	}
	return fyne.NewSize(w, max(h, l.height))
}

// NewActions lays out a screen's main buttons in one row of the given
// height (ActionHeight when 0).
func NewActions(height float32, buttons ...fyne.CanvasObject) *fyne.Container {
	if height == 0 {
		height = ActionHeight
	}
	return container.New(actionsLayout{height}, buttons...)
}
