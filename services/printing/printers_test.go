package printing_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/printertest"
	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/services/printing"
)

// short timeouts, so that a stuck printer is given up on quickly.
var short = printer.Options{DialTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond, StatusTimeout: 100 * time.Millisecond}

func withShortTimeouts(c *printing.Config) { c.Timeouts = short }

func state(t *testing.T, pr *printing.Printing) receipt.PrinterState {
	t.Helper()
	st, _ := pr.State()
	return st
}

// A printer that swallows status requests without answering (a print
// server, a cheap network printer) gets its receipts, and its status is
// unknown rather than the receipt refused.
func TestAPrinterThatAnswersNoStatusStillPrints(t *testing.T) {
	f := printertest.Start(t)
	f.SetSilent(true)
	pr, _, rep := newPrintingWith(t, storetest.Open(t), withShortTimeouts)
	if err := pr.Configure(context.Background(), settings(f.URL()), models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if got := state(t, pr); got != receipt.PrinterNotAsked {
		t.Fatalf("state before any job: %v", got)
	}
	pr.Receipt(cashOrder(1), false)
	if err := rep.next(t); err != nil {
		t.Fatalf("a printer that answers no status: %v", err)
	}
	// The drawer kick comes last: wait for it, the printer may still be
	// reading what came before when the job is reported done.
	text := f.PrintedWhen(t, "the receipt and the drawer kick", func(text string) bool {
		return strings.Contains(text, "[BARCODE:T01-00000001]") && strings.Contains(text, "[DRAWER]")
	})
	if !strings.Contains(text, "测试店") {
		t.Fatalf("printed:\n%s", text)
	}
	if got, err := pr.State(); got != receipt.PrinterStatusUnknown || err != nil {
		t.Fatalf("state = %v, %v; want the status unknown", got, err)
	}
	// Settings' Check says the same.
	if got, err := pr.Check(context.Background()); got != receipt.PrinterStatusUnknown || err != nil {
		t.Fatalf("Check = %v, %v", got, err)
	}
	// It answers again: ready.
	f.SetSilent(false)
	if got, err := pr.Check(context.Background()); got != receipt.PrinterReady || err != nil {
		t.Fatalf("Check = %v, %v", got, err)
	}
	// A definite bad status still refuses the receipt.
	f.SetPaperOut(true)
	pr.Receipt(cashOrder(2), false)
	if err := rep.next(t); errKey(err) != "error.printer.paper_out" {
		t.Fatalf("paper out reported as %v", err)
	}
	if got, err := pr.State(); got != receipt.PrinterFailed || errKey(err) != "error.printer.paper_out" {
		t.Fatalf("state = %v, %v", got, err)
	}
}

// A serial printer that stops taking data fails the receipt being printed
// with a message at once, and the receipts after it too, instead of holding
// the queue; once it takes data again, the next receipt prints.
func TestAStuckPrinterDoesNotHoldTheQueue(t *testing.T) {
	f := printertest.StartSerial(t)
	f.SetStalled(true)
	pr, _, rep := newPrintingWith(t, storetest.Open(t), withShortTimeouts)
	ps := settings(f.URL())
	ps.QR = "raster" // larger receipts fill the port's buffer sooner
	if err := pr.Configure(context.Background(), ps, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	// The port's buffer takes a few receipts, then no more.
	n := 0
	for {
		n++
		if n > 500 {
			t.Fatal("the stalled printer took 500 receipts")
		}
		pr.Receipt(cashOrder(n), false)
		err := rep.next(t)
		if errKey(err) == "error.printer.timeout" {
			break
		}
		if err != nil {
			t.Fatalf("receipt %d: %v", n, err)
		}
	}
	t.Logf("the port took %d receipts", n-1)
	if got, err := pr.State(); got != receipt.PrinterFailed || !errors.Is(err, printer.ErrTimeout) {
		t.Fatalf("state = %v, %v", got, err)
	}
	// The receipts after it are not held up: each is reported.
	for i := range 3 {
		pr.Receipt(cashOrder(n+1+i), false)
		if err := rep.next(t); errKey(err) != "error.printer.timeout" {
			t.Fatalf("a receipt while the printer is stuck: %v", err)
		}
	}
	n += 3

	// The printer takes data again (what waited in the port is printed
	// too, and the receipt cut short is left out).
	f.SetStalled(false)
	giveUp := time.After(10 * time.Second)
	for {
		n++
		pr.Receipt(cashOrder(n), true)
		err := rep.next(t)
		if err == nil {
			break
		}
		if errKey(err) != "error.printer.timeout" {
			t.Fatalf("once the printer takes data: %v", err)
		}
		select {
		case <-giveUp:
			t.Fatalf("the printer never printed again: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	f.Printed(t, fmt.Sprintf("[BARCODE:T01-%08d]", n))
}

// openStore opens a store in a data folder of its own, and returns it with
// the folder.
func openStore(t *testing.T) (*models.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := models.Open(filepath.Join(dir, "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// A file printer may not write in the data folder, however it is named;
// a spool file elsewhere is fine.
func TestConfigureRefusesAPrinterFileInTheDataFolder(t *testing.T) {
	s, dir := openStore(t)
	pr, _, _ := newPrintingWith(t, s, func(c *printing.Config) { c.DataDir = dir })
	ctx := context.Background()
	elsewhere := t.TempDir()
	link := filepath.Join(elsewhere, "printer")
	if err := os.Symlink(filepath.Join(dir, "till.db"), link); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{
		"file://" + filepath.Join(dir, "till.db"),
		"file://" + filepath.Join(dir, "till.db-wal"),
		"file://" + dir + "/",
		"file://" + elsewhere + "/../" + filepath.Base(dir) + "/till.db",
		"file://" + link,
	} {
		if err := pr.Configure(ctx, settings(url), models.Operator{}); errKey(err) != "error.printer.in_data_folder" {
			t.Errorf("%s: %v", url, err)
		}
	}
	if got := pr.Settings(); got.URL != "" {
		t.Fatalf("a refused address was stored: %q", got.URL)
	}
	before, err := os.ReadFile(filepath.Join(dir, "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	spool := "file://" + filepath.Join(elsewhere, "receipts.bin")
	if err := pr.Configure(ctx, settings(spool), models.Operator{}); err != nil {
		t.Fatalf("a spool file outside the data folder: %v", err)
	}
	after, err := os.ReadFile(filepath.Join(dir, "till.db"))
	if err != nil || len(after) < len(before) {
		t.Fatalf("the database changed: %v", err)
	}
}

// An address stored before the rule (or by hand) is refused at the start:
// receipts are not written into the data folder, and each job says why.
func TestAPrinterFileInTheDataFolderIsRefusedAtTheStart(t *testing.T) {
	s, dir := openStore(t)
	db := filepath.Join(dir, "till.db")
	if err := s.SetSetting(context.Background(), "printer_url", "file://"+db); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	pr, _, rep := newPrintingWith(t, s, func(c *printing.Config) { c.DataDir = dir })
	if got, err := pr.State(); got != receipt.PrinterFailed || errKey(err) != "error.printer.in_data_folder" {
		t.Fatalf("state at the start = %v, %v", got, err)
	}
	pr.Receipt(cashOrder(1), false)
	if err := rep.next(t); errKey(err) != "error.printer.in_data_folder" {
		t.Fatalf("a receipt to the database: %v", err)
	}
	if after, err := os.Stat(db); err != nil || after.Size() != info.Size() || !after.ModTime().Equal(info.ModTime()) {
		t.Fatalf("the database was written to: %v", err)
	}
}
