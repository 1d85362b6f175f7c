// Package diag checks the card reader, the receipt printer and the
// fingerprint module: Printer, Card and Fingerprint each run one check and
// report what it found, for the setup's and Settings' Test buttons; Run is
// `till diag DEVICE`, the same checks printed for installers, with no
// window.
//
// A check that fails returns an *Error: its Reason says why in the words of
// the person at the till (a *models.Error, which the screens translate), and
// its text is the device's own error, which `till diag` prints. Every check
// takes a context, and gives up when it ends.
package diag

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/devices/nfc"
	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/printing"
)

// Error is why a check failed.
type Error struct {
	// Reason says it for the person at the till: a *models.Error, or an
	// error wrapping one.
	Reason error
	// Err is the device's own error.
	Err error
}

func (e *Error) Error() string { return e.Err.Error() }

// Unwrap gives the reason first, so that errors.As finds its
// *models.Error, then the device's error.
func (e *Error) Unwrap() []error { return []error{e.Reason, e.Err} }

// fail is err with reason, or nil for a nil err.
func fail(reason, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Reason: reason, Err: err}
}

// Why a check failed, in the user's language.
var (
	errCancelled = &models.Error{Code: models.EINVALID, Key: "error.diag.cancelled",
		Fallback: "Test cancelled"}
	errNoPrinterURL = &models.Error{Code: models.EINVALID, Key: "error.diag.printer_none",
		Fallback: "Type the printer's address first: tcp://192.168.1.50:9100 for a network printer, serial:///dev/ttyUSB0?baud=9600 for a serial one"}
	errPrinterURL = &models.Error{Code: models.EINVALID, Key: "error.diag.printer_url",
		Fallback: "That is not a printer address: tcp://192.168.1.50:9100 for a network printer, serial:///dev/ttyUSB0?baud=9600 for a serial one"}
	errPrinterUnreachable = &models.Error{Code: models.EINVALID, Key: "error.diag.printer_unreachable",
		Fallback: "The printer cannot be reached: check that it is on, its cable or network, and its address"}
	errPaperOut = &models.Error{Code: models.EINVALID, Key: "error.diag.paper_out",
		Fallback: "The printer is out of paper: load a roll, then test again"}
	errCoverOpen = &models.Error{Code: models.EINVALID, Key: "error.diag.cover_open",
		Fallback: "The printer's cover is open: close it, then test again"}
	errPrinterOffline = &models.Error{Code: models.EINVALID, Key: "error.diag.printer_offline",
		Fallback: "The printer says it is offline: check its lights and buttons, then test again"}
	errPrinterTimeout = &models.Error{Code: models.EINVALID, Key: "error.diag.printer_timeout",
		Fallback: "The printer stopped taking the test page: check its paper, its cover and its cable, then test again"}
	errNoReader = &models.Error{Code: models.EINVALID, Key: "error.diag.no_reader",
		Fallback: "No card reader is connected: plug one in, then look again"}
	errNoTap = &models.Error{Code: models.EINVALID, Key: "error.diag.no_tap",
		Fallback: "No card was tapped in time: tap Test again, then hold a card on the reader"}
	errNoPort = &models.Error{Code: models.EINVALID, Key: "error.diag.no_port",
		Fallback: "Choose the fingerprint reader's port first"}
)

// errPortGone: nothing is plugged into port.
func errPortGone(port string) error {
	return &models.Error{Code: models.EINVALID, Key: "error.diag.port_gone",
		Fallback: "There is no port {{.Port}}: plug the fingerprint reader in, then look again",
		Args:     map[string]any{"Port": port}}
}

// errPortBusy: port cannot be opened.
func errPortBusy(port string) error {
	return &models.Error{Code: models.EINVALID, Key: "error.diag.port_busy",
		Fallback: "The port {{.Port}} cannot be opened: another program may be using it",
		Args:     map[string]any{"Port": port}}
}

// errFingerSilent: nothing answers on port.
func errFingerSilent(port string) error {
	return &models.Error{Code: models.EINVALID, Key: "error.diag.finger_silent",
		Fallback: "No fingerprint reader answers on {{.Port}}: check its cable and that it is this port",
		Args:     map[string]any{"Port": port}}
}

// errFingerGarbled: something answers on port, not as a fingerprint module.
func errFingerGarbled(port string) error {
	return &models.Error{Code: models.EINVALID, Key: "error.diag.finger_garbled",
		Fallback: "Something answers on {{.Port}}, but not as a fingerprint reader does: check that it is this port",
		Args:     map[string]any{"Port": port}}
}

// stopped is the reason a check ended with ctx: cancelled, or out of time
// (timeout says it then); nil while ctx runs.
func stopped(ctx context.Context, timeout error) error {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return errCancelled
	case ctx.Err() != nil:
		return timeout
	}
	return nil
}

// PrinterResult is what a printer's test found.
type PrinterResult struct {
	// State is receipt.PrinterReady, PrinterPaperLow or
	// PrinterStatusUnknown once the test page is printed, and
	// receipt.PrinterFailed when it was not.
	State receipt.PrinterState
	// Status is what the printer said of itself before the page: Unknown
	// when it does not answer status requests (the page was sent all the
	// same), or the status that refused it.
	Status printer.Status
	// Columns is the width of the page in characters.
	Columns int
}

// Printer prints a test page on the printer at url, for paper ("58" or
// "80") with QR codes qr ("native" or "raster"): a column ruler, Chinese
// text, bold and double size, a barcode, a QR code, a cut. The printer's
// status, asked before the page, says whether it is ready or its paper
// low; a printer that does not answer status requests gets the page
// anyway, its status unknown; paper out, cover open or offline refuse it.
func Printer(ctx context.Context, url, paper, qr string) (PrinterResult, error) {
	res := PrinterResult{State: receipt.PrinterFailed, Status: printer.Status{Unknown: true}}
	if url == "" {
		return res, &Error{Reason: errNoPrinterURL, Err: errors.New("diag: no printer URL")}
	}
	if err := printer.CheckURL(url); err != nil {
		return res, fail(errPrinterURL, err)
	}
	conn, err := printer.Open(url)
	if err != nil {
		return res, fail(printerReason(ctx, err), err)
	}
	profile := printing.Profile(paper, qr, "partial")
	res.Columns = profile.Columns
	p := printer.New(conn, profile)
	defer p.Close()
	st, err := p.PrintStatus(ctx, testPage(profile.Columns))
	res.Status = st
	switch {
	case err != nil:
		return res, fail(printerReason(ctx, err), err)
	case st.Unknown:
		res.State = receipt.PrinterStatusUnknown
	case st.PaperNearEnd:
		res.State = receipt.PrinterPaperLow
	default:
		res.State = receipt.PrinterReady
	}
	return res, nil
}

// testPage is the printer's test page for a paper of columns characters.
func testPage(columns int) printer.Doc {
	var d printer.Doc
	d.Text("Till diag printer", printer.Style{Align: printer.Center, Double: true, Bold: true})
	ruler := ""
	for i := 1; i <= columns; i++ {
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
	return d
}

// printerReason says why a printer's test failed with err.
func printerReason(ctx context.Context, err error) error {
	if why := stopped(ctx, errPrinterTimeout); why != nil {
		return why
	}
	switch {
	case errors.Is(err, printer.ErrPaperOut):
		return errPaperOut
	case errors.Is(err, printer.ErrCoverOpen):
		return errCoverOpen
	case errors.Is(err, printer.ErrOffline):
		return errPrinterOffline
	case errors.Is(err, printer.ErrBadURL):
		return errPrinterURL
	case errors.Is(err, printer.ErrTimeout):
		return errPrinterTimeout
	}
	return errPrinterUnreachable
}

// Readers lists the PC/SC card readers connected now; none is an empty
// list.
func Readers() ([]string, error) {
	svc, err := nfc.Open()
	if err != nil {
		return nil, fail(cardpay.ReaderError(err), err)
	}
	defer svc.Close()
	names, err := svc.Readers()
	if errors.Is(err, nfc.ErrNoReader) {
		return nil, nil
	}
	if err != nil {
		return nil, fail(cardpay.ReaderError(err), err)
	}
	return names, nil
}

// CardResult is a card read by a reader's test: never its number.
type CardResult struct {
	Reader string // the reader it was tapped on
	Scheme string // "unionpay", "visa", "mastercard"…; "" if unknown
	AID    string // the application read, hex
	Label  string // the application's label
	Masked string // the last four digits only: "**** **** **** 4444"
	Expiry string // YYMM
	APDUs  int    // commands the read took
	Tries  int    // reads started: more than 1 when an exchange stuttered
	Took   time.Duration
}

// Card waits for a card tapped on reader ("": the first one connected)
// and reads it as a payment would, until ctx ends. The card's number is
// wiped once read; the result has its last four digits only.
func Card(ctx context.Context, reader string) (CardResult, error) {
	var res CardResult
	svc, err := nfc.Open()
	if err != nil {
		return res, fail(cardReason(ctx, err), err)
	}
	defer svc.Close()
	if reader == "" {
		names, err := svc.Readers()
		if err != nil && !errors.Is(err, nfc.ErrNoReader) {
			return res, fail(cardReason(ctx, err), err)
		}
		if len(names) == 0 {
			return res, &Error{Reason: errNoReader, Err: errors.New("diag: no card reader connected")}
		}
		reader = names[0]
	}
	res.Reader = reader
	cfg := emv.DefaultConfig()
	cfg.ContactlessLimit = 0
	var start time.Time
	// A read that stutters while the card stays on the reader starts again,
	// as a payment's does.
	read, tries, err := nfc.ReadAgain(ctx, func(ctx context.Context) (*emv.Card, error) {
		card, err := svc.WaitForCard(ctx, reader)
		if err != nil {
			return nil, err
		}
		defer card.Close()
		start = time.Now()
		return emv.Read(ctx, card, cfg, emv.Transaction{Amount: 1, Currency: "156", Date: time.Now()})
	})
	res.Took, res.Tries = time.Since(start), tries
	if err != nil {
		return res, fail(cardReason(ctx, err), err)
	}
	defer read.Wipe()
	res.Scheme, res.AID, res.Label, res.Masked, res.Expiry, res.APDUs = read.Scheme, read.AID, read.Label, read.Masked(), read.Expiry, read.APDUs
	return res, nil
}

// cardReason says why a reader's test failed with err.
func cardReason(ctx context.Context, err error) error {
	if why := stopped(ctx, errNoTap); why != nil {
		return why
	}
	if errors.Is(err, nfc.ErrNoReader) {
		return errNoReader
	}
	return cardpay.ReaderError(err)
}

// FingerprintResult is what a fingerprint module said of itself.
type FingerprintResult struct {
	Params    fingerprint.SysParams
	Templates int // fingers enrolled on it
}

// Fingerprint opens the fingerprint module on port at baud (0:
// fingerprint.DefaultBaud), reads its parameters and counts the fingers
// enrolled on it, then closes it; ending ctx closes the port at once.
func Fingerprint(ctx context.Context, port string, baud int) (FingerprintResult, error) {
	if port == "" {
		return FingerprintResult{}, &Error{Reason: errNoPort, Err: errors.New("diag: no fingerprint port")}
	}
	m, err := fingerprint.Open(port, baud)
	switch {
	case errors.Is(err, fingerprint.ErrGone):
		return FingerprintResult{}, fail(errPortGone(port), err)
	case err != nil:
		return FingerprintResult{}, fail(errPortBusy(port), err)
	}
	defer m.Close()
	stop := context.AfterFunc(ctx, func() { m.Close() })
	defer stop()
	return module(ctx, m, port)
}

// Module checks a fingerprint module open already (the one the till
// uses): its parameters and the fingers enrolled on it. It leaves the
// module open.
func Module(ctx context.Context, m *fingerprint.Module, port string) (FingerprintResult, error) {
	return module(ctx, m, port)
}

func module(ctx context.Context, m *fingerprint.Module, port string) (FingerprintResult, error) {
	var res FingerprintResult
	reason := func(err error) error {
		if why := stopped(ctx, errFingerSilent(port)); why != nil {
			return why
		}
		switch {
		case errors.Is(err, fingerprint.ErrTimeout):
			return errFingerSilent(port)
		case errors.Is(err, fingerprint.ErrGone):
			return errPortGone(port)
		}
		return errFingerGarbled(port)
	}
	if err := ctx.Err(); err != nil {
		return res, fail(reason(err), err)
	}
	sp, err := m.ReadSysParams()
	if err != nil {
		return res, fail(reason(err), fmt.Errorf("parameters: %w", err))
	}
	res.Params = sp
	n, err := m.TemplateCount()
	if err != nil {
		return res, fail(reason(err), fmt.Errorf("template count: %w", err))
	}
	res.Templates = n
	return res, nil
}
