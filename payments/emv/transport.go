package emv

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// Transport exchanges one APDU with a card: it sends a command APDU and
// returns the response data followed by the two status bytes SW1 SW2. The
// returned slice belongs to the caller, which may overwrite it.
type Transport interface {
	Transmit(ctx context.Context, apdu []byte) ([]byte, error)
}

// Limits on response chaining, so a misbehaving card cannot keep the reader
// busy for ever.
const (
	maxGetResponses = 64
	maxResponseLen  = 64 * 1024
)

// ErrShortResponse reports a response without the two status bytes.
var ErrShortResponse = errors.New("emv: response shorter than a status word")

// Channel wraps a Transport and does at APDU level what PC/SC readers leave
// to the application: on SW 61XX it sends GET RESPONSE (00 C0 00 00 XX) and
// concatenates the data, on SW 6CXX it resends the command with Le = XX. It
// counts every APDU it sends, GET RESPONSE and resent commands included.
// A Channel is safe for concurrent use if its Transport is.
type Channel struct {
	t    Transport
	sent atomic.Int64
}

// NewChannel returns a Channel over t.
func NewChannel(t Transport) *Channel { return &Channel{t: t} }

// Count returns how many APDUs the Channel has sent so far.
func (c *Channel) Count() int { return int(c.sent.Load()) }

// Transmit sends apdu, following 6CXX and 61XX, and returns the whole
// response data followed by the final status word.
func (c *Channel) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	resp, err := c.send(ctx, apdu)
	if err != nil {
		return nil, err
	}
	if resp[len(resp)-2] == 0x6C {
		if again, ok := withLe(apdu, resp[len(resp)-1]); ok {
			clear(resp)
			if resp, err = c.send(ctx, again); err != nil {
				return nil, fmt.Errorf("resending with the card's Le: %w", err)
			}
		}
	}
	if resp[len(resp)-2] != 0x61 {
		return resp, nil
	}
	data := append([]byte(nil), resp[:len(resp)-2]...)
	for i := 0; resp[len(resp)-2] == 0x61; i++ {
		if i >= maxGetResponses || len(data) > maxResponseLen {
			clear(data)
			clear(resp)
			return nil, fmt.Errorf("emv: card keeps answering 61XX after %d GET RESPONSE commands", i)
		}
		le := resp[len(resp)-1]
		clear(resp)
		if resp, err = c.send(ctx, []byte{0x00, 0xC0, 0x00, 0x00, le}); err != nil {
			clear(data)
			return nil, fmt.Errorf("GET RESPONSE: %w", err)
		}
		data = append(data, resp[:len(resp)-2]...)
	}
	data = append(data, resp[len(resp)-2:]...)
	clear(resp)
	return data, nil
}

// send transmits one APDU, counts it and checks the response has a status word.
func (c *Channel) send(ctx context.Context, apdu []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.sent.Add(1)
	resp, err := c.t.Transmit(ctx, apdu)
	if err != nil {
		return nil, err
	}
	if len(resp) < 2 {
		return nil, ErrShortResponse
	}
	return resp, nil
}

// withLe returns a copy of a short command APDU with its Le set to le
// (added when the command had none). ok is false for an APDU it cannot
// parse (extended length or inconsistent Lc).
func withLe(apdu []byte, le byte) ([]byte, bool) {
	n := len(apdu)
	switch {
	case n == 4:
		return append(append([]byte(nil), apdu...), le), true
	case n == 5:
		out := append([]byte(nil), apdu...)
		out[4] = le
		return out, true
	case n > 5 && apdu[4] != 0:
		lc := int(apdu[4])
		switch n {
		case 5 + lc:
			return append(append([]byte(nil), apdu...), le), true
		case 6 + lc:
			out := append([]byte(nil), apdu...)
			out[n-1] = le
			return out, true
		}
	}
	return nil, false
}
