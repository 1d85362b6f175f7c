package acquirer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxFrame is the largest message Till sends or accepts.
const MaxFrame = 8192

// ErrFrameSize means a frame's length header is 0 or more than MaxFrame.
var ErrFrameSize = errors.New("acquirer: frame size out of range")

// WriteFrame writes msg behind its 2-byte big-endian length.
func WriteFrame(w io.Writer, msg []byte) error {
	_, err := writeFrame(w, msg)
	return err
}

// writeFrame is WriteFrame, telling how many bytes went out.
func writeFrame(w io.Writer, msg []byte) (int, error) {
	if len(msg) == 0 || len(msg) > MaxFrame {
		return 0, fmt.Errorf("acquirer: frame of %d bytes", len(msg))
	}
	buf := make([]byte, 2+len(msg))
	binary.BigEndian.PutUint16(buf, uint16(len(msg)))
	copy(buf[2:], msg)
	n, err := w.Write(buf)
	if err != nil {
		return n, fmt.Errorf("acquirer: write frame: %w", err)
	}
	return n, nil
}

// ReadFrame reads one length-prefixed message.
func ReadFrame(r io.Reader) ([]byte, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("acquirer: read frame length: %w", err)
	}
	n := int(binary.BigEndian.Uint16(hdr[:]))
	if n == 0 || n > MaxFrame {
		return nil, fmt.Errorf("%w: %d bytes", ErrFrameSize, n)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		return nil, fmt.Errorf("acquirer: read frame of %d bytes: %w", n, err)
	}
	return msg, nil
}
