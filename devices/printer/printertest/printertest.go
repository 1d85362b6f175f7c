// Package printertest is a network receipt printer on loopback for tests:
// it records every byte of every job, answers the real-time status
// requests (DLE EOT n) as a printer would, and reads what it printed back
// as text.
package printertest

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/till-pos/till/devices/printer/escposdecode"
)

// Printer is a fake network printer listening on a loopback port.
type Printer struct {
	ln     net.Listener
	mu     sync.Mutex
	data   []byte
	status map[byte]byte // DLE EOT n → the status byte
	got    chan struct{}
}

// Start starts a printer that is online with paper in, until the test ends.
func Start(t testing.TB) *Printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Printer{ln: ln, status: map[byte]byte{1: 0x16, 2: 0x12, 4: 0x12}, got: make(chan struct{}, 64)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

// URL is the printer's address as Till's printer settings name it.
func (p *Printer) URL() string { return "tcp://" + p.ln.Addr().String() }

func (p *Printer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		b, err := r.ReadByte()
		if err != nil {
			return
		}
		if b == 0x10 {
			if next, err := r.Peek(2); err == nil && next[0] == 0x04 {
				r.Discard(2)
				p.mu.Lock()
				answer := p.status[next[1]]
				p.mu.Unlock()
				c.Write([]byte{answer})
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

// Text is all the printer printed, as readable lines.
func (p *Printer) Text() string {
	p.mu.Lock()
	data := append([]byte(nil), p.data...)
	p.mu.Unlock()
	ops, err := escposdecode.Decode(data)
	if err != nil {
		return ""
	}
	return strings.Join(escposdecode.Lines(ops), "\n")
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
