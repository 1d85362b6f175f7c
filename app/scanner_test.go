package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/creack/pty"

	"github.com/till-pos/till/devices/scanner"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/ports"
)

// serialScanner plugs a scanner played on a pseudo-terminal into till; the
// codes it reads come back on the returned channel, for the test to hand to
// the UI on its own goroutine.
func serialScanner(t *testing.T, till *Till) (write func(string), codes <-chan string) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	ch := make(chan string, 8)
	if err := till.openScanner(scanner.Config{Port: slave.Name()}, func(code string) { ch <- code }); err != nil {
		t.Fatal(err)
	}
	return func(s string) {
		if _, err := master.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}, ch
}

func nextCode(t *testing.T, codes <-chan string) string {
	t.Helper()
	select {
	case c := <-codes:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("the serial scanner delivered nothing")
	}
	return ""
}

func TestSerialScannerSellsAndPaysByPaymentCode(t *testing.T) {
	till := startDemoWithHost(t)
	write, codes := serialScanner(t, till)
	write(colaCode + "\r\n")
	till.scanned(nextCode(t, codes))
	if o := till.Shell().Sell.Order(); len(o.Lines) != 1 || o.Lines[0].SKU == "" {
		t.Fatalf("after a serial scan: %+v", o.Lines)
	}
	tapKeys(t, till, "Pay ¥3.50", "QR code")
	write("134567890123456780\r")
	till.scanned(nextCode(t, codes))
	if till.Shell().Current() != "receipt" {
		t.Fatalf("a payment code scanned on the QR screen: %s %q", till.Shell().Current(), till.Shell().QR.Message())
	}
	if p := todaysOrders(t, till)[0].Payments[0]; p.Tender != models.TenderQR || p.Scheme != "wechat" {
		t.Fatalf("paid by %+v", p)
	}
}

func TestSerialPortsChosenInSettingsAreUsedAtStart(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer slave.Close()
	db := filepath.Join(t.TempDir(), "till.db")
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", Demo: true, inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ports.New(till.store).Ports(); err != nil {
		t.Fatalf("listing serial ports: %v", err)
	}
	if err := ports.New(till.store).SetPort(context.Background(), "scanner", slave.Name(), shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	if got := ports.New(till.store).Port("scanner"); got != slave.Name() || till.scanner != nil {
		t.Fatalf("port %q, scanner open already: %v", got, till.scanner != nil)
	}
	till.Shell().ShowSettings() // lists the ports without failing
	till.Close()
	till, err = Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", Demo: true, inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	defer till.Close()
	if till.scanner == nil {
		t.Fatal("the scanner port chosen in Settings was not opened at start")
	}
}
