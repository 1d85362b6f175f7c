package receipt

// PrinterSettings are the receipt printer's profile and what receipts say,
// as Settings shows and changes them.
type PrinterSettings struct {
	URL     string // serial:///dev/ttyUSB0?baud=9600, tcp://192.168.1.50:9100, file:///path; empty: none
	Paper   string // "58" or "80" (mm)
	QR      string // "native" (the printer's QR command) or "raster" (an image)
	Cut     string // "partial", "full" or "none"
	Chinese bool   // send Chinese mode (FS &) around Chinese text
	Address string // the shop's address
	Header  string // lines above the receipt, separated by \n
	Footer  string // lines below it
	Logo    string // a PNG or JPEG file printed at the top
}

// PrinterState is what is known of the receipt printer from its last job
// or check, for Settings to show.
type PrinterState int

// Printer states.
const (
	// PrinterNotAsked: nothing printed or checked since the start or the
	// last change of the settings, or no printer is set.
	PrinterNotAsked PrinterState = iota
	// PrinterReady: the printer said it is online with paper.
	PrinterReady
	// PrinterPaperLow: ready, with its paper roll near its end.
	PrinterPaperLow
	// PrinterStatusUnknown: the printer does not answer status requests
	// (many print servers and cheap network printers do not); receipts
	// are sent to it anyway.
	PrinterStatusUnknown
	// PrinterFailed: the last job or check failed, for the reason given
	// with it.
	PrinterFailed
)
