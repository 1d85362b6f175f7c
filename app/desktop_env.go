package app

import (
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
)

// prepareDesktop readies what the windowing libraries expect of the
// environment before the first window, so that a normal start prints
// nothing: the user's cache folder (Fyne keeps its cache there and does not
// create the parents), and on Linux a private runtime folder when none is
// set (XDG_RUNTIME_DIR; without it the Wayland client library, probed
// even under X11, prints an error), as the XDG base directory
// specification asks of a program that finds none.
func prepareDesktop() {
	if dir, err := os.UserCacheDir(); err == nil {
		_ = os.MkdirAll(dir, 0o700)
	}
	ensureRuntimeDir()
}

// quitOnSignal ends a gracefully, as closing its window does, when the
// process is asked to stop (Ctrl-C, a service manager's SIGTERM): the
// window and the store close in order, nothing is cut off mid-write.
func quitOnSignal(a fyne.App) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ch
		signal.Stop(ch)
		fyne.Do(a.Quit)
	}()
}
