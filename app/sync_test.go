package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

func TestDemoSyncsSalesToTheSimulatedHost(t *testing.T) {
	till := startDemo(t, "en")
	ctx := context.Background()
	if err := till.host.Connect(ctx); err != nil {
		t.Fatalf("start the simulated acquirer: %v", err)
	}
	w := till.Window()
	sellColasForCash(t, w, 2)
	pending, last, connected, err := till.host.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	till.showSyncStatus(pending, last, connected)
	if got := till.Shell().SyncStatus(); !strings.HasPrefix(got, "2 unsynced") {
		t.Fatalf("before sync: %q", got)
	}
	if err := till.host.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := till.Shell().SyncStatus(); !strings.HasPrefix(got, "All synced") {
		t.Fatalf("after sync: %q", got)
	}
	var advices int
	var sum int64
	for _, e := range till.host.Simulator().Ledger() {
		if e.MTI == acquirer.MTIAdminAdvice {
			advices++
			sum += e.Amount
		}
	}
	if advices != 2 || sum != 700 {
		t.Fatalf("host got %d advices summing %d", advices, sum)
	}
	// The order's history shows it committed and reported.
	orders := todaysOrders(t, till)
	till.Shell().Orders.ShowOrder(orders[0].ID)
	var kinds []string
	for _, e := range till.Shell().Orders.History() {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "audit:sale,outbox:sent" {
		t.Fatalf("history = %v", kinds)
	}
	// Syncing again sends nothing twice.
	if err := till.host.SyncOnce(ctx); err != nil || len(till.host.Simulator().Ledger()) != 2 {
		t.Fatalf("second sync: %v, ledger %d", err, len(till.host.Simulator().Ledger()))
	}
}

func TestDayEndSyncsAndSettles(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sellColasForCash(t, w, 2)
	test.Tap(button(t, w, "Day end"))
	if till.Shell().Current() != "dayend" {
		t.Fatalf("screen %s", till.Shell().Current())
	}
	var texts []string
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
		return false
	})
	joined := strings.Join(texts, "\n")
	for _, want := range []string{"2 payments · ¥7.00", "Cash · 2 payments", "2 payments not yet reported"} {
		if !strings.Contains(joined, want) {
			t.Errorf("day end lacks %q:\n%s", want, joined)
		}
	}
	// Settling asks first, saying what is still unreported; Cancel leaves
	// the batch open.
	test.Tap(button(t, w, "Settle the batch"))
	if !labelShown(w, "2 payments have not been reported to the acquirer yet") {
		t.Fatal("the confirmation does not warn of unreported payments")
	}
	test.Tap(button(t, w, "Cancel"))
	if n, _ := till.Store().BatchNumber(context.Background(), "T01"); n != 1 {
		t.Fatalf("the batch was settled without asking")
	}
	test.Tap(button(t, w, "Sync now"))
	if got := till.Shell().DayEnd.Result(); got != "Reported 2 payments" {
		t.Fatalf("after sync: %q", got)
	}
	// A batch of cash sales only settles too, with a manager's approval.
	tapKeys(t, till, "Settle the batch", "Settle", "8", "8", "8", "8", "OK", "Done")
	if got := till.Shell().DayEnd.Result(); !strings.HasPrefix(got, "Batch 1 settled · sales: 0, ") {
		t.Fatalf("after settlement: %q", got)
	}
	if n, _ := till.Store().BatchNumber(context.Background(), "T01"); n != 2 {
		t.Fatalf("open batch after settlement = %d", n)
	}
}

// sellColasForCash sells n colas, one sale each, paid exactly in cash.
func sellColasForCash(t *testing.T, w fyne.Window, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		scan(w, colaCode)
		test.Tap(button(t, w, "Pay ¥3.50"))
		test.Tap(button(t, w, "Exact ¥3.50"))
		test.Tap(button(t, w, "Take cash"))
		test.Tap(button(t, w, "New sale"))
	}
}

func TestOrderHistoryReadsAsSentencesAndFollowsTheSync(t *testing.T) {
	ctx := context.Background()
	till := startDemoWithHost(t)
	w := till.Window()
	// A card payment: the bank's answer in a sentence, its codes beneath.
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Card", "Tap demo card: UnionPay")
	tapKeys(t, till, "New sale")
	sellColasForCash(t, w, 1)
	test.Tap(button(t, w, "Orders"))
	orders := todaysOrders(t, till)
	var card, cash models.Order
	for _, o := range orders {
		if o.Payments[0].Tender == models.TenderCard {
			card = o
		} else {
			cash = o
		}
	}
	till.Shell().Orders.ShowOrder(card.ID)
	if !shownText(w, "The bank approved the payment of ¥3.50") || !shownText(w, "0200 · 000000 · STAN") {
		t.Fatalf("card history: %q", uitest.Texts(w))
	}
	if shownText(w, "(0200") {
		t.Fatal("the history still shows raw bank lines")
	}
	// The cash sale is shown before it is reported; reporting it changes
	// what the screen says without tapping the order again.
	till.Shell().Orders.ShowOrder(cash.ID)
	if !shownText(w, "Not yet reported to the acquirer") {
		t.Fatalf("cash history before the sync: %q", uitest.Texts(w))
	}
	if err := till.host.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if !shownText(w, "Reported to the acquirer") || shownText(w, "Not yet reported") {
		t.Fatalf("cash history after the sync: %q", uitest.Texts(w))
	}
}
