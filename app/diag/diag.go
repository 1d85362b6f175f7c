// Package diag is `till diag DEVICE`: checks of the card reader, the receipt
// printer and the fingerprint module for installers, with no window.
package diag

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/devices/nfc"
	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/services/printing"
)

// Run runs `till diag DEVICE [flags]`: a check of a device for installers,
// with no window. It returns the process's exit code.
func Run(args []string, out io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(out, "usage: till diag nfc [-reader NAME] [-timeout 30s]")
		fmt.Fprintln(out, "       till diag printer -printer URL [-paper 58|80] [-qr native|raster]")
		fmt.Fprintln(out, "       till diag fingerprint -port PATH [-baud 57600] [-timeout 30s]")
		return 2
	}
	switch args[0] {
	case "nfc":
		return diagNFC(args[1:], out)
	case "printer":
		return diagPrinter(args[1:], out)
	case "fingerprint":
		return diagFingerprint(args[1:], out)
	}
	fmt.Fprintf(out, "till diag: unknown device %q (known: nfc, printer, fingerprint)\n", args[0])
	return 2
}

// diagNFC lists the PC/SC readers, waits for a tap on one and reads the
// card as a payment would, printing what it found: never the full number.
func diagNFC(args []string, out io.Writer) int {
	fs := flag.NewFlagSet("till diag nfc", flag.ContinueOnError)
	fs.SetOutput(out)
	reader := fs.String("reader", "", "reader `NAME` (default: the first one)")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for a tap")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	svc, err := nfc.Open()
	if err != nil {
		fmt.Fprintln(out, "PC/SC:", err)
		return 1
	}
	defer svc.Close()
	names, err := svc.Readers()
	if err != nil && !errors.Is(err, nfc.ErrNoReader) {
		fmt.Fprintln(out, "readers:", err)
		return 1
	}
	fmt.Fprintf(out, "readers (%d):\n", len(names))
	for _, n := range names {
		fmt.Fprintln(out, "  "+n)
	}
	if *reader == "" {
		if len(names) == 0 {
			fmt.Fprintln(out, "no reader connected")
			return 1
		}
		*reader = names[0]
	}
	fmt.Fprintf(out, "tap a card on %q (waiting up to %s)...\n", *reader, *timeout)
	card, err := svc.WaitForCard(ctx, *reader)
	if err != nil {
		fmt.Fprintln(out, "wait for card:", err)
		return 1
	}
	defer card.Close()
	start := time.Now()
	cfg := emv.DefaultConfig()
	cfg.ContactlessLimit = 0
	read, err := emv.Read(ctx, card, cfg, emv.Transaction{Amount: 1, Currency: "156", Date: time.Now()})
	took := time.Since(start)
	if err != nil {
		var me *models.Error
		if errors.As(err, &me) {
			fmt.Fprintf(out, "read failed: %s (%s)\n", me.Fallback, err)
		} else {
			fmt.Fprintln(out, "read failed:", err)
		}
		return 1
	}
	defer read.Wipe()
	fmt.Fprintf(out, "scheme:  %s\naid:     %s\nlabel:   %s\ncard:    %s\nexpiry:  %s\napdus:   %d\ntime:    %s\n",
		read.Scheme, read.AID, read.Label, read.Masked(), read.Expiry, read.APDUs, took.Round(time.Millisecond))
	return 0
}

// diagPrinter prints a test page on the printer at -printer: a column
// ruler, Chinese text, bold and double size, a barcode, a QR code, a cut;
// and says the printer's status as it gave it before the page. A printer
// that does not answer status requests gets the page anyway, and its status
// is said to be unknown; paper out, cover open or offline refuse it.
func diagPrinter(args []string, out io.Writer) int {
	fs := flag.NewFlagSet("till diag printer", flag.ContinueOnError)
	fs.SetOutput(out)
	url := fs.String("printer", "", "printer `URL`: serial:///dev/ttyUSB0?baud=9600, tcp://host:9100, file:///path")
	paper := fs.String("paper", "58", "paper width: 58 or 80 (mm)")
	qr := fs.String("qr", "native", "QR codes: native (the printer's command) or raster (an image)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *url == "" {
		fmt.Fprintln(out, "till diag printer: -printer URL is needed")
		return 2
	}
	conn, err := printer.Open(*url)
	if err != nil {
		fmt.Fprintln(out, "open:", err)
		return 1
	}
	profile := printing.Profile(*paper, *qr, "partial")
	p := printer.New(conn, profile)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var d printer.Doc
	d.Text("Till diag printer", printer.Style{Align: printer.Center, Double: true, Bold: true})
	ruler := ""
	for i := 1; i <= profile.Columns; i++ {
		ruler += fmt.Sprint(i % 10)
	}
	d.Text(ruler, printer.Style{})
	d.Text("收银台 中文测试 ￥12.34 ×2", printer.Style{})
	d.Text("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789", printer.Style{})
	d.Text("粗体 Bold", printer.Style{Bold: true})
	d.Text("倍高倍宽", printer.Style{Double: true})
	d.Barcode("T01-00000001")
	d.QR("https://example.com/till/diag")
	d.Cut(true)
	st, err := p.PrintStatus(ctx, d)
	switch {
	case !st.Unknown:
		fmt.Fprintf(out, "status:  online %v, paper out %v, paper near end %v, cover open %v\n", st.Online, st.PaperOut, st.PaperNearEnd, st.CoverOpen)
	case err == nil:
		fmt.Fprintln(out, "status:  unknown: the printer does not answer status requests (DLE EOT); the test page was sent anyway")
	}
	if err != nil {
		fmt.Fprintln(out, "print:", err)
		return 1
	}
	fmt.Fprintf(out, "printed a test page (%d columns, QR %s)\n", profile.Columns, *qr)
	return 0
}

// diagFingerprint prints the module's parameters and template count, waits
// for a finger and says whether it matched, and which slot.
func diagFingerprint(args []string, out io.Writer) int {
	fs := flag.NewFlagSet("till diag fingerprint", flag.ContinueOnError)
	fs.SetOutput(out)
	port := fs.String("port", "", "the module's serial port `PATH` (/dev/ttyUSB0, COM4)")
	baud := fs.Int("baud", fingerprint.DefaultBaud, "baud rate")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for a finger")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *port == "" {
		fmt.Fprintln(out, "till diag fingerprint: -port PATH is needed")
		return 2
	}
	m, err := fingerprint.Open(*port, *baud)
	if err != nil {
		fmt.Fprintln(out, "open:", err)
		return 1
	}
	defer m.Close()
	sp, err := m.ReadSysParams()
	if err != nil {
		fmt.Fprintln(out, "parameters:", err)
		return 1
	}
	n, err := m.TemplateCount()
	if err != nil {
		fmt.Fprintln(out, "template count:", err)
		return 1
	}
	fmt.Fprintf(out, "capacity: %d\nsecurity: %d\naddress:  %08X\npacket:   %d bytes\nbaud:     %d\ntemplates: %d\n",
		sp.Capacity, sp.SecurityLevel, sp.Address, sp.PacketSize, sp.Baud, n)
	fmt.Fprintf(out, "place a finger on the reader (waiting up to %s)...\n", *timeout)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	start := m.RoundTrips()
	page, score, err := fingerprint.Identify(ctx, m)
	switch {
	case errors.Is(err, fingerprint.ErrNoMatch):
		fmt.Fprintln(out, "no match: this finger is not enrolled on the module")
	case err != nil:
		fmt.Fprintln(out, "identify:", err)
		return 1
	default:
		fmt.Fprintf(out, "match:    slot %d, score %d\n", page, score)
	}
	fmt.Fprintf(out, "round trips: %d\n", m.RoundTrips()-start)
	return 0
}
