package printer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/escposdecode"
)

func smallDoc() printer.Doc {
	var d printer.Doc
	d.Text("收银台示范店", printer.Style{Align: printer.Center, Bold: true})
	d.Text("可口可乐          3.00", printer.Style{})
	d.Cut(true)
	return d
}

func TestTCPPrint(t *testing.T) {
	f := newFakeDevice(answers(0x12, 0x12, 0x12))
	addr := listenFake(t, f)
	conn, err := printer.Open("tcp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	p := printer.New(conn, printer.Profile58())
	defer p.Close()
	if err := p.Print(context.Background(), smallDoc()); err != nil {
		t.Fatal(err)
	}
	want := encode(t, smallDoc(), printer.Profile58())
	if got := f.waitFor(t, len(want)); !bytes.Equal(got, want) {
		t.Errorf("printer got % X\nwant % X", got, want)
	}
	if got := f.statusRequests(); !bytes.Equal(got, []byte{1, 2, 4}) {
		t.Errorf("status requests % X", got)
	}
}

func TestTCPStatusRefusesJob(t *testing.T) {
	cases := []struct {
		name       string
		a1, a2, a4 byte
		want       error
		status     printer.Status
	}{
		{"paper out", 0x12, 0x12, 0x72, printer.ErrPaperOut, printer.Status{Online: true, PaperOut: true}},
		{"paper out, offline", 0x1A, 0x32, 0x72, printer.ErrPaperOut, printer.Status{PaperOut: true}},
		{"cover open", 0x1A, 0x16, 0x12, printer.ErrCoverOpen, printer.Status{CoverOpen: true}},
		{"offline", 0x1A, 0x52, 0x12, printer.ErrOffline, printer.Status{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeDevice(answers(c.a1, c.a2, c.a4))
			conn, err := printer.Open("tcp://" + listenFake(t, f))
			if err != nil {
				t.Fatal(err)
			}
			st, err := conn.Status(context.Background())
			if err != nil || st != c.status {
				t.Errorf("Status = %+v, %v; want %+v", st, err, c.status)
			}
			p := printer.New(conn, printer.Profile58())
			defer p.Close()
			if err := p.Print(context.Background(), smallDoc()); !errors.Is(err, c.want) {
				t.Errorf("Print err = %v, want %v", err, c.want)
			}
			// Only status requests were sent, and they were all answered,
			// so no job bytes can still be on their way.
			if got := f.bytes(); len(got) != 0 {
				t.Errorf("printer got % X", got)
			}
		})
	}
}

func TestTCPNearEnd(t *testing.T) {
	f := newFakeDevice(answers(0x12, 0x12, 0x1E))
	conn, err := printer.Open("tcp://" + listenFake(t, f))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	st, err := conn.Status(context.Background())
	if want := (printer.Status{Online: true, PaperNearEnd: true}); err != nil || st != want {
		t.Errorf("Status = %+v, %v; want %+v", st, err, want)
	}
}

func TestTCPUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = printer.Open("tcp://" + addr)
	if !errors.Is(err, printer.ErrUnreachable) {
		t.Errorf("err = %v, want ErrUnreachable", err)
	}
}

// printedLines decodes what a printer got as readable lines.
func printedLines(t *testing.T, b []byte) string {
	t.Helper()
	ops, err := escposdecode.Decode(b)
	if err != nil {
		t.Fatalf("what the printer got does not decode: %v", err)
	}
	return strings.Join(escposdecode.Lines(ops), "\n")
}

// A printer that swallows status requests without answering (a print
// server, a cheap network printer) still gets its job, and the status is
// reported unknown rather than the job refused.
func TestTCPNoAnswerStillPrints(t *testing.T) {
	silent := func(byte) (byte, bool) { return 0, false }
	f := newFakeDevice(silent)
	conn, err := printer.OpenOptions("tcp://"+listenFake(t, f), printer.Options{StatusTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Status(context.Background()); !errors.Is(err, printer.ErrNoAnswer) {
		t.Fatalf("Status err = %v, want ErrNoAnswer", err)
	}
	p := printer.New(conn, printer.Profile58())
	defer p.Close()
	st, err := p.PrintStatus(context.Background(), smallDoc())
	if err != nil || st != (printer.Status{Unknown: true}) {
		t.Fatalf("PrintStatus = %+v, %v; want an unknown status and the job printed", st, err)
	}
	want := encode(t, smallDoc(), printer.Profile58())
	got := f.waitFor(t, len(want))
	if !bytes.Equal(got, want) {
		t.Errorf("printer got % X\nwant % X", got, want)
	}
	if text := printedLines(t, got); !strings.Contains(text, "可口可乐          3.00") || !strings.HasSuffix(text, "[CUT]") {
		t.Errorf("printed:\n%s", text)
	}
	if st, err := p.Status(context.Background()); err != nil || !st.Unknown {
		t.Errorf("Status through the queue = %+v, %v; want unknown", st, err)
	}
	// The printer starts answering: its status is known again.
	f.setAnswer(answers(0x12, 0x12, 0x1E))
	st, err = p.PrintStatus(context.Background(), smallDoc())
	if want := (printer.Status{Online: true, PaperNearEnd: true}); err != nil || st != want {
		t.Fatalf("PrintStatus = %+v, %v; want %+v", st, err, want)
	}
	f.waitFor(t, 2*len(want))
}

// An answer that is not a status byte does not refuse the job either.
func TestTCPBadAnswerStillPrints(t *testing.T) {
	f := newFakeDevice(answers(0xFF, 0xFF, 0xFF))
	conn, err := printer.OpenOptions("tcp://"+listenFake(t, f), printer.Options{StatusTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Status(context.Background()); !errors.Is(err, printer.ErrBadStatus) {
		t.Fatalf("Status err = %v, want ErrBadStatus", err)
	}
	p := printer.New(conn, printer.Profile58())
	defer p.Close()
	if st, err := p.PrintStatus(context.Background(), smallDoc()); err != nil || !st.Unknown {
		t.Fatalf("PrintStatus = %+v, %v", st, err)
	}
	want := encode(t, smallDoc(), printer.Profile58())
	if got := f.waitFor(t, len(want)); !bytes.Equal(got, want) {
		t.Errorf("printer got % X", got)
	}
}

// A printer that closed the connection kept from the last job (switched
// off and on, or an idle time-out) is reached again on a new one, and the
// job prints.
func TestTCPPrinterClosedTheKeptConnection(t *testing.T) {
	f := newFakeDevice(answers(0x12, 0x12, 0x12))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conns := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- c
			go f.serve(c)
		}
	}()
	conn, err := printer.Open("tcp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	p := printer.New(conn, printer.Profile58())
	defer p.Close()
	if err := p.Print(context.Background(), smallDoc()); err != nil {
		t.Fatal(err)
	}
	want := encode(t, smallDoc(), printer.Profile58())
	f.waitFor(t, len(want))
	(<-conns).Close() // the printer drops the connection
	if err := p.Print(context.Background(), smallDoc()); err != nil {
		t.Fatalf("after the printer closed the connection: %v", err)
	}
	if got := f.waitFor(t, 2*len(want)); !bytes.Equal(got[len(want):], want) {
		t.Errorf("second job: % X", got[len(want):])
	}
	(<-conns).Close()
}

func TestTCPStatusContext(t *testing.T) {
	f := newFakeDevice(func(byte) (byte, bool) { return 0, false })
	conn, err := printer.Open("tcp://" + listenFake(t, f)) // the default status timeout
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(f.statusRequests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	if _, err := conn.Status(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestOpenBadURL(t *testing.T) {
	for _, u := range []string{
		"", "ftp://host/x", "tcp://", "tcp:///path", "tcp://h:9100?x=1", "serial://", "serial:///dev/ttyS0?baud=abc",
		"serial:///dev/ttyS0?baud=-5", "serial:///dev/ttyS0?parity=odd", "file://otherhost/tmp/x", "file://", "%zz",
	} {
		if c, err := printer.Open(u); !errors.Is(err, printer.ErrBadURL) {
			t.Errorf("Open(%q) err = %v, want ErrBadURL", u, err)
			if c != nil {
				c.Close()
			}
		}
	}
}

func TestSerialMissing(t *testing.T) {
	_, err := printer.Open("serial:///dev/ttyNoSuchPrinter0")
	if !errors.Is(err, printer.ErrUnreachable) {
		t.Errorf("err = %v, want ErrUnreachable", err)
	}
}

func TestSerialPTY(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer slave.Close()

	f := newFakeDevice(answers(0x12, 0x12, 0x72))
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.serve(master)
	}()

	conn, err := printer.OpenOptions("serial://"+slave.Name()+"?baud=19200", printer.Options{StatusTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st, err := conn.Status(context.Background())
	if want := (printer.Status{Online: true, PaperOut: true}); err != nil || st != want {
		t.Errorf("Status = %+v, %v; want %+v", st, err, want)
	}
	p := printer.New(conn, printer.Profile58())
	if err := p.Print(context.Background(), smallDoc()); !errors.Is(err, printer.ErrPaperOut) {
		t.Errorf("Print err = %v, want ErrPaperOut", err)
	}
	// Paper loaded.
	f.setAnswer(answers(0x12, 0x12, 0x12))
	if err := p.Print(context.Background(), smallDoc()); err != nil {
		t.Fatal(err)
	}
	want := encode(t, smallDoc(), printer.Profile58())
	if got := f.waitFor(t, len(want)); !bytes.Equal(got, want) {
		t.Errorf("printer got % X\nwant % X", got, want)
	}
	// Silent printer: its status is unknown, and it still gets its job.
	f.setAnswer(func(byte) (byte, bool) { return 0, false })
	p.Close()
	conn, err = printer.OpenOptions("serial://"+slave.Name(), printer.Options{StatusTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Status(context.Background()); !errors.Is(err, printer.ErrNoAnswer) {
		t.Errorf("err = %v, want ErrNoAnswer", err)
	}
	p = printer.New(conn, printer.Profile58())
	if st, err := p.PrintStatus(context.Background(), smallDoc()); err != nil || !st.Unknown {
		t.Errorf("a silent printer: PrintStatus = %+v, %v; want unknown and printed", st, err)
	}
	got := f.waitFor(t, 2*len(want))
	if !bytes.Equal(got[len(want):], want) {
		t.Errorf("a silent printer got % X", got[len(want):])
	}
	if text := printedLines(t, got[len(want):]); !strings.Contains(text, "收银台示范店") {
		t.Errorf("a silent printer printed:\n%s", text)
	}
	p.Close()
	slave.Close()
	master.Close()
	<-done
}

func TestFileTransport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "receipt.bin")
	conn, err := printer.Open("file://" + path)
	if err != nil {
		t.Fatal(err)
	}
	p := printer.New(conn, printer.Profile80())
	job := encode(t, smallDoc(), printer.Profile80())
	for range 2 {
		if err := p.Print(context.Background(), smallDoc()); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := append(append([]byte(nil), job...), job...); !bytes.Equal(got, want) {
		t.Errorf("file holds %d bytes, want two jobs of %d", len(got), len(job))
	}
	if _, err := printer.Open("file://" + filepath.Join(dir, "missing", "r.bin")); !errors.Is(err, printer.ErrUnreachable) {
		t.Errorf("missing directory: err = %v", err)
	}
}

func TestFileDirTransport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jobs")
	for round := range 2 {
		conn, err := printer.Open("file://" + dir + "/")
		if err != nil {
			t.Fatal(err)
		}
		st, err := conn.Status(context.Background())
		if err != nil || !st.Online {
			t.Errorf("Status = %+v, %v", st, err)
		}
		for i := range 2 {
			if err := conn.Write([]byte(fmt.Sprintf("job %d.%d", round, i))); err != nil {
				t.Fatal(err)
			}
		}
		conn.Close()
	}
	for i, want := range []string{"job 0.0", "job 0.1", "job 1.0", "job 1.1"} {
		got, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("job-%06d.bin", i+1)))
		if err != nil || string(got) != want {
			t.Errorf("file %d: %q, %v; want %q", i+1, got, err, want)
		}
	}
	// An existing directory without the trailing slash is a directory too.
	conn, err := printer.Open("file://" + dir)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "job-000005.bin")); err != nil {
		t.Error(err)
	}
}
