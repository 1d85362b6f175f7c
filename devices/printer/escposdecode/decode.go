// Package escposdecode turns an ESC/POS byte stream back into a list of
// operations and renders them as readable text lines. It understands the
// commands a receipt printer driver sends (including everything package
// printer produces) and is meant for tests and print previews, not for
// emulating a printer dot for dot.
package escposdecode

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Operation kinds, the values of Op.Kind.
const (
	KindInit          = "init"           // ESC @
	KindText          = "text"           // printable characters, in Text
	KindAlign         = "align"          // ESC a: Arg 0 left, 1 centre, 2 right
	KindBold          = "bold"           // ESC E (or ESC !): Arg 1 on, 0 off
	KindSize          = "size"           // GS ! (or ESC !): Arg = (w-1)<<4 | (h-1)
	KindFeed          = "feed"           // LF (Arg 1) or ESC d n (Arg n)
	KindCut           = "cut"            // GS V: Arg 0 full, 1 partial; Data = feed for GS V 65/66
	KindDrawer        = "drawer"         // ESC p: Arg 0 pin 2, 1 pin 5; Data = t1, t2
	KindQR            = "qr"             // GS ( k print: Text and Data = stored payload, Arg = module size
	KindRaster        = "raster"         // GS v 0: Arg = bytes per row, Data = image, Text = "WxH" (bytes x rows)
	KindBarcode       = "barcode"        // GS k: Arg = barcode system m, Text = data, Data = the bytes sent (CODE128: with its "{B" or "{C")
	KindChineseOn     = "chinese_on"     // FS &
	KindChineseOff    = "chinese_off"    // FS .
	KindStatusRequest = "status_request" // DLE EOT n: Arg n
)

// Op is one decoded operation.
type Op struct {
	Kind string
	Text string // KindText (UTF-8), KindQR, KindBarcode, KindRaster
	Arg  int
	Data []byte
}

// Errors, wrapped with the offset at which decoding stopped.
var (
	// ErrTruncated means the input ends inside a command or a two-byte
	// character.
	ErrTruncated = errors.New("escposdecode: truncated command")
	// ErrUnknown means a command this package does not know, or a known
	// command with an invalid parameter.
	ErrUnknown = errors.New("escposdecode: unknown command")
	// ErrBadText means bytes that are not valid text in the current mode,
	// such as an invalid or four-byte GB18030 sequence in Chinese mode.
	ErrBadText = errors.New("escposdecode: invalid text")
)

// Options adjust decoding.
type Options struct {
	// ChineseAtStart says the printer powers up (and returns after ESC @)
	// in Chinese mode, as many Chinese printers do. Otherwise bytes 0x80 and
	// above outside FS & … FS . are read as code page 437.
	ChineseAtStart bool
}

// Decode decodes b with the zero Options.
func Decode(b []byte) ([]Op, error) {
	return DecodeOptions(b, Options{})
}

// DecodeOptions decodes b. On error it returns the operations decoded before
// the offending command together with the error.
func DecodeOptions(b []byte, o Options) ([]Op, error) {
	d := decoder{b: b, chinese: o.ChineseAtStart, opt: o}
	err := d.run()
	return d.ops, err
}

type decoder struct {
	b       []byte
	i       int
	ops     []Op
	chinese bool
	opt     Options
	qr      []byte // stored QR data
	qrSize  int
}

func (d *decoder) errf(base error, format string, a ...any) error {
	return fmt.Errorf("%w at offset %d: %s", base, d.i, fmt.Sprintf(format, a...))
}

// need returns the n bytes after the command start at d.i+skip, or an error.
func (d *decoder) need(skip, n int) ([]byte, error) {
	if n < 0 || len(d.b)-d.i-skip < n {
		return nil, d.errf(ErrTruncated, "need %d bytes", skip+n)
	}
	return d.b[d.i+skip : d.i+skip+n], nil
}

func (d *decoder) add(op Op) { d.ops = append(d.ops, op) }

func (d *decoder) run() error {
	for d.i < len(d.b) {
		c := d.b[d.i]
		var err error
		switch {
		case c == 0x0A:
			d.add(Op{Kind: KindFeed, Arg: 1})
			d.i++
		case c == 0x0D: // CR: ignored by printers set up for LF
			d.i++
		case c == 0x1B:
			err = d.esc()
		case c == 0x1D:
			err = d.gs()
		case c == 0x1C:
			err = d.fs()
		case c == 0x10:
			err = d.dle()
		case c < 0x20:
			err = d.errf(ErrUnknown, "control byte %#02x", c)
		default:
			err = d.text()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) text() error {
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c < 0x20 {
			break
		}
		if c < 0x80 || !d.chinese {
			d.i++
			continue
		}
		if c == 0x80 || c == 0xFF {
			return d.errf(ErrBadText, "byte %#02x in Chinese mode", c)
		}
		if d.i+1 >= len(d.b) {
			return d.errf(ErrTruncated, "two-byte character")
		}
		t := d.b[d.i+1]
		if t < 0x40 || t == 0x7F || t == 0xFF {
			return d.errf(ErrBadText, "GB18030 sequence % x", d.b[d.i:d.i+2])
		}
		d.i += 2
	}
	raw := d.b[start:d.i]
	var s string
	if d.chinese {
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		if err != nil {
			return fmt.Errorf("%w at offset %d: %w", ErrBadText, start, err)
		}
		s = string(out)
	} else {
		var sb strings.Builder
		for _, c := range raw {
			if c < 0x80 {
				sb.WriteByte(c)
			} else {
				sb.WriteRune(charmap.CodePage437.DecodeByte(c))
			}
		}
		s = sb.String()
	}
	d.add(Op{Kind: KindText, Text: s})
	return nil
}

func (d *decoder) esc() error {
	p, err := d.need(1, 1)
	if err != nil {
		return err
	}
	cmd := p[0]
	// Commands with one parameter byte and nothing to report.
	switch cmd {
	case '@':
		d.add(Op{Kind: KindInit})
		d.chinese = d.opt.ChineseAtStart
		d.qr = nil
		d.i += 2
		return nil
	case '2': // default line spacing
		d.i += 2
		return nil
	}
	switch cmd {
	case 'a', 'E', 'G', '!', '-', 'd', 'J', 't', '3', 'M', 'V', '{', 'R', ' ', 'e':
		a, err := d.need(2, 1)
		if err != nil {
			return err
		}
		n := int(a[0])
		switch cmd {
		case 'a':
			switch n {
			case 0, 1, 2, 48, 49, 50:
				d.add(Op{Kind: KindAlign, Arg: n % 48})
			default:
				return d.errf(ErrUnknown, "ESC a %d", n)
			}
		case 'E':
			d.add(Op{Kind: KindBold, Arg: n & 1})
		case '!':
			d.add(Op{Kind: KindBold, Arg: n >> 3 & 1})
			d.add(Op{Kind: KindSize, Arg: (n >> 5 & 1 << 4) | (n >> 4 & 1)})
		case 'd':
			d.add(Op{Kind: KindFeed, Arg: n})
		}
		d.i += 3
		return nil
	case 'p':
		a, err := d.need(2, 3)
		if err != nil {
			return err
		}
		m := int(a[0])
		switch m {
		case 0, 1, 48, 49:
		default:
			return d.errf(ErrUnknown, "ESC p %d", m)
		}
		d.add(Op{Kind: KindDrawer, Arg: m % 48, Data: []byte{a[1], a[2]}})
		d.i += 5
		return nil
	}
	return d.errf(ErrUnknown, "ESC %#02x", cmd)
}

func (d *decoder) fs() error {
	p, err := d.need(1, 1)
	if err != nil {
		return err
	}
	switch p[0] {
	case '&':
		d.add(Op{Kind: KindChineseOn})
		d.chinese = true
		d.i += 2
		return nil
	case '.':
		d.add(Op{Kind: KindChineseOff})
		d.chinese = false
		d.i += 2
		return nil
	case '!', 'W', '-':
		if _, err := d.need(2, 1); err != nil {
			return err
		}
		d.i += 3
		return nil
	}
	return d.errf(ErrUnknown, "FS %#02x", p[0])
}

func (d *decoder) dle() error {
	p, err := d.need(1, 2)
	if err != nil {
		return err
	}
	if p[0] != 0x04 {
		return d.errf(ErrUnknown, "DLE %#02x", p[0])
	}
	n := int(p[1])
	if n < 1 || n > 4 {
		return d.errf(ErrUnknown, "DLE EOT %d", n)
	}
	d.add(Op{Kind: KindStatusRequest, Arg: n})
	d.i += 3
	return nil
}

func (d *decoder) gs() error {
	p, err := d.need(1, 1)
	if err != nil {
		return err
	}
	cmd := p[0]
	switch cmd {
	case '!':
		a, err := d.need(2, 1)
		if err != nil {
			return err
		}
		n := int(a[0])
		if n&0x88 != 0 {
			return d.errf(ErrUnknown, "GS ! %#02x", n)
		}
		d.add(Op{Kind: KindSize, Arg: n})
		d.i += 3
		return nil
	case 'H', 'h', 'w', 'f', 'B', 'a':
		if _, err := d.need(2, 1); err != nil {
			return err
		}
		d.i += 3
		return nil
	case 'L', 'W':
		if _, err := d.need(2, 2); err != nil {
			return err
		}
		d.i += 4
		return nil
	case 'V':
		return d.cut()
	case 'k':
		return d.barcode()
	case '(':
		return d.gsParen()
	case 'v':
		return d.raster()
	}
	return d.errf(ErrUnknown, "GS %#02x", cmd)
}

func (d *decoder) cut() error {
	a, err := d.need(2, 1)
	if err != nil {
		return err
	}
	m := int(a[0])
	switch m {
	case 0, 1, 48, 49:
		d.add(Op{Kind: KindCut, Arg: m % 48})
		d.i += 3
		return nil
	case 65, 66, 97, 98, 103, 104:
		n, err := d.need(3, 1)
		if err != nil {
			return err
		}
		d.add(Op{Kind: KindCut, Arg: (m - 1) & 1, Data: []byte{n[0]}})
		d.i += 4
		return nil
	}
	return d.errf(ErrUnknown, "GS V %d", m)
}

func (d *decoder) barcode() error {
	a, err := d.need(2, 1)
	if err != nil {
		return err
	}
	m := int(a[0])
	var data []byte
	switch {
	case m <= 6:
		rest := d.b[d.i+3:]
		end := -1
		for j, c := range rest {
			if c == 0 {
				end = j
				break
			}
		}
		if end < 0 {
			return d.errf(ErrTruncated, "GS k %d without NUL", m)
		}
		data = rest[:end]
		d.i += 3 + end + 1
		d.add(Op{Kind: KindBarcode, Arg: m, Text: string(data), Data: append([]byte(nil), data...)})
		return nil
	case m >= 65 && m <= 79:
		n, err := d.need(3, 1)
		if err != nil {
			return err
		}
		data, err = d.need(4, int(n[0]))
		if err != nil {
			return err
		}
	default:
		return d.errf(ErrUnknown, "GS k %d", m)
	}
	text := string(data)
	if m == 73 {
		text, err = code128(data)
		if err != nil {
			return d.errf(ErrUnknown, "GS k 73: %v", err)
		}
	}
	d.add(Op{Kind: KindBarcode, Arg: m, Text: text, Data: append([]byte(nil), data...)})
	d.i += 4 + len(data)
	return nil
}

// code128 decodes the data of GS k 73: code set selections "{A", "{B",
// "{C", function characters "{1" … "{4" "{S" (dropped) and "{{" for '{'.
func code128(b []byte) (string, error) {
	if len(b) < 2 || b[0] != '{' || b[1] < 'A' || b[1] > 'C' {
		return "", errors.New("no code set selection")
	}
	var sb strings.Builder
	set := b[1]
	for i := 2; i < len(b); i++ {
		c := b[i]
		if c == '{' {
			if i+1 >= len(b) {
				return "", errors.New("dangling '{'")
			}
			i++
			switch n := b[i]; n {
			case 'A', 'B', 'C':
				set = n
			case '{':
				if set == 'C' {
					return "", errors.New("'{' in code set C")
				}
				sb.WriteByte('{')
			case '1', '2', '3', '4', 'S':
			default:
				return "", fmt.Errorf("unknown function {%c", n)
			}
			continue
		}
		if set == 'C' {
			if c > 99 {
				return "", fmt.Errorf("byte %d in code set C", c)
			}
			sb.WriteByte('0' + c/10)
			sb.WriteByte('0' + c%10)
			continue
		}
		if c > 0x7F || (set == 'B' && c < 0x20) || (set == 'A' && c > 0x5F) {
			return "", fmt.Errorf("byte %#02x in code set %c", c, set)
		}
		sb.WriteByte(c)
	}
	return sb.String(), nil
}

func (d *decoder) gsParen() error {
	h, err := d.need(2, 3)
	if err != nil {
		return err
	}
	if h[0] != 'k' {
		return d.errf(ErrUnknown, "GS ( %#02x", h[0])
	}
	n := int(h[1]) | int(h[2])<<8
	p, err := d.need(5, n)
	if err != nil {
		return err
	}
	if n < 2 || p[0] != 49 {
		return d.errf(ErrUnknown, "GS ( k: only QR (cn 49) is supported")
	}
	fn, args := p[1], p[2:]
	switch fn {
	case 65: // model
		if len(args) != 2 || args[0] < 49 || args[0] > 51 {
			return d.errf(ErrUnknown, "GS ( k QR model % x", args)
		}
	case 67: // module size
		if len(args) != 1 || args[0] < 1 || args[0] > 16 {
			return d.errf(ErrUnknown, "GS ( k QR module size % x", args)
		}
		d.qrSize = int(args[0])
	case 69: // error correction
		if len(args) != 1 || args[0] < 48 || args[0] > 51 {
			return d.errf(ErrUnknown, "GS ( k QR error correction % x", args)
		}
	case 80: // store
		if len(args) < 1 || args[0] != 48 {
			return d.errf(ErrUnknown, "GS ( k QR store")
		}
		d.qr = append([]byte(nil), args[1:]...)
	case 81: // print
		if len(args) != 1 || args[0] != 48 {
			return d.errf(ErrUnknown, "GS ( k QR print % x", args)
		}
		if len(d.qr) > 0 {
			d.add(Op{Kind: KindQR, Text: string(d.qr), Arg: d.qrSize, Data: d.qr})
		}
	case 82: // transmit size information
	default:
		return d.errf(ErrUnknown, "GS ( k QR function %d", fn)
	}
	d.i += 5 + n
	return nil
}

func (d *decoder) raster() error {
	h, err := d.need(2, 6)
	if err != nil {
		return err
	}
	if h[0] != '0' {
		return d.errf(ErrUnknown, "GS v %#02x", h[0])
	}
	if m := h[1]; m > 3 && (m < 48 || m > 51) {
		return d.errf(ErrUnknown, "GS v 0 mode %d", m)
	}
	x := int(h[2]) | int(h[3])<<8
	y := int(h[4]) | int(h[5])<<8
	img, err := d.need(8, x*y)
	if err != nil {
		return err
	}
	d.add(Op{Kind: KindRaster, Arg: x, Text: fmt.Sprintf("%dx%d", x, y), Data: append([]byte(nil), img...)})
	d.i += 8 + x*y
	return nil
}
