package app

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// withFirstFrameSignal wraps content so that, when TILL_FIRST_FRAME=1, the
// line "first-frame" is printed on stdout as the first frame is painted: the
// GL painter calls a raster's generator only while painting. Start-up
// benchmarks wait for that line.
func withFirstFrameSignal(content fyne.CanvasObject) fyne.CanvasObject {
	if os.Getenv("TILL_FIRST_FRAME") != "1" {
		return content
	}
	var once sync.Once
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() { fmt.Println("first-frame") })
		img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
		img.Set(0, 0, color.Transparent)
		return img
	})
	r.SetMinSize(fyne.NewSize(1, 1))
	return container.NewStack(content, container.NewWithoutLayout(r))
}

// signal prints a progress line for start-up benchmarks and the real-window
// test, when TILL_FIRST_FRAME=1.
func signal(line string) {
	if os.Getenv("TILL_FIRST_FRAME") == "1" {
		fmt.Println(line)
	}
}
