package acquirer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
)

// Link is the terminal's connection to the host: it frames, signs and
// verifies messages, matches responses to requests by STAN (through
// moov-io/iso8583-connection) and checks every response before returning it.
type Link struct {
	conn     *connection.Connection
	terminal Terminal
	codec    *codec
}

// LinkOptions tune a Link.
type LinkOptions struct {
	ConnectTimeout time.Duration // default 5 s
	SendTimeout    time.Duration // how long a request waits for its response; default 30 s
	// PinnedCA, when set, makes the link TLS and trusts only host
	// certificates issued by this CA (PEM), whatever the system trusts.
	PinnedCA []byte
	// ServerName is the name the host's certificate must carry (default: the
	// host part of the address).
	ServerName string
}

// Dial connects to the host at addr.
func Dial(ctx context.Context, addr string, t Terminal, key *MACKey, o LinkOptions) (*Link, error) {
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = 5 * time.Second
	}
	if o.SendTimeout == 0 {
		o.SendTimeout = 30 * time.Second
	}
	c := &codec{key: key}
	var tlsConfig *tls.Config
	if len(o.PinnedCA) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(o.PinnedCA) {
			return nil, fmt.Errorf("acquirer: the pinned CA is not a PEM certificate")
		}
		name := o.ServerName
		if name == "" {
			name, _, _ = net.SplitHostPort(addr)
		}
		tlsConfig = &tls.Config{RootCAs: pool, ServerName: name, MinVersion: tls.VersionTLS12}
	}
	conn, err := connection.New(addr, Spec, readLength, writeLength,
		connection.ConnectTimeout(o.ConnectTimeout),
		connection.SendTimeout(o.SendTimeout),
		func(opts *connection.Options) error {
			opts.MessageReader = c
			opts.MessageWriter = c
			opts.ErrorHandler = func(error) {}
			opts.TLSConfig = tlsConfig
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("acquirer: link to %s: %w", addr, err)
	}
	if err := conn.ConnectCtx(ctx); err != nil {
		return nil, fmt.Errorf("acquirer: connect to %s: %w", addr, err)
	}
	return &Link{conn: conn, terminal: t, codec: c}, nil
}

// Close closes the connection.
func (l *Link) Close() error { return l.conn.Close() }

// ErrTimeout means the host did not answer in time: the request must be reversed.
var ErrTimeout = errors.New("acquirer: no response in time")

// ErrUnreachable means there is no connection to the host and the request
// was not sent.
var ErrUnreachable = errors.New("acquirer: host unreachable")

// ErrConnectionLost means the connection closed after the request was sent
// and before its answer came: the request must be reversed.
var ErrConnectionLost = errors.New("acquirer: connection lost before the answer")

// ErrBadAnswer means the host sent something that is not a readable
// message (malformed or cut short): the request must be reversed.
var ErrBadAnswer = errors.New("acquirer: the host's answer could not be read")

// Send sends a request and returns the host's checked response.
func (l *Link) Send(req *iso8583.Message) (*iso8583.Message, error) {
	resp, err := l.conn.Send(req)
	written := l.codec.sent(req)
	if errors.Is(err, connection.ErrSendTimeout) {
		return nil, ErrTimeout
	}
	if errors.Is(err, connection.ErrConnectionClosed) {
		switch {
		case !written:
			return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
		case l.codec.badAnswer.Load():
			return nil, ErrBadAnswer
		}
		return nil, ErrConnectionLost
	}
	if err != nil {
		return nil, fmt.Errorf("acquirer: send: %w", err)
	}
	if !l.codec.verified(resp) {
		return nil, ErrBadMAC
	}
	if err := CheckResponse(req, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// Authorize sends a financial request and returns what the host answered.
func (l *Link) Authorize(r Request) (Response, error) {
	m, err := r.Build(l.terminal)
	if err != nil {
		return Response{}, err
	}
	resp, err := l.Send(m)
	if err != nil {
		return Response{}, err
	}
	return ParseResponse(resp)
}

// Echo sends an echo test and reports whether the host answered 00.
func (l *Link) Echo(stan int) error {
	m, err := Echo(l.terminal, stan, time.Now())
	if err != nil {
		return err
	}
	resp, err := l.Send(m)
	if err != nil {
		return err
	}
	r, err := ParseResponse(resp)
	if err != nil {
		return err
	}
	return r.Err()
}

func readLength(r io.Reader) (int, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint16(hdr[:])), nil
}

func writeLength(w io.Writer, n int) (int, error) {
	var hdr [2]byte
	binary.BigEndian.PutUint16(hdr[:], uint16(n))
	return w.Write(hdr[:])
}

// codec signs what the terminal sends and verifies what it receives. A
// message whose MAC fails is still handed on, so that the request waiting
// for it ends at once; Send then refuses it. Bytes that are not a message
// close the connection (no request can be matched to them), so that every
// request waiting ends at once with ErrBadAnswer. The codec also notes which
// requests reached the wire, so that a closed connection tells "never sent"
// (safe to decide offline) from "sent, answer lost" (reverse it).
type codec struct {
	key       *MACKey
	bad       sync.Map // *iso8583.Message → struct{}: received with a bad MAC
	written   sync.Map // *iso8583.Message → struct{}: handed to the connection
	badAnswer atomic.Bool
}

func (c *codec) WriteMessage(w io.Writer, m *iso8583.Message) error {
	b, err := Pack(m, c.key)
	if err != nil {
		return err
	}
	c.written.Store(m, struct{}{})
	return WriteFrame(w, b)
}

// sent reports whether m was handed to the connection, and forgets it.
func (c *codec) sent(m *iso8583.Message) bool {
	_, ok := c.written.LoadAndDelete(m)
	return ok
}

func (c *codec) ReadMessage(r io.Reader) (*iso8583.Message, error) {
	b, err := ReadFrame(r)
	if err != nil {
		// A frame cut short or with an impossible length; a plain close
		// (EOF before a frame) is just a lost connection.
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrFrameSize) {
			c.badAnswer.Store(true)
		}
		return nil, err
	}
	m, err := Unpack(b, nil)
	if err != nil {
		c.badAnswer.Store(true)
		// Not an UnpackError, which the connection would skip: end it.
		return nil, fmt.Errorf("acquirer: unreadable answer: %s", err)
	}
	if _, err := Unpack(b, c.key); err != nil {
		c.bad.Store(m, struct{}{})
	}
	return m, nil
}

func (c *codec) verified(m *iso8583.Message) bool {
	_, bad := c.bad.LoadAndDelete(m)
	return !bad
}
