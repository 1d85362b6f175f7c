package printer

import "image"

// Align is the horizontal alignment of a text line.
type Align uint8

// Alignments. Left is the zero value.
const (
	Left Align = iota
	Center
	Right
)

// Style is how one text line is printed.
type Style struct {
	Align Align
	Bold  bool
	// Double prints the line at double width and double height, so a line
	// may hold only half the profile's columns.
	Double bool
}

// Kind says what an [Item] of a [Doc] is.
type Kind uint8

// Item kinds.
const (
	KindText    Kind = iota + 1 // Text, printed with Style and ended by a line feed
	KindFeed                    // N blank lines
	KindBarcode                 // CODE128 barcode of Text, human-readable text below
	KindQR                      // QR code of Text (the exact bytes of the string)
	KindCut                     // feed to the cutter and cut; Partial leaves a hinge
	KindDrawer                  // cash-drawer kick on connector pin 2
	KindImage                   // Image, centred, as a GS v 0 raster (a logo)
)

// Item is one element of a [Doc]. Build items with the Doc methods rather
// than by hand.
type Item struct {
	Kind    Kind
	Text    string      // text line, barcode data or QR payload
	Style   Style       // KindText only
	N       int         // KindFeed: number of lines
	Partial bool        // KindCut: partial cut
	Image   image.Image // KindImage: dark pixels print black
}

// Doc is a printer-neutral receipt: a list of items printed from top to
// bottom. The zero value is an empty document ready for use.
type Doc struct {
	Items []Item
}

// Text adds one line of text. The line must already be laid out to the
// paper's column count (a Chinese character takes two columns, and a Double
// line twice as many); the printer does not wrap it. Control characters in
// line are printed as '?' (a tab as a space) and characters the printer
// cannot print, such as emoji, as '?'.
func (d *Doc) Text(line string, s Style) {
	d.Items = append(d.Items, Item{Kind: KindText, Text: line, Style: s})
}

// Feed adds n blank lines. n ≤ 0 adds nothing.
func (d *Doc) Feed(n int) {
	d.Items = append(d.Items, Item{Kind: KindFeed, N: n})
}

// Barcode adds a centred CODE128 barcode of data (printable ASCII) with the
// human-readable text printed below it.
func (d *Doc) Barcode(data string) {
	d.Items = append(d.Items, Item{Kind: KindBarcode, Text: data})
}

// QR adds a centred QR code whose content is the UTF-8 bytes of payload,
// exactly as given (an EMVCo payment payload keeps a valid CRC).
func (d *Doc) QR(payload string) {
	d.Items = append(d.Items, Item{Kind: KindQR, Text: payload})
}

// Cut feeds the paper past the cutter and cuts it; partial leaves a small
// hinge. What a printer actually does depends on [Profile.Cut].
func (d *Doc) Cut(partial bool) {
	d.Items = append(d.Items, Item{Kind: KindCut, Partial: partial})
}

// Drawer opens the cash drawer (a pulse on connector pin 2).
func (d *Doc) Drawer() {
	d.Items = append(d.Items, Item{Kind: KindDrawer})
}

// Image adds a picture (a shop's logo), centred and scaled down to the
// paper's width if wider; pixels darker than mid-grey print black.
func (d *Doc) Image(img image.Image) {
	d.Items = append(d.Items, Item{Kind: KindImage, Image: img})
}
