package models

import (
	"reflect"
	"testing"
)

func TestSettlementRules(t *testing.T) {
	for _, op := range []Operator{manager, {Role: RoleOwner}} {
		if CanSettle(op) != nil {
			t.Errorf("a %s may not settle", op.Role)
		}
	}
	for _, op := range []Operator{cashier, {Role: RoleWaiter}, {}} {
		if errKey(CanSettle(op)) != "error.settle.manager" {
			t.Errorf("a %q may settle alone", op.Role)
		}
	}
	empty := CanSettleBatch(BatchContents{Batch: 2})
	if errKey(empty) != "error.settle.empty" || empty.(*Error).Args["Batch"] != 2 {
		t.Fatalf("an empty batch: %v", empty)
	}
	if CanSettleBatch(BatchContents{Batch: 2, Payments: 1}) != nil || CanSettleBatch(BatchContents{Batch: 2, Requests: 1}) != nil {
		t.Fatal("a batch with a payment or an approved request is refused")
	}
}

func TestTotalsByScheme(t *testing.T) {
	pays := []Payment{
		{Key: "T01-1-P1", Tender: TenderCard, Scheme: "visa"},
		{Key: "T01-2-P1", Tender: TenderCard, Scheme: "unionpay"},
		{Key: "T01-3-P1", Tender: TenderQR, Scheme: "wechat"},
		{Key: "T01-4-P1", Tender: TenderQR},
		{Key: "T01-5-P1", Tender: TenderCard, Scheme: "unionpay"},
		{Key: "T01-6-P1", Tender: TenderCard, Scheme: "mastercard"},
	}
	reqs := []HostRequest{
		{Key: "T01-1-P1", ProcCode: "000000", Amount: 1000},
		{Key: "T01-2-P1", ProcCode: "000000", Amount: 700},
		{Key: "T01-3-P1", ProcCode: "000000", Amount: 350},
		{Key: "T01-4-P1", ProcCode: "000000", Amount: 200},
		{Key: "T01-5-P1", ProcCode: "000000", Amount: 500},
		{Key: "T01-2-R1", Original: "T01-2-P1", ProcCode: "200000", Amount: 300},
		{Key: "T01-6-P1", ProcCode: "000000", Amount: 900},
		{Key: "T01-6-V1", Original: "T01-6-P1", ProcCode: "020000", Amount: 900}, // voided: nothing to settle
		{Key: "T01-9-P1", ProcCode: "000000", Amount: 100},                       // its payment is not known
	}
	want := []SchemeTotals{
		{Tender: TenderCard, Scheme: "unionpay", BatchTotals: BatchTotals{DebitCount: 2, DebitAmount: 1200, CreditCount: 1, CreditAmount: 300}},
		{Tender: TenderCard, Scheme: "visa", BatchTotals: BatchTotals{DebitCount: 1, DebitAmount: 1000}},
		{Tender: TenderQR, BatchTotals: BatchTotals{DebitCount: 1, DebitAmount: 200}},
		{Tender: TenderQR, Scheme: "wechat", BatchTotals: BatchTotals{DebitCount: 1, DebitAmount: 350}},
		{BatchTotals: BatchTotals{DebitCount: 1, DebitAmount: 100}},
	}
	if got := TotalsByScheme(reqs, pays); !reflect.DeepEqual(got, want) {
		t.Fatalf("by scheme:\n got %+v\nwant %+v", got, want)
	}
	// The schemes add up to the batch's totals.
	var sum BatchTotals
	for _, g := range want {
		sum.DebitCount += g.DebitCount
		sum.DebitAmount += g.DebitAmount
		sum.CreditCount += g.CreditCount
		sum.CreditAmount += g.CreditAmount
	}
	if sum != TotalsOf(reqs) {
		t.Fatalf("schemes sum to %+v, the batch to %+v", sum, TotalsOf(reqs))
	}
}

func TestOpenBatchCountsItsPaymentsAndCloses(t *testing.T) {
	s := newTestStore(t)
	b, err := s.OpenBatch(bg, "T01")
	if err != nil || b != (BatchContents{Batch: 1}) || CanSettleBatch(b) == nil {
		t.Fatalf("a new terminal's batch: %+v %v", b, err)
	}
	sellCola(t, s, "T01", 1)
	sellCola(t, s, "T02", 1) // another terminal's
	o := colaOrder(t, s, 2)
	p, r := startCard(t, s, o)
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000070", AuthCode: "700000"}); err != nil {
		t.Fatal(err)
	}
	declined := colaOrder(t, s, 1)
	_, dr := startCard(t, s, declined)
	if err := s.RecordAnswer(bg, dr.ID, HostAnswer{Code: "51", RRN: "000000000071"}); err != nil {
		t.Fatal(err)
	}
	b, err = s.OpenBatch(bg, "T01")
	if err != nil || b != (BatchContents{Batch: 1, Payments: 2, Requests: 1, Totals: BatchTotals{DebitCount: 1, DebitAmount: o.Total}}) {
		t.Fatalf("open batch: %+v %v", b, err)
	}
	s.db.Model(&Payment{}).Where("id = ?", p.ID).Update("scheme", "unionpay")
	schemes, err := s.BatchSchemeTotals(bg, "T01", 1)
	if err != nil || len(schemes) != 1 || schemes[0].Scheme != "unionpay" || schemes[0].DebitAmount != o.Total {
		t.Fatalf("by scheme: %+v %v", schemes, err)
	}

	if next, err := s.CloseBatch(bg, "T01", 1, b.Totals); err != nil || next != 2 {
		t.Fatalf("close: %d %v", next, err)
	}
	entries, err := s.AuditEntries(bg, ActionBatchClose)
	if err != nil || len(entries) != 1 || entries[0].Subject != "batch 1" || entries[0].TerminalID != "T01" {
		t.Fatalf("batch close audited: %+v %v", entries, err)
	}
	if b, err = s.OpenBatch(bg, "T01"); err != nil || CanSettleBatch(b) == nil || b.Batch != 2 {
		t.Fatalf("after the close: %+v %v", b, err)
	}
	if schemes, err := s.BatchSchemeTotals(bg, "T01", 2); err != nil || len(schemes) != 0 {
		t.Fatalf("an empty batch by scheme: %+v %v", schemes, err)
	}
}
