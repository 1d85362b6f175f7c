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
	"github.com/till-pos/till/models"
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
		return runNFC(args[1:], out)
	case "printer":
		return runPrinter(args[1:], out)
	case "fingerprint":
		return runFingerprint(args[1:], out)
	}
	fmt.Fprintf(out, "till diag: unknown device %q (known: nfc, printer, fingerprint)\n", args[0])
	return 2
}

// signalled is a context that Ctrl-C or SIGTERM ends, bounded by timeout.
func signalled(timeout time.Duration) (context.Context, func()) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, func() { cancel(); stop() }
}

// runNFC lists the PC/SC readers, waits for a tap on one and reads the
// card as a payment would (Card), printing what it found: never the full
// number.
func runNFC(args []string, out io.Writer) int {
	fs := flag.NewFlagSet("till diag nfc", flag.ContinueOnError)
	fs.SetOutput(out)
	reader := fs.String("reader", "", "reader `NAME` (default: the first one)")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for a tap")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := signalled(*timeout)
	defer cancel()

	names, err := Readers()
	if err != nil {
		fmt.Fprintln(out, "PC/SC:", err)
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
	res, err := Card(ctx, *reader)
	if err != nil {
		var me *models.Error
		if errors.As(err, &me) {
			fmt.Fprintf(out, "read failed: %s (%s)\n", me.Fallback, err)
		} else {
			fmt.Fprintln(out, "read failed:", err)
		}
		return 1
	}
	fmt.Fprintf(out, "scheme:  %s\naid:     %s\nlabel:   %s\ncard:    %s\nexpiry:  %s\napdus:   %d\ntime:    %s\n",
		res.Scheme, res.AID, res.Label, res.Masked, res.Expiry, res.APDUs, res.Took.Round(time.Millisecond))
	if res.Tries > 1 {
		fmt.Fprintf(out, "reads:   %d (the exchange stuttered and the read started again)\n", res.Tries)
	}
	return 0
}

// runPrinter prints a test page on the printer at -printer (Printer), and
// says the printer's status as it gave it before the page.
func runPrinter(args []string, out io.Writer) int {
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
	ctx, cancel := signalled(30 * time.Second)
	defer cancel()
	res, err := Printer(ctx, *url, *paper, *qr)
	st := res.Status
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
	fmt.Fprintf(out, "printed a test page (%d columns, QR %s)\n", res.Columns, *qr)
	return 0
}

// runFingerprint prints the module's parameters and template count
// (Module), waits for a finger and says whether it matched, and which
// slot.
func runFingerprint(args []string, out io.Writer) int {
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
	ctx, cancel := signalled(*timeout)
	defer cancel()
	res, err := Module(ctx, m, *port)
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	sp := res.Params
	fmt.Fprintf(out, "capacity: %d\nsecurity: %d\naddress:  %08X\npacket:   %d bytes\nbaud:     %d\ntemplates: %d\n",
		sp.Capacity, sp.SecurityLevel, sp.Address, sp.PacketSize, sp.Baud, res.Templates)
	fmt.Fprintf(out, "place a finger on the reader (waiting up to %s)...\n", *timeout)
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
