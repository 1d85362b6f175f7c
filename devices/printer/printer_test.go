package printer_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/escposdecode"
)

// slowConn is an in-memory printer that writes a job a few bytes at a
// time, yielding in between, so that unserialised jobs would interleave.
type slowConn struct {
	mu      sync.Mutex
	data    []byte
	block   chan struct{} // if not nil, Write waits on it
	started chan struct{} // if not nil, Write sends on it first
	closed  bool
}

func (c *slowConn) Write(job []byte) error {
	if c.started != nil {
		c.started <- struct{}{}
	}
	if c.block != nil {
		<-c.block
	}
	for len(job) > 0 {
		n := min(len(job), 7)
		c.mu.Lock()
		c.data = append(c.data, job[:n]...)
		c.mu.Unlock()
		job = job[n:]
		runtime.Gosched()
	}
	return nil
}

func (c *slowConn) Status(ctx context.Context) (printer.Status, error) {
	runtime.Gosched()
	return printer.Status{Online: true}, ctx.Err()
}

func (c *slowConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return nil
}

func jobDoc(g, j int) printer.Doc {
	var d printer.Doc
	for l := range 5 {
		d.Text(fmt.Sprintf("收银 g%d j%d line %d", g, j, l), printer.Style{Bold: l == 0})
	}
	d.Cut(true)
	return d
}

// checkJobs decodes a stream of jobs and checks that each is whole and
// that every goroutine's jobs came in the order it submitted them.
func checkJobs(t *testing.T, stream []byte, goroutines, perG int) {
	t.Helper()
	ops, err := escposdecode.Decode(stream)
	if err != nil {
		t.Fatal(err)
	}
	var jobs [][]escposdecode.Op
	for _, op := range ops {
		if op.Kind == escposdecode.KindInit {
			jobs = append(jobs, nil)
		}
		if len(jobs) == 0 {
			t.Fatal("stream does not start with ESC @")
		}
		jobs[len(jobs)-1] = append(jobs[len(jobs)-1], op)
	}
	if len(jobs) != goroutines*perG {
		t.Fatalf("%d jobs, want %d", len(jobs), goroutines*perG)
	}
	next := make([]int, goroutines)
	for i, job := range jobs {
		lines := escposdecode.Lines(job)
		var g, j int
		if _, err := fmt.Sscanf(strings.TrimPrefix(lines[0], "[B]"), "收银 g%d j%d", &g, &j); err != nil {
			t.Fatalf("job %d: first line %q", i, lines[0])
		}
		want := []string{fmt.Sprintf("[B]收银 g%d j%d line 0", g, j)}
		for l := 1; l < 5; l++ {
			want = append(want, fmt.Sprintf("收银 g%d j%d line %d", g, j, l))
		}
		want = append(want, "", "", "", "", "[CUT]")
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Fatalf("job %d is not whole:\n%s", i, strings.Join(lines, "\n"))
		}
		if j != next[g] {
			t.Fatalf("goroutine %d: job %d came before job %d", g, j, next[g])
		}
		next[g]++
	}
}

func TestQueueSerialises(t *testing.T) {
	const goroutines, perG = 4, 5
	conn := &slowConn{}
	p := printer.New(conn, printer.Profile58())
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for j := range perG {
				if err := p.Print(context.Background(), jobDoc(g, j)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	p.Close()
	conn.mu.Lock()
	defer conn.mu.Unlock()
	if !conn.closed {
		t.Error("Close did not close the connection")
	}
	checkJobs(t, conn.data, goroutines, perG)
}

func TestQueueTCP(t *testing.T) {
	const goroutines, perG = 4, 5
	f := newFakeDevice(answers(0x12, 0x12, 0x12))
	conn, err := printer.Open("tcp://" + listenFake(t, f))
	if err != nil {
		t.Fatal(err)
	}
	p := printer.New(conn, printer.Profile80())
	defer p.Close()
	total := 0
	for g := range goroutines {
		for j := range perG {
			total += len(encode(t, jobDoc(g, j), printer.Profile80()))
		}
	}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for j := range perG {
				if err := p.Print(context.Background(), jobDoc(g, j)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	checkJobs(t, f.waitFor(t, total), goroutines, perG)
}

func TestQueueCancelWhileQueued(t *testing.T) {
	conn := &slowConn{block: make(chan struct{}), started: make(chan struct{}, 1)}
	p := printer.New(conn, printer.Profile58())

	// Job 0 blocks in Write; job 1 waits in the queue and is cancelled.
	errs := make(chan error, 1)
	go func() { errs <- p.Print(context.Background(), jobDoc(0, 0)) }()
	<-conn.started
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() { cancelled <- p.Print(ctx, jobDoc(1, 0)) }()
	cancel()
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled job: err = %v", err)
	}
	close(conn.block)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := p.Print(context.Background(), jobDoc(2, 0)); !errors.Is(err, printer.ErrClosed) {
		t.Errorf("Print after Close: err = %v", err)
	}
	conn.mu.Lock()
	defer conn.mu.Unlock()
	checkJobs(t, conn.data, 1, 1) // only job 0 was printed
}

func TestPrintEncodeError(t *testing.T) {
	p := printer.New(&slowConn{}, printer.Profile58())
	defer p.Close()
	var d printer.Doc
	d.Barcode("")
	if err := p.Print(context.Background(), d); !errors.Is(err, printer.ErrBadBarcode) {
		t.Errorf("err = %v", err)
	}
}
