package escposdecode

import (
	"fmt"
	"strings"
)

// Lines renders decoded operations as the lines a printer would print, so
// that tests can compare readable text. A text line starts with markers for
// its style: "[C]" centred or "[R]" right-aligned, "[B]" bold, "[D]" double
// width and height (other sizes as "[WxH]"), e.g. "[C][B]收银台示范店".
// Line feeds end lines (ESC d n gives n of them). Graphics and paper
// handling take a line of their own: "[QR:payload]", "[BARCODE:data]",
// "[RASTER 48x264]" (bytes per row x dot rows), "[CUT]", "[DRAWER]".
// Initialisation, Chinese mode switches and status requests print nothing.
func Lines(ops []Op) []string {
	var (
		out     []string
		cur     strings.Builder
		started bool
		align   int
		bold    bool
		size    int
	)
	flush := func() {
		if started {
			out = append(out, cur.String())
			cur.Reset()
			started = false
		}
	}
	block := func(s string) {
		flush()
		out = append(out, s)
	}
	for _, op := range ops {
		switch op.Kind {
		case KindInit:
			align, bold, size = 0, false, 0
		case KindAlign:
			align = op.Arg
		case KindBold:
			bold = op.Arg != 0
		case KindSize:
			size = op.Arg
		case KindText:
			if op.Text == "" {
				continue
			}
			if !started {
				started = true
				switch align {
				case 1:
					cur.WriteString("[C]")
				case 2:
					cur.WriteString("[R]")
				}
				if bold {
					cur.WriteString("[B]")
				}
				switch size {
				case 0:
				case 0x11:
					cur.WriteString("[D]")
				default:
					fmt.Fprintf(&cur, "[%dx%d]", size>>4+1, size&0x0F+1)
				}
			}
			cur.WriteString(op.Text)
		case KindFeed:
			if op.Arg == 0 {
				flush()
				continue
			}
			if started {
				flush()
			} else {
				out = append(out, "")
			}
			for range op.Arg - 1 {
				out = append(out, "")
			}
		case KindQR:
			block("[QR:" + op.Text + "]")
		case KindBarcode:
			block("[BARCODE:" + op.Text + "]")
		case KindRaster:
			block("[RASTER " + op.Text + "]")
		case KindCut:
			block("[CUT]")
		case KindDrawer:
			block("[DRAWER]")
		}
	}
	flush()
	return out
}
