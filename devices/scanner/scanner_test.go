//go:build linux

package scanner

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// wait bounds every wait on the scanner; it only limits a failing test.
const wait = 10 * time.Second

// openPTY opens a pseudo-terminal and a Scanner on its slave side. The master
// plays the scanner.
func openPTY(t *testing.T) (*os.File, *Scanner) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() {
		master.Close()
		slave.Close()
	})
	s, err := Open(Config{Port: slave.Name()})
	if err != nil {
		t.Fatalf("Open(%s): %v", slave.Name(), err)
	}
	t.Cleanup(func() { s.Close() })
	return master, s
}

func receive(t *testing.T, s *Scanner) (string, bool) {
	t.Helper()
	select {
	case c, ok := <-s.Codes():
		return c, ok
	case <-time.After(wait):
		t.Fatal("timed out waiting on Codes")
		return "", false
	}
}

func waitClosed(t *testing.T, s *Scanner) {
	t.Helper()
	for {
		c, ok := receive(t, s)
		if !ok {
			return
		}
		t.Errorf("unexpected code %q", c)
	}
}

func TestScannerPTY(t *testing.T) {
	master, s := openPTY(t)

	writes := []string{
		"6901234567892\r\n",
		"134567890123456780\r",
		"  abc  \n",
		strings.Repeat("5", 300) + "\r\n",
		"123\x00456\r\n",
		"4006381333931\r\n",
	}
	for _, w := range writes {
		if _, err := master.WriteString(w); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"6901234567892", "134567890123456780", "abc", "4006381333931"}
	for _, w := range want {
		got, ok := receive(t, s)
		if !ok {
			t.Fatalf("Codes closed before %q: %v", w, s.Err())
		}
		if got != w {
			t.Fatalf("got %q, want %q", got, w)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Err() while open = %v", err)
	}

	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// Close waits for the reading goroutine, so the channel is already closed.
	select {
	case c, ok := <-s.Codes():
		if ok {
			t.Fatalf("code %q after Close", c)
		}
	default:
		t.Fatal("Codes not closed when Close returned")
	}
	if err := s.Err(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Err() = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestScannerUnplug(t *testing.T) {
	master, s := openPTY(t)

	if _, err := master.WriteString("6901234567892\r\n"); err != nil {
		t.Fatal(err)
	}
	if got, ok := receive(t, s); !ok || got != "6901234567892" {
		t.Fatalf("got %q, %v", got, ok)
	}
	// Closing the master hangs up the slave: reads on it fail with EIO, as
	// they do when a USB-serial adapter is pulled out.
	master.Close()
	waitClosed(t, s)
	if err := s.Err(); !errors.Is(err, ErrPortGone) {
		t.Fatalf("Err() = %v, want ErrPortGone", err)
	}
	t.Logf("after unplug: %v", s.Err())
	if err := s.Close(); err != nil {
		t.Fatalf("Close after unplug: %v", err)
	}
	if err := s.Err(); !errors.Is(err, ErrPortGone) {
		t.Fatalf("Err() after Close = %v, want it to stay ErrPortGone", err)
	}
}

func TestCloseWithUnreadCodes(t *testing.T) {
	master, s := openPTY(t)
	// More codes than the channel buffers, none received: Close must not hang
	// on the blocked sender.
	for range 100 {
		if _, err := master.WriteString("6901234567892\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	// Wait until the reader is running and delivering.
	if _, ok := receive(t, s); !ok {
		t.Fatalf("closed early: %v", s.Err())
	}
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Close hung")
	}
}

func TestCloseIdle(t *testing.T) {
	_, s := openPTY(t)
	// Nothing is written: the reader is blocked in Read and Close must wake it.
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	waitClosed(t, s)
	if err := s.Err(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Err() = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestOpenNoPort(t *testing.T) {
	s, err := Open(Config{Port: "/dev/nonexistent-tty"})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	if !errors.Is(err, ErrNoPort) {
		t.Fatalf("err = %v, want ErrNoPort", err)
	}
	t.Logf("open: %v", err)
}

func TestOpenBadBaud(t *testing.T) {
	if _, err := Open(Config{Port: "/dev/nonexistent-tty", Baud: -1}); err == nil {
		t.Fatal("Open with negative baud succeeded")
	}
}
