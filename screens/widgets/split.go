package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// splitLayout places two objects side by side, the first taking a fixed
// share of the width. Unlike a split container it has no divider to drag by
// accident on a touchscreen.
type splitLayout struct{ share float32 }

func (l splitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	pad := theme.Padding()
	w := (size.Width - pad) * l.share
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+pad, 0))
	objs[1].Resize(fyne.NewSize(size.Width-w-pad, size.Height))
}

func (l splitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) != 2 {
		return fyne.Size{}
	}
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+b.Width+theme.Padding(), max(a.Height, b.Height))
}

// NewSplit lays left and right side by side, left taking share (0–1) of the width.
func NewSplit(share float32, left, right fyne.CanvasObject) *fyne.Container {
	return container.New(splitLayout{share}, left, right)
}
