package acquirer_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

func TestOfflineApprovalsAreAdvisedWhenTheHostReturns(t *testing.T) {
	ctx := context.Background()
	ledger := filepath.Join(t.TempDir(), "ledger.jsonl")
	h, err := simhost.Start(simhost.Options{MasterKey: tmk, LedgerPath: ledger})
	if err != nil {
		t.Fatal(err)
	}
	j := newJournal(t)
	a := authorizer(t, h, j)
	a.Offline = payments.OfflinePolicy{FloorLimit: 30000, MaxCount: 2, MaxTotal: 50000}
	approvedSale(t, a, j, "on-1", 1000)

	// The host goes down and the terminal cannot redial.
	h.Close()
	a.Link = nil
	want := []struct {
		key    string
		amount int64
		code   string // "" for ErrOnlineNeeded
	}{
		{"off-1", 20000, acquirer.OfflineApproved},
		{"off-2", 30001, ""}, // above the floor limit
		{"off-3", 25000, acquirer.OfflineApproved},
		{"off-4", 100, ""}, // a third held approval is one too many
	}
	for _, w := range want {
		r, err := a.Sale(ctx, w.key, w.amount, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC, OfflineAuthenticated: true})
		if w.code == "" {
			var e *models.Error
			if !errors.As(err, &e) || e.Key != "error.acquirer.online_needed" {
				t.Errorf("%s: %+v, %v; want online authorization needed", w.key, r, err)
			}
			continue
		}
		if err != nil || r.Code != w.code || !r.Approved() {
			t.Errorf("%s: %+v, %v", w.key, r, err)
		}
	}

	// The host comes back: the advices go out once, and both sides settle alike.
	h2, err := simhost.Start(simhost.Options{MasterKey: tmk, LedgerPath: ledger})
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Close()
	a.Link = dial(t, h2.Addr(), acquirer.LinkOptions{SendTimeout: time.Second})
	if n, err := a.ForwardAdvices(ctx); err != nil || n != 2 {
		t.Fatalf("advices: %d, %v", n, err)
	}
	if n, err := a.ForwardAdvices(ctx); err != nil || n != 0 {
		t.Fatalf("advices again: %d, %v", n, err)
	}
	if n, sum := h2.Charged(); n != 3 || sum != 46000 {
		t.Fatalf("host charged %d, %d", n, sum)
	}
	// The host charged the card itself: it read the card number from the
	// track 2 the advice carried under the data key.
	for _, e := range h2.Ledger() {
		if e.MTI == acquirer.MTIAdviceRequest && e.PANLast4 != "6789" {
			t.Errorf("advice %s charged card ending %q", e.Key, e.PANLast4)
		}
	}
	// Advised, the card data sealed for the advice is erased.
	for _, key := range []string{"off-1", "off-3"} {
		r, err := j.RequestByKey(ctx, "T01", key)
		if err != nil || r.State != models.RequestAdvised || r.SealedCard != nil {
			t.Errorf("%s after its advice: %+v, %v", key, r, err)
		}
	}
	if n, sum, err := j.ApprovedTotals(ctx, "T01"); err != nil || n != 3 || sum != 46000 {
		t.Fatalf("terminal approved %d, %d, %v", n, sum, err)
	}
	res, err := a.Settle(ctx)
	if err != nil || res.Uploaded != 0 || res.Totals.DebitAmount != 46000 {
		t.Fatalf("settlement: %+v, %v", res, err)
	}
}

func TestClosedConnectionIsUnreachable(t *testing.T) {
	h := startHost(t)
	l := dial(t, h.Addr(), acquirer.LinkOptions{SendTimeout: time.Second})
	h.Close()
	// The link notices the closed connection on its own; until then a
	// request may still be written and time out, which is safe too.
	var err error
	for i := 0; i < 50; i++ {
		if err = l.Echo(context.Background(), i+1); errors.Is(err, acquirer.ErrUnreachable) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("after the host closed: %v", err)
}

// TestOnlyAnAuthenticatedCardIsApprovedOffline: with the host down, a card
// whose offline data authentication did not pass is refused even within
// the floor limit, with its own message, and nothing is held for an
// advice; the same sale of an authenticated card is approved offline.
func TestOnlyAnAuthenticatedCardIsApprovedOffline(t *testing.T) {
	ctx := context.Background()
	h, err := simhost.Start(simhost.Options{MasterKey: tmk})
	if err != nil {
		t.Fatal(err)
	}
	j := newJournal(t)
	a := authorizer(t, h, j)
	a.Offline = payments.OfflinePolicy{FloorLimit: 30000, MaxCount: 5, MaxTotal: 100000}
	h.Close()
	a.Link = nil

	card := acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC}
	r, err := a.Sale(ctx, "oda-failed", 1000, card)
	if !errors.Is(err, acquirer.ErrNotAuthenticatedOffline) || r.Approved() {
		t.Fatalf("a card not authenticated offline: %+v, %v", r, err)
	}
	if held, err := j.HeldOffline(ctx, "T01"); err != nil || len(held) != 0 {
		t.Fatalf("held for an advice: %d %v", len(held), err)
	}
	// Above the floor limit the reason is the floor, whatever the card.
	if _, err := a.Sale(ctx, "oda-big", 40000, card); !errors.Is(err, acquirer.ErrOnlineNeeded) || errors.Is(err, acquirer.ErrNotAuthenticatedOffline) {
		t.Fatalf("above the floor limit: %v", err)
	}
	card.OfflineAuthenticated = true
	if r, err := a.Sale(ctx, "oda-passed", 1000, card); err != nil || r.Code != acquirer.OfflineApproved {
		t.Fatalf("an authenticated card: %+v, %v", r, err)
	}
	if held, err := j.HeldOffline(ctx, "T01"); err != nil || len(held) != 1 || held[0].Key != "oda-passed" {
		t.Fatalf("held: %+v %v", held, err)
	}
}
