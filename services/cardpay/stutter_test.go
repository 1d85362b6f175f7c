package cardpay

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/till-pos/till/devices/nfc"
	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/devices/nfc/vpcd"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// approver is an acquirer that approves every payment it is asked for,
// and remembers what it was asked.
type approver struct {
	mu    sync.Mutex
	asked []models.Payment
	cards []acquirer.CardData
}

func (a *approver) PayOnline(_ context.Context, _ *models.Order, pay models.Payment, card acquirer.CardData) (acquirer.Response, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, pay)
	a.cards = append(a.cards, card)
	return acquirer.Response{Code: acquirer.Approved, AuthCode: "A1B2C3"}, nil
}

func (a *approver) payments() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.asked)
}

// payingOnVirtualReader gives a card service on virtual reader 00 whose
// payments the returned acquirer approves.
func payingOnVirtualReader(t *testing.T) (*Cards, *approver) {
	t.Helper()
	c := onVirtualReader(t)
	a := &approver{}
	c.sales = a
	return c, a
}

// tapCard puts card on virtual reader 00 until the test ends; at the end
// it leaves, and the test waits until pcscd's status thread has seen it go
// (a failed read may have marked the reader empty before that thread did).
func tapCard(t *testing.T, card vpcd.Card) *vpcd.Inserted {
	t.Helper()
	in, err := vpcd.Insert(context.Background(), nfctest.Addr0, card)
	if err != nil {
		t.Fatal(err)
	}
	events := nfctest.WaitPresent(t, nfctest.Reader0, 10*time.Second)
	t.Cleanup(func() {
		in.Remove()
		nfctest.WaitRemoval(t, nfctest.Reader0, events, 10*time.Second)
	})
	return in
}

// payCounting pays an order of 12.34 with the card on the reader, and
// counts the reads started (each one tells the cashier it is reading). A
// read started again after the card left would wait for a tap for ever:
// the cashier gives up after a while instead, and the payment ends
// cancelled.
func payCounting(c *Cards) (res payments.CardResult, reads int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o := &models.Order{Total: 1234}
	res, err = c.Pay(ctx, o, func(s payments.CardStep) {
		if s == payments.StepReading {
			reads++
		}
	})
	return res, reads, err
}

// A card whose first exchange breaks off while it stays on the reader is
// read again, whole, and the payment goes through on the second read.
func TestACardThatStuttersOnceIsReadWholeOnTheRetry(t *testing.T) {
	c, bank := payingOnVirtualReader(t)
	in := tapCard(t, emvcard.New(emvcard.UnionPayDebit()))
	in.StutterAfter(0, 1)

	res, reads, err := payCounting(c)
	if err != nil {
		t.Fatalf("pay with a card that stuttered once: %v (%d reads, %d stutters)", err, reads, in.Stutters())
	}
	if reads != 2 || in.Stutters() != 1 {
		t.Errorf("%d reads, %d stutters; want 2 reads after 1 stutter", reads, in.Stutters())
	}
	if !res.Approved || res.Scheme != "unionpay" || !strings.HasPrefix(res.MaskedPAN, "**** **** **** ") {
		t.Errorf("payment: %+v", res)
	}
	if bank.payments() != 1 {
		t.Fatalf("the acquirer was asked %d times, want once", bank.payments())
	}
	// The second read got the whole card: track 2 and the chip data went
	// to the acquirer.
	if cd := bank.cards[0]; cd.EntryMode != acquirer.EntryContactless || len(cd.Track2) == 0 || cd.ICC == "" {
		t.Errorf("card data to the acquirer: entry %v, track 2 of %d, ICC %q", cd.EntryMode, len(cd.Track2), cd.ICC)
	}
}

// A card that stutters on every read is read 1 + nfc.ReadRetries times,
// then the cashier is told to have it tapped again; nothing is asked of
// the acquirer.
func TestACardThatKeepsStutteringIsToldToTapAgain(t *testing.T) {
	c, bank := payingOnVirtualReader(t)
	in := tapCard(t, emvcard.New(emvcard.VisaCredit()))
	// More stutters than the reads will ever reach.
	in.StutterAfter(0, nfc.ReadRetries+2)

	_, reads, err := payCounting(c)
	var me *models.Error
	if !errors.As(err, &me) || me.Key != emv.KeyRead {
		t.Fatalf("pay with a card that keeps stuttering: %v, want %s", err, emv.KeyRead)
	}
	if !nfc.Stuttered(err) {
		t.Errorf("the error does not say the exchange stuttered: %v", err)
	}
	if reads != 1+nfc.ReadRetries || in.Stutters() != 1+nfc.ReadRetries {
		t.Errorf("%d reads, %d stutters; want %d of each", reads, in.Stutters(), 1+nfc.ReadRetries)
	}
	if in.APDUs() != 0 {
		t.Errorf("the card answered %d APDUs, want none", in.APDUs())
	}
	if bank.payments() != 0 {
		t.Errorf("the acquirer was asked %d times, want never", bank.payments())
	}
}

// A card taken away in the middle of the read is not read again: the
// cashier is told it left too soon.
func TestACardRemovedMidReadIsNotReadAgain(t *testing.T) {
	c, bank := payingOnVirtualReader(t)
	in := tapCard(t, emvcard.New(emvcard.UnionPayDebit()))
	in.RemoveAfter(2) // SELECT PPSE and SELECT AID, then gone

	_, reads, err := payCounting(c)
	var me *models.Error
	if !errors.As(err, &me) || me.Key != "error.reader.card_removed" {
		t.Fatalf("pay with a card taken away: %v, want error.reader.card_removed", err)
	}
	if !errors.Is(err, nfc.ErrCardRemoved) || nfc.Stuttered(err) {
		t.Errorf("the error does not say the card left: %v", err)
	}
	if reads != 1 || in.APDUs() != 2 {
		t.Errorf("%d reads, %d APDUs answered; want 1 read of 2", reads, in.APDUs())
	}
	if bank.payments() != 0 {
		t.Errorf("the acquirer was asked %d times, want never", bank.payments())
	}
}
