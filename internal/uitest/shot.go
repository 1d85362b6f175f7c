package uitest

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
)

// SaveShot saves what w shows as name.png in the folder the environment
// variable env names (TILL_SCREENSHOT_DIR, TILL_LAYOUT_SHOTS), when it is
// set, so that a person can look at the screen a test drove.
func SaveShot(t testing.TB, w fyne.Window, env, name string) {
	t.Helper()
	dir := os.Getenv(env)
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
