package app

import (
	"context"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/services/demo"
)

// TestBackgroundWorkRunsTrulyAsync runs the till's background work on
// goroutines of its own, as the running app does, with the test's
// goroutine as the only UI goroutine (it runs what the background hands
// over, as fyne.Do would): card payments and the sync worker run while the
// operator changes and the floor limit moves. Under -race this finds any
// state the UI and the background share without a guard.
func TestBackgroundWorkRunsTrulyAsync(t *testing.T) {
	ctx := context.Background()
	till := startDemoWithHost(t)
	uiq := make(chan func(), 16)
	stopped := make(chan struct{})
	defer close(stopped)
	handOver := func(f func()) {
		select {
		case uiq <- f:
		case <-stopped:
		}
	}
	till.ui.Async = func(work, done func()) {
		go func() {
			work()
			handOver(done)
		}()
	}
	till.ui.Do = handOver
	till.host.Start() // the sync worker, reporting on its own goroutine
	runUI := func(until func() bool) {
		t.Helper()
		for deadline := time.After(time.Minute); !until(); {
			select {
			case f := <-uiq:
				f()
			case <-deadline:
				t.Fatalf("the background never finished: screen %s", till.Shell().Current())
			}
		}
	}

	manager, err := demo.Stored(ctx, till.store, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	cashier := till.session.Operator()
	w := till.Window()
	const sales = 4
	for i := range sales {
		scan(w, colaCode)
		sh := till.Shell()
		// The cola reaches the cart once its stock is read.
		runUI(func() bool { return !sh.Sell.Order().IsEmpty() })
		sh.ShowPayCard(sh.Sell.Order())
		sh.Card.Start("Visa")
		// While the card is read and authorized in the background, the
		// till changes hands and the floor limit moves.
		till.staff.Unlock(ctx, []models.Operator{manager, cashier}[i%2])
		if err := till.cards.SetLimits(ctx, payments.CardLimits{NoCVM: 100000, Contactless: 5000000, Floor: int64(20000 + i)}, shopOwner(t, till)); err != nil {
			t.Fatal(err)
		}
		runUI(func() bool { return till.Shell().Current() == "receipt" })
		sh.ShowSell()
	}
	runUI(func() bool { return till.Shell().SyncStatus() != "" })

	orders := todaysOrders(t, till)
	if len(orders) != sales {
		t.Fatalf("%d orders stored, want %d", len(orders), sales)
	}
	for _, o := range orders {
		if o.Status != models.OrderPaid || (o.OperatorID != manager.ID && o.OperatorID != cashier.ID) {
			t.Fatalf("order %s: %s by operator %d", o.Number, o.Status, o.OperatorID)
		}
	}
	if got := till.cards.Offline().FloorLimit; got != 20000+sales-1 {
		t.Fatalf("floor limit %d", got)
	}
}
