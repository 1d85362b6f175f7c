package xvfbtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var errNoProcess = errors.New("the process has exited")

// outputGrace is how long a program's output may keep coming after it has
// exited; a helper it started and that inherited stdout must not hold a
// test up for longer.
const outputGrace = 2 * time.Second

// Program is a program running under a Display (or with no display at all).
type Program struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has exited and its output is read
	stop   sync.Once

	mu      sync.Mutex
	lines   []string // stdout, line by line
	taken   []bool   // lines WaitLine has returned
	done    bool     // no more lines will come
	changed chan struct{}
	stderr  *tailBuffer
	err     error // from cmd.Wait
}

// StartProgram starts bin with the environment env (typically d.Env() plus
// LANG and TILL_FIRST_FRAME=1) and args, reads its stdout line by line and
// keeps the tail of its stderr. tb.Cleanup stops it. d may be nil for a
// program that needs no display; it is not otherwise used, since env carries
// DISPLAY.
func StartProgram(tb testing.TB, d *Display, bin string, env []string, args ...string) *Program {
	tb.Helper()
	p := &Program{
		cmd:     exec.Command(bin, args...),
		exited:  make(chan struct{}),
		changed: make(chan struct{}),
		stderr:  newTailBuffer(64 << 10),
	}
	p.cmd.Env = env
	setProgramAttr(p.cmd)
	// Pipes of our own rather than cmd.StdoutPipe: Wait then returns when the
	// process exits, even if a child of it still holds the write ends.
	outR, outW, err := os.Pipe()
	if err != nil {
		tb.Fatalf("xvfbtest: %v", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		tb.Fatalf("xvfbtest: %v", err)
	}
	p.cmd.Stdout, p.cmd.Stderr = outW, errW
	err = p.cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		tb.Fatalf("xvfbtest: start %s: %v", bin, err)
	}

	var readers sync.WaitGroup
	readers.Add(2)
	go func() {
		defer readers.Done()
		defer outR.Close()
		p.readLines(outR)
	}()
	go func() {
		defer readers.Done()
		defer errR.Close()
		io.Copy(p.stderr, errR)
	}()
	go func() {
		err := p.cmd.Wait()
		read := make(chan struct{})
		go func() {
			readers.Wait()
			close(read)
		}()
		select {
		case <-read:
		case <-time.After(outputGrace):
			outR.Close() // unblocks the readers
			errR.Close()
			<-read
		}
		p.mu.Lock()
		p.err = err
		p.done = true
		p.notifyLocked()
		p.mu.Unlock()
		close(p.exited)
	}()
	tb.Cleanup(p.Stop)
	return p
}

func (p *Program) readLines(r io.Reader) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			line = strings.TrimRight(line, "\r\n")
			p.mu.Lock()
			p.lines = append(p.lines, line)
			p.taken = append(p.taken, false)
			p.notifyLocked()
			p.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// notifyLocked wakes every WaitLine; p.mu is held.
func (p *Program) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// WaitLine returns the first line on stdout that starts with prefix and that
// no earlier WaitLine returned, waiting for it if it has not come yet. So
// progress lines may be awaited in any order, and a repeated line once per
// time it is printed. The test fails, with the tail of the program's stderr,
// if the program exits first or the line has not come after limit: a bound
// that keeps a hung program from hanging the test, not a speed assertion.
func (p *Program) WaitLine(tb testing.TB, prefix string, limit time.Duration) string {
	tb.Helper()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		p.mu.Lock()
		for i, l := range p.lines {
			if !p.taken[i] && strings.HasPrefix(l, prefix) {
				p.taken[i] = true
				p.mu.Unlock()
				return l
			}
		}
		done, changed, err := p.done, p.changed, p.err
		p.mu.Unlock()
		if done {
			tb.Fatalf("xvfbtest: %s exited (%v) without printing a line starting %q%s", p.name(), exitText(err), prefix, p.report())
		}
		select {
		case <-changed:
		case <-timer.C:
			tb.Fatalf("xvfbtest: %s printed no line starting %q within %v%s", p.name(), prefix, limit, p.report())
		}
	}
}

func exitText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

func (p *Program) name() string {
	return fmt.Sprintf("%s (pid %d)", p.cmd.Path, p.cmd.Process.Pid)
}

// report is the last stdout lines and the stderr tail, for a failure.
func (p *Program) report() string {
	p.mu.Lock()
	out := p.lines
	if len(out) > 20 {
		out = out[len(out)-20:]
	}
	stdout := strings.Join(out, "\n")
	p.mu.Unlock()
	return fmt.Sprintf("\n--- stdout (last lines):\n%s\n--- stderr (tail):\n%s", stdout, tail(p.stderr.String(), 4000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// Lines is everything the program has printed on stdout so far.
func (p *Program) Lines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.lines...)
}

// Stderr is the tail (the last 64 KiB) of what the program has written to
// standard error so far.
func (p *Program) Stderr() string { return p.stderr.String() }

// Pid is the program's process id.
func (p *Program) Pid() int { return p.cmd.Process.Pid }

// PeakRSS is the program's peak resident memory so far (VmHWM in
// /proc/<pid>/status), in bytes. It fails once the program has exited.
func (p *Program) PeakRSS() (int64, error) {
	select {
	case <-p.exited:
		return 0, fmt.Errorf("xvfbtest: peak RSS of %s: %w", p.name(), errNoProcess)
	default:
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	return parseVmHWM(data)
}

// parseVmHWM reads the "VmHWM:   123456 kB" line of a /proc status file.
func parseVmHWM(status []byte) (int64, error) {
	for _, line := range strings.Split(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("xvfbtest: odd VmHWM line %q", line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("xvfbtest: odd VmHWM line %q: %v", line, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("xvfbtest: no VmHWM line in the status file")
}

// Wait waits for the program to exit by itself and returns its exit error
// (nil for status 0). The test fails if it is still running after limit, a
// liveness bound.
func (p *Program) Wait(tb testing.TB, limit time.Duration) error {
	tb.Helper()
	select {
	case <-p.exited:
	case <-time.After(limit):
		tb.Fatalf("xvfbtest: %s still running after %v%s", p.name(), limit, p.report())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Stop kills the program (and any helper in its process group) and waits
// until it has exited and its output is read. It may be called more than
// once; the cleanup StartProgram registers calls it too.
func (p *Program) Stop() {
	p.stop.Do(func() {
		select {
		case <-p.exited:
		default:
			killProgram(p.cmd)
		}
	})
	<-p.exited
}
