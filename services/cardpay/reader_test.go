package cardpay

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/devices/nfc/vpcd"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// readOnVirtualReader reads profile p through pcscd as a payment would.
func readOnVirtualReader(t testing.TB, c *Cards, p emvcard.Profile) (*emv.Card, error) {
	in, err := vpcd.Insert(context.Background(), nfctest.Addr0, emvcard.New(p))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		in.Remove()
		nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	}()
	tr, done, err := c.tap(context.Background(), func(payments.CardStep) {})
	if err != nil {
		return nil, err
	}
	defer done()
	cfg := emv.DefaultConfig()
	card, err := emv.Read(context.Background(), tr, cfg, emv.Transaction{Amount: 1234, Currency: "156", Date: time.Now()})
	if err != nil {
		return nil, ReaderError(err)
	}
	return card, nil
}

func TestEveryCardProfileOverTheVirtualReader(t *testing.T) {
	c := onVirtualReader(t)
	for _, tc := range []struct {
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
		t.Run(tc.profile.Name, func(t *testing.T) {
			card, err := readOnVirtualReader(t, c, tc.profile)
			var me *models.Error
			errors.As(err, &me)
			switch {
			case tc.key != "" && (me == nil || me.Key != tc.key):
				t.Fatalf("want %s, got %v", tc.key, err)
			case tc.key == "" && err != nil:
				t.Fatalf("read: %v", err)
			case tc.key == "" && (card.Scheme != tc.scheme || card.ICCDataHex() == "" || !strings.HasPrefix(card.Masked(), "**** **** **** ")):
				t.Fatalf("card: scheme %s masked %s icc %q", card.Scheme, card.Masked(), card.ICCDataHex())
			}
			if card != nil {
				t.Logf("%s: %d APDUs", tc.profile.Name, card.APDUs)
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
	c, err := New(context.Background(), s, nil, make([]byte, 32))
	if err != nil {
		b.Fatal(err)
	}
	if err := c.ChooseReader(context.Background(), nfctest.Reader0, models.Operator{}); err != nil {
		b.Fatal(err)
	}
	in, err := vpcd.Insert(context.Background(), nfctest.Addr0, emvcard.New(emvcard.VisaCredit()))
	if err != nil {
		b.Fatal(err)
	}
	tr, release, err := c.tap(context.Background(), func(payments.CardStep) {})
	if err != nil {
		b.Fatal(err)
	}
	return tr, func() { release(); in.Remove(); c.Close(); s.Close(); unlock() }
}

// onVirtualReader gives the test pcscd's virtual reader 00 to a card
// service of a new store, and makes it the service's reader.
func onVirtualReader(t *testing.T) *Cards {
	t.Helper()
	nfctest.EnsurePCSCD(t)
	unlock, err := nfctest.LockReaders()
	if err != nil {
		t.Fatal(err)
	}
	s, err := models.Open(filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(context.Background(), s, nil, make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	// The readers are let go before the next test (or package) has them.
	t.Cleanup(func() { c.Close(); s.Close(); unlock() })
	nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	if err := c.ChooseReader(context.Background(), nfctest.Reader0, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestACardTappedWhileTheReadWaitsIsRead(t *testing.T) {
	c := onVirtualReader(t)
	// Five times, the card arrives while the read is already waiting for
	// it, when its first exchanges may break off as it settles on the
	// reader (the read then starts again: nfc.ReadAgain).
	for i := range 5 {
		inserted := make(chan *vpcd.Inserted, 1)
		go func() {
			time.Sleep(300 * time.Millisecond) // the read waits by then
			in, err := vpcd.Insert(context.Background(), nfctest.Addr0, emvcard.New(emvcard.UnionPayDebit()))
			if err != nil {
				t.Error(err)
			}
			inserted <- in
		}()
		card, done, err := readCard(context.Background(), c.tap, func(payments.CardStep) {}, emv.DefaultConfig(),
			emv.Transaction{Amount: 1234, Currency: "156", Date: time.Now()})
		if err != nil || card.Scheme != "unionpay" {
			t.Errorf("tap %d: %v", i+1, err)
		} else {
			card.Wipe()
			done()
		}
		if in := <-inserted; in != nil {
			in.Remove()
		}
		nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
	}
}
