package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TileSize is the size of a product tile on the sell screen.
var TileSize = fyne.NewSize(176, 160) // three lines of a long name above the price

// ProductTile is a tappable card with a product's name and price.
type ProductTile struct {
	widget.BaseWidget
	OnTapped func()

	name, price *widget.Label
	bg          *canvas.Rectangle
}

// NewProductTile returns an empty tile; call Set to fill it.
func NewProductTile() *ProductTile {
	t := &ProductTile{
		name:  widget.NewLabel(""),
		price: widget.NewLabel(""),
	}
	t.name.Wrapping = fyne.TextWrapWord
	t.price.TextStyle = fyne.TextStyle{Bold: true}
	t.price.Alignment = fyne.TextAlignTrailing
	t.ExtendBaseWidget(t)
	return t
}

// Set shows a product's name and price.
func (t *ProductTile) Set(name, price string) {
	t.name.SetText(name)
	t.price.SetText(price)
}

// Clipped reports whether the name needs more room than the tile gives
// it (a line of it hidden under the price), for tests.
func (t *ProductTile) Clipped() bool {
	return t.name.MinSize().Height > t.name.Size().Height+0.5
}

// Name is the name shown, for tests.
func (t *ProductTile) Name() string { return t.name.Text }

// Tapped calls OnTapped.
func (t *ProductTile) Tapped(*fyne.PointEvent) {
	if t.OnTapped != nil {
		t.OnTapped()
	}
}

// MinSize keeps tiles large enough to hit with a finger.
func (t *ProductTile) MinSize() fyne.Size { return TileSize }

// CreateRenderer lays out the name above the price on a rounded card.
func (t *ProductTile) CreateRenderer() fyne.WidgetRenderer {
	t.bg = canvas.NewRectangle(theme.Color(theme.ColorNameButton))
	t.bg.CornerRadius = theme.InputRadiusSize() * 2
	t.bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	t.bg.StrokeWidth = 1
	content := container.NewBorder(nil, t.price, nil, nil, t.name)
	return &tileRenderer{t: t, WidgetRenderer: widget.NewSimpleRenderer(container.NewStack(t.bg, content))}
}

// tileRenderer repaints the card's colours when the theme changes.
type tileRenderer struct {
	fyne.WidgetRenderer
	t *ProductTile
}

func (r *tileRenderer) Refresh() {
	r.t.bg.FillColor = theme.Color(theme.ColorNameButton)
	r.t.bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	r.WidgetRenderer.Refresh()
}
