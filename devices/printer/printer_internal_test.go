package printer

import (
	"context"
	"errors"
	"testing"
	"time"
)

type blockingConn struct {
	started chan struct{}
	release chan struct{}
}

func (c *blockingConn) Write([]byte) error {
	c.started <- struct{}{}
	<-c.release
	return nil
}
func (c *blockingConn) Status(context.Context) (Status, error) { return Status{Online: true}, nil }
func (c *blockingConn) Close() error                           { return nil }

func (p *Printer) queued() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue)
}

func TestCloseFailsQueuedJobs(t *testing.T) {
	conn := &blockingConn{started: make(chan struct{}, 1), release: make(chan struct{})}
	p := New(conn, Profile58())
	first := make(chan error, 1)
	go func() { first <- p.PrintRaw(context.Background(), []byte("a")) }()
	<-conn.started
	second := make(chan error, 1)
	go func() { second <- p.PrintRaw(context.Background(), []byte("b")) }()
	for p.queued() == 0 {
		time.Sleep(time.Millisecond)
	}
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	// Close waits for the job being written...
	for !p.isClosed() {
		time.Sleep(time.Millisecond)
	}
	close(conn.release)
	if err := <-first; err != nil {
		t.Errorf("job being written: %v", err)
	}
	// ...and fails the queued one.
	if err := <-second; !errors.Is(err, ErrClosed) {
		t.Errorf("queued job: err = %v, want ErrClosed", err)
	}
	if err := <-closed; err != nil {
		t.Error(err)
	}
}

func (p *Printer) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func TestParseStatus(t *testing.T) {
	if _, err := parseStatus([3]byte{0x12, 0x12, 0xFF}); err == nil {
		t.Error("malformed status byte accepted")
	}
	st, err := parseStatus([3]byte{0x12, 0x12, 0x12})
	if err != nil || st != (Status{Online: true}) || st.Err() != nil {
		t.Errorf("ok status: %+v, %v", st, err)
	}
}
