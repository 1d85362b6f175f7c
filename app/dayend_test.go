package app

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
)

// printedText waits until the printer file's decoded lines hold want (or
// 10 s) and returns them.
func printedText(t *testing.T, path, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(path)
		ops, err := escposdecode.Decode(data)
		if err != nil {
			t.Fatalf("the printer's bytes do not decode: %v", err)
		}
		text := strings.Join(escposdecode.Lines(ops), "\n")
		if strings.Contains(text, want) || time.Now().After(deadline) {
			return text
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mustShow fails unless the window or its top dialog shows s.
func mustShow(t *testing.T, till *Till, s string) {
	t.Helper()
	if !uitest.Shown(till.Window(), s) {
		t.Fatalf("%q is not shown; shown:\n%s", s, strings.Join(uitest.Texts(till.Window()), "\n"))
	}
}

func TestDayEndSettlementConfirmedApprovedAndPrinted(t *testing.T) {
	till := startDemoWithHost(t)
	ctx := context.Background()
	w := till.Window()
	host := till.host.Simulator()
	path := filePrinter(t, till)

	// A cash sale, a UnionPay card (¥7.00) and a WeChat payment code (¥3.50).
	sellColasForCash(t, w, 1)
	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Card", "Tap demo card: UnionPay", "New sale")
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "QR code")
	typeCode(till, "134567890123456780")
	tapKeys(t, till, "New sale")

	// The batch's counts and totals are shown before anything goes to the host.
	tapKeys(t, till, "Day end", "Settle the batch")
	mustShow(t, till, "Settle batch 1?")
	mustShow(t, till, "Cards and QR · sales: 2, ¥10.50 · refunds: 0, ¥0.00")
	mustShow(t, till, "Payments in the batch, all tenders: 3")
	if host.Settlements() != 0 {
		t.Fatal("the host was asked before the confirmation")
	}
	// The cashier signed in may not settle: their own code is refused, a
	// manager's accepted.
	tapKeys(t, till, "Settle")
	mustShow(t, till, "A manager's code is needed")
	tapKeys(t, till, "1", "0", "0", "1", "OK")
	if !shownText(w, "That is not a manager's code") || host.Settlements() != 0 {
		t.Fatalf("the cashier's code: host saw %d settlements", host.Settlements())
	}
	tapKeys(t, till, "C", "8", "8", "8", "8", "OK")
	if host.Settlements() != 1 {
		t.Fatalf("host saw %d settlements", host.Settlements())
	}
	dayEnd := till.Shell().DayEnd
	if got := dayEnd.Result(); !strings.HasPrefix(got, "Batch 1 settled · sales: 2, ¥10.50 · refunds: 0, ¥0.00") {
		t.Fatalf("after settlement: %q", got)
	}
	mustShow(t, till, "Batch 1 settled")
	tapKeys(t, till, "Done")
	if got := dayEnd.Printed(); got != "Settlement slip printed" {
		t.Fatalf("printing the slip: %q", got)
	}

	// The slip on paper: the batch, the totals by scheme and wallet, the
	// host's answer and the IDs.
	slip := printedText(t, path, "SETTLEMENT")
	slip = slip[strings.Index(slip, "SETTLEMENT"):]
	for _, want := range []string{"000001", "UnionPay", "WeChat Pay", "￥7.00", "￥3.50", "Batch total", "Sales 2", "￥10.50",
		"00 Approved", "Balanced", "T0000001", "898310012345678"} {
		if !strings.Contains(slip, want) {
			t.Errorf("printed slip lacks %q:\n%s", want, slip)
		}
	}

	// Audited: the manager's approval for the cashier, and the batch closed.
	manager, cashier := operatorID(t, till, demo.Manager), operatorID(t, till, demo.Operator)
	entries, err := till.Store().AuditEntries(ctx, models.ActionSettle)
	if err != nil || len(entries) != 1 || entries[0].OperatorID != manager ||
		!strings.Contains(entries[0].Detail, "cashier="+itoa(cashier)) || !strings.Contains(entries[0].Detail, "batch=1") {
		t.Fatalf("settlement approval audited: %+v %v", entries, err)
	}
	if n := auditCount(t, till, models.ActionBatchClose); n != 1 {
		t.Fatalf("%d batch closes audited", n)
	}

	// Batch 2 is empty: a second tap is refused, and nothing reaches the host.
	tapKeys(t, till, "Settle the batch")
	if got := dayEnd.Result(); got != "Nothing to settle: batch 2 has no payments" || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("a second settlement: %q", got)
	}
	if n, _ := till.Store().BatchNumber(ctx, "T01"); n != 2 || host.Settlements() != 1 {
		t.Fatalf("open batch %d, host saw %d settlements", n, host.Settlements())
	}

	// The card sale was settled: it can be refunded, not voided, and the
	// Orders screen says so beside the disabled Void.
	orders := till.Shell().Orders
	tapKeys(t, till, "Orders")
	orders.SetQuery("1232")
	found := orders.Shown()
	if len(found) != 1 {
		t.Fatalf("found by card: %+v", found)
	}
	orders.ShowOrder(found[0].ID)
	if !button(t, w, "Void").Disabled() || button(t, w, "Refund").Disabled() {
		t.Fatal("a settled card sale: Void should be disabled and Refund enabled")
	}
	mustShow(t, till, "Order "+found[0].Number+" is in a settled batch: refund it instead")
}

func TestServiceRefusesASettlementByACashier(t *testing.T) {
	till := startDemoWithHost(t)
	sellColasForCash(t, till.Window(), 1)
	cashier, err := demo.Stored(context.Background(), till.Store(), demo.Operator)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := till.host.Settle(context.Background(), cashier); !models.IsDenied(err) ||
		till.host.Simulator().Settlements() != 0 {
		t.Fatalf("a cashier's settlement: %v", err)
	}
}
