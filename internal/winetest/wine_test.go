//go:build wine

package winetest

import (
	"bytes"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/internal/xvfbtest"
)

// liveness bounds each wait, so that a broken Wine fails the test rather
// than hanging it; it is no speed assertion (a first prefix takes a while).
const liveness = 4 * time.Minute

// prngShim is bcryptprimitives.dll's ProcessPrng, for a Wine without it
// (see the package's doc).
const prngShim = `#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n)) return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
`

// wine is a Wine prefix of the test's own, in an X server of its own.
type wine struct {
	d   *xvfbtest.Display
	env []string
	exe string
}

// newWine makes a fresh Wine prefix and puts the ProcessPrng shim in it
// unless Wine has its own bcryptprimitives.dll.
func newWine(t *testing.T) *wine {
	t.Helper()
	exe := os.Getenv("TILL_WINDOWS_EXE")
	if exe == "" {
		t.Fatal("TILL_WINDOWS_EXE names no till.exe: run these tests with `make test-windows`")
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (%v): `make test-windows` installs it", tool, err)
		}
	}
	d := xvfbtest.Start(t, 1280, 800)
	prefix := filepath.Join(t.TempDir(), "prefix")
	w := &wine{d: d, exe: exe, env: append(d.Env(), "WINEPREFIX="+prefix, "WINEDEBUG=-all",
		// No Mono or Gecko installer: Till needs neither.
		"WINEDLLOVERRIDES=mscoree,mshtml=", "LANG=en_US.UTF-8")}
	w.run(t, "wineboot", "--init")
	w.run(t, "wineserver", "--wait")
	sys32 := filepath.Join(prefix, "drive_c", "windows", "system32")
	if _, err := os.Stat(filepath.Join(sys32, "bcryptprimitives.dll")); err != nil {
		src := filepath.Join(t.TempDir(), "prng.c")
		if err := os.WriteFile(src, []byte(prngShim), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s", "-o",
			filepath.Join(sys32, "bcryptprimitives.dll"), src, "-ladvapi32")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ProcessPrng shim: %v\n%s", err, out)
		}
		t.Log("Wine lacks bcryptprimitives.dll: the ProcessPrng shim is in the prefix")
	}
	t.Cleanup(func() {
		cmd := exec.Command("wineserver", "--kill")
		cmd.Env = w.env
		cmd.Run()
	})
	return w
}

// run runs a command in the prefix and returns its standard output.
func (w *wine) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = w.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
		}
	case <-time.After(liveness):
		cmd.Process.Kill()
		t.Fatalf("%s %s did not end within %v\n%s%s", name, strings.Join(args, " "), liveness, out.String(), errb.String())
	}
	return out.String()
}

// wantVersion is the version FyneApp.toml gives, which the package's build
// stamps into till.exe.
func wantVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml gives no Version")
	}
	return string(m[1])
}

// TestWindowsBuildUnderWine runs till.exe under Wine: it prints its
// version, prints a test slip into a file (ESC/POS, decoded), and opens the
// demo's first window, whose Sell screen lays out and paints.
func TestWindowsBuildUnderWine(t *testing.T) {
	w := newWine(t)

	if got, want := strings.TrimSpace(w.run(t, "wine", w.exe, "-version")), "till "+wantVersion(t); got != want {
		t.Fatalf("till.exe -version printed %q, want %q", got, want)
	}

	// A Unix path is a path on Wine's drive Z:, the current drive.
	slip := filepath.Join(t.TempDir(), "slip.bin")
	out := w.run(t, "wine", w.exe, "diag", "printer", "-printer", "file://"+slip, "-paper", "58")
	if !strings.Contains(out, "printed a test page") {
		t.Fatalf("diag printer: %s", out)
	}
	b, err := os.ReadFile(slip)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0x1b, 0x40}) || !bytes.Contains(b, []byte("Till diag printer")) || !bytes.Contains(b, []byte{0x1d, 0x56}) {
		t.Fatalf("the slip is not an initialised, cut ESC/POS job with the test page: % x", b[:min(len(b), 64)])
	}

	home := t.TempDir()
	p := xvfbtest.StartProgram(t, w.d, "wine", append(w.env, "TILL_FIRST_FRAME=1"), w.exe, "-demo", "-lang", "en",
		"-size", "1024x768", "-db", filepath.Join(home, "data", "till.db"), "-keys", filepath.Join(home, "keys"))
	p.WaitLine(t, "first-frame", liveness)
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly("Sell"))
	tile := p.WaitFor(t, liveness, "tile", xvfbtest.Containing("Coca-Cola 330ml"))
	shot := filepath.Join(t.TempDir(), "wine.png")
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		shot = filepath.Join(dir, "wine-sell.png")
	}
	img := w.d.WaitStill(t, shot, image.Rect(0, 0, w.d.Width, w.d.Height), liveness)
	if lit := litShare(img); lit < 0.5 {
		t.Fatalf("the screen is %.0f%% painted after the window laid out (tile %v); screenshot %s", 100*lit, tile, shot)
	}
	t.Logf("till.exe laid out its Sell screen under Wine; screenshot %s", shot)
	p.Stop()
}

// litShare is the share of img's pixels that are not black: Xvfb's screen
// is black where no window paints.
func litShare(img image.Image) float64 {
	r := img.Bounds()
	lit := 0
	for y := r.Min.Y; y < r.Max.Y; y += 4 {
		for x := r.Min.X; x < r.Max.X; x += 4 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr+cg+cb > 3*0x1000 {
				lit++
			}
		}
	}
	return float64(lit) / float64((r.Dx()/4+1)*(r.Dy()/4+1))
}
