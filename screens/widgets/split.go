package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// splitLayout places two objects side by side, the first taking a fixed
// share of the width, when both fit so; on a narrower area (a portrait
// tablet) it stacks them, the first on top taking the same share of the
// height, each at least as tall as it needs. Unlike a split container it
// has no divider to drag by accident on a touchscreen.
type splitLayout struct{ share float32 }

// sideBySide reports whether a and b fit next to each other in width.
func sideBySide(a, b fyne.Size, width float32) bool {
	return a.Width+b.Width+theme.Padding() <= width
}

func (l splitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	pad := theme.Padding()
	a, b := objs[0].MinSize(), objs[1].MinSize()
	if sideBySide(a, b, size.Width) {
		w := max((size.Width-pad)*l.share, a.Width)
		w = min(w, size.Width-pad-b.Width)
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(w, size.Height))
		objs[1].Move(fyne.NewPos(w+pad, 0))
		objs[1].Resize(fyne.NewSize(size.Width-w-pad, size.Height))
		return
	}
	h := max((size.Height-pad)*l.share, a.Height)
	h = max(min(h, size.Height-pad-b.Height), 0)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h+pad))
	objs[1].Resize(fyne.NewSize(size.Width, max(size.Height-h-pad, 0)))
}

// MinSize is the larger of the two in each direction: side by side on a
// landscape screen that is wide enough, stacked on a portrait one, which
// has the height to spare.
func (l splitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) != 2 {
		return fyne.Size{}
	}
	return objs[0].MinSize().Max(objs[1].MinSize())
}

// NewSplit lays left and right side by side, left taking share (0–1) of
// the width, or stacks them where they do not fit side by side.
func NewSplit(share float32, left, right fyne.CanvasObject) *fyne.Container {
	return container.New(splitLayout{share}, left, right)
}
