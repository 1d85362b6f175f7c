// Package firstframe lets start-up benchmarks see when a Fyne window has
// painted its first frame, and real-window tests see what is on screen:
// with TILL_FIRST_FRAME=1 in the environment, the line "first-frame" is
// printed on stdout from inside the first paint, and from then on a block
// of lines describing where the buttons and product tiles are whenever
// that changes (see layout.go).
package firstframe

import (
	"fmt"
	"image"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// Enabled reports whether TILL_FIRST_FRAME=1 asks for progress lines.
func Enabled() bool { return os.Getenv("TILL_FIRST_FRAME") == "1" }

// Wrap returns content with a 1×1 transparent raster on top whose generator
// prints "first-frame" on its first call: the GL painter calls a raster's
// generator only while it paints. The first frame also starts the layout
// report. Without TILL_FIRST_FRAME=1 it returns content unchanged.
func Wrap(content fyne.CanvasObject) fyne.CanvasObject {
	if !Enabled() {
		return content
	}
	var once sync.Once
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() {
			Signal("first-frame")
			startLayoutReport()
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	r.SetMinSize(fyne.NewSize(1, 1))
	r.Resize(fyne.NewSize(1, 1))
	return container.NewStack(content, container.NewWithoutLayout(r))
}

// Signal prints a progress line on stdout when Enabled.
func Signal(line string) {
	if Enabled() {
		fmt.Println(line)
	}
}
