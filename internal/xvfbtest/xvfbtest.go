// Package xvfbtest runs programs in a real X server (Xvfb) for Till's
// real-window tests and start-up benchmarks: it starts the server, builds a
// program and starts it under the server, reads the program's progress lines
// and its peak memory, and takes screenshots.
//
// A program taking part prints progress lines on stdout; with
// TILL_FIRST_FRAME=1 in its environment it prints "first-frame" the moment
// its first frame is painted (see internal/firstframe), and from then on a
// layout block whenever its buttons and product tiles move or change. A
// test waits on those and on the screen, never on elapsed time:
// Program.WaitFor waits for a button or tile by its text, Display.Tap
// clicks one in the program's window (Display.FindWindow), and
// Display.WaitChange waits until a region of the screen has changed from
// an earlier screenshot and holds still.
//
// A start-up benchmark keeps one Display and starts a program per iteration:
//
//	bin := xvfbtest.BuildBinary(b, "github.com/till-pos/till/cmd/hellowindow", "migrated_fynedo")
//	d := xvfbtest.Start(b, 1280, 800)
//	env := append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1")
//	for b.Loop() {
//		p := xvfbtest.StartProgram(b, d, bin, env)
//		p.WaitLine(b, "first-frame", time.Minute)
//		p.Stop()
//	}
//
// The package needs no build tag; the tests that use it are behind the xvfb
// tag, so a plain `go test ./...` does not need an X server.
package xvfbtest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The display numbers Start tries, well above the :0 and :1 of a desktop.
const (
	firstDisplay = 90
	lastDisplay  = 140
)

// serverLiveness bounds how long Xvfb may take to accept connections; it
// keeps a broken server from hanging a test and is not a speed assertion.
const serverLiveness = 30 * time.Second

// Display is a running Xvfb server, stopped when the test that started it
// ends.
type Display struct {
	Num           int // display number: DISPLAY is ":Num"
	Width, Height int

	cmd    *exec.Cmd
	exited chan struct{} // closed when Xvfb has exited
	stderr *tailBuffer
}

// Start starts Xvfb on the first free display between :90 and :140, with
// one screen of width×height at 24 bits, waits until it accepts connections
// and registers its shutdown with tb.Cleanup. A missing Xvfb fails the test:
// `make deps` installs it.
func Start(tb testing.TB, width, height int) *Display {
	tb.Helper()
	bin, err := exec.LookPath("Xvfb")
	if err != nil {
		tb.Fatalf("xvfbtest: Xvfb is not installed (%v); run `make deps` to install it", err)
	}
	for n := firstDisplay; n <= lastDisplay; n++ {
		if displayInUse(n) {
			continue
		}
		if d := launch(tb, bin, n, width, height); d != nil {
			return d
		}
		// Another server took the number between the check and the start.
	}
	tb.Fatalf("xvfbtest: no free X display between :%d and :%d (every one has a live server: see /tmp/.X*-lock)", firstDisplay, lastDisplay)
	return nil
}

func lockPath(n int) string   { return fmt.Sprintf("/tmp/.X%d-lock", n) }
func socketPath(n int) string { return fmt.Sprintf("/tmp/.X11-unix/X%d", n) }

// displayInUse reports whether a live X server holds display n. A lock file
// whose process is gone and a socket that refuses connections are what a
// killed server leaves behind; Xvfb replaces both, so they do not count.
func displayInUse(n int) bool {
	if _, err := os.Stat(lockPath(n)); err == nil {
		pid, err := lockOwner(n)
		if err != nil || processAlive(pid) {
			return true
		}
	}
	if _, err := os.Stat(socketPath(n)); err == nil {
		if c, err := net.DialTimeout("unix", socketPath(n), time.Second); err == nil {
			c.Close()
			return true
		}
	}
	return false
}

// lockOwner reads the process id an X server writes into its lock file.
func lockOwner(n int) (int, error) {
	data, err := os.ReadFile(lockPath(n))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(data)))
}

// launch starts Xvfb on display n and waits until it accepts connections.
// It returns nil when another server holds n.
func launch(tb testing.TB, bin string, n, width, height int) *Display {
	tb.Helper()
	d := &Display{
		Num: n, Width: width, Height: height,
		cmd:    exec.Command(bin, fmt.Sprintf(":%d", n), "-screen", "0", fmt.Sprintf("%dx%dx24", width, height), "-nolisten", "tcp"),
		exited: make(chan struct{}),
		stderr: newTailBuffer(16 << 10),
	}
	d.cmd.Stderr = d.stderr
	setServerAttr(d.cmd)
	if err := d.cmd.Start(); err != nil {
		tb.Fatalf("xvfbtest: start Xvfb :%d: %v", n, err)
	}
	go func() {
		d.cmd.Wait()
		close(d.exited)
	}()

	deadline := time.NewTimer(serverLiveness)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-d.exited:
			msg := d.stderr.String()
			if strings.Contains(msg, "already active") || strings.Contains(msg, "already running") {
				return nil
			}
			tb.Fatalf("xvfbtest: Xvfb :%d exited before accepting connections (%v):\n%s", n, d.cmd.ProcessState, msg)
		case <-deadline.C:
			d.stop()
			tb.Fatalf("xvfbtest: Xvfb :%d did not accept connections on %s within %v:\n%s", n, socketPath(n), serverLiveness, d.stderr.String())
		case <-tick.C:
		}
		if !d.accepts() {
			continue
		}
		// The socket answers; make sure it is this server's and not that of
		// one which took the number first (ours then exits "already active").
		if pid, err := lockOwner(n); err == nil && pid == d.cmd.Process.Pid {
			tb.Cleanup(d.stop)
			return d
		}
	}
}

func (d *Display) accepts() bool {
	c, err := net.DialTimeout("unix", socketPath(d.Num), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// stop ends Xvfb with SIGTERM, so that it removes its lock file and socket,
// and with SIGKILL if it has not gone after a few seconds.
func (d *Display) stop() {
	select {
	case <-d.exited:
		return
	default:
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
		return
	case <-time.After(5 * time.Second):
	}
	d.cmd.Process.Kill()
	<-d.exited
	if pid, err := lockOwner(d.Num); err == nil && pid == d.cmd.Process.Pid {
		os.Remove(socketPath(d.Num))
		os.Remove(lockPath(d.Num))
	}
}

// Name is the DISPLAY value, e.g. ":90".
func (d *Display) Name() string { return ":" + strconv.Itoa(d.Num) }

// Env is this process's environment with DISPLAY pointing at the server
// (and no WAYLAND_DISPLAY, so that nothing opens on the desktop instead).
// Callers append what else they need, such as LANG or TILL_FIRST_FRAME=1;
// a later entry wins over an earlier one of the same name.
func (d *Display) Env() []string {
	env := []string{"DISPLAY=" + d.Name()}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	return env
}

// Command is a command to run against the server, such as xdotool, with
// Env as its environment.
func (d *Display) Command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = d.Env()
	return cmd
}

// Screenshot saves the whole screen as a PNG at path with ImageMagick's
// import, checks that it is one, and returns the decoded image.
func (d *Display) Screenshot(tb testing.TB, path string) image.Image {
	tb.Helper()
	if _, err := exec.LookPath("import"); err != nil {
		tb.Fatalf("xvfbtest: ImageMagick's import is not installed (%v); run `make deps` to install it", err)
	}
	out, err := exec.Command("import", "-display", d.Name(), "-window", "root", "png:"+path).CombinedOutput()
	if err != nil {
		tb.Fatalf("xvfbtest: screenshot of %s: %v\n%s", d.Name(), err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("xvfbtest: screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("xvfbtest: screenshot %s is not a PNG: %v", path, err)
	}
	return img
}

// tailBuffer keeps the last max bytes written to it; it is safe for
// concurrent use.
type tailBuffer struct {
	mu   sync.Mutex
	max  int
	data []byte
	cut  bool
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.data = append(b.data, p...)
	if over := len(b.data) - b.max; over > 0 {
		b.data = append(b.data[:0], b.data[over:]...)
		b.cut = true
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cut {
		return "…" + string(b.data)
	}
	return string(b.data)
}
