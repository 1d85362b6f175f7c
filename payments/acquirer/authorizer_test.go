package acquirer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

// newJournal is a journal on a store of the test's own.
func newJournal(t *testing.T) *models.Store { return storetest.Open(t) }

// The card the tests tap: its track 2 and chip data (with a cryptogram).
const (
	cardTrack2 = "6225880123456789D30121010000"
	cardICC    = "9F2608010203040506070895050000000000"
)

// cardSeal seals the tests' offline approvals' card data.
var cardSeal = []byte("0123456789abcdef0123456789abcdef")

func authorizer(t *testing.T, h *simhost.Host, j *models.Store) *acquirer.Authorizer {
	return &acquirer.Authorizer{Link: dial(t, h.Addr(), acquirer.LinkOptions{SendTimeout: 300 * time.Millisecond}),
		Journal: j, Terminal: term, TerminalID: "T01", Currency: models.CNY, CardSeal: cardSeal}
}

func states(t *testing.T, j *models.Store) []models.HostRequest {
	t.Helper()
	owed, err := j.OwedReversals(context.Background(), "T01")
	if err != nil {
		t.Fatal(err)
	}
	return owed
}

func TestSaleIsJournalledAndAnswered(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	r, err := a.Sale(context.Background(), "T01-00000001-1", 1250, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "6212345678901234=3012", ICC: "", OfflineAuthenticated: true})
	if err != nil || !r.Approved() {
		t.Fatalf("sale: %+v, %v", r, err)
	}
	if n, sum := h.Charged(); n != 1 || sum != 1250 {
		t.Fatalf("host charged %d, %d", n, sum)
	}
	if owed := states(t, j); len(owed) != 0 {
		t.Fatalf("owed reversals after an answered sale: %+v", owed)
	}
}

func TestLostAnswerIsReversedNotCharged(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	h.DropResponses(1) // the host approves, but the answer is lost
	_, err := a.Sale(context.Background(), "T01-00000002-1", 4000, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	var e *models.Error
	if !errors.As(err, &e) || e.Key != "error.acquirer.no_answer" {
		t.Fatalf("lost answer: %v", err)
	}
	if n, _ := h.Charged(); n != 0 {
		t.Fatalf("the host still charges %d payments after the reversal", n)
	}
	if owed := states(t, j); len(owed) != 0 {
		t.Fatalf("reversal still owed: %+v", owed)
	}
	// The next sale goes through normally.
	if r, err := a.Sale(context.Background(), "T01-00000003-1", 500, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); err != nil || !r.Approved() {
		t.Fatalf("next sale: %+v, %v", r, err)
	}
	if n, sum := h.Charged(); n != 1 || sum != 500 {
		t.Fatalf("host charged %d, %d", n, sum)
	}
}

func TestRequestInFlightAtACrashIsReversedFirst(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	ctx := context.Background()
	// Journalled and sent, then the terminal died before the answer was stored.
	req := &models.HostRequest{TerminalID: "T01", Key: "T01-00000009-1", MTI: acquirer.MTISaleRequest,
		ProcCode: acquirer.ProcPurchase, Amount: 900, Currency: models.CNY}
	if err := j.RecordRequest(ctx, req); err != nil {
		t.Fatal(err)
	}
	l := dial(t, h.Addr(), acquirer.LinkOptions{})
	if _, err := l.Authorize(context.Background(), acquirer.Request{MTI: req.MTI, ProcCode: req.ProcCode, Amount: 900, Currency: "156",
		STAN: req.STAN, Time: req.SentAt, Reference: req.Key}); err != nil {
		t.Fatal(err)
	}
	if n, _ := h.Charged(); n != 1 {
		t.Fatal("setup: the host did not charge")
	}
	// After the restart, the owed reversal goes before the next sale.
	a := authorizer(t, h, j)
	if r, err := a.Sale(ctx, "T01-00000010-1", 300, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); err != nil || !r.Approved() {
		t.Fatalf("sale after restart: %+v, %v", r, err)
	}
	if n, sum := h.Charged(); n != 1 || sum != 300 {
		t.Fatalf("host charged %d, %d; want only the new sale", n, sum)
	}
}

func TestHostDownKeepsTheReversalOwed(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	ctx := context.Background()
	a := authorizer(t, h, j)
	h.DropResponses(2) // the sale's answer and the reversal's are both lost
	if _, err := a.Sale(ctx, "T01-00000011-1", 700, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); err == nil {
		t.Fatal("a lost answer gave no error")
	}
	if owed := states(t, j); len(owed) != 1 || owed[0].State != models.RequestTimedOut {
		t.Fatalf("owed = %+v", owed)
	}
	// While the reversal is owed, no new sale goes online.
	h.DropResponses(1)
	if _, err := a.Sale(ctx, "T01-00000012-1", 100, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); !errors.Is(err, acquirer.ErrReversalOwed) {
		t.Fatalf("sale with a reversal owed: %v", err)
	}
	// Once the host answers, the reversal settles and sales resume.
	if err := a.SettleReversals(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := h.Charged(); n != 0 {
		t.Fatalf("host charged %d", n)
	}
}

func TestUnreadableAnswerLeavesPaymentSafe(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	ctx := context.Background()
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	o.Lines = []models.OrderLine{{SKU: "X", Name: "测试", Qty: models.Units(1), UnitPrice: 1250}}
	if err := o.Recalc(); err != nil {
		t.Fatal(err)
	}
	p, err := j.StartPayment(ctx, o, models.Payment{Tender: models.TenderCard, Amount: o.Total},
		models.SaleContext{TerminalID: "T01"})
	if err != nil {
		t.Fatal(err)
	}
	a := &acquirer.Authorizer{Link: dial(t, h.Addr(), acquirer.LinkOptions{SendTimeout: time.Minute}),
		Journal: j, Terminal: term, TerminalID: "T01", Currency: models.CNY}
	if err := a.Link.SignOn(ctx); err != nil {
		t.Fatal(err)
	}
	h.GarbleAnswers(1)
	_, err = a.Sale(ctx, p.Key, p.Amount, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true})
	var e *models.Error
	if !errors.As(err, &e) || e.Key != "error.acquirer.bad_answer" {
		t.Fatalf("unreadable answer: %v", err)
	}
	// The payment is neither approved nor given up: a reversal is owed
	// (the unreadable answer ended the connection, so it stays owed).
	if owed := states(t, j); len(owed) != 1 || owed[0].Key != p.Key {
		t.Fatalf("owed reversals: %+v", owed)
	}
	got, err := j.OrderByID(ctx, o.ID)
	if err != nil || got.Status != models.OrderAwaiting || got.Payments[0].Status != models.PaymentPending {
		t.Fatalf("order after an unreadable answer: %+v %v", got, err)
	}
}
