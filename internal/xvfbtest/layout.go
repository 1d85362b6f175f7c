package xvfbtest

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A program started with TILL_FIRST_FRAME=1 reports where its buttons and
// product tiles are, in a block of lines printed whenever that changes
// (internal/firstframe):
//
//	layout
//	window 1 "收银台 Till"
//	button 820 723 455 72 "收款 ¥16.50"
//	tile 6 190 174 116 "可口可乐 330ml"
//	layout-end
//
// Coordinates are in Fyne units relative to the window; the window line's
// first field is the scale from units to pixels.

// Layout is one reported block: the windows with what can be tapped in them.
type Layout []WindowLayout

// WindowLayout is what can be tapped in one window.
type WindowLayout struct {
	Title    string
	Scale    float32 // pixels per Fyne unit
	Elements []Element
}

// Element is a button or a tile, in Fyne units relative to its window.
type Element struct {
	// "button", "tile", "row" (a list's row, named by its labels) or "pad"
	// (the signature pad, named "signature")
	Kind       string
	Text       string // a button's text, a tile's name
	X, Y, W, H float32
}

// Target is an element found on screen, in pixels relative to its window.
type Target struct {
	Window string // the window's title
	Kind   string
	Text   string
	Bounds image.Rectangle
}

// Centre is the middle of the target, where a tap lands.
func (t Target) Centre() image.Point {
	return image.Pt((t.Bounds.Min.X+t.Bounds.Max.X)/2, (t.Bounds.Min.Y+t.Bounds.Max.Y)/2)
}

func (t Target) String() string {
	return fmt.Sprintf("%s %q at %v in %q", t.Kind, t.Text, t.Bounds, t.Window)
}

// Pixels converts an element's bounds to pixels at scale (1 when unknown);
// it keeps only whole pixels inside the element.
func (e Element) Pixels(scale float32) image.Rectangle {
	if scale <= 0 {
		scale = 1
	}
	s := float64(scale)
	return image.Rect(
		int(math.Ceil(float64(e.X)*s)), int(math.Ceil(float64(e.Y)*s)),
		int(math.Floor(float64(e.X+e.W)*s)), int(math.Floor(float64(e.Y+e.H)*s)))
}

// Match says which element's text is the one looked for.
type Match struct {
	desc string
	fn   func(text string) bool
}

// Exactly matches the text s.
func Exactly(s string) Match {
	return Match{strconv.Quote(s), func(text string) bool { return text == s }}
}

// Containing matches a text that contains s.
func Containing(s string) Match {
	return Match{"containing " + strconv.Quote(s), func(text string) bool { return strings.Contains(text, s) }}
}

// MatchFunc matches the texts for which fn is true; desc says which, for a
// failure message.
func MatchFunc(desc string, fn func(text string) bool) Match { return Match{desc, fn} }

func (m Match) String() string { return m.desc }

// Find returns the first element of kind whose text matches, as a Target.
func (l Layout) Find(kind string, match Match) (Target, bool) {
	for _, w := range l {
		for _, e := range w.Elements {
			if e.Kind == kind && match.fn(e.Text) {
				return Target{Window: w.Title, Kind: e.Kind, Text: e.Text, Bounds: e.Pixels(w.Scale)}, true
			}
		}
	}
	return Target{}, false
}

func (l Layout) String() string {
	var b strings.Builder
	for _, w := range l {
		fmt.Fprintf(&b, "window %q (scale %g):\n", w.Title, w.Scale)
		for _, e := range w.Elements {
			fmt.Fprintf(&b, "  %s %q at %g,%g %gx%g\n", e.Kind, e.Text, e.X, e.Y, e.W, e.H)
		}
	}
	return b.String()
}

// ParseLayouts returns the complete layout blocks among a program's output
// lines, in order; other lines, and a block not yet ended, are skipped. A
// malformed line in a block is an error.
func ParseLayouts(lines []string) ([]Layout, error) {
	var (
		all []Layout
		cur Layout
		in  bool
	)
	for i, line := range lines {
		switch {
		case line == "layout":
			cur, in = Layout{}, true
		case !in:
		case line == "layout-end":
			all = append(all, cur)
			in = false
		case strings.HasPrefix(line, "window "):
			w, err := parseWindow(strings.TrimPrefix(line, "window "))
			if err != nil {
				return nil, fmt.Errorf("xvfbtest: line %d %q: %v", i+1, line, err)
			}
			cur = append(cur, w)
		default:
			e, err := parseElement(line)
			if err == nil && len(cur) == 0 {
				err = fmt.Errorf("%s before any window", e.Kind)
			}
			if err != nil {
				return nil, fmt.Errorf("xvfbtest: line %d %q: %v", i+1, line, err)
			}
			cur[len(cur)-1].Elements = append(cur[len(cur)-1].Elements, e)
		}
	}
	return all, nil
}

// parseWindow reads `<scale> "<title>"`.
func parseWindow(rest string) (WindowLayout, error) {
	scale, title, ok := strings.Cut(rest, " ")
	if !ok {
		return WindowLayout{}, fmt.Errorf("want a scale and a title")
	}
	s, err := strconv.ParseFloat(scale, 32)
	if err != nil || s <= 0 {
		return WindowLayout{}, fmt.Errorf("bad scale %q", scale)
	}
	t, err := strconv.Unquote(title)
	if err != nil {
		return WindowLayout{}, fmt.Errorf("title %s is not quoted", title)
	}
	return WindowLayout{Title: t, Scale: float32(s)}, nil
}

// parseElement reads `<kind> <x> <y> <w> <h> "<text>"`.
func parseElement(line string) (Element, error) {
	f := strings.SplitN(line, " ", 6)
	if len(f) != 6 {
		return Element{}, fmt.Errorf("want a kind, x, y, w, h and a text")
	}
	e := Element{Kind: f[0]}
	if e.Kind != "button" && e.Kind != "tile" && e.Kind != "row" && e.Kind != "pad" {
		return Element{}, fmt.Errorf("unknown kind %q", e.Kind)
	}
	for i, dst := range []*float32{&e.X, &e.Y, &e.W, &e.H} {
		v, err := strconv.ParseFloat(f[1+i], 32)
		if err != nil {
			return Element{}, fmt.Errorf("bad number %q", f[1+i])
		}
		*dst = float32(v)
	}
	if e.W <= 0 || e.H <= 0 {
		return Element{}, fmt.Errorf("empty size %gx%g", e.W, e.H)
	}
	var err error
	if e.Text, err = strconv.Unquote(f[5]); err != nil {
		return Element{}, fmt.Errorf("text %s is not quoted", f[5])
	}
	return e, nil
}

// latestLayout parses the last complete layout block among lines.
func latestLayout(lines []string) (Layout, bool, error) {
	end := -1
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i] == "layout-end" {
			end = i
			break
		}
	}
	for i := end - 1; i >= 0; i-- {
		if lines[i] == "layout" {
			all, err := ParseLayouts(lines[i : end+1])
			if err != nil || len(all) != 1 {
				return nil, false, err
			}
			return all[0], true, nil
		}
	}
	return nil, false, nil
}

// WaitLayout waits until the program's latest layout block satisfies ok
// and returns that block. Only the latest counts: a button that was on
// screen and has gone since is not found. The test fails if the program
// exits first or no such layout comes within limit, a liveness bound.
func (p *Program) WaitLayout(tb testing.TB, limit time.Duration, what string, ok func(Layout) bool) Layout {
	tb.Helper()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		p.mu.Lock()
		lines, done, changed, err := p.lines, p.done, p.changed, p.err
		p.mu.Unlock()
		latest, found, perr := latestLayout(lines)
		if perr != nil {
			tb.Fatalf("%v%s", perr, p.report())
		}
		if found && ok(latest) {
			return latest
		}
		if done {
			tb.Fatalf("xvfbtest: %s exited (%v) before a layout with %s; the last:\n%s%s", p.name(), exitText(err), what, latest, p.report())
		}
		select {
		case <-changed:
		case <-timer.C:
			tb.Fatalf("xvfbtest: %s showed no %s within %v; the last layout:\n%s%s", p.name(), what, limit, latest, p.report())
		}
	}
}

// WaitFor waits until the program's latest layout has an element of kind
// ("button", "tile" or "row") whose text matches, and returns it.
func (p *Program) WaitFor(tb testing.TB, limit time.Duration, kind string, match Match) Target {
	tb.Helper()
	var t Target
	p.WaitLayout(tb, limit, kind+" "+match.String(), func(l Layout) bool {
		var ok bool
		t, ok = l.Find(kind, match)
		return ok
	})
	return t
}
