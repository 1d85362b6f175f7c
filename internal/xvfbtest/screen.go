package xvfbtest

import (
	"context"
	"image"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pollPause is the pause between two looks at the screen while waiting for
// it to change; the wait ends on what is seen, not on elapsed time.
const pollPause = 20 * time.Millisecond

// Window is a program's top-level X window.
type Window struct {
	d      *Display
	ID     string      // the X window id, as xdotool prints it
	Title  string      // as the program reports it in its layout
	Origin image.Point // the window's top-left corner on the screen
	Size   image.Point // its width and height in pixels
}

// FindWindow waits until the program p has a mapped window titled title
// (xdotool search --sync --onlyvisible) and returns it. The test fails if
// none is mapped within limit, a liveness bound.
func (d *Display) FindWindow(tb testing.TB, p *Program, title string, limit time.Duration) *Window {
	tb.Helper()
	if _, err := exec.LookPath("xdotool"); err != nil {
		tb.Fatalf("xvfbtest: xdotool is not installed (%v); run `make deps` to install it", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--all",
		"--pid", strconv.Itoa(p.Pid()), "--name", "^"+regexp.QuoteMeta(title)+"$")
	cmd.Env = d.Env()
	out, err := cmd.Output()
	if ctx.Err() != nil {
		tb.Fatalf("xvfbtest: no window %q of %s was mapped within %v%s", title, p.name(), limit, p.report())
	}
	ids := strings.Fields(string(out))
	if err != nil || len(ids) == 0 {
		tb.Fatalf("xvfbtest: xdotool search for window %q: %v %s", title, err, out)
	}
	w := &Window{d: d, ID: ids[0], Title: title}
	geom := d.xdotool(tb, "getwindowgeometry", "--shell", w.ID)
	fields := map[string]*int{"X": &w.Origin.X, "Y": &w.Origin.Y, "WIDTH": &w.Size.X, "HEIGHT": &w.Size.Y}
	for _, line := range strings.Fields(geom) {
		k, v, _ := strings.Cut(line, "=")
		if dst := fields[k]; dst != nil {
			if *dst, err = strconv.Atoi(v); err != nil {
				tb.Fatalf("xvfbtest: geometry of window %s: %q", w.ID, geom)
			}
		}
	}
	if w.Size.X <= 0 || w.Size.Y <= 0 {
		tb.Fatalf("xvfbtest: geometry of window %s: %q", w.ID, geom)
	}
	return w
}

// xdotool runs xdotool against the display and returns its output.
func (d *Display) xdotool(tb testing.TB, args ...string) string {
	tb.Helper()
	out, err := d.Command("xdotool", args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("xvfbtest: xdotool %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Click moves the pointer to pt (pixels, relative to the window), waits
// until it is there and clicks the left button.
func (w *Window) Click(tb testing.TB, pt image.Point) {
	tb.Helper()
	w.d.xdotool(tb, "mousemove", "--window", w.ID, "--sync", strconv.Itoa(pt.X), strconv.Itoa(pt.Y), "click", "1")
}

// Drag presses the left button at the first of points (pixels, relative
// to the window), moves the pointer through the rest and releases it: a
// stroke drawn with a mouse or a finger. The pointer goes in steps of a
// few pixels at a hand's pace (dragStep), so that the program sees the
// path, not only where it ends.
func (w *Window) Drag(tb testing.TB, points ...image.Point) {
	tb.Helper()
	if len(points) == 0 {
		return
	}
	move := func(args []string, pt image.Point) []string {
		return append(args, "mousemove", "--window", w.ID, "--sync", strconv.Itoa(pt.X), strconv.Itoa(pt.Y))
	}
	args := append(move(nil, points[0]), "mousedown", "1")
	for i := 1; i < len(points); i++ {
		a, b := points[i-1], points[i]
		steps := max(1, max(abs(b.X-a.X), abs(b.Y-a.Y))/12)
		for k := 1; k <= steps; k++ {
			args = append(move(args, image.Pt(a.X+(b.X-a.X)*k/steps, a.Y+(b.Y-a.Y)*k/steps)), "sleep", dragStep)
		}
	}
	w.d.xdotool(tb, append(args, "mouseup", "1")...)
}

// dragStep is the pause between two moves of a drag, in seconds: a finger
// takes about that to move a few pixels, and the program draws each frame.
const dragStep = "0.02"

func abs(v int) int { return max(v, -v) }

// Bounds is the window's rectangle on the screen.
func (w *Window) Bounds() image.Rectangle {
	return image.Rectangle{Min: w.Origin, Max: w.Origin.Add(w.Size)}
}

// OnScreen is r, relative to the window, in screen coordinates.
func (w *Window) OnScreen(r image.Rectangle) image.Rectangle { return r.Add(w.Origin) }

// Tap waits for an element of kind whose text matches in the program's
// layout, clicks the middle of it and returns it, with its window.
func (d *Display) Tap(tb testing.TB, p *Program, limit time.Duration, kind string, match Match) (Target, *Window) {
	tb.Helper()
	t := p.WaitFor(tb, limit, kind, match)
	w := d.FindWindow(tb, p, t.Window, limit)
	w.Click(tb, t.Centre())
	return t, w
}

// WaitChange takes screenshots into path until the pixels of r (screen
// coordinates) differ from those in before and then are the same in two
// screenshots in a row, and returns the last screenshot: what the screen
// settled on after a change. The test fails if that has not happened
// within limit, a liveness bound.
func (d *Display) WaitChange(tb testing.TB, path string, before image.Image, r image.Rectangle, limit time.Duration) image.Image {
	tb.Helper()
	if r.Empty() || !r.In(before.Bounds()) {
		tb.Fatalf("xvfbtest: region %v is empty or not within the screen %v", r, before.Bounds())
	}
	deadline := time.Now().Add(limit)
	var prev image.Image // the last screenshot that differed from before
	for {
		img := d.Screenshot(tb, path)
		if !SameRegion(img, before, r) {
			if prev != nil && SameRegion(img, prev, r) {
				return img
			}
			prev = img
		} else {
			prev = nil
		}
		if time.Now().After(deadline) {
			what := "did not change"
			if prev != nil {
				what = "changed but did not settle"
			}
			tb.Fatalf("xvfbtest: region %v of %s %s within %v (last screenshot %s)", r, d.Name(), what, limit, path)
		}
		time.Sleep(pollPause)
	}
}

// WaitStill takes screenshots into path until the pixels of r (screen
// coordinates) are not all of one colour (something is painted there) and
// are the same in two screenshots in a row, and returns the last
// screenshot. The test fails if that has not happened within limit, a
// liveness bound.
func (d *Display) WaitStill(tb testing.TB, path string, r image.Rectangle, limit time.Duration) image.Image {
	tb.Helper()
	deadline := time.Now().Add(limit)
	var prev image.Image
	for {
		img := d.Screenshot(tb, path)
		if !r.In(img.Bounds()) || r.Empty() {
			tb.Fatalf("xvfbtest: region %v is empty or not within the screen %v", r, img.Bounds())
		}
		if !oneColour(img, r) && prev != nil && SameRegion(img, prev, r) {
			return img
		}
		prev = img
		if time.Now().After(deadline) {
			tb.Fatalf("xvfbtest: region %v of %s was not painted and still within %v (last screenshot %s)", r, d.Name(), limit, path)
		}
		time.Sleep(pollPause)
	}
}

func oneColour(img image.Image, r image.Rectangle) bool {
	r0, g0, b0, _ := img.At(r.Min.X, r.Min.Y).RGBA()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			if r1 != r0 || g1 != g0 || b1 != b0 {
				return false
			}
		}
	}
	return true
}

// SameRegion reports whether a and b have the same colours throughout r.
func SameRegion(a, b image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				return false
			}
		}
	}
	return true
}
