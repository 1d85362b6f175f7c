package acquirer_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
)

func TestSlowHostIsReversedNotCharged(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j) // 300 ms send timeout
	if err := a.Link.SignOn(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.SetLatency(600 * time.Millisecond)
	_, err := a.Sale(context.Background(), "slow-1", 1500, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
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
		if err = a.Link.Echo(context.Background(), 100+i); errors.Is(err, acquirer.ErrUnreachable) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !errors.Is(err, acquirer.ErrUnreachable) {
		t.Fatalf("after the host dropped the connection: %v", err)
	}
	a.Link = dial(t, h.Addr(), acquirer.LinkOptions{SendTimeout: time.Second})
	approvedSale(t, a, j, "c-2", 2000)
	if n, sum := h.Charged(); n != 2 || sum != 3000 {
		t.Fatalf("host charged %d, %d", n, sum)
	}
}

func TestWrongMACFromTheHostIsReversedNotTrusted(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	h.SignWithWrongKey(mustKey("ffeeddccbbaa99887766554433221100"))
	_, err := a.Sale(context.Background(), "badmac-1", 1200, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	var e *models.Error
	if !errors.As(err, &e) || e.Key != "error.acquirer.bad_answer" {
		t.Fatalf("answer with a wrong MAC: %v", err)
	}
	h.SignWithWrongKey(nil)
	if err := a.SettleReversals(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, _ := h.Charged(); n != 0 {
		t.Fatalf("host still charges %d after the reversal", n)
	}
}

func TestRefusedConnectionsMeanOffline(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	a.Offline = payments.DefaultOfflinePolicy
	h.RefuseConnections(true)
	// The link notices the refusal; a small sale is then approved offline
	// and a large one needs online authorization.
	var r acquirer.Response
	var err error
	for i := 0; i < 50; i++ {
		if r, err = a.Sale(context.Background(), fmt.Sprintf("refused-%d", i), 1000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC, OfflineAuthenticated: true}); err == nil && r.Code == acquirer.OfflineApproved {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || r.Code != acquirer.OfflineApproved {
		t.Fatalf("small sale while the host refuses: %+v %v", r, err)
	}
	if _, err := a.Sale(context.Background(), "refused-big", 50000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC, OfflineAuthenticated: true}); !errors.Is(err, acquirer.ErrOnlineNeeded) {
		t.Fatalf("large sale while the host refuses: %v", err)
	}
}
