// Package xvfbtest runs programs in a real X server (Xvfb) for Till's
// real-window tests and start-up benchmarks: it starts the server, builds and
// starts a program under it, reads the program's progress lines, its memory,
// and takes screenshots.
package xvfbtest

import (
	"bufio"
	"bytes"
	"fmt"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Display is a running Xvfb server.
type Display struct {
	Num int
	cmd *exec.Cmd
}

// Start starts Xvfb on a free display of width×height and stops it when the
// test ends. A missing Xvfb fails the test: `make deps` installs it.
func Start(tb testing.TB, width, height int) *Display {
	tb.Helper()
	bin, err := exec.LookPath("Xvfb")
	if err != nil {
		tb.Fatalf("Xvfb is not installed (run `make deps`): %v", err)
	}
	for n := 90; n < 140; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		if d := tryDisplay(tb, bin, n, width, height); d != nil {
			return d
		}
	}
	tb.Fatal("no free X display between :90 and :139")
	return nil
}

// tryDisplay starts Xvfb on display n and waits until it accepts
// connections; it returns nil if another server took the number first.
func tryDisplay(tb testing.TB, bin string, n, width, height int) *Display {
	tb.Helper()
	cmd := exec.Command(bin, fmt.Sprintf(":%d", n), "-screen", "0", fmt.Sprintf("%dx%dx24", width, height), "-nolisten", "tcp")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start Xvfb: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	sock := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			tb.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})
			return &Display{Num: n, cmd: cmd}
		}
		select {
		case <-exited:
			if strings.Contains(stderr.String(), "already active") {
				return nil
			}
			tb.Fatalf("Xvfb :%d exited: %s", n, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			tb.Fatalf("Xvfb :%d did not accept connections within 30s: %s", n, stderr.String())
		}
	}
}

// Name is the DISPLAY value, e.g. ":90".
func (d *Display) Name() string { return ":" + strconv.Itoa(d.Num) }

// Env is the environment with DISPLAY pointing at this server.
func (d *Display) Env() []string {
	env := []string{"DISPLAY=" + d.Name()}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	return env
}

// Screenshot saves the whole screen as a PNG at path, with ImageMagick's import.
func (d *Display) Screenshot(tb testing.TB, path string) {
	tb.Helper()
	out, err := exec.Command("import", "-display", d.Name(), "-window", "root", path).CombinedOutput()
	if err != nil {
		tb.Fatalf("screenshot: %v: %s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := png.DecodeConfig(f); err != nil {
		tb.Fatalf("screenshot %s is not a PNG: %v", path, err)
	}
}

// BuildBinary builds a main package with build tags into a temporary folder
// and returns the binary's path; the Go build cache makes rebuilds cheap.
func BuildBinary(tb testing.TB, pkg string, tags ...string) string {
	tb.Helper()
	return BuildBinaryTo(tb, pkg, filepath.Join(tb.TempDir(), filepath.Base(pkg)), tags...)
}

// BuildBinaryTo builds a main package with build tags to the path bin.
func BuildBinaryTo(tb testing.TB, pkg, bin string, tags ...string) string {
	tb.Helper()
	args := []string{"build", "-o", bin}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	out, err := exec.Command("go", append(args, pkg)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// Program is a program running under a Display.
type Program struct {
	cmd    *exec.Cmd
	lines  chan string
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
}

// StartProgram starts bin with env and args, and stops it when the test ends.
func StartProgram(tb testing.TB, d *Display, bin string, env []string, args ...string) *Program {
	tb.Helper()
	p := &Program{cmd: exec.Command(bin, args...), lines: make(chan string, 64), done: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stderr = lockedWriter{p}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		p.cmd.Wait()
		close(p.done)
	}()
	tb.Cleanup(p.Stop)
	return p
}

type lockedWriter struct{ p *Program }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.stderr.Write(b)
}

// Stderr is what the program has written to standard error so far.
func (p *Program) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// WaitLine returns the first line on stdout that starts with prefix. The
// limit only keeps a hung program from hanging the test; it is not a speed
// assertion.
func (p *Program) WaitLine(tb testing.TB, prefix string, limit time.Duration) string {
	tb.Helper()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				tb.Fatalf("program exited before printing %q; stderr:\n%s", prefix, tail(p.Stderr()))
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-timer.C:
			tb.Fatalf("no %q line within %v; stderr:\n%s", prefix, limit, tail(p.Stderr()))
		}
	}
}

// PeakRSS is the program's peak resident memory (VmHWM) in bytes.
func (p *Program) PeakRSS() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", p.cmd.Process.Pid)
}

// Stop kills the program and waits for it to end.
func (p *Program) Stop() {
	if p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}
