package diag

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/fingerprint/fpsim"
	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/devices/printer/printertest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/emv/emvcard"
)

func TestDiagNFCReadsATappedCard(t *testing.T) {
	nfctest.EnsurePCSCD(t)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	nfctest.Insert(t, emvcard.New(emvcard.MastercardDebit()))
	var out bytes.Buffer
	if code := Run([]string{"nfc", "-reader", nfctest.Reader0, "-timeout", "20s"}, &out); code != 0 {
		t.Fatalf("diag nfc exited %d:\n%s", code, out.String())
	}
	for _, want := range []string{nfctest.Reader1, "scheme:  mastercard", "card:    **** **** **** 4444", "apdus:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("diag output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "5555555555554444") {
		t.Errorf("diag printed the full card number:\n%s", out.String())
	}
	t.Logf("\n%s", out.String())
}

// A card whose first exchange breaks off while it stays on the reader is
// read on the second try, and diag says the read took two.
func TestDiagNFCSaysHowManyReadsAStutteringCardTook(t *testing.T) {
	nfctest.EnsurePCSCD(t)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	in := nfctest.Insert(t, emvcard.New(emvcard.MastercardDebit()))
	in.StutterAfter(0, 1)
	var out bytes.Buffer
	if code := Run([]string{"nfc", "-reader", nfctest.Reader0, "-timeout", "60s"}, &out); code != 0 {
		t.Fatalf("diag nfc exited %d:\n%s", code, out.String())
	}
	for _, want := range []string{"scheme:  mastercard", "reads:   2 (the exchange stuttered and the read started again)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("diag output lacks %q:\n%s", want, out.String())
		}
	}
	if in.Stutters() != 1 {
		t.Errorf("the card stuttered %d times, want once", in.Stutters())
	}
	t.Logf("\n%s", out.String())
}

func TestDiagFingerprint(t *testing.T) {
	sim := fpsim.New(100)
	if err := sim.Preload(7, "alice"); err != nil {
		t.Fatal(err)
	}
	path, stop, err := sim.StartPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	sim.PlaceFinger("alice")
	var out strings.Builder
	if code := Run([]string{"fingerprint", "-port", path, "-timeout", "10s"}, &out); code != 0 {
		t.Fatalf("diag fingerprint exited %d:\n%s", code, out.String())
	}
	for _, want := range []string{"capacity: 100", "templates: 1", "match:    slot 7", "round trips:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestDiagPrinterPrintsATestPage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "page.bin")
	var out strings.Builder
	if code := Run([]string{"printer", "-printer", "file://" + path, "-paper", "80"}, &out); code != 0 {
		t.Fatalf("diag printer exited %d: %s", code, out.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := escposdecode.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(escposdecode.Lines(ops), "\n")
	for _, want := range []string{"收银台 中文测试", "123456789012345678901234567890123456789012345678", "[BARCODE:T01-00000001]", "[QR:https://example.com/till/diag]", "[CUT]"} {
		if !strings.Contains(text, want) {
			t.Errorf("test page lacks %q:\n%s", want, text)
		}
	}
	if code := Run([]string{"printer", "-printer", "lpt://x"}, &out); code != 1 {
		t.Fatalf("a bad printer URL exited %d", code)
	}
}

// A printer that answers no status request gets the test page, and diag
// says its status is unknown; a printer out of paper refuses it.
func TestDiagPrinterStatusUnknownStillPrints(t *testing.T) {
	f := printertest.Start(t)
	f.SetSilent(true)
	var out strings.Builder
	if code := Run([]string{"printer", "-printer", f.URL()}, &out); code != 0 {
		t.Fatalf("diag printer exited %d: %s", code, out.String())
	}
	if !strings.Contains(out.String(), "status:  unknown") || !strings.Contains(out.String(), "printed a test page") {
		t.Errorf("output:\n%s", out.String())
	}
	f.Printed(t, "[QR:https://example.com/till/diag]")

	f.SetSilent(false)
	f.SetPaperOut(true)
	out.Reset()
	if code := Run([]string{"printer", "-printer", f.URL()}, &out); code != 1 {
		t.Fatalf("diag printer out of paper exited %d: %s", code, out.String())
	}
	for _, want := range []string{"paper out true", "print: printer: paper out"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// reasonKey is the translation key of why a check failed, "" for none.
func reasonKey(err error) string {
	var me *models.Error
	if errors.As(err, &me) {
		return me.Key
	}
	return ""
}

// Printer, as the setup's Test calls it: the state the printer gave, the
// page on the paper, and the reason of each refusal for the screen.
func TestPrinterSaysHowThePrinterIs(t *testing.T) {
	ctx := context.Background()
	f := printertest.Start(t)
	r, err := Printer(ctx, f.URL(), "58", "native")
	if err != nil || r.State != receipt.PrinterReady || r.Columns != 32 || r.Status.Unknown || !r.Status.Online {
		t.Fatalf("a ready printer: %+v, %v", r, err)
	}
	f.Printed(t, "12345678901234567890123456789012")

	f.SetSilent(true)
	if r, err := Printer(ctx, f.URL(), "80", "raster"); err != nil || r.State != receipt.PrinterStatusUnknown {
		t.Fatalf("a printer that says nothing: %+v, %v", r, err)
	}
	f.SetSilent(false)
	f.SetPaperOut(true)
	r, err = Printer(ctx, f.URL(), "58", "native")
	if reasonKey(err) != "error.diag.paper_out" || !errors.Is(err, printer.ErrPaperOut) || !r.Status.PaperOut || r.State != receipt.PrinterFailed {
		t.Fatalf("out of paper: %+v, %v", r, err)
	}
	for url, key := range map[string]string{
		"":                        "error.diag.printer_none",
		"lpt://x":                 "error.diag.printer_url",
		"tcp://127.0.0.1:1":       "error.diag.printer_unreachable",
		"serial:///dev/no-such-x": "error.diag.printer_unreachable",
	} {
		if _, err := Printer(ctx, url, "58", "native"); reasonKey(err) != key {
			t.Errorf("%q: %v (%s), want %s", url, err, reasonKey(err), key)
		}
	}
}

// Card waits for a tap until its context ends: cancelled, it says so at
// once; out of time, it says no card was tapped.
func TestCardWaitEndsWithItsContext(t *testing.T) {
	nfctest.EnsurePCSCD(t)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	if _, err := Card(ctx, nfctest.Reader0); reasonKey(err) != "error.diag.cancelled" {
		t.Fatalf("cancelled: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the cancel took %v", took)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := Card(ctx, nfctest.Reader0); reasonKey(err) != "error.diag.no_tap" {
		t.Fatalf("no tap: %v", err)
	}
	if _, err := Card(context.Background(), "No Such Reader"); reasonKey(err) != "error.diag.no_reader" {
		t.Fatalf("no such reader: %v", err)
	}

	nfctest.Insert(t, emvcard.New(emvcard.UnionPayDebit()))
	r, err := Card(context.Background(), "")
	if err != nil || r.Reader != nfctest.Reader0 || r.Scheme != "unionpay" || !strings.HasPrefix(r.Masked, "**** **** **** ") {
		t.Fatalf("a card on the first reader: %+v, %v", r, err)
	}
}

// Fingerprint counts the fingers on the module at a port; a port with
// nothing behind it, or a module that does not answer, is said.
func TestFingerprintCountsTheFingers(t *testing.T) {
	sim := fpsim.New(100)
	for page, finger := range map[int]string{3: "alice", 4: "bob"} {
		if err := sim.Preload(page, finger); err != nil {
			t.Fatal(err)
		}
	}
	path, stop, err := sim.StartPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	r, err := Fingerprint(ctx, path, 0)
	if err != nil || r.Templates != 2 || r.Params.Capacity != 100 {
		t.Fatalf("the module: %+v, %v", r, err)
	}
	if _, err := Fingerprint(ctx, "", 0); reasonKey(err) != "error.diag.no_port" {
		t.Fatalf("no port: %v", err)
	}
	if _, err := Fingerprint(ctx, "/dev/no-such-tty", 0); reasonKey(err) != "error.diag.port_gone" {
		t.Fatalf("no such port: %v", err)
	}
	sim.Silent(true)
	start := time.Now()
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	if _, err := Fingerprint(cctx, path, 0); reasonKey(err) != "error.diag.cancelled" {
		t.Fatalf("cancelled: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the cancel took %v", took)
	}
	if _, err := Fingerprint(ctx, path, 0); reasonKey(err) != "error.diag.finger_silent" {
		t.Fatalf("a module that does not answer: %v", err)
	}
}
