// Package barcode draws the barcodes Till prints, so that a screen shows
// the same bars as the paper: Code 128 (ISO/IEC 15417), encoded as the
// receipt printer encodes an order number.
package barcode

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
)

// Code 128 symbol values with a meaning of their own.
const (
	CodeC  = 99  // switch to code set C (in code sets A and B)
	CodeB  = 100 // switch to code set B (in code sets A and C)
	CodeA  = 101 // switch to code set A (in code sets B and C)
	StartA = 103
	StartB = 104
	StartC = 105
	Stop   = 106
)

// QuietZone is the blank, in modules, a reader needs on either side.
const QuietZone = 10

// MaxData is the longest data EncodeCode128 takes.
const MaxData = 80

// ErrData means data a Code 128 symbol cannot hold: empty, too long, or
// with a character outside printable ASCII.
var ErrData = errors.New("barcode: data not encodable in Code 128")

// ErrSymbol means bar widths that are not a well-formed Code 128 symbol.
var ErrSymbol = errors.New("barcode: not a Code 128 symbol")

// patterns are the widths, in modules, of the bar, space, bar, space, bar,
// space of each symbol value 0 to 105 (11 modules each), and of the stop
// pattern, 106, which ends with a seventh element, a bar (13 modules).
var patterns = [107]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213", // 0
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132", // 10
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211", // 20
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313", // 30
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331", // 40
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111", // 50
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214", // 60
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", // 70
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141", // 80
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141", // 90
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112", // 100
}

// Code128 is a Code 128 symbol: the data and its symbol values from the
// start character to the stop character, check character included.
type Code128 struct {
	Data    string
	Symbols []int
}

// EncodeCode128 encodes data (1 to MaxData printable ASCII characters) as
// the receipt printer does (ESC/POS GS k 73 as package printer sends it):
// in code set C, two digits a symbol, when data is an even number of
// digits; in code set B otherwise.
func EncodeCode128(data string) (Code128, error) {
	if data == "" || len(data) > MaxData {
		return Code128{}, fmt.Errorf("%w: %d characters", ErrData, len(data))
	}
	digits := len(data)%2 == 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x20 || c > 0x7E {
			return Code128{}, fmt.Errorf("%w: byte %#02x at %d", ErrData, c, i)
		}
		digits = digits && c >= '0' && c <= '9'
	}
	var syms []int
	if digits {
		syms = make([]int, 0, len(data)/2+3)
		syms = append(syms, StartC)
		for i := 0; i < len(data); i += 2 {
			syms = append(syms, int(data[i]-'0')*10+int(data[i+1]-'0'))
		}
	} else {
		syms = make([]int, 0, len(data)+3)
		syms = append(syms, StartB)
		for i := 0; i < len(data); i++ {
			syms = append(syms, int(data[i])-0x20)
		}
	}
	syms = append(syms, Checksum(syms), Stop)
	return Code128{Data: data, Symbols: syms}, nil
}

// Checksum is the check character of symbol values that begin with a
// start character: the start value plus each data value times its
// position, modulo 103.
func Checksum(symbols []int) int {
	if len(symbols) == 0 {
		return 0
	}
	sum := symbols[0]
	for i, v := range symbols[1:] {
		sum += (i + 1) * v
	}
	return sum % 103
}

// Widths are the symbol's bars and spaces in modules, bar first, from the
// start character to the stop pattern's last bar, without quiet zones.
func (c Code128) Widths() []int {
	out := make([]int, 0, 6*len(c.Symbols)+1)
	for _, s := range c.Symbols {
		for _, w := range patterns[s] {
			out = append(out, int(w-'0'))
		}
	}
	return out
}

// Modules is the symbol's width in modules, quiet zones included.
func (c Code128) Modules() int { return 11*len(c.Symbols) + 2 + 2*QuietZone }

// Image draws the symbol black on white, each module module pixels wide
// and the bars height pixels tall, with the quiet zones on either side.
func (c Code128) Image(module, height int) *image.Gray {
	module, height = max(module, 1), max(height, 1)
	img := image.NewGray(image.Rect(0, 0, c.Modules()*module, height))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	x := QuietZone * module
	for i, w := range c.Widths() {
		if i%2 == 0 { // a bar
			for y := 0; y < height; y++ {
				for dx := 0; dx < w*module; dx++ {
					img.SetGray(x+dx, y, color.Gray{})
				}
			}
		}
		x += w * module
	}
	return img
}

// DecodeCode128 reads bar and space widths in modules, bar first, from a
// start character to the stop pattern, checks the check character, and
// returns the data. It reads code sets A, B and C and the switches between
// them; function characters and shifts are refused.
func DecodeCode128(widths []int) (string, error) {
	if len(widths) < 6*3+7 || (len(widths)-7)%6 != 0 {
		return "", fmt.Errorf("%w: %d bars and spaces", ErrSymbol, len(widths))
	}
	if joined(widths[len(widths)-7:]) != patterns[Stop] {
		return "", fmt.Errorf("%w: no stop pattern", ErrSymbol)
	}
	var syms []int
	for i := 0; i < len(widths)-7; i += 6 {
		v, ok := valueOf[joined(widths[i:i+6])]
		if !ok {
			return "", fmt.Errorf("%w: no symbol has widths %v", ErrSymbol, widths[i:i+6])
		}
		syms = append(syms, v)
	}
	check := syms[len(syms)-1]
	syms = syms[:len(syms)-1]
	if Checksum(syms) != check {
		return "", fmt.Errorf("%w: check character %d, want %d", ErrSymbol, check, Checksum(syms))
	}
	set := syms[0]
	if set < StartA || set > StartC {
		return "", fmt.Errorf("%w: starts with %d", ErrSymbol, set)
	}
	var b strings.Builder
	for _, v := range syms[1:] {
		switch {
		case v == CodeA && set != StartA:
			set = StartA
		case v == CodeB && set != StartB:
			set = StartB
		case v == CodeC && set != StartC:
			set = StartC
		case set == StartC && v < 100:
			b.WriteByte(byte('0' + v/10))
			b.WriteByte(byte('0' + v%10))
		case set == StartB && v < 96:
			b.WriteByte(byte(v + 0x20))
		case set == StartA && v < 64:
			b.WriteByte(byte(v + 0x20))
		case set == StartA && v < 96:
			b.WriteByte(byte(v - 64))
		default:
			return "", fmt.Errorf("%w: symbol %d is a function character or shift", ErrSymbol, v)
		}
	}
	return b.String(), nil
}

// valueOf finds a symbol value by its widths.
var valueOf = func() map[string]int {
	m := make(map[string]int, len(patterns))
	for v, p := range patterns[:Stop] {
		m[p] = v
	}
	return m
}()

// joined writes widths 1 to 4 as digits.
func joined(widths []int) string {
	b := make([]byte, len(widths))
	for i, w := range widths {
		if w < 1 || w > 4 {
			return ""
		}
		b[i] = byte('0' + w)
	}
	return string(b)
}
