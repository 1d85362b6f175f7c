//go:build xvfb

package app

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/till-pos/till/internal/xvfbtest"
)

// liveness bounds how long a program may take to come up before the test
// gives up; it is not a speed assertion (speed is BenchmarkStartup's job).
const liveness = 2 * time.Minute

// TestRealWindow builds Till, runs it in demo mode under Xvfb, waits for its
// first frame and keeps a screenshot for the README.
func TestRealWindow(t *testing.T) {
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	d := xvfbtest.Start(t, 1280, 800)
	env := append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1", "HOME="+t.TempDir())
	p := xvfbtest.StartProgram(t, d, bin, env, "-demo", "-db", filepath.Join(t.TempDir(), "till.db"))
	// The catalog loads off the UI goroutine; its line may come before or
	// after the first frame's, so wait for it alone.
	p.WaitLine(t, "catalog-ready", liveness)
	// As a cashier would: tap two tiles, tap the first again, and scan a
	// barcode with a keyboard-wedge scanner (typed keys, then Return).
	for _, xy := range [][2]int{{90, 244}, {270, 365}, {90, 244}, {450, 486}} {
		xdotool(t, d, "mousemove", fmt.Sprint(xy[0]), fmt.Sprint(xy[1]), "click", "1")
	}
	xdotool(t, d, "type", "--delay", "20", "6901234567892")
	xdotool(t, d, "key", "Return")
	// Let the last frame reach the screen.
	time.Sleep(500 * time.Millisecond)
	shot := filepath.Join(t.TempDir(), "sell.png")
	d.Screenshot(t, shot)

	img := decodePNG(t, shot)
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 {
		t.Fatalf("screenshot is %v, want 1280x800", b)
	}
	if n := distinctColours(img); n < 16 {
		t.Fatalf("screenshot has %d colours: the window did not draw", n)
	}
	keep := filepath.Join("..", "docs", "screenshots", "sell.png")
	if err := os.MkdirAll(filepath.Dir(keep), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keep, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func xdotool(t *testing.T, d *xvfbtest.Display, args ...string) {
	t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = d.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v: %s", args, err, out)
	}
	time.Sleep(150 * time.Millisecond) // one event at a time, as a finger would
}

func decodePNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func distinctColours(img image.Image) int {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	return len(seen)
}
