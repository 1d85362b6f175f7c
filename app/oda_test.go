package app

import (
	"strings"
	"testing"

	"github.com/till-pos/till/models"
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
