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
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
	"github.com/till-pos/till/screens"
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
	t.Cleanup(func() { till.cards.close(); unlock() })
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	if err := till.cards.ChooseReader(context.Background(), nfctest.Reader0); err != nil {
		t.Fatal(err)
	}
}

// insert puts a card profile on the virtual reader until the test ends.
func insert(t *testing.T, p emvcard.Profile) *vpcd.Inserted {
	t.Helper()
	in, err := vpcd.Insert(context.Background(), nfctest.Addr0, emvcard.New(p))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Remove()
		nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	})
	nfctest.WaitPresent(t, nfctest.Reader0, 10*time.Second)
	return in
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
	if orders[0].Status != models.OrderPaid || p.MaskedPAN != "411111******1111" || p.Scheme != "visa" || p.Status != models.PaymentApproved {
		t.Fatalf("paid by the tapped card: %s %+v", orders[0].Status, p)
	}

	// Neither the database (with its WAL) nor the log holds the card
	// number or its track 2, in text or in the digits of BCD bytes.
	dbDir := filepath.Dir(till.env.Shop.DBPath)
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
	if len(files) < 2 {
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

func TestDiagNFCReadsATappedCard(t *testing.T) {
	nfctest.EnsurePCSCD(t)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	insert(t, emvcard.MastercardDebit())
	var out bytes.Buffer
	if code := Diag([]string{"nfc", "-reader", nfctest.Reader0, "-timeout", "20s"}, &out); code != 0 {
		t.Fatalf("diag nfc exited %d:\n%s", code, out.String())
	}
	for _, want := range []string{nfctest.Reader1, "scheme:  mastercard", "card:    555555******4444", "apdus:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("diag output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "5555555555554444") {
		t.Errorf("diag printed the full card number:\n%s", out.String())
	}
	t.Logf("\n%s", out.String())
}

// readOnVirtualReader reads profile p through pcscd as a payment would.
func readOnVirtualReader(t testing.TB, c *cards, p emvcard.Profile) (*emv.Card, error) {
	in, err := vpcd.Insert(context.Background(), nfctest.Addr0, emvcard.New(p))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		in.Remove()
		nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	}()
	tr, done, err := c.tap(context.Background(), "", func(screens.CardStep) {})
	if err != nil {
		return nil, err
	}
	defer done()
	cfg := emv.DefaultConfig()
	card, err := emv.Read(context.Background(), tr, cfg, emv.Transaction{Amount: 1234, Currency: "156", Date: time.Now()})
	if err != nil {
		return nil, readerError(err)
	}
	return card, nil
}

func TestEveryCardProfileOverTheVirtualReader(t *testing.T) {
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	for _, c := range []struct {
		profile emvcard.Profile
		scheme  string // a good read
		key     string // or the error for the cashier
	}{
		{emvcard.UnionPayDebit(), "unionpay", ""},
		{emvcard.VisaCredit(), "visa", ""},
		{emvcard.MastercardDebit(), "mastercard", ""},
		{emvcard.NoPPSE(), "visa", ""},
		{emvcard.UnknownAIDOnly(), "", "error.card.not_accepted"},
		{emvcard.BadTLV(), "", "error.card.read"},
		{emvcard.Expired(), "", "error.card.expired"},
		{emvcard.RemovedMidRead(), "", "error.reader.card_removed"},
	} {
		t.Run(c.profile.Name, func(t *testing.T) {
			card, err := readOnVirtualReader(t, till.cards, c.profile)
			var me *models.Error
			errors.As(err, &me)
			switch {
			case c.key != "" && (me == nil || me.Key != c.key):
				t.Fatalf("want %s, got %v", c.key, err)
			case c.key == "" && err != nil:
				t.Fatalf("read: %v", err)
			case c.key == "" && (card.Scheme != c.scheme || card.ICCDataHex() == "" || !strings.Contains(card.Masked(), "******")):
				t.Fatalf("card: scheme %s masked %s icc %q", card.Scheme, card.Masked(), card.ICCDataHex())
			}
			if card != nil {
				t.Logf("%s: %d APDUs", c.profile.Name, card.APDUs)
				card.Wipe()
			}
		})
	}
}

// BenchmarkCardReadVirtualReader reads a one-record card (Visa: SELECT PPSE,
// SELECT AID, GPO, READ RECORD) through pcscd and the virtual reader, from
// the card present to the card data (the card stays on the reader and is
// read again each time); BenchmarkAPDUVirtualReader is one APDU over the
// same path, its baseline.
func BenchmarkCardReadVirtualReader(b *testing.B) {
	tr, done := benchCard(b)
	defer done()
	apdus := 0
	for b.Loop() {
		card, err := emv.Read(context.Background(), tr, emv.DefaultConfig(), emv.Transaction{Amount: 1234, Currency: "156", Date: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		apdus = card.APDUs
		card.Wipe()
	}
	b.ReportMetric(float64(apdus), "apdus/read")
}

func BenchmarkAPDUVirtualReader(b *testing.B) {
	tr, done := benchCard(b)
	defer done()
	ppse := []byte{0x00, 0xA4, 0x04, 0x00, 0x0E, '2', 'P', 'A', 'Y', '.', 'S', 'Y', 'S', '.', 'D', 'D', 'F', '0', '1', 0x00}
	for b.Loop() {
		if _, err := tr.Transmit(context.Background(), ppse); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCard gives a benchmark a Visa card tapped on virtual reader 00
// through the card service: the transport a payment reads it with.
func benchCard(b *testing.B) (emv.Transport, func()) {
	nfctest.EnsurePCSCD(b)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		b.Fatal(err)
	}
	nfctest.WaitEmpty(b, nfctest.Reader0, 10*time.Second)
	s, err := models.Open(filepath.Join(b.TempDir(), "till.db"))
	if err != nil {
		b.Fatal(err)
	}
	c, err := newCards(context.Background(), s, &sales{store: s, terminalID: "T01"}, make([]byte, 32), false)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.ChooseReader(context.Background(), nfctest.Reader0); err != nil {
		b.Fatal(err)
	}
	in, err := vpcd.Insert(context.Background(), nfctest.Addr0, emvcard.New(emvcard.VisaCredit()))
	if err != nil {
		b.Fatal(err)
	}
	tr, release, err := c.tap(context.Background(), "", func(screens.CardStep) {})
	if err != nil {
		b.Fatal(err)
	}
	return tr, func() { release(); in.Remove(); c.close(); s.Close(); unlock() }
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
		_, err := till.cards.Pay(context.Background(), o.Clone(), "", func(s screens.CardStep) {
			if s == screens.StepWaiting {
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
		_, err := till.cards.Pay(ctx, o, "", func(s screens.CardStep) {
			if s == screens.StepWaiting {
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
	if got, _ := till.Store().Setting(context.Background(), settingReader, ""); got != nfctest.Reader1 {
		t.Fatalf("reader chosen: %q", got)
	}
	if got, _ := till.cards.Reader(context.Background()); got != nfctest.Reader1 {
		t.Fatalf("reader used: %q", got)
	}
}
