package printer

import (
	"errors"
	"fmt"
	"image"
	"unicode/utf8"

	"github.com/skip2/go-qrcode"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// QRMode says how a printer is sent QR codes.
type QRMode uint8

const (
	// QRNative sends the printer's own QR command (GS ( k): model 2,
	// module size 6 dots (smaller if the symbol would not fit the paper),
	// error correction level M.
	QRNative QRMode = iota
	// QRRaster renders the symbol here and sends it as a GS v 0 raster
	// image, for printers without GS ( k. It is much slower to encode.
	QRRaster
)

// CutMode says what kind of cutter a printer has.
type CutMode uint8

const (
	// CutPartial: the printer cuts partially and fully; Doc.Cut's choice is
	// honoured.
	CutPartial CutMode = iota
	// CutFull: the printer only cuts fully; every cut is a full cut.
	CutFull
	// CutNone: the printer has no cutter; a cut only feeds the paper out to
	// the tear bar.
	CutNone
)

// Profile describes one printer model.
type Profile struct {
	// Columns is the number of half-width characters on a line: 32 on 58 mm
	// paper, 48 on 80 mm paper. A Chinese character takes two columns.
	Columns int
	// DotsWide is the printable width in dots: 384 (58 mm) or 576 (80 mm).
	// It must be a multiple of 8.
	DotsWide int
	// ChineseMode sends FS & before a line holding GB18030 (two-byte) text
	// and FS . after it. Printers that power up in Chinese mode do not need
	// it, but it does no harm on them.
	ChineseMode bool
	// QRMode chooses the native GS ( k command or a raster image.
	QRMode QRMode
	// Cut is the kind of cutter the printer has.
	Cut CutMode
	// NoStatus is for printers that never answer DLE EOT (some one-way
	// serial models, print servers): Printer.Print then skips the status
	// check, and the wait for an answer that never comes, and reports the
	// status unknown.
	NoStatus bool
}

// Profile58 returns the defaults for a 58 mm printer: 32 columns, 384 dots,
// Chinese mode, native QR, partial cut.
func Profile58() Profile {
	return Profile{Columns: 32, DotsWide: 384, ChineseMode: true, QRMode: QRNative, Cut: CutPartial}
}

// Profile80 returns the defaults for an 80 mm printer: 48 columns, 576 dots,
// Chinese mode, native QR, partial cut.
func Profile80() Profile {
	return Profile{Columns: 48, DotsWide: 576, ChineseMode: true, QRMode: QRNative, Cut: CutPartial}
}

// Errors returned by Encode. They are wrapped with details; test with
// errors.Is.
var (
	// ErrBadProfile means the Profile has impossible values.
	ErrBadProfile = errors.New("printer: bad profile")
	// ErrBadBarcode means the barcode data is empty, holds characters other
	// than printable ASCII, or is too long to fit the paper.
	ErrBadBarcode = errors.New("printer: barcode data not printable")
	// ErrBadQR means the QR payload is empty or too long for a QR code.
	ErrBadQR = errors.New("printer: QR payload not printable")
)

// ESC/POS bytes.
const (
	esc = 0x1B
	gs  = 0x1D
	fsc = 0x1C
	lf  = 0x0A
)

// CutFeedLines is the number of lines fed before a cut, to bring the last
// printed line past the cutter.
const CutFeedLines = 4

// qrModuleSize is the preferred module size in dots for QR codes.
const qrModuleSize = 6

// qrMaxBytesM is the byte-mode capacity of QR versions 1–40 at error
// correction level M.
var qrMaxBytesM = [40]int{
	14, 26, 42, 62, 84, 106, 122, 152, 180, 213,
	251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
	711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370,
	1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331,
}

// Encode turns d into the ESC/POS byte stream for a printer with profile p.
// The stream starts with ESC @ (initialise). Style commands (ESC a, ESC E,
// GS !) are sent only when a line's style differs from the previous one.
// Text is encoded in GB18030; characters outside its two-byte (GBK) areas,
// which receipt printers cannot print, become '?'.
func Encode(d Doc, p Profile) ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	size := 2
	for i := range d.Items {
		size += 16 + len(d.Items[i].Text)
	}
	e := encoder{p: p, buf: make([]byte, 0, size)}
	e.buf = append(e.buf, esc, '@')
	for i := range d.Items {
		it := &d.Items[i]
		var err error
		switch it.Kind {
		case KindText:
			e.text(it.Text, it.Style)
		case KindFeed:
			e.feed(it.N)
		case KindBarcode:
			err = e.barcode(it.Text)
		case KindQR:
			if p.QRMode == QRRaster {
				err = e.qrRaster(it.Text)
			} else {
				err = e.qrNative(it.Text)
			}
		case KindCut:
			e.cut(it.Partial)
		case KindDrawer:
			e.buf = append(e.buf, esc, 'p', 0, 50, 50)
		case KindImage:
			err = e.image(it.Image)
		default:
			err = fmt.Errorf("printer: item %d: unknown kind %d", i, it.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
	}
	return e.buf, nil
}

func (p Profile) check() error {
	switch {
	case p.Columns <= 0:
		return fmt.Errorf("%w: columns %d", ErrBadProfile, p.Columns)
	case p.DotsWide <= 0 || p.DotsWide%8 != 0 || p.DotsWide > 65535*8:
		return fmt.Errorf("%w: width %d dots", ErrBadProfile, p.DotsWide)
	case p.QRMode > QRRaster:
		return fmt.Errorf("%w: QR mode %d", ErrBadProfile, p.QRMode)
	case p.Cut > CutNone:
		return fmt.Errorf("%w: cut mode %d", ErrBadProfile, p.Cut)
	}
	return nil
}

type encoder struct {
	p      Profile
	buf    []byte
	align  Align
	bold   bool
	double bool
	gb     *encoding.Encoder
}

func (e *encoder) setAlign(a Align) {
	if a > Right {
		a = Left
	}
	if a != e.align {
		e.buf = append(e.buf, esc, 'a', byte(a))
		e.align = a
	}
}

func (e *encoder) setStyle(s Style) {
	e.setAlign(s.Align)
	if s.Bold != e.bold {
		e.buf = append(e.buf, esc, 'E', b2u(s.Bold))
		e.bold = s.Bold
	}
	if s.Double != e.double {
		n := byte(0x00)
		if s.Double {
			n = 0x11
		}
		e.buf = append(e.buf, gs, '!', n)
		e.double = s.Double
	}
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func (e *encoder) text(s string, st Style) {
	e.setStyle(st)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			e.buf = append(e.buf, printableASCII(s[i]))
		}
		e.buf = append(e.buf, lf)
		return
	}
	wrap := e.p.ChineseMode
	start := len(e.buf)
	if wrap {
		e.buf = append(e.buf, fsc, '&')
	}
	var high bool
	e.buf, high = e.appendGB(e.buf, s)
	if wrap {
		if high {
			e.buf = append(e.buf, fsc, '.')
		} else {
			// Everything became ASCII: no need for Chinese mode.
			e.buf = append(e.buf[:start], e.buf[start+2:]...)
		}
	}
	e.buf = append(e.buf, lf)
}

// printableASCII maps control characters to '?' (a tab to a space) so that
// text can never be taken for a command.
func printableASCII(c byte) byte {
	switch {
	case c == '\t':
		return ' '
	case c < 0x20 || c == 0x7F:
		return '?'
	}
	return c
}

// appendGB appends s encoded in two-byte GB18030, with '?' for characters
// outside it, and reports whether any two-byte code was written.
func (e *encoder) appendGB(dst []byte, s string) ([]byte, bool) {
	if e.gb == nil {
		e.gb = simplifiedchinese.GB18030.NewEncoder()
	}
	high := false
	var in, out [4]byte
	for _, r := range s {
		if r < utf8.RuneSelf {
			dst = append(dst, printableASCII(byte(r)))
			continue
		}
		n := utf8.EncodeRune(in[:], r)
		nd, _, err := e.gb.Transform(out[:], in[:n], true)
		if err != nil || nd != 2 {
			dst = append(dst, '?')
			continue
		}
		dst = append(dst, out[0], out[1])
		high = true
	}
	return dst, high
}

// TextColumns returns how many half-width columns s takes when printed:
// one for every ASCII character (and every character printed as '?'), two
// for every Chinese (two-byte GB18030) character.
func TextColumns(s string) int {
	var e encoder
	n := 0
	var in, out [4]byte
	for _, r := range s {
		if r < utf8.RuneSelf {
			n++
			continue
		}
		if e.gb == nil {
			e.gb = simplifiedchinese.GB18030.NewEncoder()
		}
		k := utf8.EncodeRune(in[:], r)
		if nd, _, err := e.gb.Transform(out[:], in[:k], true); err == nil && nd == 2 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func (e *encoder) feed(n int) {
	for n > 0 {
		k := min(n, 255)
		e.buf = append(e.buf, esc, 'd', byte(k))
		n -= k
	}
}

func (e *encoder) cut(partial bool) {
	e.feed(CutFeedLines)
	switch e.p.Cut {
	case CutNone:
		return
	case CutFull:
		partial = false
	}
	e.buf = append(e.buf, gs, 'V', b2u(partial))
}

// barcode sends data as CODE128 (GS k m=73): code set C for an even number
// of digits, code set B otherwise, with the text printed below.
func (e *encoder) barcode(data string) error {
	if data == "" {
		return fmt.Errorf("%w: empty", ErrBadBarcode)
	}
	digits := len(data)%2 == 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x20 || c > 0x7E {
			return fmt.Errorf("%w: byte %#02x at %d", ErrBadBarcode, c, i)
		}
		if c < '0' || c > '9' {
			digits = false
		}
	}
	var body []byte
	var symbols int
	if digits {
		body = make([]byte, 0, 2+len(data)/2)
		body = append(body, '{', 'C')
		for i := 0; i < len(data); i += 2 {
			body = append(body, (data[i]-'0')*10+data[i+1]-'0')
		}
		symbols = len(data) / 2
	} else {
		body = make([]byte, 0, 2+len(data))
		body = append(body, '{', 'B')
		for i := 0; i < len(data); i++ {
			if data[i] == '{' {
				body = append(body, '{')
			}
			body = append(body, data[i])
		}
		symbols = len(data)
	}
	if len(body) > 255 {
		return fmt.Errorf("%w: %d bytes is too long", ErrBadBarcode, len(data))
	}
	// Start, data, check character: 11 modules each; stop: 13; a quiet
	// zone of 10 modules on each side.
	modules := 11*(symbols+2) + 13 + 20
	w := 0
	for _, cand := range []int{3, 2, 1} {
		if modules*cand <= e.p.DotsWide {
			w = cand
			break
		}
	}
	if w == 0 {
		return fmt.Errorf("%w: %q is too wide for %d dots", ErrBadBarcode, data, e.p.DotsWide)
	}
	e.setAlign(Center)
	e.buf = append(e.buf,
		gs, 'h', 80, // height 80 dots (10 mm)
		gs, 'w', byte(w), // module width
		gs, 'H', 2, // human-readable text below
		gs, 'k', 73, byte(len(body)))
	e.buf = append(e.buf, body...)
	return nil
}

func checkQR(payload string) (version int, err error) {
	if payload == "" {
		return 0, fmt.Errorf("%w: empty", ErrBadQR)
	}
	for v, max := range qrMaxBytesM {
		if len(payload) <= max {
			return v + 1, nil
		}
	}
	return 0, fmt.Errorf("%w: %d bytes is too long", ErrBadQR, len(payload))
}

// qrNative sends GS ( k: model 2, module size, ECC M, store, print.
func (e *encoder) qrNative(payload string) error {
	v, err := checkQR(payload)
	if err != nil {
		return err
	}
	modules := 17 + 4*v + 8 // with the quiet zone
	size := min(qrModuleSize, e.p.DotsWide/modules)
	if size < 1 {
		return fmt.Errorf("%w: %d bytes is too wide for %d dots", ErrBadQR, len(payload), e.p.DotsWide)
	}
	e.setAlign(Center)
	k := len(payload) + 3
	e.buf = append(e.buf,
		gs, '(', 'k', 4, 0, 49, 65, 50, 0, // model 2
		gs, '(', 'k', 3, 0, 49, 67, byte(size), // module size
		gs, '(', 'k', 3, 0, 49, 69, 49, // error correction M
		gs, '(', 'k', byte(k), byte(k>>8), 49, 80, 48) // store
	e.buf = append(e.buf, payload...)
	e.buf = append(e.buf, gs, '(', 'k', 3, 0, 49, 81, 48) // print
	return nil
}

// qrRaster renders the QR code and sends it as a full-width GS v 0 image,
// the symbol centred in it.
func (e *encoder) qrRaster(payload string) error {
	if _, err := checkQR(payload); err != nil {
		return err
	}
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadQR, err)
	}
	bm := q.Bitmap() // includes the 4-module quiet zone
	n := len(bm)
	scale := min(qrModuleSize, e.p.DotsWide/n)
	if scale < 1 {
		return fmt.Errorf("%w: %d bytes is too wide for %d dots", ErrBadQR, len(payload), e.p.DotsWide)
	}
	rowBytes := e.p.DotsWide / 8
	rows := n * scale
	left := (e.p.DotsWide - n*scale) / 2
	e.buf = append(e.buf, gs, 'v', '0', 0,
		byte(rowBytes), byte(rowBytes>>8), byte(rows), byte(rows>>8))
	e.buf = append(e.buf, make([]byte, rowBytes*rows)...)
	img := e.buf[len(e.buf)-rowBytes*rows:]
	for y := 0; y < n; y++ {
		row := img[y*scale*rowBytes : (y*scale+1)*rowBytes]
		for x := 0; x < n; x++ {
			if !bm[y][x] {
				continue
			}
			for d := left + x*scale; d < left+(x+1)*scale; d++ {
				row[d>>3] |= 0x80 >> (d & 7)
			}
		}
		for r := 1; r < scale; r++ {
			copy(img[(y*scale+r)*rowBytes:], row)
		}
	}
	return nil
}

// maxImageRows caps a raster image's height (many printers take at most
// 2303 dot rows in one GS v 0).
const maxImageRows = 1200

// image sends img centred as a GS v 0 raster, scaled down (nearest
// neighbour) to the paper's dots if wider; luminance under half prints.
func (e *encoder) image(img image.Image) error {
	if img == nil {
		return fmt.Errorf("printer: image: none")
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return fmt.Errorf("printer: image: empty")
	}
	outW, outH := w, h
	if outW > e.p.DotsWide {
		outW, outH = e.p.DotsWide, h*e.p.DotsWide/w
	}
	outH = min(max(outH, 1), maxImageRows)
	rowBytes := e.p.DotsWide / 8
	left := (e.p.DotsWide - outW) / 2
	e.setAlign(Left)
	e.buf = append(e.buf, gs, 'v', '0', 0, byte(rowBytes), byte(rowBytes>>8), byte(outH), byte(outH>>8))
	start := len(e.buf)
	e.buf = append(e.buf, make([]byte, rowBytes*outH)...)
	raster := e.buf[start:]
	for y := 0; y < outH; y++ {
		sy := b.Min.Y + y*h/outH
		for x := 0; x < outW; x++ {
			r, g, bl, a := img.At(b.Min.X+x*w/outW, sy).RGBA()
			lum := (299*r + 587*g + 114*bl) / 1000
			if a > 0x7fff && lum < 0x8000 {
				d := left + x
				raster[y*rowBytes+d>>3] |= 0x80 >> (d & 7)
			}
		}
	}
	return nil
}
