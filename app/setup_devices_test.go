package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/devices/fingerprint/fpsim"
	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/devices/printer/printertest"
	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/emv/emvcard"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/ports"
	"github.com/till-pos/till/services/setup"
)

// startSetup starts Till in English on a fresh shop's database whose shop
// and owner are made, its setup not ended.
func startSetup(t *testing.T) *Till {
	t.Helper()
	till, err := Start(test.NewTempApp(t), Options{DBPath: filepath.Join(t.TempDir(), "till.db"), Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	su := setup.New(till.store, till.deviceKey)
	ctx := context.Background()
	if err := su.SaveShop(ctx, models.ShopDetails{Name: "Corner Shop"}, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if err := su.SaveOwner(ctx, "王芳", ownerCode, ownerCode); err != nil {
		t.Fatal(err)
	}
	return till
}

// toDevices goes on from the setup step shown to the Devices step, the
// acquirer and QR account left for later.
func toDevices(t *testing.T, till *Till) {
	t.Helper()
	su := till.SetupScreen()
	for su.Step() < 5 {
		if su.Step() >= 3 {
			tapKeys(t, till, "Later")
		} else {
			tapKeys(t, till, "Next")
		}
	}
	if su.Step() != 5 || !uitest.Shown(till.Window(), "Plug in the receipt printer") {
		t.Fatalf("not on the Devices step: step %d, %q", su.Step(), uitest.Texts(till.Window()))
	}
}

// mustSay waits (the UI's work may run in the background) until the
// window shows text.
func mustSay(t *testing.T, till *Till, text string) {
	t.Helper()
	if !uitest.Shown(till.Window(), text) {
		t.Fatalf("%q not shown:\n%s", text, strings.Join(uitest.Texts(till.Window()), "\n"))
	}
}

func setting(t *testing.T, till *Till, key string) string {
	t.Helper()
	v, err := till.store.Setting(context.Background(), key, "")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSetupTestsThePrinter: the Devices step prints a test page on the
// printer typed, on 80 mm paper, and says it is ready; a printer that
// says nothing of itself, and one out of paper, are said as such. Nothing
// is stored until Next, which stores the printer and its paper.
func TestSetupTestsThePrinter(t *testing.T) {
	f := printertest.Start(t)
	till := startSetup(t)
	toDevices(t, till)
	setupEntries(t, till, f.URL())
	tapKeys(t, till, "80 mm", "Print a test page")
	mustSay(t, till, "Test page printed: the printer is ready")
	page := f.Printed(t, "[QR:https://example.com/till/diag]")
	for _, want := range []string{"收银台 中文测试", "123456789012345678901234567890123456789012345678", "[BARCODE:T01-00000001]", "[CUT]"} {
		if !strings.Contains(page, want) {
			t.Errorf("the test page lacks %q:\n%s", want, page)
		}
	}
	if url := setting(t, till, "printer_url"); url != "" {
		t.Fatalf("a test stored the printer %q", url)
	}

	f.SetSilent(true)
	tapKeys(t, till, "Print a test page")
	mustSay(t, till, "Test page sent: this printer does not say how it is, so check that the page came out")
	f.SetSilent(false)
	f.SetPaperOut(true)
	tapKeys(t, till, "Print a test page")
	mustSay(t, till, "The printer is out of paper: load a roll, then test again")
	f.SetPaperOut(false)

	tapKeys(t, till, "Next")
	if su := till.SetupScreen(); su.Step() != 6 {
		t.Fatalf("after the devices: step %d, %q", su.Step(), su.Message())
	}
	if url, paper := setting(t, till, "printer_url"), setting(t, till, "printer_paper"); url != f.URL() || paper != "80" {
		t.Fatalf("stored printer %q, paper %q", url, paper)
	}
	mustSay(t, till, "Receipts print on "+f.URL()+", 80 mm paper")
}

// TestSetupRefusesABadPrinterAddress: an address the printer driver does
// not understand, or a file in the data folder, is refused by its Test and
// by Next, which stores nothing.
func TestSetupRefusesABadPrinterAddress(t *testing.T) {
	till := startSetup(t)
	toDevices(t, till)
	su := till.SetupScreen()
	setupEntries(t, till, "lpt://x")
	tapKeys(t, till, "Print a test page")
	mustSay(t, till, "That is not a printer address")
	tapKeys(t, till, "Next")
	if su.Step() != 5 || !strings.Contains(su.Message(), "printer address in Settings is not valid") {
		t.Fatalf("a bad printer address: step %d, %q", su.Step(), su.Message())
	}

	data := filepath.Join(filepath.Dir(till.path), "receipts.bin")
	setupEntries(t, till, "file://"+data)
	tapKeys(t, till, "Print a test page")
	mustSay(t, till, "The printer address points into Till's data folder")
	if _, err := os.Stat(data); err == nil {
		t.Fatal("the test page was written into the data folder")
	}
	tapKeys(t, till, "Next")
	if su.Step() != 5 || !strings.Contains(su.Message(), "points into Till's data folder") {
		t.Fatalf("a printer file in the data folder: step %d, %q", su.Step(), su.Message())
	}
	for _, key := range []string{"printer_url", "printer_paper", cardpay.SettingReader, ports.SettingFingerprint} {
		if v := setting(t, till, key); v != "" {
			t.Errorf("a refused step stored %s = %q", key, v)
		}
	}
}

// TestSetupTestsTheFingerprintReader: the fingerprint reader's port chosen
// on the Devices step answers its Test with the fingers enrolled on it; a
// port with nothing behind it is said. Once the setup ends, the till opens
// the reader on that port, and Settings' Test asks the module it runs.
func TestSetupTestsTheFingerprintReader(t *testing.T) {
	sim := fpsim.New(100)
	if err := sim.Preload(7, "alice"); err != nil {
		t.Fatal(err)
	}
	path, stop, err := sim.StartPTY()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	till := startSetup(t)
	toDevices(t, till)
	su := till.SetupScreen()

	tapKeys(t, till, "Test the fingerprint reader") // none chosen
	mustSay(t, till, "Choose the fingerprint reader's port first")
	// The simulated module's pseudo-terminal is not among the machine's
	// serial ports: it is shown once stored.
	if err := till.setupDevs.SetFingerprintPort(context.Background(), "/dev/no-such-tty"); err != nil {
		t.Fatal(err)
	}
	tapKeys(t, till, "Back", "Later", "/dev/no-such-tty", "Test the fingerprint reader")
	mustSay(t, till, "There is no port /dev/no-such-tty")
	if err := till.setupDevs.SetFingerprintPort(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	tapKeys(t, till, "Back", "Later", path, "Test the fingerprint reader")
	mustSay(t, till, "The fingerprint reader answers: 1 finger enrolled, room for 100")

	tapKeys(t, till, "Next")
	if su.Step() != 6 || setting(t, till, ports.SettingFingerprint) != path {
		t.Fatalf("after the devices: step %d %q, port %q", su.Step(), su.Message(), setting(t, till, ports.SettingFingerprint))
	}
	mustSay(t, till, "The fingerprint reader is on "+path)
	tapKeys(t, till, "Start selling")
	if till.fingers == nil || till.fingers.Port() != path {
		t.Fatal("the till did not open the fingerprint reader chosen")
	}
	typeDigits(t, till, ownerCode, "Sign in")
	tapKeys(t, till, "Settings", "Test the fingerprint reader")
	mustSay(t, till, "The fingerprint reader answers: 1 finger enrolled, room for 100")
}

// onVirtualReaders gives the test pcscd's virtual readers to itself, empty.
func onVirtualReaders(t *testing.T) {
	t.Helper()
	nfctest.EnsurePCSCD(t)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unlock)
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
}

// TestSetupTestsTheCardReader: the Devices step lists the readers
// connected, reads a card tapped on the one chosen as a payment would
// (its scheme and last four digits shown, never its number), and Next
// stores the reader.
func TestSetupTestsTheCardReader(t *testing.T) {
	onVirtualReaders(t)
	till := startSetup(t) // closed before the readers are let go
	nfctest.Insert(t, emvcard.New(emvcard.MastercardDebit()))
	toDevices(t, till)
	tapKeys(t, till, nfctest.Reader1, nfctest.Reader0, "Test the card reader")
	mustSay(t, till, "Read a Mastercard card, **** **** **** 4444: the card reader works")
	for _, text := range uitest.Texts(till.Window()) {
		if strings.Contains(text, "5555555555554444") {
			t.Fatalf("the card's number is shown: %q", text)
		}
	}
	tapKeys(t, till, "Next")
	if r := setting(t, till, cardpay.SettingReader); r != nfctest.Reader0 {
		t.Fatalf("stored reader %q", r)
	}
	mustSay(t, till, "Cards are read on "+nfctest.Reader0)
}

// TestCancelStopsTheWaitForACard runs the setup's work in the background,
// as the running app does: the card reader's Test waits for a tap, and
// Cancel ends the wait at once, said as cancelled.
func TestCancelStopsTheWaitForACard(t *testing.T) {
	onVirtualReaders(t)
	till := startSetup(t)
	uiq := make(chan func(), 16)
	stopped := make(chan struct{})
	t.Cleanup(func() { close(stopped) })
	handOver := func(f func()) {
		select {
		case uiq <- f:
		case <-stopped:
		}
	}
	ui := till.setupUI
	ui.Async = func(work, done func()) {
		go func() {
			work()
			handOver(done)
		}()
	}
	ui.Do = handOver
	runUI := func(what string, until func() bool) {
		t.Helper()
		for deadline := time.After(10 * time.Second); !until(); {
			select {
			case f := <-uiq:
				f()
			case <-deadline:
				t.Fatalf("no %s after 10 s: %q", what, uitest.Texts(till.Window()))
			}
		}
	}
	toDevices(t, till)
	runUI("readers", func() bool { return uitest.FindButton(till.Window(), nfctest.Reader0, false) != nil })
	tapKeys(t, till, "Test the card reader")
	mustSay(t, till, "Tap a card on the reader…")
	if b := uitest.FindButton(till.Window(), "Test the card reader", false); b == nil || !b.Disabled() {
		t.Fatal("the Test button can be tapped again while its test runs")
	}
	time.Sleep(300 * time.Millisecond) // waiting for the card
	start := time.Now()
	tapKeys(t, till, "Cancel")
	runUI("cancel", func() bool { return uitest.Shown(till.Window(), "Test cancelled") })
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Cancel took %v", took)
	}
	if uitest.FindButton(till.Window(), "Cancel", false) != nil {
		t.Fatal("Cancel still shown after the test ended")
	}
	if b := uitest.FindButton(till.Window(), "Test the card reader", false); b == nil || b.Disabled() {
		t.Fatal("the Test button is not back")
	}
}

// TestSettingsTestsTheCardReader: Settings' Devices section tests the card
// reader in use, as the setup does.
func TestSettingsTestsTheCardReader(t *testing.T) {
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	insert(t, emvcard.VisaCredit())
	tapKeys(t, till, "Settings", "Test the card reader")
	mustSay(t, till, "Read a Visa card, **** **** **** 1111: the card reader works")
}
