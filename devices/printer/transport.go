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
	// support status requests (many print servers and cheap network
	// printers). A Printer prints anyway, with the status unknown.
	ErrNoAnswer = errors.New("printer: no answer to status request")

	// ErrBadStatus means the printer answered a status request with a byte
	// that is not a status byte. A Printer prints anyway, with the status
	// unknown.
	ErrBadStatus = errors.New("printer: malformed answer to status request")

	// ErrTimeout means the printer stopped taking data: a write made no
	// progress for Options.WriteTimeout (its buffer stays full, a flow
	// control line is stuck, the peer stopped reading). Part of the job
	// may have been sent; the next job starts afresh.
	ErrTimeout = errors.New("printer: printer not taking data")

	// ErrClosed means the Conn or Printer has been closed.
	ErrClosed = errors.New("printer: closed")
)

// Status is a printer's real-time status, read with DLE EOT 1, 2 and 4.
type Status struct {
	// Unknown means the printer did not say: it does not answer status
	// requests, or it was never asked (Profile.NoStatus, or the job failed
	// before). The other fields are then false.
	Unknown      bool
	Online       bool
	CoverOpen    bool
	PaperOut     bool
	PaperNearEnd bool
}

// Err returns the sentinel error that forbids printing with status s, or
// nil: ErrPaperOut, then ErrCoverOpen, then ErrOffline. An unknown status
// forbids nothing.
func (s Status) Err() error {
	switch {
	case s.Unknown:
		return nil
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
	// WriteTimeout bounds the time a write to a serial port or a TCP
	// connection may make no progress before it fails with ErrTimeout: a
	// printer that takes its job slowly is waited for, one that stopped
	// taking anything is not. Default 5 s.
	WriteTimeout time.Duration
	// StatusTimeout bounds the wait for each status byte, once what was
	// written before has had time to leave a serial port. Default 0.5 s:
	// a printer answers in milliseconds, and one that never answers (it
	// prints all the same) costs this much a job.
	StatusTimeout time.Duration
}

// Default timeouts.
const (
	DefaultDialTimeout   = 3 * time.Second
	DefaultWriteTimeout  = 5 * time.Second
	DefaultStatusTimeout = 500 * time.Millisecond
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
	t, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	o = o.withDefaults()
	switch t.scheme {
	case "serial":
		return openSerial(t.path, t.baud, o)
	case "tcp":
		return openTCP(t.addr, o)
	}
	return openFile(t.path)
}

// CheckURL checks a printer URL as Open reads it, without opening
// anything; its errors wrap ErrBadURL.
func CheckURL(rawURL string) error {
	_, err := parseURL(rawURL)
	return err
}

// target is a printer URL understood.
type target struct {
	scheme string // serial, tcp or file
	path   string // serial: the device; file: the file or directory, as given
	baud   int    // serial
	addr   string // tcp: host:port
}

func parseURL(rawURL string) (target, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return target{}, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	switch u.Scheme {
	case "serial":
		return parseSerialURL(rawURL, u)
	case "tcp":
		return parseTCPURL(rawURL, u)
	case "file":
		return parseFileURL(rawURL, u)
	}
	return target{}, fmt.Errorf("%w: scheme %q (want serial, tcp or file)", ErrBadURL, u.Scheme)
}

// parseSerialURL reads a serial:///dev/ttyUSB0?baud=9600 URL: the only
// parameter is baud (DefaultBaud when absent), and the device path may not
// name a host other than localhost.
func parseSerialURL(rawURL string, u *url.URL) (target, error) {
	q := u.Query()
	baud := DefaultBaud
	if s := q.Get("baud"); s != "" {
		var err error
		baud, err = strconv.Atoi(s)
		if err != nil || baud <= 0 {
			return target{}, fmt.Errorf("%w: baud %q", ErrBadURL, s)
		}
	}
	if err := onlyParams(q, "baud"); err != nil {
		return target{}, err
	}
	path := u.Path
	if path == "" {
		path = u.Opaque
	}
	if path == "" || (u.Host != "" && u.Host != "localhost") {
		return target{}, fmt.Errorf("%w: %q has no device path (serial:///dev/ttyUSB0)", ErrBadURL, rawURL)
	}
	return target{scheme: "serial", path: path, baud: baud}, nil
}

// parseTCPURL reads a tcp://host[:port] URL, with no parameters and no
// path; the port defaults to DefaultTCPPort.
func parseTCPURL(rawURL string, u *url.URL) (target, error) {
	if err := onlyParams(u.Query()); err != nil {
		return target{}, err
	}
	host := u.Host
	if u.Hostname() == "" || u.Path != "" && u.Path != "/" {
		return target{}, fmt.Errorf("%w: %q is not tcp://host:port", ErrBadURL, rawURL)
	}
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), DefaultTCPPort)
	}
	return target{scheme: "tcp", addr: host}, nil
}

// parseFileURL reads a file:///path URL, with no parameters; the host may
// only be empty or localhost.
func parseFileURL(rawURL string, u *url.URL) (target, error) {
	if err := onlyParams(u.Query()); err != nil {
		return target{}, err
	}
	if (u.Host != "" && u.Host != "localhost") || u.Path == "" {
		return target{}, fmt.Errorf("%w: %q is not file:///path", ErrBadURL, rawURL)
	}
	return target{scheme: "file", path: u.Path}, nil
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

// parseStatus turns the answers to DLE EOT 1, 2 and 4 into a Status; a
// byte that is not a status byte gives an error wrapping ErrBadStatus.
func parseStatus(ans [3]byte) (Status, error) {
	for i, b := range ans {
		if b&statusFixedMask != statusFixed {
			return Status{}, fmt.Errorf("%w: %#02x to DLE EOT %d", ErrBadStatus, b, statusRequests[i])
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

// tcpDrainTime is how long a connection dropped after an unanswered status
// request keeps reading (and discarding) before it is closed, so that a late
// answer does not reset it while the end of the last job is still on its way.
const tcpDrainTime = 30 * time.Second

type tcpConn struct {
	addr string
	o    Options

	mu     sync.Mutex
	c      net.Conn // nil after an I/O error: redialled on next use
	fresh  bool     // c has not been used yet
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
	t.c, t.fresh = c, true
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

// drop closes the connection at once; the next use redials.
func (t *tcpConn) drop() {
	if t.c != nil {
		t.c.Close()
		t.c = nil
	}
}

// retire drops the connection gently: what was written still goes out,
// and whatever the printer still answers is read and thrown away for a
// while, so that its late answer does not reset the connection.
func (t *tcpConn) retire() {
	c := t.c
	t.c = nil
	if c == nil {
		return
	}
	tc, ok := c.(*net.TCPConn)
	if !ok || tc.CloseWrite() != nil {
		c.Close()
		return
	}
	go func() {
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(tcpDrainTime))
		io.Copy(io.Discard, c)
	}()
}

// writeAll writes b, failing with ErrTimeout once the connection has taken
// nothing for WriteTimeout.
func (t *tcpConn) writeAll(c net.Conn, b []byte) error {
	for len(b) > 0 {
		c.SetWriteDeadline(time.Now().Add(t.o.WriteTimeout))
		n, err := c.Write(b)
		b = b[n:]
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			if n > 0 {
				continue // slow, but taking data
			}
			return fmt.Errorf("%w: %s took nothing for %s", ErrTimeout, t.addr, t.o.WriteTimeout)
		}
		return err
	}
	return nil
}

func (t *tcpConn) Write(job []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := t.conn()
	if err != nil {
		return err
	}
	t.fresh = false
	if err := t.writeAll(c, job); err != nil {
		if tc, ok := c.(*net.TCPConn); ok && errors.Is(err, ErrTimeout) {
			// Throw the rest of the job away rather than have it printed
			// later, among the jobs after it.
			tc.SetLinger(0)
		}
		t.drop()
		return fmt.Errorf("printer: write to %s: %w", t.addr, err)
	}
	return nil
}

func (t *tcpConn) Status(ctx context.Context) (Status, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, err := t.status(ctx)
	var stale errStale
	if errors.As(err, &stale) {
		// The kept connection was closed by the printer (switched off and
		// on, or an idle time-out): ask once more on a new one.
		st, err = t.status(ctx)
		if errors.As(err, &stale) {
			err = stale.err
		}
	}
	return st, err
}

// errStale is a connection kept from before that turned out closed by the
// printer.
type errStale struct{ err error }

func (e errStale) Error() string { return e.err.Error() }

func (t *tcpConn) status(ctx context.Context) (Status, error) {
	c, err := t.conn()
	if err != nil {
		return Status{}, err
	}
	reused := !t.fresh
	t.fresh = false
	// Cancelling ctx wakes a blocked read.
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	var ans [3]byte
	for i, n := range statusRequests {
		if err := ctx.Err(); err != nil {
			return Status{}, err
		}
		if err := t.writeAll(c, []byte{0x10, 0x04, n}); err != nil {
			t.drop()
			err = fmt.Errorf("printer: status request to %s: %w", t.addr, err)
			if reused && i == 0 && !errors.Is(err, ErrTimeout) {
				return Status{}, errStale{err}
			}
			return Status{}, err
		}
		deadline := time.Now().Add(t.o.StatusTimeout)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		c.SetReadDeadline(deadline)
		if _, err := io.ReadFull(c, ans[i:i+1]); err != nil {
			if ctx.Err() != nil {
				t.drop()
				return Status{}, ctx.Err()
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// A late answer would be taken for the next one: start
				// afresh, letting the last job finish on this one.
				t.retire()
				return Status{}, fmt.Errorf("%w: DLE EOT %d to %s", ErrNoAnswer, n, t.addr)
			}
			t.drop()
			err = fmt.Errorf("printer: status from %s: %w", t.addr, err)
			if reused && i == 0 {
				return Status{}, errStale{err}
			}
			return Status{}, err
		}
	}
	c.SetReadDeadline(time.Time{})
	st, err := parseStatus(ans)
	if err != nil {
		t.retire() // out of step with the printer
		return Status{}, fmt.Errorf("printer: status from %s: %w", t.addr, err)
	}
	return st, nil
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

// serialChunk is how much one write to a serial port hands over: small
// enough that a printer taking data shows progress well within
// WriteTimeout even at 1200 baud.
const serialChunk = 128

// serialConn is a printer on a serial port. go.bug.st/serial has no write
// timeout, so each write runs in a goroutine of its own, watched for
// progress; one that stalls is abandoned (and the port's output flushed,
// which on a real port wakes it) and the port is not written again until it
// returns. The port is only ever closed once no write is using it.
type serialConn struct {
	name string
	baud int
	o    Options

	mu        sync.Mutex // one job or status request at a time
	port      serial.Port
	closed    bool
	drainBy   time.Time // when what was written will have left the port
	outOfStep bool      // a status request went unanswered: it may be answered late

	wmu       sync.Mutex    // guards the write goroutine's state
	writing   chan struct{} // closed when the write goroutine returns; nil when none runs
	abandoned bool          // the write goroutine is to stop
	closeDone bool          // the write goroutine closes the port when it returns
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
	return &serialConn{name: name, baud: baud, o: o, port: port}, nil
}

// stuck returns an error wrapping ErrTimeout while an abandoned write still
// holds the port.
func (s *serialConn) stuck() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.writing != nil {
		return fmt.Errorf("%w: %s still has not taken the last job", ErrTimeout, s.name)
	}
	return nil
}

// writeAll writes b, failing with ErrTimeout once the port has taken
// nothing for WriteTimeout. Called with mu held.
func (s *serialConn) writeAll(b []byte) error {
	if err := s.stuck(); err != nil {
		return err
	}
	done := make(chan struct{})
	progress := make(chan struct{}, 1)
	var werr error // read only once done is closed
	s.wmu.Lock()
	s.writing, s.abandoned = done, false
	s.wmu.Unlock()
	go func() {
		defer s.writeReturned(done)
		for len(b) > 0 {
			s.wmu.Lock()
			stop := s.abandoned
			s.wmu.Unlock()
			if stop {
				return
			}
			n, err := s.port.Write(b[:min(len(b), serialChunk)])
			b = b[max(n, 0):]
			if err != nil {
				werr = err
				return
			}
			select {
			case progress <- struct{}{}:
			default:
			}
		}
	}()
	timer := time.NewTimer(s.o.WriteTimeout)
	defer timer.Stop()
	for {
		select {
		case <-done:
			return werr
		case <-progress:
			timer.Reset(s.o.WriteTimeout)
		case <-timer.C:
			select {
			case <-done:
				return werr
			default:
			}
			s.wmu.Lock()
			s.abandoned = true
			s.wmu.Unlock()
			s.port.ResetOutputBuffer() // discards what waits and wakes the write, where the port can
			return fmt.Errorf("%w: %s took nothing for %s", ErrTimeout, s.name, s.o.WriteTimeout)
		}
	}
}

// writeReturned ends a write goroutine: the port is free again, or closed
// if Close came while the write was stuck.
func (s *serialConn) writeReturned(done chan struct{}) {
	s.wmu.Lock()
	s.writing = nil
	closePort := s.closeDone
	s.wmu.Unlock()
	if closePort {
		s.port.Close()
	}
	close(done)
}

// wrote notes that n bytes were handed to the port: at 10 bits a byte
// they will have left it by drainBy.
func (s *serialConn) wrote(n int) {
	start := later(time.Now(), s.drainBy)
	s.drainBy = start.Add(time.Duration(n) * 10 * time.Second / time.Duration(s.baud))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (s *serialConn) Write(job []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if err := s.writeAll(job); err != nil {
		return fmt.Errorf("printer: write to %s: %w", s.name, err)
	}
	s.wrote(len(job))
	return nil
}

func (s *serialConn) Status(ctx context.Context) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return Status{}, ErrClosed
	}
	if err := s.stuck(); err != nil {
		return Status{}, fmt.Errorf("printer: status request to %s: %w", s.name, err)
	}
	if s.outOfStep {
		// Late answers to unanswered requests would be taken for the
		// answers to these: let them come first.
		if err := s.settle(ctx); err != nil {
			return Status{}, err
		}
	}
	// Discard anything left over, such as a late answer to an earlier
	// request.
	s.port.ResetInputBuffer()
	var ans [3]byte
	for i, n := range statusRequests {
		if err := s.writeAll([]byte{0x10, 0x04, n}); err != nil {
			return Status{}, fmt.Errorf("printer: status request to %s: %w", s.name, err)
		}
		s.wrote(3)
		// The request leaves after the job before it: wait for that too.
		deadline := later(time.Now(), s.drainBy).Add(s.o.StatusTimeout)
		if err := s.readByte(ctx, deadline, ans[i:i+1]); err != nil {
			s.outOfStep = true
			if errors.Is(err, ErrNoAnswer) {
				return Status{}, fmt.Errorf("%w: DLE EOT %d to %s", ErrNoAnswer, n, s.name)
			}
			return Status{}, err
		}
	}
	s.outOfStep = false
	st, err := parseStatus(ans)
	if err != nil {
		return Status{}, fmt.Errorf("printer: status from %s: %w", s.name, err)
	}
	return st, nil
}

// settle reads and throws away what the printer sends until what was
// written has left the port and then nothing has come for StatusTimeout,
// or ten of them have passed.
func (s *serialConn) settle(ctx context.Context) error {
	const poll = 50 * time.Millisecond
	start := later(time.Now(), s.drainBy)
	quietBy := start.Add(s.o.StatusTimeout)
	giveUp := start.Add(10 * s.o.StatusTimeout)
	buf := make([]byte, 64)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := time.Now()
		if !now.Before(quietBy) || !now.Before(giveUp) {
			return nil
		}
		if err := s.port.SetReadTimeout(min(quietBy.Sub(now), poll)); err != nil {
			return fmt.Errorf("printer: %s: %w", s.name, err)
		}
		n, err := s.port.Read(buf)
		if err != nil {
			return fmt.Errorf("printer: status from %s: %w", s.name, err)
		}
		if n > 0 {
			quietBy = later(quietBy, time.Now().Add(s.o.StatusTimeout))
		}
	}
}

// readByte reads one byte before deadline, polling so that ctx is
// honoured.
func (s *serialConn) readByte(ctx context.Context, deadline time.Time, b []byte) error {
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

// Close closes the port, or, while a stuck write still holds it, leaves
// that write to close it when it returns.
func (s *serialConn) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.wmu.Lock()
	if s.writing != nil {
		s.abandoned, s.closeDone = true, true
		s.wmu.Unlock()
		s.port.ResetOutputBuffer()
		return nil
	}
	s.wmu.Unlock()
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
