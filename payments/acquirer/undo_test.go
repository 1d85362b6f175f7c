package acquirer_test

import (
	"context"
	"testing"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

func approvedSale(t *testing.T, a *acquirer.Authorizer, j *models.Store, key string, amount int64) models.HostRequest {
	t.Helper()
	if r, err := a.Sale(context.Background(), key, amount, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); err != nil || !r.Approved() {
		t.Fatalf("sale %s: %+v, %v", key, r, err)
	}
	req, err := j.RequestByKey(context.Background(), "T01", key)
	if err != nil {
		t.Fatal(err)
	}
	return *req
}

func TestVoidInTheOpenBatch(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	keep := approvedSale(t, a, j, "T01-v1", 1000)
	gone := approvedSale(t, a, j, "T01-v2", 2000)
	if r, err := a.Void(ctx, "T01-v2-void", gone); err != nil || !r.Approved() {
		t.Fatalf("void: %+v, %v", r, err)
	}
	if n, sum := h.Charged(); n != 1 || sum != keep.Amount {
		t.Fatalf("host after the void: %d, %d", n, sum)
	}
	// The query sees it undone; the kept one approved.
	if r, _ := a.Query(ctx, gone.Key); r.Code != "25" {
		t.Fatalf("query of the voided sale: %+v", r)
	}
	if r, _ := a.Query(ctx, keep.Key); r.Code != "00" || r.RRN != keep.RRN {
		t.Fatalf("query of the kept sale: %+v", r)
	}
	// A second void of the same sale finds nothing to void.
	if r, err := a.Void(ctx, "T01-v2-void2", gone); err != nil || r.Code != "25" {
		t.Fatalf("second void: %+v, %v", r, err)
	}
	// Settlement agrees: one debit.
	res, err := a.Settle(ctx)
	if err != nil || res.Totals != (models.BatchTotals{DebitCount: 1, DebitAmount: 1000}) || res.Uploaded != 0 {
		t.Fatalf("settlement: %+v, %v", res, err)
	}
	// After settlement, a void is refused: it takes a refund.
	if r, err := a.Void(ctx, "T01-v1-void", keep); err != nil || r.Code != "12" {
		t.Fatalf("void after settlement: %+v, %v", r, err)
	}
}

func TestPartialRefunds(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	sale := approvedSale(t, a, j, "T01-r1", 5000)
	if _, err := a.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if r, err := a.Refund(ctx, "T01-r1-a", sale, 2000); err != nil || !r.Approved() {
		t.Fatalf("first refund: %+v, %v", r, err)
	}
	if r, err := a.Refund(ctx, "T01-r1-b", sale, 3001); err != nil || r.Code != "13" {
		t.Fatalf("refund beyond what is left: %+v, %v", r, err)
	}
	if r, err := a.Refund(ctx, "T01-r1-c", sale, 3000); err != nil || !r.Approved() {
		t.Fatalf("refund of the rest: %+v, %v", r, err)
	}
	// The refunds settle as credits.
	res, err := a.Settle(ctx)
	if err != nil || res.Totals != (models.BatchTotals{CreditCount: 2, CreditAmount: 5000}) {
		t.Fatalf("settlement of refunds: %+v, %v", res, err)
	}
	// A refund of an unknown payment.
	if r, err := a.Refund(ctx, "T01-r9", models.HostRequest{Key: "nope", RRN: "999999999999", Amount: 100, Currency: models.CNY}, 100); err != nil || r.Code != "25" {
		t.Fatalf("refund of an unknown payment: %+v, %v", r, err)
	}
	if _, err := j.RequestByKey(ctx, "T01", "never"); models.ErrorCode(err) != models.ENOTFOUND {
		t.Fatalf("unknown key: %v", err)
	}
}
