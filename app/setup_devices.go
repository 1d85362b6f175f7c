package app

import (
	"context"

	"github.com/till-pos/till/app/diag"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/screens"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/fingers"
	"github.com/till-pos/till/services/ports"
	"github.com/till-pos/till/services/printing"
)

// setupDevices is screens.SetupDevices on the till's services, for the
// setup's Devices step and Settings' Test buttons: choices are stored
// through the services Settings uses (printing's Configure, cardpay's
// ChooseReader, ports' SetPort) — here only, so that a change of those
// setters is a change of this file — and each Test is `till diag`'s check.
type setupDevices struct {
	store    *models.Store
	printing *printing.Printing
	// cards is nil in a till without card payments, whose Settings lists
	// no card reader and so calls none of its methods.
	cards *cardpay.Cards
	ports *ports.Devices
	// fingers is the fingerprint reader the till runs, nil during the
	// setup: its port is in use, so its test asks the module open.
	fingers *fingers.Reader
	dataDir string // the data folder: no file printer in it
	// release lets go of what was opened for the adapter alone.
	release func()
}

// newSetupDevices is the adapter on services of its own, for the setup,
// before the till's are built. key keys card tokens (no card is paid here).
func newSetupDevices(ctx context.Context, store *models.Store, dataDir string, key []byte) (*setupDevices, error) {
	pr, err := printing.New(ctx, printing.Config{Store: store, Shop: func() receipt.Shop { return receipt.Shop{} },
		Translate: func(_, fallback string, _ ...any) string { return fallback }, Log: logError, DataDir: dataDir})
	if err != nil {
		return nil, err
	}
	cards, err := cardpay.New(ctx, store, nil, key)
	if err != nil {
		pr.Stop()
		return nil, err
	}
	return &setupDevices{store: store, printing: pr, cards: cards, ports: ports.New(store), dataDir: dataDir,
		release: func() { pr.Stop(); cards.Close() }}, nil
}

// duringSetup is who stores the devices chosen on the setup's step:
// nobody, as the store allows only while the first-run setup runs.
var duringSetup = models.Operator{}

// Close releases the printer and the card reader service the setup
// opened.
func (d *setupDevices) Close() {
	if d.release != nil {
		d.release()
	}
}

func (d *setupDevices) Printer() (url, paper string) {
	ps := d.printing.Settings()
	return ps.URL, ps.Paper
}

func (d *setupDevices) SetPrinter(ctx context.Context, url, paper string) error {
	ps := d.printing.Settings()
	ps.URL, ps.Paper = url, paper
	return d.printing.Configure(ctx, ps, duringSetup)
}

// TestPrinter keeps to the rule of printer addresses (no file in the data
// folder) before it prints; its QR codes are those set.
func (d *setupDevices) TestPrinter(ctx context.Context, url, paper string) (screens.PrinterTest, error) {
	if err := receipt.CheckPrinterURL(url, d.dataDir); err != nil {
		return screens.PrinterTest{}, err
	}
	r, err := diag.Printer(ctx, url, paper, d.printing.Settings().QR)
	return screens.PrinterTest{State: r.State}, err
}

func (d *setupDevices) Readers(ctx context.Context) ([]string, error) { return d.cards.Readers(ctx) }
func (d *setupDevices) Reader(ctx context.Context) (string, error)    { return d.cards.Reader(ctx) }

func (d *setupDevices) ChooseReader(ctx context.Context, name string) error {
	return d.cards.ChooseReader(ctx, name, duringSetup)
}

func (d *setupDevices) TestReader(ctx context.Context, reader string) (screens.CardTest, error) {
	if reader == "" {
		var err error
		if reader, err = d.cards.Reader(ctx); err != nil {
			return screens.CardTest{}, err
		}
	}
	r, err := diag.Card(ctx, reader)
	return screens.CardTest{Reader: r.Reader, Scheme: r.Scheme, Masked: r.Masked}, err
}

func (d *setupDevices) Ports() ([]string, error) { return d.ports.Ports() }
func (d *setupDevices) FingerprintPort() string  { return d.ports.Port("fingerprint") }

func (d *setupDevices) SetFingerprintPort(ctx context.Context, port string) error {
	return d.ports.SetPort(ctx, "fingerprint", port, duringSetup)
}

// TestFingerprint asks the module the till runs when it is on port (the
// port is its alone), else opens port.
func (d *setupDevices) TestFingerprint(ctx context.Context, port string) (screens.FingerprintTest, error) {
	var r diag.FingerprintResult
	var err error
	if d.fingers != nil && port != "" && d.fingers.Port() == port {
		r, err = diag.Module(ctx, d.fingers.Module(), port)
	} else {
		r, err = diag.Fingerprint(ctx, port, fingers.Baud(ctx, d.store))
	}
	return screens.FingerprintTest{Templates: r.Templates, Capacity: r.Params.Capacity}, err
}
