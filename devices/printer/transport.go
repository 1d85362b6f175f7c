package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.bug.st/serial"

	"github.com/till-pos/till/devices/serialport"
)

var (
	// ErrBadURL means a printer URL could not be understood: an unknown
	// scheme, a missing path or host, or a bad or unknown parameter.
	ErrBadURL = errors.New("printer: bad printer URL")

	// ErrUnreachable means the printer could not be reached: the TCP
	// connection was refused or timed out, the serial port does not exist,
	// or the file or directory cannot be written.
	ErrUnreachable = errors.New("printer: printer unreachable")

	// ErrPaperOut means the printer reported that its paper roll is empty.
	// Nothing was sent.
	ErrPaperOut = errors.New("printer: paper out")

	// ErrCoverOpen means the printer reported that its cover is open.
	// Nothing was sent.
	ErrCoverOpen = errors.New("printer: cover open")

	// ErrOffline means the printer reported itself offline for another
	// reason (an error, the feed button held). Nothing was sent.
	ErrOffline = errors.New("printer: printer offline")

	// ErrNoAnswer means the printer did not answer a status request (DLE
	// EOT) in time: it is switched off, its cable is loose, or it does not
	// support status requests (see Profile.NoStatus).
	ErrNoAnswer = errors.New("printer: no answer to status request")

	// ErrClosed means the Conn or Printer has been closed.
	ErrClosed = errors.New("printer: closed")
)

// Status is a printer's real-time status, read with DLE EOT 1, 2 and 4.
type Status struct {
	Online       bool
	CoverOpen    bool
	PaperOut     bool
	PaperNearEnd bool
}

// Err returns the sentinel error that forbids printing with status s, or
// nil: ErrPaperOut, then ErrCoverOpen, then ErrOffline.
func (s Status) Err() error {
	switch {
	case s.PaperOut:
		return ErrPaperOut
	case s.CoverOpen:
		return ErrCoverOpen
	case !s.Online:
		return ErrOffline
	}
	return nil
}

// Conn is a connection to one printer. Its methods may be called from
// several goroutines, but jobs should go through a Printer so they are
// never interleaved.
type Conn interface {
	// Write sends one job (a complete ESC/POS byte stream).
	Write(job []byte) error
	// Status asks the printer for its real-time status. It returns an
	// error wrapping ErrNoAnswer if the printer does not answer in time.
	Status(ctx context.Context) (Status, error)
	// Close closes the connection.
	Close() error
}

// Options tune the timeouts of a connection. Zero fields take the defaults.
type Options struct {
	// DialTimeout bounds a TCP connect. Default 3 s.
	DialTimeout time.Duration
	// WriteTimeout bounds writing one job over TCP. Default 10 s.
	WriteTimeout time.Duration
	// StatusTimeout bounds the wait for each status byte. Default 1 s.
	StatusTimeout time.Duration
}

// Default timeouts.
const (
	DefaultDialTimeout   = 3 * time.Second
	DefaultWriteTimeout  = 10 * time.Second
	DefaultStatusTimeout = time.Second
	DefaultBaud          = 9600
	DefaultTCPPort       = "9100"
)

func (o Options) withDefaults() Options {
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.StatusTimeout <= 0 {
		o.StatusTimeout = DefaultStatusTimeout
	}
	return o
}

// Open opens the printer named by rawURL with the default Options:
//
//	serial:///dev/ttyUSB0?baud=9600   serial port, 8N1, baud defaults to 9600
//	tcp://192.168.1.50:9100           raw TCP, port defaults to 9100
//	file:///path/receipt.bin          appends each job to the file
//	file:///path/dir/                 writes each job to a new numbered file
//
// A file URL names a directory if it ends in "/" or names an existing
// directory; the directory is created if needed and jobs are written to
// job-000001.bin, job-000002.bin, … continuing after the highest number
// already there.
func Open(rawURL string) (Conn, error) {
	return OpenOptions(rawURL, Options{})
}

// OpenOptions is Open with explicit timeouts.
func OpenOptions(rawURL string, o Options) (Conn, error) {
	o = o.withDefaults()
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	switch u.Scheme {
	case "serial":
		return openSerialURL(rawURL, u, o)
	case "tcp":
		return openTCPURL(rawURL, u, o)
	case "file":
		return openFileURL(rawURL, u)
	}
	return nil, fmt.Errorf("%w: scheme %q (want serial, tcp or file)", ErrBadURL, u.Scheme)
}

// openSerialURL opens a serial:///dev/ttyUSB0?baud=9600 URL: the only
// parameter is baud (DefaultBaud when absent), and the device path may not
// name a host other than localhost.
func openSerialURL(rawURL string, u *url.URL, o Options) (Conn, error) {
	q := u.Query()
	baud := DefaultBaud
	if s := q.Get("baud"); s != "" {
		var err error
		baud, err = strconv.Atoi(s)
		if err != nil || baud <= 0 {
			return nil, fmt.Errorf("%w: baud %q", ErrBadURL, s)
		}
	}
	if err := onlyParams(q, "baud"); err != nil {
		return nil, err
	}
	path := u.Path
	if path == "" {
		path = u.Opaque
	}
	if path == "" || (u.Host != "" && u.Host != "localhost") {
		return nil, fmt.Errorf("%w: %q has no device path (serial:///dev/ttyUSB0)", ErrBadURL, rawURL)
	}
	return openSerial(path, baud, o)
}

// openTCPURL opens a tcp://host[:port] URL, with no parameters and no path;
// the port defaults to DefaultTCPPort.
func openTCPURL(rawURL string, u *url.URL, o Options) (Conn, error) {
	if err := onlyParams(u.Query()); err != nil {
		return nil, err
	}
	host := u.Host
	if u.Hostname() == "" || u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("%w: %q is not tcp://host:port", ErrBadURL, rawURL)
	}
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), DefaultTCPPort)
	}
	return openTCP(host, o)
}

// openFileURL opens a file:///path URL, with no parameters; the host may
// only be empty or localhost.
func openFileURL(rawURL string, u *url.URL) (Conn, error) {
	if err := onlyParams(u.Query()); err != nil {
		return nil, err
	}
	if (u.Host != "" && u.Host != "localhost") || u.Path == "" {
		return nil, fmt.Errorf("%w: %q is not file:///path", ErrBadURL, rawURL)
	}
	return openFile(u.Path)
}

func onlyParams(q url.Values, allowed ...string) error {
	for k := range q {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return fmt.Errorf("%w: unknown parameter %q", ErrBadURL, k)
		}
	}
	return nil
}

// Status bytes (answers to DLE EOT n): bits 1 and 4 are always set, bits 0
// and 7 always clear.
const (
	statusFixedMask = 0x93
	statusFixed     = 0x12
)

var statusRequests = [3]byte{1, 2, 4}

// parseStatus turns the answers to DLE EOT 1, 2 and 4 into a Status.
func parseStatus(ans [3]byte) (Status, error) {
	for i, b := range ans {
		if b&statusFixedMask != statusFixed {
			return Status{}, fmt.Errorf("printer: malformed answer %#02x to DLE EOT %d", b, statusRequests[i])
		}
	}
	return Status{
		Online:       ans[0]&0x08 == 0,
		CoverOpen:    ans[1]&0x04 != 0,
		PaperOut:     ans[1]&0x20 != 0 || ans[2]&0x60 != 0,
		PaperNearEnd: ans[2]&0x0C != 0,
	}, nil
}

// ---- TCP ----

type tcpConn struct {
	addr string
	o    Options

	mu     sync.Mutex
	c      net.Conn // nil after an I/O error: redialled on next use
	closed bool
}

func openTCP(addr string, o Options) (*tcpConn, error) {
	t := &tcpConn{addr: addr, o: o}
	if err := t.dial(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *tcpConn) dial() error {
	c, err := net.DialTimeout("tcp", t.addr, t.o.DialTimeout)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUnreachable, t.addr, err)
	}
	t.c = c
	return nil
}

// conn returns the connection, redialling after an earlier failure.
func (t *tcpConn) conn() (net.Conn, error) {
	if t.closed {
		return nil, ErrClosed
	}
	if t.c == nil {
		if err := t.dial(); err != nil {
			return nil, err
		}
	}
	return t.c, nil
}

func (t *tcpConn) drop() {
	if t.c != nil {
		t.c.Close()
		t.c = nil
	}
}

func (t *tcpConn) Write(job []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.conn()
	if err != nil {
		return err
	}
	c.SetWriteDeadline(time.Now().Add(t.o.WriteTimeout))
	if _, err := c.Write(job); err != nil {
		t.drop()
		return fmt.Errorf("printer: write to %s: %w", t.addr, err)
	}
	return nil
}

func (t *tcpConn) Status(ctx context.Context) (Status, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.conn()
	if err != nil {
		return Status{}, err
	}
	// Cancelling ctx wakes a blocked read.
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	var ans [3]byte
	for i, n := range statusRequests {
		if err := ctx.Err(); err != nil {
			return Status{}, err
		}
		c.SetWriteDeadline(time.Now().Add(t.o.StatusTimeout))
		if _, err := c.Write([]byte{0x10, 0x04, n}); err != nil {
			t.drop()
			return Status{}, fmt.Errorf("printer: status request to %s: %w", t.addr, err)
		}
		deadline := time.Now().Add(t.o.StatusTimeout)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		c.SetReadDeadline(deadline)
		if _, err := io.ReadFull(c, ans[i:i+1]); err != nil {
			// A late answer would be taken for the next one: start afresh.
			t.drop()
			if ctx.Err() != nil {
				return Status{}, ctx.Err()
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return Status{}, fmt.Errorf("%w: DLE EOT %d to %s", ErrNoAnswer, n, t.addr)
			}
			return Status{}, fmt.Errorf("printer: status from %s: %w", t.addr, err)
		}
	}
	c.SetReadDeadline(time.Time{})
	return parseStatus(ans)
}

func (t *tcpConn) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.closed = true
	if t.c != nil {
		err := t.c.Close()
		t.c = nil
		return err
	}
	return nil
}

// ---- serial ----

type serialConn struct {
	name string
	o    Options

	mu     sync.Mutex
	port   serial.Port
	closed bool
}

func openSerial(name string, baud int, o Options) (*serialConn, error) {
	mode := &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	port, err := serial.Open(name, mode)
	if err != nil {
		if serialport.IsNoPort(err) {
			return nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, name, err)
		}
		return nil, fmt.Errorf("printer: open %s: %w", name, err)
	}
	return &serialConn{name: name, o: o, port: port}, nil
}

func (s *serialConn) Write(job []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for len(job) > 0 {
		n, err := s.port.Write(job)
		if err != nil {
			return fmt.Errorf("printer: write to %s: %w", s.name, err)
		}
		job = job[n:]
	}
	return nil
}

func (s *serialConn) Status(ctx context.Context) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return Status{}, ErrClosed
	}
	// Discard anything left over, such as a late answer to an earlier
	// request.
	s.port.ResetInputBuffer()
	var ans [3]byte
	for i, n := range statusRequests {
		if _, err := s.port.Write([]byte{0x10, 0x04, n}); err != nil {
			return Status{}, fmt.Errorf("printer: status request to %s: %w", s.name, err)
		}
		if err := s.readByte(ctx, ans[i:i+1]); err != nil {
			if errors.Is(err, ErrNoAnswer) {
				return Status{}, fmt.Errorf("%w: DLE EOT %d to %s", ErrNoAnswer, n, s.name)
			}
			return Status{}, err
		}
	}
	return parseStatus(ans)
}

// readByte reads one byte, polling so that ctx is honoured.
func (s *serialConn) readByte(ctx context.Context, b []byte) error {
	deadline := time.Now().Add(s.o.StatusTimeout)
	const poll = 50 * time.Millisecond
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return ErrNoAnswer
		}
		if err := s.port.SetReadTimeout(min(left, poll)); err != nil {
			return fmt.Errorf("printer: %s: %w", s.name, err)
		}
		n, err := s.port.Read(b)
		if err != nil {
			return fmt.Errorf("printer: status from %s: %w", s.name, err)
		}
		if n == 1 {
			return nil
		}
	}
}

func (s *serialConn) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.port.Close()
}

// ---- file ----

type fileConn struct {
	path string // file, or directory when dir is set
	dir  bool

	mu     sync.Mutex
	next   int // next job number in a directory
	closed bool
}

func openFile(path string) (*fileConn, error) {
	isDir := strings.HasSuffix(path, "/")
	path = filepath.Clean(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		isDir = true
	}
	f := &fileConn{path: path}
	if !isDir {
		// Check now that the file can be written.
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		fh.Close()
		return f, nil
	}
	f.dir = true
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	for _, e := range entries {
		var n int
		if _, err := fmt.Sscanf(e.Name(), "job-%d.bin", &n); err == nil && n > f.next {
			f.next = n
		}
	}
	return f, nil
}

func (f *fileConn) Write(job []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return ErrClosed
	}
	if !f.dir {
		fh, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		_, err = fh.Write(job)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("printer: write %s: %w", f.path, err)
		}
		return nil
	}
	for {
		f.next++
		name := filepath.Join(f.path, fmt.Sprintf("job-%06d.bin", f.next))
		fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue // written by someone else meanwhile
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		_, err = fh.Write(job)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("printer: write %s: %w", name, err)
		}
		return nil
	}
}

// Status of a file is always online.
func (f *fileConn) Status(ctx context.Context) (Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return Status{}, ErrClosed
	}
	return Status{Online: true}, ctx.Err()
}

func (f *fileConn) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}
