package screens

import (
	"context"
	"testing"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
)

// fakePrinterSetup is a printer whose state a test sets.
type fakePrinterSetup struct {
	ps     receipt.PrinterSettings
	state  receipt.PrinterState
	err    error
	next   receipt.PrinterState // what Check finds
	checks int
}

func (f *fakePrinterSetup) Settings() receipt.PrinterSettings { return f.ps }
func (f *fakePrinterSetup) Configure(_ context.Context, ps receipt.PrinterSettings, _ models.Operator) error {
	f.ps, f.state, f.err = ps, receipt.PrinterNotAsked, nil
	return nil
}
func (f *fakePrinterSetup) State() (receipt.PrinterState, error) { return f.state, f.err }
func (f *fakePrinterSetup) Check(context.Context) (receipt.PrinterState, error) {
	f.checks++
	f.state, f.err = f.next, nil
	return f.state, nil
}

func TestSettingsShowsThePrinterStatus(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	p := &fakePrinterSetup{ps: receipt.PrinterSettings{URL: "tcp://192.168.1.50:9100", Paper: "58", QR: "native", Cut: "partial"},
		state: receipt.PrinterStatusUnknown, next: receipt.PrinterReady}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Printer: p})
	showOn(ui, s.Content())
	mustShow(t, w, "Status unknown: the printer does not answer status requests, so receipts are printed without asking it")

	tap(t, w, "Check")
	if p.checks != 1 {
		t.Fatalf("checked %d times", p.checks)
	}
	mustShow(t, w, "Ready")

	// A change of settings: nothing is known of the printer until it is
	// asked again.
	tap(t, w, "80 mm")
	mustShow(t, w, "Not asked yet: nothing printed since the start or the last change")

	// A failure is shown in the cashier's words.
	p.state, p.err = receipt.PrinterFailed, &models.Error{Key: "error.printer.paper_out",
		Fallback: "The printer is out of paper: load paper, then reprint from Orders (the sale is kept)"}
	s = NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Printer: p})
	showOn(ui, s.Content())
	mustShow(t, w, "The printer is out of paper: load paper, then reprint from Orders (the sale is kept)")
}
