// Package uitest finds what a Fyne window shows, for tests that drive
// Till's screens with fyne.io/fyne/v2/test: buttons by their text, the
// texts shown, the entries of a dialog.
package uitest

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Walk visits every visible object under o, widgets' rendered children
// included; visit returns true to stop, and Walk then reports true.
func Walk(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return false
	}
	if visit(o) {
		return true
	}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			if Walk(c, visit) {
				return true
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			if Walk(c, visit) {
				return true
			}
		}
	}
	return false
}

// Top is the top dialog on w, or its content when none is shown.
func Top(w fyne.Window) fyne.CanvasObject {
	if o := w.Canvas().Overlays().Top(); o != nil {
		return o
	}
	return w.Canvas().Content()
}

// FindButton finds a button whose text is text (or, with contains, holds
// it) in the top dialog, or the window; nil when there is none.
func FindButton(w fyne.Window, text string, contains bool) *widget.Button {
	var found *widget.Button
	Walk(Top(w), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && (b.Text == text || (contains && strings.Contains(b.Text, text))) {
			found = b
			return true
		}
		return false
	})
	return found
}

// Button is the button with this text in the top dialog (or the window);
// the test fails when there is none.
func Button(t testing.TB, w fyne.Window, text string) *widget.Button {
	t.Helper()
	b := FindButton(w, text, false)
	if b == nil {
		t.Fatalf("no button %q; shown:\n%s", text, strings.Join(Texts(w), "\n"))
	}
	return b
}

// NthButton is the n-th button (from 0, in the order shown) with this
// text in the top dialog (or the window); the test fails when there are
// not so many.
func NthButton(t testing.TB, w fyne.Window, text string, n int) *widget.Button {
	t.Helper()
	var found []*widget.Button
	Walk(Top(w), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = append(found, b)
		}
		return false
	})
	if len(found) <= n {
		t.Fatalf("%d buttons %q, want at least %d; shown:\n%s", len(found), text, n+1, strings.Join(Texts(w), "\n"))
	}
	return found[n]
}

// ButtonContaining is the button in the top dialog (or the window) whose
// text contains s; the test fails when there is none.
func ButtonContaining(t testing.TB, w fyne.Window, s string) *widget.Button {
	t.Helper()
	b := FindButton(w, s, true)
	if b == nil {
		t.Fatalf("no button containing %q; shown:\n%s", s, strings.Join(Texts(w), "\n"))
	}
	return b
}

// TextsUnder lists the text of every label, text and button ("[text]")
// under o.
func TextsUnder(o fyne.CanvasObject) []string {
	var out []string
	Walk(o, func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *canvas.Text:
			out = append(out, v.Text)
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, "["+v.Text+"]")
		}
		return false
	})
	return out
}

// Texts lists what the window and its top dialog show.
func Texts(w fyne.Window) []string {
	out := TextsUnder(w.Canvas().Content())
	if o := w.Canvas().Overlays().Top(); o != nil {
		out = append(out, TextsUnder(o)...)
	}
	return out
}

// Shown reports whether a label or text on the window or its top dialog
// contains s.
func Shown(w fyne.Window, s string) bool {
	for _, tx := range Texts(w) {
		if !strings.HasPrefix(tx, "[") && strings.Contains(tx, s) {
			return true
		}
	}
	return false
}

// Entries are the text entries of the top dialog (or the window), in order.
func Entries(w fyne.Window) []*widget.Entry {
	var es []*widget.Entry
	Walk(Top(w), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			es = append(es, e)
		}
		return false
	})
	return es
}

// Unseen says why o, shown on w (in its top dialog or the window), cannot
// be seen whole without scrolling, or "" when it can: it lies outside the
// canvas, or outside the part of a scroll container in view.
func Unseen(w fyne.Window, o fyne.CanvasObject) string {
	size := w.Canvas().Size()
	why := "not shown"
	var visit func(c fyne.CanvasObject, at fyne.Position, clip [4]float32) bool
	visit = func(c fyne.CanvasObject, at fyne.Position, clip [4]float32) bool {
		if c == nil || !c.Visible() {
			return false
		}
		pos := at.Add(c.Position())
		end := pos.Add(c.Size())
		if c == o {
			why = ""
			if pos.X < clip[0]-0.5 || pos.Y < clip[1]-0.5 || end.X > clip[2]+0.5 || end.Y > clip[3]+0.5 {
				why = fmt.Sprintf("at %.0f,%.0f–%.0f,%.0f outside the part in view %.0f,%.0f–%.0f,%.0f",
					pos.X, pos.Y, end.X, end.Y, clip[0], clip[1], clip[2], clip[3])
			}
			return true
		}
		var children []fyne.CanvasObject
		switch v := c.(type) {
		case *fyne.Container:
			children = v.Objects
		case fyne.Widget:
			if _, ok := v.(*container.Scroll); ok {
				clip = [4]float32{max(clip[0], pos.X), max(clip[1], pos.Y), min(clip[2], end.X), min(clip[3], end.Y)}
			}
			children = test.WidgetRenderer(v).Objects()
		}
		for _, ch := range children {
			if visit(ch, pos, clip) {
				return true
			}
		}
		return false
	}
	visit(Top(w), fyne.Position{}, [4]float32{0, 0, size.Width, size.Height})
	return why
}
