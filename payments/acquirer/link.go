package acquirer

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moov-io/iso8583"
)

// Link is the terminal's one connection to the host. It owns everything on
// it: it frames, signs and verifies messages, matches each answer to its
// request by STAN, checks every answer before returning it, signs on for
// working keys when it has none, when they expire or when the host asks, and
// lets one user at a time hold it (Hold), payments before background work.
type Link struct {
	nc       net.Conn
	terminal Terminal
	opts     LinkOptions

	writeMu sync.Mutex
	mu      sync.Mutex
	pending map[int]chan answer // by STAN: requests awaiting their answer
	late    map[int]bool        // STANs given up on: a late answer to one is dropped
	closed  bool
	done    chan struct{}

	keys   atomic.Pointer[WorkingKeys]
	signMu sync.Mutex   // one sign-on at a time
	stan   atomic.Int64 // STANs when opts.NextSTAN is nil

	gate *Gate
}

// LinkOptions tune a Link.
type LinkOptions struct {
	ConnectTimeout time.Duration // default 5 s
	SendTimeout    time.Duration // how long a request waits for its answer; default 30 s
	// PinnedCA, when set, makes the link TLS and trusts only host
	// certificates issued by this CA (PEM), whatever the system trusts.
	PinnedCA []byte
	// ServerName is the name the host's certificate must carry (default: the
	// host part of the address).
	ServerName string
	// MasterKey is the terminal master key (TMK) the working keys of each
	// sign-on come encrypted under; without one the link cannot sign on
	// and sends only the echo test.
	MasterKey []byte
	// NextSTAN numbers the link's own messages (sign-on); nil counts from 1.
	NextSTAN func(ctx context.Context) (int, error)
	// Now is the clock keys expire by; nil is time.Now.
	Now func() time.Time
	// Log is told of what has no one waiting for it: a late answer, a
	// sign-on. Nil drops it.
	Log func(what string, err error)
	// Gate is the terminal's one gate to the host, shared by the links it
	// dials in turn; nil gives the link one of its own.
	Gate *Gate
}

// answer is what came back for a request: the message, its bytes, or why
// nothing usable came.
type answer struct {
	m   *iso8583.Message
	raw []byte
	err error
}

// Dial connects to the host at addr.
func Dial(ctx context.Context, addr string, t Terminal, o LinkOptions) (*Link, error) {
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = 5 * time.Second
	}
	if o.SendTimeout == 0 {
		o.SendTimeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = func(string, error) {}
	}
	if o.Gate == nil {
		o.Gate = NewGate()
	}
	d := net.Dialer{Timeout: o.ConnectTimeout}
	var nc net.Conn
	var err error
	if len(o.PinnedCA) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(o.PinnedCA) {
			return nil, fmt.Errorf("acquirer: the pinned CA is not a PEM certificate")
		}
		name := o.ServerName
		if name == "" {
			name, _, _ = net.SplitHostPort(addr)
		}
		td := tls.Dialer{NetDialer: &d, Config: &tls.Config{RootCAs: pool, ServerName: name, MinVersion: tls.VersionTLS12}}
		nc, err = td.DialContext(ctx, "tcp", addr)
	} else {
		nc, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("acquirer: connect to %s: %w", addr, err)
	}
	l := &Link{nc: nc, terminal: t, opts: o, pending: map[int]chan answer{}, late: map[int]bool{},
		done: make(chan struct{}), gate: o.Gate}
	go l.read()
	return l, nil
}

// Close closes the connection; requests awaiting answers end with
// ErrConnectionLost.
func (l *Link) Close() error {
	l.shut(ErrConnectionLost)
	return nil
}

// Closed reports whether the connection has ended (closed, lost, or ended
// by an unreadable answer): the owner dials again.
func (l *Link) Closed() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// Terminal is the terminal the link speaks for.
func (l *Link) Terminal() Terminal { return l.terminal }

// Errors of a send. Each but ErrUnreachable means the request may have
// reached the host, so a financial one must be reversed.
var (
	// ErrTimeout means the host did not answer in time.
	ErrTimeout = errors.New("acquirer: no response in time")
	// ErrUnreachable means there is no connection to the host and the
	// request was not sent.
	ErrUnreachable = errors.New("acquirer: host unreachable")
	// ErrConnectionLost means the connection closed after the request was
	// sent and before its answer came.
	ErrConnectionLost = errors.New("acquirer: connection lost before the answer")
	// ErrBadAnswer means the host sent something that is not a readable
	// message (malformed or cut short); the connection is ended.
	ErrBadAnswer = errors.New("acquirer: the host's answer could not be read")
	// ErrMismatchedAnswer means an answer came that does not answer the
	// request: another STAN, MTI, processing code, terminal or merchant.
	ErrMismatchedAnswer = errors.New("acquirer: the host's answer does not match the request")
	// ErrWrongAmount means the answer names another amount than the
	// request's.
	ErrWrongAmount = errors.New("acquirer: the host's answer is for another amount")
)

// Send sends a request and returns the host's checked answer. A request
// that needs a MAC is signed under the working keys, signing on first when
// there are none or they have expired; an answer saying the keys are stale
// or the terminal must sign on (A0, 77) is followed by a sign-on and the
// request is sent once more.
func (l *Link) Send(ctx context.Context, req *iso8583.Message) (*iso8583.Message, error) {
	return l.send(ctx, req, nil)
}

// send is Send; seal, when set, puts in req what is encrypted under the
// working keys, before each try (a new sign-on brings a new data key).
func (l *Link) send(ctx context.Context, req *iso8583.Message, seal func(*WorkingKeys) error) (*iso8583.Message, error) {
	if !NeedsMAC(req) {
		return l.exchange(ctx, req, nil)
	}
	for try := 0; ; try++ {
		k, err := l.session(ctx)
		if err != nil {
			return nil, err
		}
		if seal != nil {
			if err := seal(k); err != nil {
				return nil, err
			}
		}
		resp, err := l.exchange(ctx, req, k)
		if err != nil || try > 0 {
			return resp, err
		}
		code, _ := resp.GetString(39)
		if code != CodeBadMAC && code != CodeSignOnNeeded {
			return resp, nil
		}
		l.opts.Log("acquirer: the host asks for a sign-on", fmt.Errorf("answer %s", code))
		l.expire(k)
	}
}

// exchange sends req (signed under k when k is set) and waits for its answer.
func (l *Link) exchange(ctx context.Context, req *iso8583.Message, k *WorkingKeys) (*iso8583.Message, error) {
	var b []byte
	var err error
	if k != nil {
		b, err = PackSigned(req, k.MAC)
	} else {
		b, err = Pack(req, nil)
	}
	if err != nil {
		return nil, err
	}
	stanField, _ := req.GetString(11)
	stan, err := strconv.Atoi(stanField)
	if err != nil {
		return nil, fmt.Errorf("acquirer: request without a STAN")
	}
	ch := make(chan answer, 1)
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, ErrUnreachable
	}
	if _, busy := l.pending[stan]; busy {
		l.mu.Unlock()
		return nil, fmt.Errorf("acquirer: STAN %d is already awaiting an answer", stan)
	}
	l.pending[stan] = ch
	delete(l.late, stan)
	l.mu.Unlock()

	l.writeMu.Lock()
	n, err := writeFrame(l.nc, b)
	l.writeMu.Unlock()
	if err != nil {
		l.forget(stan, false)
		l.shut(ErrConnectionLost)
		if n == 0 {
			return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return nil, ErrConnectionLost
	}
	timer := time.NewTimer(l.opts.SendTimeout)
	defer timer.Stop()
	var a answer
	select {
	case a = <-ch:
	case <-timer.C:
		l.forget(stan, true)
		return nil, ErrTimeout
	case <-ctx.Done():
		l.forget(stan, true)
		return nil, fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
	}
	if a.err != nil {
		return nil, a.err
	}
	if NeedsMAC(a.m) && k != nil {
		code, _ := a.m.GetString(39)
		if !verifyMAC(a.raw, a.m, k.MAC) && code != CodeBadMAC && code != CodeSignOnNeeded {
			// A host that cannot verify the terminal's MAC cannot sign its
			// answer either: A0 and 77 come unsigned, and change nothing.
			return nil, ErrBadMAC
		}
	}
	if err := CheckResponse(req, a.m); err != nil {
		return nil, err
	}
	return a.m, nil
}

// forget stops waiting for the answer of stan; late marks it given up on,
// so that an answer that still comes is dropped, not taken for another's.
func (l *Link) forget(stan int, late bool) {
	l.mu.Lock()
	delete(l.pending, stan)
	if late && !l.closed {
		l.late[stan] = true
	}
	l.mu.Unlock()
}

// read hands each answer to the request awaiting it, until the connection
// ends.
func (l *Link) read() {
	r := bufio.NewReader(l.nc)
	for {
		b, err := ReadFrame(r)
		if err != nil {
			// A frame cut short or with an impossible length is a bad
			// answer; a plain close is a lost connection.
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrFrameSize) {
				l.shut(ErrBadAnswer)
			} else {
				l.shut(ErrConnectionLost)
			}
			return
		}
		m, err := Unpack(b, nil)
		if err != nil {
			// No request can be matched to bytes that are not a message:
			// every one waiting ends, and the connection with them.
			l.opts.Log("acquirer: unreadable answer", err)
			l.shut(ErrBadAnswer)
			return
		}
		l.deliver(m, b)
	}
}

// deliver hands an answer to its request. An answer no request awaits is a
// late one (dropped), or, when one request alone is waiting, a wrong answer
// to it: it ends at once instead of waiting for its timeout.
func (l *Link) deliver(m *iso8583.Message, raw []byte) {
	stanField, _ := m.GetString(11)
	stan, _ := strconv.Atoi(stanField)
	l.mu.Lock()
	defer l.mu.Unlock()
	if ch, ok := l.pending[stan]; ok {
		delete(l.pending, stan)
		ch <- answer{m: m, raw: raw}
		return
	}
	if l.late[stan] {
		delete(l.late, stan)
		l.opts.Log("acquirer: a late answer dropped", fmt.Errorf("STAN %d", stan))
		return
	}
	if len(l.pending) == 1 {
		for s, ch := range l.pending {
			delete(l.pending, s)
			l.late[s] = true
			ch <- answer{err: fmt.Errorf("%w: STAN %q answered STAN %d", ErrMismatchedAnswer, stanField, s)}
		}
		return
	}
	l.opts.Log("acquirer: an answer to no request", fmt.Errorf("STAN %q", stanField))
}

// shut ends the connection: every request waiting ends with why.
func (l *Link) shut(why error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	for s, ch := range l.pending {
		ch <- answer{err: why}
		delete(l.pending, s)
	}
	l.mu.Unlock()
	l.nc.Close()
	close(l.done)
}

// Authorize sends a request and returns what the host answered.
func (l *Link) Authorize(ctx context.Context, r Request) (Response, error) {
	m, err := r.Build(l.terminal)
	if err != nil {
		return Response{}, err
	}
	var seal func(*WorkingKeys) error
	if r.Track2 != "" {
		seal = func(k *WorkingKeys) error { return sealTrack2(m, k, l.terminal, r.Track2) }
	}
	resp, err := l.send(ctx, m, seal)
	if err != nil {
		return Response{}, err
	}
	return ParseResponse(resp)
}

// Echo sends an echo test and reports whether the host answered 00.
func (l *Link) Echo(ctx context.Context, stan int) error {
	m, err := Echo(l.terminal, stan, time.Now())
	if err != nil {
		return err
	}
	resp, err := l.Send(ctx, m)
	if err != nil {
		return err
	}
	r, err := ParseResponse(resp)
	if err != nil {
		return err
	}
	return r.Err()
}

// nextSTAN numbers the link's own messages.
func (l *Link) nextSTAN(ctx context.Context) (int, error) {
	if l.opts.NextSTAN != nil {
		return l.opts.NextSTAN(ctx)
	}
	return int(l.stan.Add(1)-1)%999999 + 1, nil
}
