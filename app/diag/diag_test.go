package diag

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/fingerprint/fpsim"
	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/devices/printer/printertest"
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
