//go:build xvfb

package xvfbtest

import (
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHelloWindow builds the bare window, runs it under Xvfb until its first
// frame and checks a screenshot of it.
func TestHelloWindow(t *testing.T) {
	bin := BuildBinary(t, "github.com/till-pos/till/cmd/hellowindow", "migrated_fynedo")
	d := Start(t, 1280, 800)
	env := append(d.Env(), "LANG=en_US.UTF-8", "TILL_FIRST_FRAME=1", "HOME="+t.TempDir())
	p := StartProgram(t, d, bin, env)
	p.WaitLine(t, "first-frame", 2*time.Minute)
	if rss, err := p.PeakRSS(); err != nil || rss < 1<<20 {
		t.Errorf("PeakRSS = %d, %v", rss, err)
	}

	// "first-frame" is printed while the frame is painted, before the buffer
	// swap puts it on the screen: look until it is there.
	shot := filepath.Join(t.TempDir(), "hello.png")
	var img image.Image
	var colours int
	for deadline := time.Now().Add(30 * time.Second); ; {
		img = d.Screenshot(t, shot)
		if colours = distinctColours(img); colours > 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen is still one colour 30s after the first frame; stderr:\n%s", p.Stderr())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 {
		t.Fatalf("screenshot is %dx%d, want 1280x800", b.Dx(), b.Dy())
	}
	t.Logf("%s: %d colours", d.Name(), colours)
	p.Stop()
}

// Two displays at once get different numbers, and a stopped one is free
// again: its lock file and socket are gone.
func TestDisplaysAreDistinctAndReleased(t *testing.T) {
	var nums []int
	t.Run("two", func(t *testing.T) {
		a := Start(t, 640, 480)
		b := Start(t, 640, 480)
		if a.Num == b.Num {
			t.Fatalf("both on %s", a.Name())
		}
		img := a.Screenshot(t, filepath.Join(t.TempDir(), "a.png"))
		if got := img.Bounds().Size(); got != image.Pt(640, 480) {
			t.Fatalf("screenshot is %v", got)
		}
		nums = append(nums, a.Num, b.Num)
	})
	for _, n := range nums {
		for _, path := range []string{lockPath(n), socketPath(n)} {
			if _, err := os.Stat(path); err == nil {
				if pid, err := lockOwner(n); err == nil && processAlive(pid) {
					continue // another test process took the number since
				}
				t.Errorf("%s left behind after the server stopped", path)
			}
		}
	}
}

func distinctColours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r, g, bl}] = true
		}
	}
	return len(seen)
}
