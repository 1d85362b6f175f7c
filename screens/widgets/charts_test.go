package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// chartWindow shows o alone at size.
func chartWindow(t *testing.T, o fyne.CanvasObject, size fyne.Size) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewWindow(o)
	t.Cleanup(w.Close)
	w.SetPadded(false)
	w.Resize(size)
}

var hours = []Datum{
	{Label: "09", Value: 1000, Detail: "09:00 ¥10.00"},
	{Label: "10", Value: 4000, Detail: "10:00 ¥40.00"},
	{Label: "11", Value: 0, Detail: "11:00 ¥0.00"},
	{Label: "12", Value: -500, Detail: "12:00 -¥5.00"}, // refunds only: drawn as nothing
}

func TestBarChartTapSelectsTheBarUnderTheFinger(t *testing.T) {
	c := NewBarChart(hours)
	c.Compare = []int64{2000, 2000, 2000, 2000}
	chartWindow(t, c, fyne.NewSize(400, 200))
	var got []int
	c.OnSelected = func(i int) { got = append(got, i) }
	test.TapAt(c, fyne.NewPos(150, 150)) // the second of four 100-wide slots
	test.TapAt(c, fyne.NewPos(399, 10))
	if len(got) != 2 || got[0] != 1 || got[1] != 3 || c.Selected() != 3 {
		t.Fatalf("selected %v, now %d", got, c.Selected())
	}
	r := test.WidgetRenderer(c).(*barRenderer)
	if r.detail.Text != "12:00 -¥5.00" {
		t.Fatalf("detail %q", r.detail.Text)
	}
	// The tallest bar (¥40) reaches the top of the plot; the week before's
	// ¥20 mark half as high; a negative hour is no bar.
	bottom := r.base.Position1.Y
	if h := r.bars[1].Size().Height; h < bottom-r.detail.MinSize().Height-10 {
		t.Fatalf("the peak bar is %v of %v", h, bottom)
	}
	if h, mark := r.bars[1].Size().Height, bottom-r.marks[1].Position1.Y; mark < h/2-1 || mark > h/2+1 {
		t.Fatalf("the week before's mark at %v, bar %v", mark, h)
	}
	if r.bars[3].Size().Height != 0 {
		t.Fatalf("a negative hour drawn %v high", r.bars[3].Size().Height)
	}
	if r.bars[3].FillColor == r.bars[0].FillColor {
		t.Fatal("the selected bar looks like the others")
	}
	if c.MinSize().Height < 48 {
		t.Fatalf("bars a finger cannot hit: %v", c.MinSize())
	}
}

func TestBarChartLabelsDoNotCrowd(t *testing.T) {
	var day []Datum
	for h := range 24 {
		day = append(day, Datum{Label: "00:00", Value: int64(h)})
	}
	c := NewBarChart(day)
	chartWindow(t, c, fyne.NewSize(240, 200)) // 10 units a bar, labels ~40 wide
	r := test.WidgetRenderer(c).(*barRenderer)
	shown := 0
	var last *canvas.Text
	for _, l := range r.labels {
		if !l.Visible() {
			continue
		}
		if last != nil && l.Position().X-last.Position().X < l.MinSize().Width {
			t.Fatalf("labels at %v and %v overlap", last.Position(), l.Position())
		}
		last = l
		shown++
	}
	if shown == 0 || shown == 24 {
		t.Fatalf("%d of 24 labels shown", shown)
	}
}

func TestLineChartTapSelectsTheNearestPoint(t *testing.T) {
	c := NewLineChart(hours[:3])
	chartWindow(t, c, fyne.NewSize(400, 200))
	test.TapAt(c, fyne.NewPos(190, 50)) // points at 0, 200, 400
	if c.Selected() != 1 {
		t.Fatalf("selected %d", c.Selected())
	}
	r := test.WidgetRenderer(c).(*lineRenderer)
	if r.detail.Text != "10:00 ¥40.00" || !r.dot.Visible() || len(r.segs) != 2 {
		t.Fatalf("detail %q dot %v segments %d", r.detail.Text, r.dot.Visible(), len(r.segs))
	}
}

func TestDonutTapSelectsTheSliceUnderTheFinger(t *testing.T) {
	// Cash a half, card a quarter, QR a quarter: cash from 12 to 6
	// o'clock on the right, card 6 to 9, QR 9 to 12.
	d := NewDonut([]Datum{{Label: "cash", Value: 200, Detail: "cash 50%"}, {Label: "card", Value: 100, Detail: "card 25%"},
		{Label: "qr", Value: 100, Detail: "qr 25%"}}, "¥4.00")
	chartWindow(t, d, fyne.NewSize(200, 200))
	r := test.WidgetRenderer(d).(*donutRenderer)
	if r.middle.Text != "¥4.00" {
		t.Fatalf("middle %q", r.middle.Text)
	}
	for _, c := range []struct {
		at   fyne.Position
		want int
	}{
		{fyne.NewPos(190, 100), 0},  // 3 o'clock
		{fyne.NewPos(20, 110), 1},   // just below 9 o'clock
		{fyne.NewPos(20, 90), 2},    // just above 9 o'clock
		{fyne.NewPos(100, 100), -1}, // the hole
	} {
		test.TapAt(d, c.at)
		if d.Selected() != c.want {
			t.Errorf("tap at %v selected %d, want %d", c.at, d.Selected(), c.want)
		}
	}
	test.TapAt(d, fyne.NewPos(190, 100))
	if r.middle.Text != "cash 50%" || r.arcs[1].EndAngle != 270 {
		t.Fatalf("middle %q, card slice ends at %v", r.middle.Text, r.arcs[1].EndAngle)
	}
}
