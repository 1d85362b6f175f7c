package firstframe

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tile is a tappable widget that names itself, like a product tile.
type tile struct {
	widget.BaseWidget
	name string
}

func newTile(name string) *tile {
	t := &tile{name: name}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tile) Name() string            { return t.name }
func (t *tile) Tapped(*fyne.PointEvent) {}
func (t *tile) MinSize() fyne.Size      { return fyne.NewSize(100, 50) }
func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(widget.NewLabel(t.name))
}

func TestDescribeWindows(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	w.SetPadded(false)
	w.SetTitle("Till")

	pay := widget.NewButton(" Pay ¥3.50 ", nil)
	off := widget.NewButton("Disabled", nil)
	off.Disable()
	hidden := widget.NewButton("Hidden", nil)
	hidden.Hide()
	// Three tiles 50 high in a scroller 60 high: the second shows in part,
	// the third not at all.
	tiles := container.NewVScroll(container.NewVBox(newTile("Cola"), newTile("Water"), newTile("Beer")))
	tiles.SetMinSize(fyne.NewSize(100, 60))
	w.SetContent(container.New(layout.NewVBoxLayout(),
		container.NewGridWrap(fyne.NewSize(200, 40), pay), off, hidden, tiles))
	w.Resize(fyne.NewSize(400, 300))

	got := describeWindows([]fyne.Window{w})
	for _, want := range []string{"layout\n", "window 1 \"Till\"\n", "\"Pay ¥3.50\"\n", "tile ", "\"Cola\"\n", "layout-end\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"Disabled", "Hidden", "Beer"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("%s reported:\n%s", unwanted, got)
		}
	}
	if !strings.Contains(got, "button 0 0 200 40 \"Pay ¥3.50\"\n") {
		t.Errorf("the Pay button is not at 0,0 200x40:\n%s", got)
	}
	// The scroller starts below the button, the disabled one and padding.
	if y := tiles.Position().Y; !strings.Contains(got, "tile 0 "+num(y)+" 400 50 \"Cola\"\n") ||
		!strings.Contains(got, "tile 0 "+num(y+50+theme.Padding())+" 400 6 \"Water\"\n") {
		t.Errorf("tiles not where they show (scroller at y %g):\n%s", y, got)
	}

	// A dialog on top takes the taps: only its buttons are listed.
	ok := widget.NewButton("OK", nil)
	pop := widget.NewModalPopUp(ok, w.Canvas())
	pop.Show()
	got = describeWindows([]fyne.Window{w})
	if !strings.Contains(got, "\"OK\"\n") || strings.Contains(got, "Pay") {
		t.Errorf("with a pop-up:\n%s", got)
	}
	pop.Hide()
	if got = describeWindows([]fyne.Window{w}); !strings.Contains(got, "Pay") {
		t.Errorf("after the pop-up:\n%s", got)
	}
}
