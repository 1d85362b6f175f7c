// Package printertest is a receipt printer for tests, on a loopback TCP port
// or on a pseudo-terminal: it records every byte of every job, answers the
// real-time status requests (DLE EOT n) as a printer would (or swallows
// them, as many print servers do), can stop reading as a printer whose
// buffer stays full, and reads what it printed back as text.
package printertest

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/till-pos/till/devices/printer/escposdecode"
)

// Printer is a fake receipt printer.
type Printer struct {
	url string

	mu      sync.Mutex
	cond    *sync.Cond // signalled when stalled changes
	data    []byte
	status  map[byte]byte // DLE EOT n → the status byte
	silent  bool          // swallow status requests
	stalled bool          // read nothing
	got     chan struct{}
}

func newPrinter() *Printer {
	p := &Printer{status: map[byte]byte{1: 0x16, 2: 0x12, 4: 0x12}, got: make(chan struct{}, 64)}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Start starts a network printer on a loopback port that is online with
// paper in, until the test ends.
func Start(t testing.TB) *Printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := newPrinter()
	p.url = "tcp://" + ln.Addr().String()
	t.Cleanup(func() {
		ln.Close()
		p.SetStalled(false)
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				p.serve(c)
			}()
		}
	}()
	return p
}

// StartSerial starts a serial printer on a pseudo-terminal that is online
// with paper in, until the test ends. It skips the test where there are no
// pseudo-terminals.
func StartSerial(t testing.TB) *Printer {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	p := newPrinter()
	p.url = "serial://" + slave.Name() + "?baud=115200"
	// The slave stays open until the end, so that the master does not
	// read end-of-file between two openings of the port.
	t.Cleanup(func() {
		p.SetStalled(false)
		slave.Close()
		master.Close()
	})
	go p.serve(master)
	return p
}

// URL is the printer's address as Till's printer settings name it.
func (p *Printer) URL() string { return p.url }

// gate reads from r, but not while the printer is stalled.
type gate struct {
	p *Printer
	r io.Reader
}

func (g gate) Read(b []byte) (int, error) {
	g.p.mu.Lock()
	for g.p.stalled {
		g.p.cond.Wait()
	}
	g.p.mu.Unlock()
	return g.r.Read(b)
}

func (p *Printer) serve(rw io.ReadWriter) {
	r := bufio.NewReader(gate{p, rw})
	for {
		b, err := r.ReadByte()
		if err != nil {
			return
		}
		if b == 0x10 {
			if next, err := r.Peek(2); err == nil && next[0] == 0x04 {
				r.Discard(2)
				p.mu.Lock()
				answer, silent := p.status[next[1]], p.silent
				p.mu.Unlock()
				if !silent {
					rw.Write([]byte{answer})
				}
				continue
			}
		}
		p.mu.Lock()
		p.data = append(p.data, b)
		p.mu.Unlock()
		select {
		case p.got <- struct{}{}:
		default:
		}
	}
}

// SetPaperOut makes the printer say it is out of paper, or has paper again.
func (p *Printer) SetPaperOut(out bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status[4] = 0x12
	if out {
		p.status[4] = 0x72
	}
}

// SetSilent makes the printer swallow status requests without answering,
// as many print servers and cheap network printers do, or answer them
// again.
func (p *Printer) SetSilent(silent bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.silent = silent
}

// SetStalled makes the printer stop reading what it is sent, as one whose
// buffer stays full or whose flow control is stuck, or read again (what
// waited is then read, and printed).
func (p *Printer) SetStalled(stalled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stalled = stalled
	p.cond.Broadcast()
}

// Text is all the printer printed, as readable lines. A job cut short (its
// writer gave up on a stalled printer) is left out.
func (p *Printer) Text() string {
	p.mu.Lock()
	data := append([]byte(nil), p.data...)
	p.mu.Unlock()
	if ops, err := escposdecode.Decode(data); err == nil {
		return strings.Join(escposdecode.Lines(ops), "\n")
	}
	// Read job by job (each starts with ESC @), leaving out what does
	// not decode.
	var lines []string
	for _, job := range bytes.SplitAfter(data, []byte{0x1B, 0x40}) {
		job = bytes.TrimSuffix(job, []byte{0x1B, 0x40})
		if ops, err := escposdecode.Decode(append([]byte{0x1B, 0x40}, job...)); err == nil {
			lines = append(lines, escposdecode.Lines(ops)...)
		}
	}
	return strings.Join(lines, "\n")
}

// Printed waits until the printer has printed want, and returns all it
// printed.
func (p *Printer) Printed(t testing.TB, want string) string {
	t.Helper()
	return p.PrintedWhen(t, want, func(text string) bool { return strings.Contains(text, want) })
}

// PrintedWhen waits until what the printer printed makes done true (what
// names it in a failure), and returns it.
func (p *Printer) PrintedWhen(t testing.TB, what string, done func(text string) bool) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if text := p.Text(); done(text) {
			return text
		}
		select {
		case <-p.got:
		case <-deadline:
			t.Fatalf("the printer did not print %s; it printed:\n%s", what, p.Text())
		}
	}
}
