package firstframe

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "unsafe" // for go:linkname

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The layout report. With TILL_FIRST_FRAME=1, once the first frame is
// painted, a background goroutine looks at every window's widget tree on
// Fyne's goroutine every layoutPeriod and, whenever what it sees changed,
// prints one block on stdout:
//
//	layout
//	window <scale> "<title>"
//	button <x> <y> <w> <h> "<text>"
//	tile <x> <y> <w> <h> "<name>"
//	layout-end
//
// so that a test driving the real window can tap a button or a product tile
// by what it shows instead of by coordinates. A window line is followed by
// the things that can be tapped in that window: every visible, enabled
// *widget.Button, and every tappable widget that names itself with a
// Name() string method (the sell screen's product tiles). Positions and
// sizes are in Fyne units, relative to the window's canvas (multiply by
// the scale for pixels), and cover only the part of the object not clipped
// away by a scroller or the window's edge. Only the top layer is listed:
// the topmost overlay (a dialog or pop-up) if there is one, as it takes the
// taps, otherwise the window's content. Texts are Go-quoted strings.
const layoutPeriod = 150 * time.Millisecond

// walkVisibleObjectTree is the walk Fyne's drivers use to paint and to find
// the object under a tap: it visits visible objects only, with each one's
// absolute position (what Driver().AbsolutePositionForObject returns) and
// the clip rectangle of the scroller it is in. Fyne has no public way to
// reach a widget's children (its renderer's objects); this is the one the
// driver itself uses. It is fyne.io/fyne/v2 v2.8's; a Fyne upgrade that
// renames it fails the build at link time rather than at run time.
//
//go:linkname walkVisibleObjectTree fyne.io/fyne/v2/internal/driver.WalkVisibleObjectTree
func walkVisibleObjectTree(
	obj fyne.CanvasObject,
	beforeChildren func(fyne.CanvasObject, fyne.Position, fyne.Position, fyne.Size) bool,
	afterChildren func(fyne.CanvasObject, fyne.Position, fyne.CanvasObject),
) bool

// named is a tappable widget that says what it shows, like a product tile.
type named interface {
	fyne.Tappable
	Name() string
}

// pad is a surface drawn on with the pointer: the signature pad, reported
// as kind "pad".
type pad interface {
	fyne.Draggable
	Clear()
}

var reportOnce sync.Once

// startLayoutReport starts the layout report, once per process.
func startLayoutReport() {
	reportOnce.Do(func() { go reportLayouts() })
}

func reportLayouts() {
	var (
		pending atomic.Bool // a look is queued on Fyne's goroutine
		last    string      // only touched on Fyne's goroutine
	)
	tick := time.NewTicker(layoutPeriod)
	defer tick.Stop()
	for range tick.C {
		if fyne.CurrentApp() == nil || !pending.CompareAndSwap(false, true) {
			continue
		}
		fyne.Do(func() {
			defer pending.Store(false)
			block := describeWindows(fyne.CurrentApp().Driver().AllWindows())
			if block != last {
				last = block
				// One write, so that no other progress line lands inside.
				os.Stdout.WriteString(block)
			}
		})
	}
}

// describeWindows is the layout block for these windows; it must run on
// Fyne's goroutine.
func describeWindows(windows []fyne.Window) string {
	var b strings.Builder
	b.WriteString("layout\n")
	for _, w := range windows {
		c := w.Canvas()
		if c == nil {
			continue
		}
		root := c.Content()
		if top := c.Overlays().Top(); top != nil {
			root = top
		}
		if root == nil {
			continue
		}
		b.WriteString("window " + num(c.Scale()) + " " + strconv.Quote(w.Title()) + "\n")
		describeTree(&b, root, c.Size())
	}
	b.WriteString("layout-end\n")
	return b.String()
}

// describeTree writes the tappable objects of the tree under root, in a
// canvas of the size canvas.
func describeTree(b *strings.Builder, root fyne.CanvasObject, canvas fyne.Size) {
	walkVisibleObjectTree(root, func(o fyne.CanvasObject, pos, clipPos fyne.Position, clipSize fyne.Size) bool {
		var kind, text string
		switch o := o.(type) {
		case *widget.Button:
			if o.Disabled() {
				return false
			}
			kind, text = "button", o.Text
		case named:
			kind, text = "tile", o.Name()
		case pad:
			kind, text = "pad", "signature"
		case fyne.Tappable:
			// A list's row (Fyne's unexported list item), named by the
			// labels in it.
			if fmt.Sprintf("%T", o) != "*widget.listItem" {
				return false
			}
			if text = labelsUnder(o.(fyne.CanvasObject)); text == "" {
				return false
			}
			kind = "row"
		default:
			return false
		}
		x0 := max(pos.X, clipPos.X, 0)
		y0 := max(pos.Y, clipPos.Y, 0)
		x1 := min(pos.X+o.Size().Width, clipPos.X+clipSize.Width, canvas.Width)
		y1 := min(pos.Y+o.Size().Height, clipPos.Y+clipSize.Height, canvas.Height)
		if x1 <= x0 || y1 <= y0 {
			return false // scrolled or laid out out of sight
		}
		b.WriteString(kind + " " + num(x0) + " " + num(y0) + " " + num(x1-x0) + " " + num(y1-y0) + " " +
			strconv.Quote(strings.TrimSpace(text)) + "\n")
		return false
	}, nil)
}

// labelsUnder joins the texts of the labels under o with " · ".
func labelsUnder(o fyne.CanvasObject) string {
	var parts []string
	walkVisibleObjectTree(o, func(c fyne.CanvasObject, _, _ fyne.Position, _ fyne.Size) bool {
		if l, ok := c.(*widget.Label); ok && l.Text != "" {
			parts = append(parts, l.Text)
		}
		return false
	}, nil)
	return strings.Join(parts, " · ")
}

// num prints a coordinate to a hundredth of a unit.
func num(v float32) string {
	return strconv.FormatFloat(math.Round(float64(v)*100)/100, 'f', -1, 64)
}
