package widgets

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Datum is one figure of a chart: its label (under a bar, beside a
// slice), its value (minor units, a count: any whole number; below zero is
// drawn as zero) and the words shown when it is tapped.
type Datum struct {
	Label  string
	Value  int64
	Detail string
}

// chartPalette are the slices' colours, apart for the colour-blind as far
// as eight can be (Okabe–Ito), then repeated.
var chartPalette = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, {0xE6, 0x9F, 0x00, 0xFF}, {0x00, 0x9E, 0x73, 0xFF}, {0xCC, 0x79, 0xA7, 0xFF},
	{0x56, 0xB4, 0xE9, 0xFF}, {0xD5, 0x5E, 0x00, 0xFF}, {0xF0, 0xE4, 0x42, 0xFF}, {0x99, 0x99, 0x99, 0xFF},
}

// ChartColor is the colour of the i-th slice of a Donut, for a legend.
func ChartColor(i int) color.Color { return chartPalette[i%len(chartPalette)] }

// chartTextSize is the size of a chart's words: the theme's, readable at
// arm's length.
func chartTextSize() float32 { return theme.TextSize() }

// selection is the tapped datum of a chart, -1 for none, and its callback.
type selection struct {
	selected int
	// OnSelected is called with the index of a tapped datum.
	OnSelected func(i int)
}

// series is what the bar and the line chart show: Data, and Compare, the
// period compared (a week before), when given; and the datum tapped.
type series struct {
	selection
	Data    []Datum
	Compare []int64
}

// newSeries is data, none compared nor selected.
func newSeries(data []Datum) series {
	return series{selection: selection{selected: -1}, Data: data}
}

// set shows data and compare instead, none selected.
func (s *series) set(data []Datum, compare []int64) {
	s.Data, s.Compare, s.selected = data, compare, -1
}

// peak is the largest value of the data and the comparison, at least 1:
// what the chart's full height stands for.
func (s *series) peak() int64 {
	peak := int64(1)
	for i, d := range s.Data {
		peak = max(peak, d.Value)
		if i < len(s.Compare) {
			peak = max(peak, s.Compare[i])
		}
	}
	return peak
}

// chartHeight is a bar or line chart's least height: room for the words
// above and below and a plot a finger can tap (48 dp at least).
func chartHeight() float32 {
	return 2*fyne.MeasureText("0", chartTextSize(), fyne.TextStyle{}).Height + 96
}

// Selected is the index of the datum last tapped, -1 for none.
func (s *selection) Selected() int { return s.selected }

func (s *selection) choose(i int, refresh func()) {
	s.selected = i
	refresh()
	if s.OnSelected != nil {
		s.OnSelected(i)
	}
}

// BarChart draws Data as vertical bars from a baseline, the label of each
// under it (every other one when they would crowd), and Compare, when
// given, as a thin mark at each bar's height of the period compared
// (a week before). A tap selects a bar: it is drawn in the accent colour
// and its Detail shown above the bars.
type BarChart struct {
	widget.BaseWidget
	series
}

var _ fyne.Tappable = (*BarChart)(nil)

// NewBarChart returns a bar chart of data, none selected.
func NewBarChart(data []Datum) *BarChart {
	c := &BarChart{series: newSeries(data)}
	c.ExtendBaseWidget(c)
	return c
}

// SetData shows data and compare instead, none selected.
func (c *BarChart) SetData(data []Datum, compare []int64) {
	c.set(data, compare)
	c.Refresh()
}

// Select selects bar i (as a tap would), -1 for none.
func (c *BarChart) Select(i int) {
	if i < -1 || i >= len(c.Data) {
		return
	}
	c.choose(i, c.Refresh)
}

// Tapped selects the bar under the finger.
func (c *BarChart) Tapped(e *fyne.PointEvent) {
	if len(c.Data) == 0 {
		return
	}
	slot := c.Size().Width / float32(len(c.Data))
	i := int(e.Position.X / slot)
	if i >= len(c.Data) {
		i = len(c.Data) - 1
	}
	c.choose(i, c.Refresh)
}

// MinSize leaves room for the words above and below and bars a finger can
// tap (48 dp tall at least).
func (c *BarChart) MinSize() fyne.Size {
	return fyne.NewSize(float32(max(len(c.Data), 1))*8, chartHeight())
}

// CreateRenderer makes the bars, marks and words.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{c: c, base: canvas.NewLine(theme.Color(theme.ColorNameForeground)),
		detail: canvas.NewText("", theme.Color(theme.ColorNameForeground))}
	r.detail.TextSize = chartTextSize()
	r.detail.TextStyle.Bold = true
	r.Refresh()
	return r
}

type barRenderer struct {
	c       *BarChart
	bars    []*canvas.Rectangle
	marks   []*canvas.Line
	labels  []*canvas.Text
	base    *canvas.Line
	detail  *canvas.Text
	objects []fyne.CanvasObject
}

func (r *barRenderer) Destroy() {}

func (r *barRenderer) MinSize() fyne.Size { return r.c.MinSize() }

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objects }

// Refresh makes one bar, mark and label per datum, coloured for the theme
// and the selection, then lays them out.
func (r *barRenderer) Refresh() {
	n := len(r.c.Data)
	for len(r.bars) < n {
		r.bars = append(r.bars, canvas.NewRectangle(color.Transparent))
		r.marks = append(r.marks, canvas.NewLine(color.Transparent))
		t := canvas.NewText("", color.Transparent)
		t.Alignment = fyne.TextAlignCenter
		r.labels = append(r.labels, t)
	}
	r.bars, r.marks, r.labels = r.bars[:n], r.marks[:n], r.labels[:n]
	fg := theme.Color(theme.ColorNameForeground)
	bar, chosen := theme.Color(theme.ColorNamePrimary), theme.Color(theme.ColorNameError)
	r.objects = r.objects[:0]
	for i, d := range r.c.Data {
		r.bars[i].FillColor = bar
		if i == r.c.selected {
			r.bars[i].FillColor = chosen
		}
		r.bars[i].CornerRadius = 2
		r.marks[i].StrokeColor = fg
		r.marks[i].StrokeWidth = 2
		r.labels[i].Text, r.labels[i].Color, r.labels[i].TextSize = d.Label, fg, chartTextSize()*0.85
		r.objects = append(r.objects, r.bars[i], r.marks[i], r.labels[i])
	}
	r.base.StrokeColor, r.detail.Color = fg, fg
	r.detail.Text = ""
	if s := r.c.selected; s >= 0 && s < n {
		r.detail.Text = r.c.Data[s].Detail
		if r.detail.Text == "" {
			r.detail.Text = r.c.Data[s].Label
		}
	}
	r.objects = append(r.objects, r.base, r.detail)
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

// Layout places the detail on top, the labels at the bottom and the bars,
// scaled to the largest value (of the data and the comparison), between.
func (r *barRenderer) Layout(size fyne.Size) {
	n := len(r.c.Data)
	line := fyne.MeasureText("0", chartTextSize(), fyne.TextStyle{}).Height
	top, bottom := line+4, size.Height-line-2
	r.detail.Move(fyne.NewPos(0, 0))
	r.base.Position1, r.base.Position2 = fyne.NewPos(0, bottom), fyne.NewPos(size.Width, bottom)
	if n == 0 {
		return
	}
	peak := r.c.peak()
	slot := size.Width / float32(n)
	gap := max(1, slot/6)
	// Labels every step-th bar, so that they do not run into each other.
	widest := float32(0)
	for _, d := range r.c.Data {
		widest = max(widest, fyne.MeasureText(d.Label, chartTextSize()*0.85, fyne.TextStyle{}).Width)
	}
	step := max(1, int(math.Ceil(float64((widest+6)/slot))))
	height := bottom - top
	for i, d := range r.c.Data {
		h := height * float32(max(d.Value, 0)) / float32(peak)
		x := float32(i) * slot
		r.bars[i].Move(fyne.NewPos(x+gap/2, bottom-h))
		r.bars[i].Resize(fyne.NewSize(slot-gap, h))
		if i < len(r.c.Compare) {
			y := bottom - height*float32(max(r.c.Compare[i], 0))/float32(peak)
			r.marks[i].Position1, r.marks[i].Position2 = fyne.NewPos(x+gap/2, y), fyne.NewPos(x+slot-gap/2, y)
			r.marks[i].Show()
		} else {
			r.marks[i].Hide()
		}
		r.labels[i].Move(fyne.NewPos(x, bottom+1))
		r.labels[i].Resize(fyne.NewSize(slot, line))
		if i%step == 0 || i == r.c.selected {
			r.labels[i].Show()
		} else {
			r.labels[i].Hide()
		}
	}
}

// LineChart draws Data as a line of points left to right (a day each, say)
// and Compare, when given, as a thinner line in the disabled colour; a tap
// selects the nearest point and shows its Detail above the line.
type LineChart struct {
	widget.BaseWidget
	series
}

var _ fyne.Tappable = (*LineChart)(nil)

// NewLineChart returns a line chart of data, none selected.
func NewLineChart(data []Datum) *LineChart {
	c := &LineChart{series: newSeries(data)}
	c.ExtendBaseWidget(c)
	return c
}

// SetData shows data and compare instead, none selected.
func (c *LineChart) SetData(data []Datum, compare []int64) {
	c.set(data, compare)
	c.Refresh()
}

// Tapped selects the point nearest the finger.
func (c *LineChart) Tapped(e *fyne.PointEvent) {
	n := len(c.Data)
	if n == 0 {
		return
	}
	i := 0
	if n > 1 {
		i = int(math.Round(float64(e.Position.X / (c.Size().Width / float32(n-1)))))
	}
	c.choose(min(max(i, 0), n-1), c.Refresh)
}

// MinSize is as a BarChart's.
func (c *LineChart) MinSize() fyne.Size {
	return fyne.NewSize(160, chartHeight())
}

// CreateRenderer makes the segments, points and words.
func (c *LineChart) CreateRenderer() fyne.WidgetRenderer {
	r := &lineRenderer{c: c, base: canvas.NewLine(color.Transparent), dot: canvas.NewCircle(color.Transparent),
		detail: canvas.NewText("", color.Transparent), first: canvas.NewText("", color.Transparent),
		last: canvas.NewText("", color.Transparent)}
	r.detail.TextStyle.Bold = true
	r.last.Alignment = fyne.TextAlignTrailing
	r.Refresh()
	return r
}

type lineRenderer struct {
	c                   *LineChart
	segs, prior         []*canvas.Line
	base                *canvas.Line
	dot                 *canvas.Circle
	detail, first, last *canvas.Text
	objects             []fyne.CanvasObject
}

func (r *lineRenderer) Destroy() {}

func (r *lineRenderer) MinSize() fyne.Size { return r.c.MinSize() }

func (r *lineRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *lineRenderer) Refresh() {
	n := len(r.c.Data)
	grow := func(ls []*canvas.Line, k int) []*canvas.Line {
		for len(ls) < k {
			ls = append(ls, canvas.NewLine(color.Transparent))
		}
		return ls[:k]
	}
	r.segs = grow(r.segs, max(n-1, 0))
	r.prior = grow(r.prior, max(min(n, len(r.c.Compare))-1, 0))
	fg := theme.Color(theme.ColorNameForeground)
	r.objects = r.objects[:0]
	for _, l := range r.prior {
		l.StrokeColor, l.StrokeWidth = theme.Color(theme.ColorNameDisabled), 2
		r.objects = append(r.objects, l)
	}
	for _, l := range r.segs {
		l.StrokeColor, l.StrokeWidth = theme.Color(theme.ColorNamePrimary), 3
		r.objects = append(r.objects, l)
	}
	r.base.StrokeColor, r.dot.FillColor = fg, theme.Color(theme.ColorNameError)
	for _, t := range []*canvas.Text{r.detail, r.first, r.last} {
		t.Color, t.TextSize = fg, chartTextSize()
	}
	r.first.TextSize, r.last.TextSize = chartTextSize()*0.85, chartTextSize()*0.85
	r.detail.Text, r.first.Text, r.last.Text = "", "", ""
	if n > 0 {
		r.first.Text, r.last.Text = r.c.Data[0].Label, r.c.Data[n-1].Label
	}
	if s := r.c.selected; s >= 0 && s < n {
		r.detail.Text = r.c.Data[s].Detail
		r.dot.Show()
	} else {
		r.dot.Hide()
	}
	r.objects = append(r.objects, r.base, r.dot, r.detail, r.first, r.last)
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *lineRenderer) Layout(size fyne.Size) {
	n := len(r.c.Data)
	line := fyne.MeasureText("0", chartTextSize(), fyne.TextStyle{}).Height
	top, bottom := line+8, size.Height-line-2
	r.base.Position1, r.base.Position2 = fyne.NewPos(0, bottom), fyne.NewPos(size.Width, bottom)
	r.detail.Move(fyne.NewPos(0, 0))
	r.first.Move(fyne.NewPos(0, bottom+1))
	r.last.Move(fyne.NewPos(0, bottom+1))
	r.last.Resize(fyne.NewSize(size.Width, line))
	if n == 0 {
		return
	}
	peak := r.c.peak()
	at := func(i int, v int64) fyne.Position {
		x := size.Width / 2
		if n > 1 {
			x = size.Width * float32(i) / float32(n-1)
		}
		return fyne.NewPos(x, bottom-(bottom-top)*float32(max(v, 0))/float32(peak))
	}
	for i, l := range r.segs {
		l.Position1, l.Position2 = at(i, r.c.Data[i].Value), at(i+1, r.c.Data[i+1].Value)
	}
	for i, l := range r.prior {
		l.Position1, l.Position2 = at(i, r.c.Compare[i]), at(i+1, r.c.Compare[i+1])
	}
	if s := r.c.selected; s >= 0 && s < n {
		p := at(s, r.c.Data[s].Value)
		r.dot.Move(p.SubtractXY(6, 6))
		r.dot.Resize(fyne.NewSize(12, 12))
	}
}

// Donut draws Data as the slices of a ring, each its share of the whole,
// coloured by ChartColor in order; the middle shows the selected slice's
// Detail (or, with none, Total). A tap on a slice selects it.
type Donut struct {
	widget.BaseWidget
	selection
	Data []Datum
	// Total is what the middle says when no slice is selected.
	Total string
}

var _ fyne.Tappable = (*Donut)(nil)

// NewDonut returns a donut of data, none selected.
func NewDonut(data []Datum, total string) *Donut {
	d := &Donut{Data: data, Total: total}
	d.selected = -1
	d.ExtendBaseWidget(d)
	return d
}

// SetData shows data and total instead, none selected.
func (d *Donut) SetData(data []Datum, total string) {
	d.Data, d.Total, d.selected = data, total, -1
	d.Refresh()
}

// sum is the whole the slices share, counting what is above zero.
func (d *Donut) sum() int64 {
	var s int64
	for _, x := range d.Data {
		s += max(x.Value, 0)
	}
	return s
}

// sliceAt is the index of the slice at angle degrees (0 at the top,
// clockwise), -1 for none.
func (d *Donut) sliceAt(angle float64) int {
	total := d.sum()
	if total == 0 {
		return -1
	}
	var from float64
	for i, x := range d.Data {
		to := from + 360*float64(max(x.Value, 0))/float64(total)
		if angle >= from && angle < to {
			return i
		}
		from = to
	}
	return -1
}

// Tapped selects the slice under the finger; a tap in the hole or outside
// the ring clears the selection.
func (d *Donut) Tapped(e *fyne.PointEvent) {
	size := d.Size()
	radius := min(size.Width, size.Height) / 2
	dx, dy := float64(e.Position.X-size.Width/2), float64(e.Position.Y-size.Height/2)
	dist := math.Hypot(dx, dy)
	i := -1
	if dist <= float64(radius) && dist >= float64(radius)*donutCutout {
		angle := math.Atan2(dx, -dy) * 180 / math.Pi
		if angle < 0 {
			angle += 360
		}
		i = d.sliceAt(angle)
	}
	d.choose(i, d.Refresh)
}

// donutCutout is the share of the radius that is the hole.
const donutCutout = 0.58

// MinSize is a ring a finger can hit.
func (d *Donut) MinSize() fyne.Size { return fyne.NewSize(180, 180) }

// CreateRenderer makes the arcs and the words in the middle.
func (d *Donut) CreateRenderer() fyne.WidgetRenderer {
	r := &donutRenderer{d: d, middle: widget.NewLabel("")}
	r.middle.Alignment = fyne.TextAlignCenter
	r.middle.Wrapping = fyne.TextWrapWord
	r.middle.TextStyle.Bold = true
	r.Refresh()
	return r
}

type donutRenderer struct {
	d       *Donut
	arcs    []*canvas.Arc
	middle  *widget.Label
	objects []fyne.CanvasObject
}

func (r *donutRenderer) Destroy() {}

func (r *donutRenderer) MinSize() fyne.Size { return r.d.MinSize() }

func (r *donutRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *donutRenderer) Refresh() {
	n := len(r.d.Data)
	for len(r.arcs) < n {
		r.arcs = append(r.arcs, canvas.NewArc(0, 0, donutCutout, color.Transparent))
	}
	r.arcs = r.arcs[:n]
	total := r.d.sum()
	var from float32
	r.objects = r.objects[:0]
	for i, x := range r.d.Data {
		to := from
		if total > 0 {
			to = from + 360*float32(max(x.Value, 0))/float32(total)
		}
		a := r.arcs[i]
		a.StartAngle, a.EndAngle, a.FillColor = from, to, ChartColor(i)
		a.StrokeWidth, a.StrokeColor = 0, nil
		a.CutoutRatio = donutCutout
		if i == r.d.selected {
			a.StrokeColor, a.StrokeWidth = theme.Color(theme.ColorNameForeground), 3
		}
		from = to
		r.objects = append(r.objects, a)
	}
	r.middle.SetText(r.d.Total)
	if s := r.d.selected; s >= 0 && s < n {
		r.middle.SetText(r.d.Data[s].Detail)
	}
	r.objects = append(r.objects, r.middle)
	r.Layout(r.d.Size())
	canvas.Refresh(r.d)
}

// Layout centres a square ring in the space given and the words in its hole.
func (r *donutRenderer) Layout(size fyne.Size) {
	side := min(size.Width, size.Height)
	pos := fyne.NewPos((size.Width-side)/2, (size.Height-side)/2)
	for _, a := range r.arcs {
		a.Move(pos)
		a.Resize(fyne.NewSquareSize(side))
	}
	hole := side * donutCutout * 0.68
	r.middle.Resize(fyne.NewSize(hole*1.3, hole))
	r.middle.Move(fyne.NewPos((size.Width-hole*1.3)/2, (size.Height-hole)/2))
}
