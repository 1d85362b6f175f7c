package acquirer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

func TestSettlementBalanced(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	// An empty batch settles too.
	if res, err := a.Settle(ctx); err != nil || res.Batch != 1 || res.Totals.DebitCount != 0 {
		t.Fatalf("empty batch: %+v, %v", res, err)
	}
	for i, amt := range []int64{1000, 2500, 1251, 300} { // 1251 is declined (51)
		a.Sale(ctx, "T01-s"+string(rune('a'+i)), amt, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	}
	res, err := a.Settle(ctx)
	if err != nil || res.Batch != 2 || res.Uploaded != 0 ||
		res.Totals != (models.BatchTotals{DebitCount: 3, DebitAmount: 3800}) {
		t.Fatalf("settlement: %+v, %v", res, err)
	}
	if res.Code != acquirer.Approved || !res.Balanced() || res.Terminal != term || res.At.IsZero() {
		t.Fatalf("the host's answer: code %q balanced %v terminal %+v at %v", res.Code, res.Balanced(), res.Terminal, res.At)
	}
	if n := h.Settlements(); n != 2 {
		t.Fatalf("the host saw %d settlements", n)
	}
	if n, _ := j.BatchNumber(ctx, "T01"); n != 3 {
		t.Fatalf("open batch after two settlements = %d", n)
	}
}

func TestSettlementMismatchUploadsTheBatch(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	a.Sale(ctx, "T01-m1", 1000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	a.Sale(ctx, "T01-m2", 700, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	// The host lost track of one sale's batch: the totals differ, and the
	// batch upload, naming the sale by its original data, files it again.
	h.Misfile("T01-m2", 99)
	res, err := a.Settle(ctx)
	if err != nil || res.Uploaded != 2 || res.Totals.DebitAmount != 1700 || res.Code != acquirer.Approved || res.Balanced() {
		t.Fatalf("settlement after upload: %+v, %v", res, err)
	}
	if n := h.Settlements(); n != 2 {
		t.Fatalf("the host saw %d settlement requests, want the first and the one after the upload", n)
	}
	if n, sum := h.Charged(); n != 2 || sum != 1700 {
		t.Fatalf("host after upload: %d, %d", n, sum)
	}
}

func TestBatchUploadOfAnApprovalTheHostNeverMadeIsRefused(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	a.Sale(ctx, "T01-u1", 1000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	// An approval the host has no record of: an upload cannot make the
	// host charge it, and the batch stays open.
	lost := &models.HostRequest{TerminalID: "T01", Key: "T01-u2", MTI: acquirer.MTISaleRequest,
		ProcCode: acquirer.ProcPurchase, Amount: 700, Currency: models.CNY}
	if err := j.RecordRequest(ctx, lost); err != nil {
		t.Fatal(err)
	}
	if err := j.RecordAnswer(ctx, lost.ID, models.HostAnswer{Code: "00", RRN: "000000009999", AuthCode: "123456"}); err != nil {
		t.Fatal(err)
	}
	var e *models.Error
	if _, err := a.Settle(ctx); !errors.As(err, &e) || e.Key != "acquirer.rc.25" {
		t.Fatalf("settlement with an upload the host cannot find: %v", err)
	}
	if n, _ := j.BatchNumber(ctx, "T01"); n != 1 {
		t.Fatalf("the batch was closed: now %d", n)
	}
	if n, sum := h.Charged(); n != 1 || sum != 1000 {
		t.Fatalf("host charged %d, %d", n, sum)
	}
	if why := strings.Join(h.Refusals(), "\n"); !strings.Contains(why, "batch upload of T01-u2") {
		t.Fatalf("the host's log: %s", why)
	}
}

func TestSettlementThatCannotBalanceKeepsTheBatchOpen(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	a.Sale(ctx, "T01-x1", 1000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	// The host holds an approval in this batch that the terminal has no
	// record of: a batch upload cannot mend that.
	other := dial(t, h.Addr(), acquirer.LinkOptions{})
	if _, err := other.Authorize(context.Background(), acquirer.Request{MTI: acquirer.MTISaleRequest, ProcCode: acquirer.ProcPurchase,
		Amount: 400, Currency: "156", STAN: 900, Batch: 1, Reference: "elsewhere"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Settle(ctx); !errors.Is(err, acquirer.ErrSettlementMismatch) {
		t.Fatalf("unbalanced settlement: %v", err)
	}
	if n, _ := j.BatchNumber(ctx, "T01"); n != 1 {
		t.Fatalf("the batch was closed: now %d", n)
	}
}
