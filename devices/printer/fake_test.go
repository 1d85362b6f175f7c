package printer_test

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// fakeDevice plays a printer on a byte stream: it records every byte except
// status requests (DLE EOT n), which it answers from answer.
type fakeDevice struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever data grows
	data     []byte
	requests []byte
	answer   func(n byte) (byte, bool) // false: stay silent
}

func newFakeDevice(answer func(n byte) (byte, bool)) *fakeDevice {
	return &fakeDevice{changed: make(chan struct{}), answer: answer}
}

// answers returns an answer function for fixed status bytes.
func answers(a1, a2, a4 byte) func(byte) (byte, bool) {
	return func(n byte) (byte, bool) {
		switch n {
		case 1:
			return a1, true
		case 2:
			return a2, true
		case 4:
			return a4, true
		}
		return 0, false
	}
}

func (f *fakeDevice) setAnswer(a func(byte) (byte, bool)) {
	f.mu.Lock()
	f.answer = a
	f.mu.Unlock()
}

// serve reads rw until it fails.
func (f *fakeDevice) serve(rw io.ReadWriter) {
	var pending []byte
	buf := make([]byte, 4096)
	for {
		n, err := rw.Read(buf)
		if n > 0 {
			pending = append(pending, buf[:n]...)
			var out []byte
			i := 0
			for i < len(pending) {
				if pending[i] == 0x10 {
					if len(pending)-i < 3 {
						break
					}
					if pending[i+1] == 0x04 {
						req := pending[i+2]
						f.mu.Lock()
						f.requests = append(f.requests, req)
						a, ok := f.answer(req)
						f.mu.Unlock()
						if ok {
							out = append(out, a)
						}
						i += 3
						continue
					}
				}
				f.record(pending[i : i+1])
				i++
			}
			pending = append(pending[:0], pending[i:]...)
			if len(out) > 0 {
				if _, err := rw.Write(out); err != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

func (f *fakeDevice) record(b []byte) {
	f.mu.Lock()
	f.data = append(f.data, b...)
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeDevice) bytes() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.data...)
}

func (f *fakeDevice) statusRequests() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.requests...)
}

// waitFor waits until at least n bytes have been recorded and returns them.
func (f *fakeDevice) waitFor(t *testing.T, n int) []byte {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		if len(f.data) >= n {
			b := append([]byte(nil), f.data...)
			f.mu.Unlock()
			return b
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("got %d bytes, waited for %d", len(f.bytes()), n)
		}
	}
}

// waitForSuffix waits until what was recorded ends with want, and returns
// it all.
func (f *fakeDevice) waitForSuffix(t *testing.T, want []byte) []byte {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		if bytes.HasSuffix(f.data, want) {
			b := append([]byte(nil), f.data...)
			f.mu.Unlock()
			return b
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("got %d bytes, not ending with the %d awaited", len(f.bytes()), len(want))
		}
	}
}

// listenFake starts a TCP fake printer on 127.0.0.1 and returns its address.
func listenFake(t *testing.T, f *fakeDevice) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var conns []net.Conn
	var mu sync.Mutex
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}
