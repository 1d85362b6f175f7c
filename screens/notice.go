package screens

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// noticeTime is how long a notice stays on the screen.
const noticeTime = 5 * time.Second

// noticeKind says how a notice looks: a warning (the action went ahead) or
// an error (it did not).
type noticeKind int

const (
	noticeWarning noticeKind = iota
	noticeError
)

// notice is a message shown prominently, in a coloured band with an icon,
// for a few seconds: a barcode no product has, a product sold beyond its
// stock. It goes by itself after noticeTime, or at a tap. Told again, it
// takes the new message and waits the whole time again.
type notice struct {
	widget.BaseWidget
	ui    *UI
	bg    *canvas.Rectangle
	icon  *widget.Icon
	text  *widget.Label
	body  *container.ThemeOverride
	layer *fyne.Container // what holds it at the top of what it covers
	timer Timer
	gen   uint64 // advanced by every Tell and Hide: an older timer is stale
}

func newNotice(ui *UI) *notice {
	n := &notice{ui: ui, bg: canvas.NewRectangle(color.Transparent), icon: widget.NewIcon(nil), text: widget.NewLabel("")}
	n.bg.CornerRadius = theme.InputRadiusSize()
	n.text.Wrapping = fyne.TextWrapWord
	n.text.TextStyle = fyne.TextStyle{Bold: true}
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(40), n.icon))
	n.body = container.NewThemeOverride(container.NewStack(n.bg,
		container.NewPadded(container.NewBorder(nil, nil, icon, nil, n.text))), theme.DefaultTheme())
	n.ExtendBaseWidget(n)
	n.layer = container.NewVBox(n)
	n.Hide()
	return n
}

// over is o with the notice at its top, over it when shown.
func (n *notice) over(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(o, n.layer)
}

func (n *notice) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(n.body) }

// Tell puts text up for noticeTime, as kind.
func (n *notice) Tell(kind noticeKind, text string) {
	fg, bg, icon := theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, theme.WarningIcon()
	if kind == noticeError {
		fg, bg, icon = theme.ColorNameForegroundOnError, theme.ColorNameError, theme.ErrorIcon()
	}
	base := fyne.CurrentApp().Settings().Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	n.bg.FillColor = base.Color(bg, variant)
	n.body.Theme = onColor{Theme: base, fg: fg}
	n.icon.SetResource(theme.NewThemedResource(icon))
	n.text.SetText(text)
	n.stopTimer()
	gen := n.gen
	n.timer = n.ui.after(noticeTime, func() {
		if n.gen == gen {
			n.Hide()
		}
	})
	n.BaseWidget.Show()
	n.layer.Refresh()
	n.bg.Refresh()
	n.body.Refresh()
}

// Hide takes the notice off at once.
func (n *notice) Hide() {
	n.stopTimer()
	n.BaseWidget.Hide()
	n.layer.Refresh()
}

func (n *notice) stopTimer() {
	n.gen++
	if n.timer != nil {
		n.timer.Stop()
		n.timer = nil
	}
}

// Tapped dismisses the notice.
func (n *notice) Tapped(*fyne.PointEvent) { n.Hide() }

// Text is the message shown, or "" when none is.
func (n *notice) Text() string {
	if !n.Visible() {
		return ""
	}
	return n.text.Text
}

// onColor is a theme whose text is in the colour made for a coloured
// background (white on red, say).
type onColor struct {
	fyne.Theme
	fg fyne.ThemeColorName
}

func (t onColor) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if name == theme.ColorNameForeground {
		name = t.fg
	}
	return t.Theme.Color(name, v)
}
