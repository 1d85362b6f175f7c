package acquirer_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

func TestSignOnGivesWorkingKeysUnderTheMasterKey(t *testing.T) {
	h := startHost(t)
	l := dial(t, h.Addr(), acquirer.LinkOptions{})
	ctx := context.Background()
	if l.Keys() != nil {
		t.Fatal("working keys before any sign-on")
	}
	// The first signed request signs on by itself, once.
	for i := 1; i <= 3; i++ {
		if r, err := l.Authorize(ctx, saleOf(1000, i, "")); err != nil || !r.Approved() {
			t.Fatalf("sale %d: %+v, %v", i, r, err)
		}
	}
	k := l.Keys()
	if k == nil || k.ValidUntil.Before(time.Now().Add(23*time.Hour)) || h.SignOns() != 1 {
		t.Fatalf("keys %+v after %d sign-ons", k, h.SignOns())
	}
	// A new sign-on rolls the keys.
	if err := l.SignOn(ctx); err != nil || l.Keys() == k || h.SignOns() != 2 {
		t.Fatalf("second sign-on: %v, %d sign-ons", err, h.SignOns())
	}
}

func TestWorkingKeysWithAWrongCheckValueAreRefused(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	h.SendBadKeyCheck(true)
	a := authorizer(t, h, j)
	ctx := context.Background()
	if err := a.Link.SignOn(ctx); !errors.Is(err, acquirer.ErrWorkingKeyKCV) || a.Link.Keys() != nil {
		t.Fatalf("sign-on with a bad check value: %v, keys %v", err, a.Link.Keys())
	}
	// A payment then goes nowhere: above the (zero) floor limit it is
	// refused, nothing reaches the host, and no reversal is owed.
	_, err := a.Sale(ctx, "kcv-1", 1000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC, OfflineAuthenticated: true})
	var e *models.Error
	if !errors.As(err, &e) || e.Key != "error.acquirer.sign_on" {
		t.Fatalf("sale without working keys: %v", err)
	}
	if n := len(h.Ledger()); n != 0 || len(states(t, j)) != 0 {
		t.Fatalf("host ledger %d entries, %d reversals owed", n, len(states(t, j)))
	}
	// The host mends its keys: the next payment signs on and is approved.
	h.SendBadKeyCheck(false)
	if r, err := a.Sale(ctx, "kcv-2", 1000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC, OfflineAuthenticated: true}); err != nil || !r.Approved() {
		t.Fatalf("sale after a good sign-on: %+v, %v", r, err)
	}
}

func TestRequestUnderAStaleKeyIsRefusedAndRecoveredByANewSignOn(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	approvedSale(t, a, j, "roll-1", 1000)
	// The host rolls its keys: the terminal's next request, MACed under
	// the old key, is refused; the terminal signs on and sends it again.
	h.RollKeys()
	sale := approvedSale(t, a, j, "roll-2", 2000)
	if h.SignOns() != 2 {
		t.Fatalf("%d sign-ons", h.SignOns())
	}
	if why := strings.Join(h.Refusals(), "\n"); !strings.Contains(why, "MACed under a stale key") {
		t.Fatalf("the host's log: %q", why)
	}
	// Charged once, under the journal's one STAN.
	if n, sum := h.Charged(); n != 2 || sum != 3000 || sale.State != models.RequestAnswered {
		t.Fatalf("host charged %d, %d; the sale is %s", n, sum, sale.State)
	}
	// A card sale sent again after a new sign-on carries its track 2 under
	// the new data key, which the host opens.
	h.RollKeys()
	if r, err := a.Sale(context.Background(), "roll-card", 700, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC, OfflineAuthenticated: true}); err != nil || !r.Approved() {
		t.Fatalf("card sale after rolled keys: %+v, %v", r, err)
	}
	for _, e := range h.Ledger() {
		if e.Key == "roll-card" && e.PANLast4 != "6789" {
			t.Fatalf("the host read card %q", e.PANLast4)
		}
	}
	// Keys past their expiry on the terminal's clock are renewed before use.
	a.Link = dial(t, h.Addr(), acquirer.LinkOptions{Now: func() time.Time { return time.Now().Add(48 * time.Hour) }})
	approvedSale(t, a, j, "roll-3", 500)
	approvedSale(t, a, j, "roll-4", 600)
	if n := h.SignOns(); n != 5 {
		t.Fatalf("%d sign-ons, want one for each request under expired keys", n)
	}
}

func TestRequestBeforeSignOnIsRefused(t *testing.T) {
	h := startHost(t)
	c, err := net.Dial("tcp", h.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m, _ := saleOf(1000, 1, "early").Build(term)
	b, err := acquirer.PackSigned(m, mustKey("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	if err := acquirer.WriteFrame(c, b); err != nil {
		t.Fatal(err)
	}
	ans, err := acquirer.ReadFrame(c)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := acquirer.Unpack(ans, nil)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := resp.GetString(39); code != acquirer.CodeSignOnNeeded || len(h.Ledger()) != 0 {
		t.Fatalf("answer %q, ledger %+v", code, h.Ledger())
	}
	if why := strings.Join(h.Refusals(), "\n"); !strings.Contains(why, "before it signed on") {
		t.Fatalf("the host's log: %q", why)
	}
}

func TestStrictHostRefusesWhatItCannotCharge(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	// An advice without the card's data.
	r, err := a.Link.Authorize(ctx, acquirer.Request{MTI: acquirer.MTIAdviceRequest, ProcCode: acquirer.ProcPurchase,
		Amount: 800, Currency: "156", STAN: 40, Time: time.Now(), EntryMode: acquirer.EntryContactless, Reference: "bare"})
	if err != nil || r.Code != "30" {
		t.Fatalf("an advice without card data: %+v, %v", r, err)
	}
	// With them, it is charged; sent again, it is not applied twice.
	advice := acquirer.Request{MTI: acquirer.MTIAdviceRequest, ProcCode: acquirer.ProcPurchase, Amount: 800,
		Currency: "156", STAN: 41, Time: time.Now(), EntryMode: acquirer.EntryContactless, Reference: "full",
		Track2: cardTrack2, ICC: cardICC}
	if r, err := a.Link.Authorize(ctx, advice); err != nil || r.Code != acquirer.Approved {
		t.Fatalf("an advice with card data: %+v, %v", r, err)
	}
	if r, err := a.Link.Authorize(ctx, advice); err != nil || r.Code != "94" {
		t.Fatalf("the advice again: %+v, %v", r, err)
	}
	if n, sum := h.Charged(); n != 1 || sum != 800 {
		t.Fatalf("host charged %d, %d", n, sum)
	}
	// A reversal applied already is not applied again.
	sale := approvedSale(t, a, j, "rev-1", 1200)
	rev := acquirer.Request{MTI: acquirer.MTIReversalRequest, ProcCode: acquirer.ProcPurchase, Amount: 1200,
		Currency: "156", STAN: 50, Time: time.Now(), Original: acquirer.OriginalData(sale), Reference: "rev-1"}
	if r, err := a.Link.Authorize(ctx, rev); err != nil || r.Code != acquirer.Approved {
		t.Fatalf("reversal: %+v, %v", r, err)
	}
	rev.STAN = 51
	if r, err := a.Link.Authorize(ctx, rev); err != nil || r.Code != "94" {
		t.Fatalf("the reversal again: %+v, %v", r, err)
	}
	reversals := 0
	for _, e := range h.Ledger() {
		if e.MTI == acquirer.MTIReversalRequest {
			reversals++
		}
	}
	if reversals != 1 {
		t.Fatalf("%d reversals in the host's ledger", reversals)
	}
	// A void naming the original by data that do not match.
	keep := approvedSale(t, a, j, "void-1", 900)
	wrong := keep
	wrong.STAN++
	if r, err := a.Void(ctx, "void-1-v", wrong); err != nil || r.Code != "25" {
		t.Fatalf("void with another STAN: %+v, %v", r, err)
	}
	log := strings.Join(h.Refusals(), "\n")
	for _, want := range []string{"advice bare cannot be charged", "advice full applied already", "reversal of rev-1 applied already", "was STAN"} {
		if !strings.Contains(log, want) {
			t.Errorf("the host's log lacks %q:\n%s", want, log)
		}
	}
	if r, err := a.Void(ctx, "void-1-v2", keep); err != nil || !r.Approved() {
		t.Fatalf("void with the original's data: %+v, %v", r, err)
	}
}

func TestAnswersThatDoNotMatchAreReversed(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := &acquirer.Authorizer{Link: dial(t, h.Addr(), acquirer.LinkOptions{SendTimeout: time.Hour}),
		Journal: j, Terminal: term, TerminalID: "T01", Currency: models.CNY}
	ctx := context.Background()
	// An answer under another STAN ends the payment at once (the send
	// timeout is an hour), as does one for another amount.
	h.SkewSTAN(1)
	_, err := a.Sale(ctx, "skew-1", 1000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	var e *models.Error
	if !errors.As(err, &e) || e.Key != "error.acquirer.mismatch" {
		t.Fatalf("an answer under another STAN: %v", err)
	}
	h.SkewAmount(1)
	if _, err := a.Sale(ctx, "skew-2", 2000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); !errors.As(err, &e) || e.Key != "error.acquirer.wrong_amount" {
		t.Fatalf("an answer for another amount: %v", err)
	}
	// Both were approved at the host, and both are reversed: nothing is
	// charged, nothing is owed.
	if err := a.SettleReversals(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := h.Charged(); n != 0 || len(states(t, j)) != 0 {
		t.Fatalf("host charges %d; %d reversals owed", n, len(states(t, j)))
	}
}

func TestBackgroundWorkGivesWayToAPayment(t *testing.T) {
	h := startHost(t)
	l := dial(t, h.Addr(), acquirer.LinkOptions{})
	ctx := context.Background()
	paid := make(chan error)
	release := make(chan struct{})
	err := l.Hold(ctx, false, func() error {
		go func() {
			paid <- l.Hold(ctx, true, func() error { <-release; return nil })
		}()
		for !l.PaymentWaiting() { // the payment queues behind this round
			time.Sleep(time.Millisecond)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// While the payment holds the link, background work yields at once.
	for !l.PaymentWaiting() {
		time.Sleep(time.Millisecond)
	}
	if err := l.Hold(ctx, false, func() error { t.Error("background work ran during a payment"); return nil }); !errors.Is(err, acquirer.ErrYield) {
		t.Fatalf("background hold during a payment: %v", err)
	}
	close(release)
	if err := <-paid; err != nil {
		t.Fatal(err)
	}
	if l.PaymentWaiting() {
		t.Fatal("a payment still waits")
	}
	if err := l.Hold(ctx, false, func() error { return nil }); err != nil {
		t.Fatalf("background work after the payment: %v", err)
	}
}

// BenchmarkSignOn is one sign-on: the 0800 out, the keys back, unwrapped
// and checked.
func BenchmarkSignOn(b *testing.B) {
	h := startHost(b)
	l := dial(b, h.Addr(), acquirer.LinkOptions{})
	for b.Loop() {
		if err := l.SignOn(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzSignOnAnswer feeds the working-key fields of a sign-on answer, the
// host's bytes, to the terminal: keys come back only when both check values
// match, and nothing panics.
func FuzzSignOnAnswer(f *testing.F) {
	good, _ := acquirer.WrapWorkingKeys(tmk, []byte("MAC key 16 bytes"), []byte("data key 16 byte"))
	f.Add(good, "20261231235959")
	f.Add(good[:40], "2026")
	f.Add(strings.Repeat("Z", 76), "20261231235959")
	f.Fuzz(func(t *testing.T, f62, f48 string) {
		m := acquirer.NewMessage()
		m.MTI(acquirer.MTINetworkResponse)
		if m.Field(62, f62) != nil || m.Field(48, f48) != nil {
			return
		}
		k, err := acquirer.UnwrapWorkingKeys(tmk, m)
		if (err == nil) != (k != nil) {
			t.Fatalf("keys %v with error %v", k, err)
		}
		if err == nil && (k.MAC == nil || k.Data == nil) {
			t.Fatal("incomplete keys")
		}
	})
}

// FuzzKeyComponent feeds what a custodian types: a component is accepted
// only with its own check value.
func FuzzKeyComponent(f *testing.F) {
	f.Add("0123456789ABCDEF0123456789ABCDEF", "ABCDEF")
	f.Add("01 23", "")
	f.Fuzz(func(t *testing.T, key, check string) {
		k, err := acquirer.ParseKeyComponent(key, check)
		if err != nil {
			return
		}
		kcv, _ := acquirer.KeyCheckValue(k)
		if len(k) != acquirer.MasterKeySize || !strings.EqualFold(kcv, strings.Join(strings.Fields(check), "")) {
			t.Fatalf("accepted %q with check %q", key, check)
		}
	})
}
