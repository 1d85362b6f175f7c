package xvfbtest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// liveness bounds waits on programs that should answer at once; it only
// keeps a broken helper from hanging the test.
const liveness = 30 * time.Second

// fatalTB records a Fatalf and ends the goroutine that called it, so that a
// helper's failure can itself be tested.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// failure runs fn with a fatalTB and returns its Fatalf message ("" if none).
func failure(t *testing.T, fn func(tb testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.msg
}

func shell(t *testing.T, script string) *Program {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	return StartProgram(t, nil, sh, os.Environ(), "-c", script)
}

func TestWaitLineInAnyOrder(t *testing.T) {
	p := shell(t, "echo catalog-ready; echo first-frame; echo tick 1; echo tick 2; exec sleep 60")
	if got := p.WaitLine(t, "first-frame", liveness); got != "first-frame" {
		t.Fatalf("got %q", got)
	}
	if got := p.WaitLine(t, "catalog-ready", liveness); got != "catalog-ready" {
		t.Fatalf("got %q", got)
	}
	if got := p.WaitLine(t, "tick", liveness); got != "tick 1" {
		t.Fatalf("first tick: got %q", got)
	}
	if got := p.WaitLine(t, "tick", liveness); got != "tick 2" {
		t.Fatalf("second tick: got %q", got)
	}
	rss, err := p.PeakRSS()
	if err != nil || rss <= 0 {
		t.Fatalf("PeakRSS = %d, %v", rss, err)
	}
	p.Stop()
	p.Stop() // again, as the cleanup will
	if _, err := p.PeakRSS(); err == nil {
		t.Fatal("PeakRSS of a stopped program did not fail")
	}
}

func TestWaitLineReportsExit(t *testing.T) {
	p := shell(t, "echo starting; echo 'no display' >&2; exit 3")
	msg := failure(t, func(tb testing.TB) { p.WaitLine(tb, "first-frame", liveness) })
	for _, want := range []string{"exit status 3", `"first-frame"`, "starting", "no display"} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
}

func TestWaitLineLivenessBound(t *testing.T) {
	p := shell(t, "echo 'still loading' >&2; exec sleep 60")
	msg := failure(t, func(tb testing.TB) { p.WaitLine(tb, "first-frame", 200*time.Millisecond) })
	if !strings.Contains(msg, "within 200ms") || !strings.Contains(msg, "still loading") {
		t.Fatalf("failure message:\n%s", msg)
	}
}

// A helper that outlives the program and keeps its stdout open must not keep
// Stop (or Wait) waiting; and Stop kills the program's process group.
func TestStopWithChildHoldingStdout(t *testing.T) {
	p := shell(t, "sleep 60 & echo ready; exec sleep 60")
	p.WaitLine(t, "ready", liveness)
	stopped := make(chan struct{})
	go func() {
		p.Stop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(liveness):
		t.Fatal("Stop did not return")
	}
}

// A helper in a session of its own escapes the process-group kill; its
// inherited stdout then holds Stop up only for outputGrace.
func TestStopWithEscapedChild(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Fatalf("setsid (util-linux) is not installed: %v", err)
	}
	// The helper prints its pid once it is in its new session.
	p := shell(t, "setsid sh -c 'echo child $$; exec sleep 60' & exec sleep 60")
	line := p.WaitLine(t, "child ", liveness)
	pid, err := strconv.Atoi(strings.TrimPrefix(line, "child "))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if proc, err := os.FindProcess(pid); err == nil {
			proc.Kill()
		}
	})
	stopped := make(chan struct{})
	go func() {
		p.Stop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(liveness):
		t.Fatal("Stop did not return")
	}
}

func TestWaitExitStatus(t *testing.T) {
	p := shell(t, "echo done")
	if err := p.Wait(t, liveness); err != nil {
		t.Fatal(err)
	}
	if got := p.Lines(); len(got) != 1 || got[0] != "done" {
		t.Fatalf("Lines = %q", got)
	}
}

// A program may print a great deal that nobody waits for; it must not block.
func TestChattyProgramDoesNotBlock(t *testing.T) {
	p := shell(t, "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done; echo last")
	p.WaitLine(t, "last", liveness)
	if err := p.Wait(t, liveness); err != nil {
		t.Fatal(err)
	}
}

func TestParseVmHWM(t *testing.T) {
	got, err := parseVmHWM([]byte("Name:\thello\nVmPeak:\t  900 kB\nVmHWM:\t  135168 kB\nVmRSS:\t 1 kB\n"))
	if err != nil || got != 135168<<10 {
		t.Fatalf("got %d, %v", got, err)
	}
	if _, err := parseVmHWM([]byte("Name:\tzombie\n")); err == nil {
		t.Fatal("no error without a VmHWM line")
	}
}

func TestTailBuffer(t *testing.T) {
	b := newTailBuffer(8)
	fmt.Fprint(b, "0123")
	if b.String() != "0123" {
		t.Fatalf("got %q", b.String())
	}
	fmt.Fprint(b, "456789ab")
	if b.String() != "…456789ab" {
		t.Fatalf("got %q", b.String())
	}
}
