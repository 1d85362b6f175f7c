// Command hellowindow opens a bare Fyne window of Till's size. It is the
// baseline that Till's start-up time and memory are measured against.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/firstframe"
)

func main() {
	a := app.NewWithID("pos.till.hello")
	w := a.NewWindow("Hello")
	w.SetContent(firstframe.Wrap(widget.NewLabel("Hello")))
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
}
