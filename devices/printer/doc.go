// Package printer drives ESC/POS receipt printers of the kind sold for
// Chinese shops: 58 mm (32 columns, 384 dots) and 80 mm (48 columns,
// 576 dots) thermal printers on a serial port or on raw TCP port 9100.
//
// A receipt is first described as a printer-neutral [Doc] (text lines that
// the caller has already laid out to the paper width, feeds, a CODE128
// barcode, a QR code, a cut, a cash-drawer kick). [Encode] turns a Doc into
// the ESC/POS byte stream for one printer [Profile]: Chinese text is sent in
// GB18030 (two-byte GBK area only) inside FS & … FS ., and QR codes are sent
// either as the native GS ( k symbol or, for printers without it, as a
// GS v 0 raster image.
//
// Printers are addressed by URL and opened with [Open]:
//
//	serial:///dev/ttyUSB0?baud=9600   serial port, 8N1 (default 9600 baud)
//	tcp://192.168.1.50:9100           raw TCP (port defaults to 9100)
//	file:///var/spool/till/r.bin      appends every job to one file
//	file:///var/spool/till/jobs/      one numbered file per job
//
// A [Printer] wraps a [Conn] with a job queue: [Printer.Print] encodes the
// document, asks the printer for its real-time status (DLE EOT) and refuses
// to send anything when the paper is out, the cover is open or the printer is
// offline, reporting [ErrPaperOut], [ErrCoverOpen] or [ErrOffline]. A printer
// that does not answer in time (many print servers and cheap network
// printers never do) gets the job anyway, and [Printer.PrintStatus] says its
// status is unknown. Jobs from several goroutines are printed whole, one
// after another, in the order they were submitted.
//
// No write waits for ever: a TCP connect gives up after Options.DialTimeout,
// and a write to a socket or a serial port that makes no progress for
// Options.WriteTimeout fails with [ErrTimeout], so a printer that stops
// taking data fails its job at once and the jobs after it are not held up.
//
// The sub-package escposdecode turns ESC/POS bytes back into readable lines
// for tests and print previews.
package printer
