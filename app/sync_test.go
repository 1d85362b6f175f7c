package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/payments/acquirer"
)

func TestDemoSyncsSalesToTheSimulatedHost(t *testing.T) {
	till := startDemo(t, "en")
	ctx := context.Background()
	if err := till.startAcquirer(ctx); err != nil {
		t.Fatalf("start the simulated acquirer: %v", err)
	}
	w := till.Window()
	for i := 0; i < 2; i++ {
		scan(w, colaCode)
		test.Tap(button(t, w, "Pay ¥3.50"))
		test.Tap(button(t, w, "Exact ¥3.50"))
		test.Tap(button(t, w, "Take cash"))
		test.Tap(button(t, w, "New sale"))
	}
	till.showSyncStatus(ctx)
	if got := till.Shell().SyncStatus(); !strings.HasPrefix(got, "2 unsynced") {
		t.Fatalf("before sync: %q", got)
	}
	if err := till.syncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := till.Shell().SyncStatus(); !strings.HasPrefix(got, "All synced") {
		t.Fatalf("after sync: %q", got)
	}
	var advices int
	var sum int64
	for _, e := range till.sync.Load().host.Ledger() {
		if e.MTI == acquirer.MTIAdminAdvice {
			advices++
			sum += e.Amount
		}
	}
	if advices != 2 || sum != 700 {
		t.Fatalf("host got %d advices summing %d", advices, sum)
	}
	// Syncing again sends nothing twice.
	if err := till.syncOnce(ctx); err != nil || len(till.sync.Load().host.Ledger()) != 2 {
		t.Fatalf("second sync: %v, ledger %d", err, len(till.sync.Load().host.Ledger()))
	}
}
