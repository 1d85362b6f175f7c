package app

import (
	"bytes"
	"context"
	"errors"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/devices/nfc/vpcd"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/emv/emvcard"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/demo"
)

// onVirtualReader gives the test pcscd's virtual reader 00 to itself and
// makes it Till's reader.
func onVirtualReader(t *testing.T, till *Till) {
	t.Helper()
	nfctest.EnsurePCSCD(t)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		t.Fatal(err)
	}
	// Till lets go of the readers before the next test (or package) has them.
	cards := till.cards // the till forgets it once closed
	t.Cleanup(func() { cards.Close(); unlock() })
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	if err := till.cards.ChooseReader(context.Background(), nfctest.Reader0, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
}

// insert puts a card profile on the virtual reader until the test ends.
func insert(t *testing.T, p emvcard.Profile) *vpcd.Inserted {
	t.Helper()
	return nfctest.Insert(t, emvcard.New(p))
}

func TestCardTappedOnARealReaderPaysAndNoFullPANIsKept(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	insert(t, emvcard.VisaCredit())

	w := till.Window()
	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Card", "Tap again")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after a tap on the reader: screen %s, message %q", till.Shell().Current(), till.Shell().Card.Message())
	}
	orders := todaysOrders(t, till)
	p := orders[0].Payments[0]
	if orders[0].Status != models.OrderPaid || p.MaskedPAN != "**** **** **** 1111" || p.Scheme != "visa" || p.Status != models.PaymentApproved {
		t.Fatalf("paid by the tapped card: %s %+v", orders[0].Status, p)
	}

	// Neither the database (with its WAL) nor the log holds the card
	// number or its track 2, in text or in the digits of BCD bytes.
	dbDir := filepath.Dir(till.ui.Shop.DBPath)
	till.Close()
	files, _ := filepath.Glob(filepath.Join(dbDir, "*"))
	for _, pattern := range [][]byte{[]byte("4111111111111111"), {0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11}} {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, pattern) {
				t.Errorf("%s holds the card number (%x)", filepath.Base(f), pattern)
			}
		}
		if bytes.Contains(logs.Bytes(), pattern) {
			t.Errorf("the log holds the card number: %s", logs.String())
		}
	}
	if len(files) < 1 { // the database, its WAL folded in at close; the key is elsewhere
		t.Fatalf("looked at %d files", len(files))
	}
}

func TestCardTakenAwayMidReadSaysTapAgain(t *testing.T) {
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	in := insert(t, emvcard.UnionPayDebit())
	in.RemoveAfter(3) // gone during the record reads
	w := till.Window()
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Card", "Tap again")
	msg := till.Shell().Card.Message()
	if !strings.Contains(msg, "tap again") {
		t.Fatalf("card taken away: %q", msg)
	}
	if orders := todaysOrders(t, till); len(orders) != 0 {
		t.Fatalf("a card taken away mid-read stored %d orders", len(orders))
	}
}

func TestReaderServiceGoneMidWaitThenBack(t *testing.T) {
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	p, _ := till.Store().ProductByBarcode(context.Background(), colaCode)
	o.AddProduct(*p, models.Units(1))

	// Waiting for a tap when the reader service stops (as when the only
	// reader is pulled out): the wait ends with a message, not a hang.
	waiting := make(chan struct{})
	result := make(chan error, 1)
	go func() {
		_, err := till.cards.Pay(context.Background(), o.Clone(), func(s payments.CardStep) {
			if s == payments.StepWaiting {
				close(waiting)
			}
		})
		result <- err
	}()
	<-waiting
	nfctest.StopPCSCD(t)
	err := <-result
	var me *models.Error
	if !errors.As(err, &me) || (me.Key != "error.reader.gone" && me.Key != "error.reader.service") {
		t.Fatalf("service gone mid-wait: %v", err)
	}
	// Without the service: a clear message.
	if _, err := till.cards.Readers(context.Background()); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("readers without the service: %v", err)
	}
	// Back again: the readers are found without restarting Till.
	nfctest.EnsurePCSCD(t)
	names, err := till.cards.Readers(context.Background())
	if err != nil || !slices.Contains(names, nfctest.Reader0) {
		t.Fatalf("after the service came back: %v %v", names, err)
	}
}

func TestCancellingTheWaitForATap(t *testing.T) {
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	p, _ := till.Store().ProductByBarcode(context.Background(), colaCode)
	o.AddProduct(*p, models.Units(1))
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() {
		_, err := till.cards.Pay(ctx, o, func(s payments.CardStep) {
			if s == payments.StepWaiting {
				cancel()
			}
		})
		result <- err
	}()
	var me *models.Error
	if err := <-result; !errors.As(err, &me) || me.Key != "error.reader.cancelled" {
		t.Fatalf("cancelled wait: %v", err)
	}
	if o.ID != 0 {
		t.Fatal("a cancelled tap stored the order")
	}
}

func TestSettingsRemembersTheChosenReader(t *testing.T) {
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	tapKeys(t, till, "Settings", nfctest.Reader1)
	// The demo cashier may not choose the reader: the manager approves.
	if got, _ := till.Store().Setting(context.Background(), cardpay.SettingReader, ""); got == nfctest.Reader1 {
		t.Fatal("the cashier chose the reader without an approval")
	}
	typeDigits(t, till, demo.ManagerCode, "OK")
	if got, _ := till.Store().Setting(context.Background(), cardpay.SettingReader, ""); got != nfctest.Reader1 {
		t.Fatalf("reader chosen: %q", got)
	}
	if got, _ := till.cards.Reader(context.Background()); got != nfctest.Reader1 {
		t.Fatalf("reader used: %q", got)
	}
}
