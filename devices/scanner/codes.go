package scanner

import (
	"bytes"
	"errors"
	"io"
)

// MaxCodeLen is the longest line, in bytes and excluding its terminator, that
// is accepted as a code. Longer lines are dropped whole.
const MaxCodeLen = 256

// errStopped is returned by readCodes when the emit function asks to stop.
var errStopped = errors.New("scanner: stopped")

// framer turns a byte stream into codes. It keeps at most MaxCodeLen bytes of
// the current line.
type framer struct {
	line    []byte
	invalid bool // current line has a non-printable byte or is too long
}

// feed processes p and calls emit for each complete valid code. It returns
// false as soon as emit does.
func (f *framer) feed(p []byte, emit func(string) bool) bool {
	for _, b := range p {
		switch {
		case b == '\r' || b == '\n':
			line, invalid := f.line, f.invalid
			f.line, f.invalid = f.line[:0], false
			if invalid {
				continue
			}
			code := bytes.Trim(line, " ")
			if len(code) == 0 {
				continue
			}
			if !emit(string(code)) {
				return false
			}
		case f.invalid:
			// Skip the rest of a dropped line.
		case b < 0x20 || b > 0x7e:
			f.invalid = true
		case len(f.line) >= MaxCodeLen:
			f.invalid = true
		default:
			f.line = append(f.line, b)
		}
	}
	return true
}

func newFramer() *framer {
	return &framer{line: make([]byte, 0, MaxCodeLen)}
}

// readCodes reads r until EOF or an error and calls emit for each code. It
// returns nil at io.EOF, errStopped if emit returned false, or the read error.
func readCodes(r io.Reader, emit func(string) bool) error {
	f := newFramer()
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		if n > 0 && !f.feed(buf[:n], emit) {
			return errStopped
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ReadCodes reads barcode lines from r and sends each valid code on out, in
// order, until r reports io.EOF (then it returns nil) or another error (then
// it returns that error). It does not close out. An unterminated line at EOF
// is dropped. See the package documentation for the framing rules.
func ReadCodes(r io.Reader, out chan<- string) error {
	return readCodes(r, func(code string) bool {
		out <- code
		return true
	})
}

// SplitCodes returns the valid codes in data, in order, following the same
// rules as ReadCodes. It returns nil if there are none.
func SplitCodes(data []byte) []string {
	var codes []string
	newFramer().feed(data, func(code string) bool {
		codes = append(codes, code)
		return true
	})
	return codes
}
