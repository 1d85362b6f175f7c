package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/emv/emvcard"
	"github.com/till-pos/till/screens"
)

// TestOfflineApprovalNeedsACardThatAuthenticates: with the bank out of
// reach, a demo card whose fDDA passes against the demo's CA public keys
// is approved offline within the floor limit, while one whose signed
// dynamic data is forged is refused with its own message; each payment
// keeps its ODA outcome and TVR, and the transaction query tells why.
func TestOfflineApprovalNeedsACardThatAuthenticates(t *testing.T) {
	till := startDemoWithHost(t)
	host := till.host.Simulator()
	host.RefuseConnections(true) // the bank cannot be reached
	host.CloseConnections()
	w := till.Window()

	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Card", "Tap demo card: UnionPay")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("a card that authenticates, offline: screen %s, message %q", till.Shell().Current(), till.Shell().Card.Message())
	}
	good := todaysOrders(t, till)[0].Payments[0]
	if good.Status != models.PaymentOfflineApproved || good.ODA != "passed" || len(good.TVR) != 10 || good.TVR[:2] != "00" {
		t.Fatalf("offline approval: %+v", good)
	}

	tapKeys(t, till, "New sale")
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Card", "Tap demo card: Forged signature")
	card := till.Shell().Card
	if !strings.Contains(card.Message(), "could not be checked offline") || till.Shell().Current() == "receipt" {
		t.Fatalf("a forged card, offline: screen %s, message %q", till.Shell().Current(), card.Message())
	}
	var forged models.Payment
	for _, o := range todaysOrders(t, till) {
		for _, p := range o.Payments {
			if p.ODA != "passed" {
				forged = p
			}
		}
	}
	if forged.Status == models.PaymentOfflineApproved || forged.Status == models.PaymentApproved || forged.ODA != "oda.reason.signature" || forged.TVR[:2] != "08" {
		t.Fatalf("the forged card's payment: %+v", forged)
	}
	if text := screens.CardCheckText(forged); !strings.Contains(text, "The card's signature does not verify") {
		t.Fatalf("the transaction query: %q", text)
	}
}

// TestEveryCardThatFailsODAIsRefusedOffline: with the bank out of reach,
// cards tapped on the real (virtual) reader whose fDDA fails for each
// reason, or that offer none, are refused, none approved offline; each
// payment keeps its own reason and TVR, and the transaction query names it.
func TestEveryCardThatFailsODAIsRefusedOffline(t *testing.T) {
	till := startDemoWithHost(t)
	onVirtualReader(t, till)
	host := till.host.Simulator()
	host.RefuseConnections(true)
	host.CloseConnections()
	for _, c := range []struct {
		name    string
		profile emvcard.Profile
		reason  string
		text    string
	}{
		{"broken signature", emvcard.BrokenSignature(), "oda.reason.signature", "The card's signature does not verify"},
		{"expired issuer certificate", emvcard.ExpiredIssuerCert(), "oda.reason.cert_expired", "A certificate has expired"},
		{"revoked CA key", emvcard.RevokedCAKey(), "oda.reason.ca_revoked", "revoked"},
		{"unknown CA index", emvcard.UnknownCAIndex(), "oda.reason.unknown_ca", "The card's CA key is not in the table"},
		{"no ODA", emvcard.NoODA(), "oda.reason.not_offered", "offers no offline data authentication"},
	} {
		t.Run(c.name, func(t *testing.T) {
			card := insert(t, c.profile)
			defer func() {
				card.Remove()
				nfctest.WaitEmpty(t, nfctest.Reader0, 10*time.Second)
			}()
			o := models.NewOrder(models.CNY, models.TaxInclusive)
			p, err := till.Store().ProductByBarcode(context.Background(), colaCode)
			if err != nil {
				t.Fatal(err)
			}
			o.AddProduct(*p, models.Units(1))
			res, err := till.cards.Pay(context.Background(), o, func(payments.CardStep) {})
			if res.Approved || !errors.Is(err, acquirer.ErrNotAuthenticatedOffline) {
				t.Fatalf("offline, a card whose ODA fails: %+v %v", res, err)
			}
			pay := o.Payments[len(o.Payments)-1]
			if pay.Status == models.PaymentOfflineApproved || pay.Status == models.PaymentApproved ||
				pay.ODA != c.reason || len(pay.TVR) != 10 || pay.TVR[:2] == "00" {
				t.Fatalf("payment kept: %+v", pay)
			}
			if text := screens.CardCheckText(pay); !strings.Contains(text, c.text) {
				t.Fatalf("the transaction query: %q", text)
			}
		})
	}
}
