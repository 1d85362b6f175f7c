package acquirer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

func TestSlowHostIsReversedNotCharged(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j) // 300 ms send timeout
	h.SetLatency(600 * time.Millisecond)
	_, err := a.Sale(context.Background(), "slow-1", 1500, acquirer.EntryContactless, "", "")
	var e *models.Error
	if !errors.As(err, &e) || e.Key != "error.acquirer.no_answer" {
		t.Fatalf("slow host: %v", err)
	}
	// Once the host is quick again, the owed reversal settles and nothing stays charged.
	h.SetLatency(0)
	if err := a.SettleReversals(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, _ := h.Charged(); n != 0 {
		t.Fatalf("host still charges %d", n)
	}
}

func TestDroppedConnectionsAreRedialled(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	approvedSale(t, a, j, "c-1", 1000)
	h.CloseConnections()
	// The old link is gone; dialling again works and sales go on.
	var err error
	for i := 0; i < 50; i++ {
		if err = a.Link.Echo(100 + i); errors.Is(err, acquirer.ErrUnreachable) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !errors.Is(err, acquirer.ErrUnreachable) {
		t.Fatalf("after the host dropped the connection: %v", err)
	}
	a.Link = dial(t, h.Addr(), key, acquirer.LinkOptions{SendTimeout: time.Second})
	approvedSale(t, a, j, "c-2", 2000)
	if n, sum := h.Charged(); n != 2 || sum != 3000 {
		t.Fatalf("host charged %d, %d", n, sum)
	}
}
