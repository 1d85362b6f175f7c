// Package vpcd plays a smart card behind the vsmartcard "Virtual PCD" reader
// driver of pcscd (Debian package vsmartcard-vpcd), for tests, diagnostics
// and demonstrations. The card program is a TCP client of the driver: while
// it is connected the card is in the reader, closing the connection takes it
// out of the field.
//
// Wire protocol, both ways: frames of a 2-byte big-endian length followed by
// that many bytes. A 1-byte frame from the reader is a control: 0 power off,
// 1 power on, 2 reset (nothing is sent back for these), 4 "send your ATR".
// Any other frame is a command APDU, answered with the response APDU (data
// and SW1 SW2). The driver forwards APDUs unchanged: it does no GET RESPONSE
// or 6CXX handling.
package vpcd

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Addresses of the two card slots of the default driver configuration
// (/etc/reader.conf.d/vpcd): reader "Virtual PCD 00 00" listens on port 35963
// and "Virtual PCD 00 01" on 35964.
const (
	DefaultAddr = "127.0.0.1:35963"
	SecondAddr  = "127.0.0.1:35964"
)

// Control bytes sent by the reader in 1-byte frames.
const (
	CtrlPowerOff = 0
	CtrlPowerOn  = 1
	CtrlReset    = 2
	CtrlGetATR   = 4
)

// MaxFrame is the largest payload a frame can carry.
const MaxFrame = 0xFFFF

// Card is a virtual card.
//
// ATR returns the answer to reset; a contactless ISO 14443-4 card is
// presented in the PC/SC part 3 form, for example 3B 80 80 01 01. An empty
// ATR tells the driver that no card is present.
//
// Respond answers a command APDU with a response APDU (data, SW1, SW2). An
// empty (non-nil) response is sent as such, and the driver reports it to
// the application as a failed transmission; nil means the card has left the
// field, and the session ends. Respond is called from one goroutine at a
// time.
type Card interface {
	ATR() []byte
	Respond(apdu []byte) []byte
}

// ErrFrameTooLong is returned when a payload does not fit a frame.
var ErrFrameTooLong = errors.New("vpcd: frame longer than 65535 bytes")

// ReadFrame reads one frame and returns its payload.
func ReadFrame(r io.Reader) ([]byte, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	p := make([]byte, binary.BigEndian.Uint16(hdr[:]))
	if _, err := io.ReadFull(r, p); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return p, nil
}

// WriteFrame writes p as one frame.
func WriteFrame(w io.Writer, p []byte) error {
	if len(p) > MaxFrame {
		return ErrFrameTooLong
	}
	buf := make([]byte, 2+len(p))
	binary.BigEndian.PutUint16(buf, uint16(len(p)))
	copy(buf[2:], p)
	_, err := w.Write(buf)
	return err
}

// Serve plays card on rw until reading fails (io.EOF when the reader closed
// the connection in an orderly way) or a reply cannot be written.
func Serve(rw io.ReadWriter, card Card) error {
	return serve(rw, card, nil, func() action { return answer })
}

// action is what the card does with a command APDU that has arrived.
type action int

const (
	answer  action = iota // answer it
	leave                 // leave the field without answering
	stutter               // break the answer off (see Inserted.StutterAfter)
)

// serve runs the protocol. beforeRead, if not nil, is called before each
// frame is read. beforeAPDU is called when a command APDU has arrived and
// says what to do with it: leave ends the session without an answer
// (errRemoved); stutter writes the header of a 2-byte answer and nothing
// more, and ends the session with errStutter, leaving the connection to the
// caller.
func serve(rw io.ReadWriter, card Card, beforeRead func(), beforeAPDU func() action) error {
	for {
		if beforeRead != nil {
			beforeRead()
		}
		p, err := ReadFrame(rw)
		if err != nil {
			return err
		}
		if len(p) == 1 {
			switch p[0] {
			case CtrlGetATR:
				if err := WriteFrame(rw, card.ATR()); err != nil {
					return err
				}
			default:
				// Power off, power on, reset and unknown controls: no reply.
			}
			continue
		}
		switch beforeAPDU() {
		case leave:
			return errRemoved
		case stutter:
			// A frame announcing a response (no more than a status word)
			// that never comes.
			if _, err := rw.Write([]byte{0, 2}); err != nil {
				return err
			}
			return errStutter
		}
		resp := card.Respond(p)
		if resp == nil {
			return errRemoved // the card left the field
		}
		if err := WriteFrame(rw, resp); err != nil {
			return err
		}
	}
}

var (
	errRemoved = errors.New("vpcd: card removed")
	errStutter = errors.New("vpcd: answer broken off")
)

// reconnectTimeout bounds the new connection of a card whose exchange
// stuttered; on the loopback interface it is made at once.
const reconnectTimeout = 5 * time.Second

// Inserted is a virtual card in a reader slot.
type Inserted struct {
	ctx  context.Context // Insert's: bounds the connections
	addr string
	done chan struct{}
	err  error // valid once done is closed

	mu   sync.Mutex
	conn net.Conn // the connection in use; a stutter replaces it

	answered atomic.Int64 // APDUs answered
	limit    atomic.Int64 // answer at most this many APDUs; <0: no limit
	removed  atomic.Bool  // Remove, RemoveAfter or ctx ended the session
	once     sync.Once

	smu         sync.Mutex
	stutterFrom int64 // the stutters start once answered reaches this…
	stutterLeft int   // …and break off this many more APDUs
	stutters    atomic.Int64
}

// Insert connects to the reader slot at addr (DefaultAddr if empty) and plays
// card there in a goroutine until Remove is called, ctx is done, the limit of
// RemoveAfter is reached or the reader closes the connection. ctx also bounds
// the connection attempt, and the new connection after each stutter
// (StutterAfter).
//
// pcscd notices the card by polling it with "send your ATR", so the card is
// seen after up to a poll interval; wait for it with the reader's events
// (GetStatusChange), not with a sleep.
func Insert(ctx context.Context, addr string, card Card) (*Inserted, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("vpcd: insert card at %s: %w", addr, err)
	}
	in := &Inserted{ctx: ctx, addr: addr, conn: conn, done: make(chan struct{})}
	in.limit.Store(-1)

	stopWatch := context.AfterFunc(ctx, func() { in.remove() })
	go func(conn net.Conn) {
		defer close(in.done)
		defer stopWatch()
		var err error
		for {
			err = serve(conn, card, func() { quickACK(conn) }, in.beforeAPDU)
			if !errors.Is(err, errStutter) {
				break
			}
			in.stutters.Add(1)
			if conn, err = in.reconnect(conn); err != nil {
				break
			}
		}
		if in.removed.Load() || errors.Is(err, errRemoved) {
			err = nil
		}
		in.err = err
		in.mu.Lock()
		_ = in.conn.Close()
		in.mu.Unlock()
	}(conn)
	return in, nil
}

func (in *Inserted) beforeAPDU() action {
	if l := in.limit.Load(); l >= 0 && in.answered.Load() >= l {
		in.removed.Store(true)
		return leave
	}
	in.smu.Lock()
	if in.stutterLeft > 0 && in.answered.Load() >= in.stutterFrom {
		in.stutterLeft--
		in.smu.Unlock()
		return stutter
	}
	in.smu.Unlock()
	in.answered.Add(1)
	return answer
}

// reconnect replaces old, on which an answer was broken off, with a new
// connection to the same slot, and then resets old.
//
// The driver is a TCP server that holds one card connection at a time: it
// drops the old one when the transmission fails, and takes the next one
// waiting in its listen queue when pcscd next polls the card's presence
// (with "send your ATR"). Connecting before the old connection is reset
// puts the card in that queue before the driver can find it empty, so that
// pcscd never sees the slot without a card: the card stayed in the field.
func (in *Inserted) reconnect(old net.Conn) (net.Conn, error) {
	d := net.Dialer{Timeout: reconnectTimeout}
	conn, err := d.DialContext(in.ctx, "tcp", in.addr)
	in.mu.Lock()
	switch {
	case err != nil:
		err = fmt.Errorf("vpcd: reconnect card at %s: %w", in.addr, err)
	case in.removed.Load():
		// Removed meanwhile: remove closed old, not conn.
		_ = conn.Close()
		conn, err = nil, errRemoved
	default:
		in.conn = conn
	}
	in.mu.Unlock()
	reset(old)
	return conn, err
}

// reset closes c with a TCP RST rather than an orderly FIN, so that the
// driver's read of the rest of the answer fails instead of ending as an
// empty answer.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// remove closes the connection; the serving goroutine then ends.
func (in *Inserted) remove() {
	in.once.Do(func() {
		in.mu.Lock()
		defer in.mu.Unlock()
		in.removed.Store(true)
		_ = in.conn.Close()
	})
}

// Remove takes the card out of the field (closes the connection) and waits
// until the serving goroutine has ended. It returns the error that ended the
// session earlier, if any (see Err). Remove is idempotent.
func (in *Inserted) Remove() error {
	in.remove()
	<-in.done
	return in.err
}

// RemoveAfter makes the card leave the field as the reader sends the next
// command APDU after n more have been answered (n = 0: the next one), without
// answering it: a card pulled away in the middle of an exchange.
func (in *Inserted) RemoveAfter(n int) {
	if n < 0 {
		n = 0
	}
	in.limit.Store(in.answered.Load() + int64(n))
}

// StutterAfter makes the exchanges of the next times command APDUs, after
// n more have been answered (n = 0: from the next one), break off while the
// card stays in the field, as a card held badly on a real reader does. For
// each, the card writes the header of an answer and no more, and resets its
// connection (TCP RST): the driver reports the transmission failed, and
// pcscd gives the application SCARD_E_NOT_TRANSACTED ("Transaction
// failed"). The card connects again at once with the same ATR, so the
// reader keeps reporting it present and pcscd's count of card events does
// not change. A stuttered APDU does not reach the card's Respond, and does
// not count in APDUs. A later call replaces an earlier one; times <= 0
// stops stuttering.
func (in *Inserted) StutterAfter(n, times int) {
	if n < 0 {
		n = 0
	}
	if times < 0 {
		times = 0
	}
	in.smu.Lock()
	defer in.smu.Unlock()
	in.stutterFrom = in.answered.Load() + int64(n)
	in.stutterLeft = times
}

// Stutters reports how many exchanges have been broken off (StutterAfter).
func (in *Inserted) Stutters() int { return int(in.stutters.Load()) }

// APDUs reports how many command APDUs the card has answered.
func (in *Inserted) APDUs() int { return int(in.answered.Load()) }

// Done is closed when the session has ended.
func (in *Inserted) Done() <-chan struct{} { return in.done }

// Err returns, once Done is closed, nil if the card was removed through
// Remove, RemoveAfter or its context, and otherwise what ended the session
// (io.EOF: the reader closed the connection, e.g. pcscd stopped).
func (in *Inserted) Err() error {
	select {
	case <-in.done:
		return in.err
	default:
		return nil
	}
}
