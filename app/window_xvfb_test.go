//go:build xvfb

package app

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/internal/xvfbtest"
)

// liveness bounds how long a program may take to come up or to answer
// before the test gives up; it is not a speed assertion (speed is
// BenchmarkStartup's job).
const liveness = 2 * time.Minute

// TestRealWindow builds Till, runs it in demo mode under Xvfb, sells as a
// cashier would and checks a screenshot of the result. With
// TILL_SCREENSHOT_DIR set (`make screenshot` sets it to docs/screenshots),
// it keeps the screenshot there as sell.png for the README.
func TestRealWindow(t *testing.T) {
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	d := xvfbtest.Start(t, 1280, 800)
	env := append(append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1"), homeEnv(t)...)
	p := xvfbtest.StartProgram(t, d, bin, env, "-demo", "-db", filepath.Join(t.TempDir(), "till.db"))
	// The catalog loads off the UI goroutine; its line may come before or
	// after the first frame's, so wait for it alone.
	p.WaitLine(t, "catalog-ready", liveness)

	// As a cashier would: tap two tiles, tap the first again and a third,
	// and scan a barcode with a keyboard-wedge scanner (typed keys, then
	// Return). Each step is done when the Pay button shows the new total,
	// in the layout and then on the screen.
	// First the sell screen as it is before any of that: painted, with the
	// catalog's tiles, and still.
	first := p.WaitFor(t, liveness, "tile", xvfbtest.Exactly("可口可乐 330ml"))
	shot := filepath.Join(t.TempDir(), "sell.png")
	img := d.WaitStill(t, shot, d.FindWindow(t, p, first.Window, liveness).Bounds(), liveness)
	pay := ""
	step := func(do func()) {
		t.Helper()
		do()
		btn := waitPay(t, p, pay)
		pay = btn.Text
		w := d.FindWindow(t, p, btn.Window, liveness)
		img = d.WaitChange(t, shot, img, w.OnScreen(btn.Bounds), liveness)
	}
	for _, name := range []string{"可口可乐 330ml", "怡宝纯净水 555ml", "可口可乐 330ml", "王老吉 310ml"} {
		step(func() { d.Tap(t, p, liveness, "tile", xvfbtest.Exactly(name)) })
	}
	step(func() {
		xdotool(t, d, "type", "--delay", "20", "6901234567892")
		xdotool(t, d, "key", "Return")
	})
	if pay != "收款 ¥16.50" {
		t.Errorf("after three colas, a water and a herbal tea the Pay button shows %q, want 收款 ¥16.50", pay)
	}

	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 {
		t.Fatalf("screenshot is %v, want 1280x800", b)
	}
	if n := distinctColours(img); n < 16 {
		t.Fatalf("screenshot has %d colours: the window did not draw", n)
	}
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		keep(t, shot, filepath.Join(dir, "sell.png"))
	}
}

// waitPay waits until the sell screen's Pay button (收款 and the total) is
// enabled with a text other than prev, and returns it.
func waitPay(t *testing.T, p *xvfbtest.Program, prev string) xvfbtest.Target {
	t.Helper()
	return p.WaitFor(t, liveness, "button", xvfbtest.MatchFunc("收款 ¥… other than "+prev, func(text string) bool {
		return strings.HasPrefix(text, "收款 ¥") && text != prev
	}))
}

// keep copies the screenshot shot to path.
func keep(t *testing.T, shot, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot kept as %s", path)
}

// xdotool runs xdotool against the display; it returns once the X server
// has the events.
func xdotool(t *testing.T, d *xvfbtest.Display, args ...string) {
	t.Helper()
	if out, err := d.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v: %s", args, err, out)
	}
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
