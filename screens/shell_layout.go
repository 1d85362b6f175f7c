package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// shellLayout places the window's frame: the top bar (its background, the
// shop on the left, the navigation, the operator and sync status on the
// right), a separator, and the current screen below. When the bar does not
// fit on one row (a portrait tablet, a narrow window), the navigation moves
// to a second row. The screen gets whatever height is left: the window is
// never made larger by the frame.
type shellLayout struct{}

// The objects of a shellLayout, in order.
const (
	shellBg = iota
	shellBrand
	shellNav
	shellStatus
	shellSep
	shellBody
	shellParts
)

// oneRow reports whether brand, nav and status fit side by side in width.
func (shellLayout) oneRow(objs []fyne.CanvasObject, width float32) bool {
	pad := theme.Padding()
	return objs[shellBrand].MinSize().Width+objs[shellNav].MinSize().Width+objs[shellStatus].MinSize().Width+4*pad <= width
}

func (l shellLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != shellParts {
		return
	}
	pad := theme.Padding()
	brand, nav, status := objs[shellBrand].MinSize(), objs[shellNav].MinSize(), objs[shellStatus].MinSize()
	row := max(brand.Height, nav.Height, status.Height)
	place := func(o fyne.CanvasObject, x, y float32, s fyne.Size, h float32) {
		o.Move(fyne.NewPos(x, y+(h-s.Height)/2))
		o.Resize(s)
	}
	place(objs[shellBrand], pad, 0, brand, row)
	place(objs[shellStatus], size.Width-status.Width-pad, 0, status, row)
	barH := row
	if l.oneRow(objs, size.Width) {
		// The navigation centred on the window when there is room,
		// else centred between the shop and the status.
		left, right := brand.Width+2*pad, size.Width-status.Width-2*pad
		x := (size.Width - nav.Width) / 2
		x = min(max(x, left), right-nav.Width)
		place(objs[shellNav], x, 0, nav, row)
	} else {
		place(objs[shellNav], max((size.Width-nav.Width)/2, 0), row, fyne.NewSize(min(nav.Width, size.Width), nav.Height), nav.Height)
		barH = row + nav.Height
	}
	objs[shellBg].Move(fyne.NewPos(0, 0))
	objs[shellBg].Resize(fyne.NewSize(size.Width, barH))
	sep := objs[shellSep].MinSize().Height
	objs[shellSep].Move(fyne.NewPos(0, barH))
	objs[shellSep].Resize(fyne.NewSize(size.Width, sep))
	top := barH + sep
	objs[shellBody].Move(fyne.NewPos(0, top))
	objs[shellBody].Resize(fyne.NewSize(size.Width, max(size.Height-top, 0)))
}

// MinSize is the narrowest frame (navigation on its own row) around the
// current screen's minimum, counting one bar row: a frame that needs two
// rows is one on a portrait tablet, which has the height to spare.
func (shellLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) != shellParts {
		return fyne.Size{}
	}
	pad := theme.Padding()
	brand, nav, status := objs[shellBrand].MinSize(), objs[shellNav].MinSize(), objs[shellStatus].MinSize()
	body := objs[shellBody].MinSize()
	w := max(brand.Width+status.Width+3*pad, nav.Width, body.Width)
	h := max(brand.Height, nav.Height, status.Height) + objs[shellSep].MinSize().Height + body.Height
	return fyne.NewSize(w, h)
}

// minScreen is the most a screen may ask of the window: the body of a
// 1024×768 landscape tablet and the width of a portrait 800×1280 one.
var minScreen = fyne.NewSize(800, 640)

// screenLayout fills its area with the current screen, and asks the window
// for at most minScreen whatever the screen's own minimum: a screen that
// needs more is cut, never allowed to grow the window past the display.
// Each screen is built to fit minScreen; the layout test checks that.
type screenLayout struct{}

func (screenLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (screenLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.Min(minScreen)
}
