package acquirer_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

// TestFaultTerminalChild is TestTerminalKilledWhileHostDropsAnswers's child:
// a terminal selling by card until killed, printing each outcome, while its
// sync worker settles reversals, forwards advices and drains the outbox on
// the same link. A connection that ends (a garbled answer, a host restart)
// is dialled again.
func TestFaultTerminalChild(t *testing.T) {
	addr, db := os.Getenv("TILL_FAULT_HOST"), os.Getenv("TILL_FAULT_DB")
	if addr == "" {
		return // only runs as the fault test's child
	}
	fail := func(err error) {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	j, err := models.Open(db)
	if err != nil {
		fail(err)
	}
	ctx := context.Background()
	// One owner of the host link, as hostlink has: one gate, one dial at a
	// time.
	gate := acquirer.NewGate()
	var mu sync.Mutex
	var cur *acquirer.Link
	link := func() *acquirer.Link {
		mu.Lock()
		defer mu.Unlock()
		if cur != nil && !cur.Closed() {
			return cur
		}
		l, err := acquirer.Dial(ctx, os.Getenv("TILL_FAULT_HOST"), term, acquirer.LinkOptions{MasterKey: tmk, Gate: gate,
			SendTimeout: 150 * time.Millisecond, NextSTAN: func(ctx context.Context) (int, error) { return j.NextSTAN(ctx, "T01") }})
		if err != nil {
			return nil // the host is restarting: offline
		}
		cur = l
		return l
	}
	policy := payments.OfflinePolicy{FloorLimit: 500, MaxCount: 5, MaxTotal: 2000}
	go func() { // the sync worker
		for {
			time.Sleep(time.Duration(1+len(db)%3) * time.Millisecond)
			l := link()
			if l == nil {
				continue
			}
			w := &acquirer.Authorizer{Link: l, Journal: j, Terminal: term, TerminalID: "T01", Currency: models.CNY,
				CardSeal: cardSeal, Background: true}
			if w.SettleReversals(ctx) != nil {
				continue
			}
			w.ForwardAdvices(ctx)
			(&acquirer.Syncer{Link: l, Outbox: j, Terminal: term, TerminalID: "T01", PageSize: 8, InFlight: 4}).Drain(ctx, nil)
		}
	}()
	for i := 0; ; i++ {
		o := models.NewOrder(models.CNY, models.TaxInclusive)
		o.Lines = []models.OrderLine{{SKU: "F", Name: "测试", Qty: models.Units(1), UnitPrice: int64(100 + (i*37)%900)}}
		if err := o.Recalc(); err != nil {
			fail(err)
		}
		p, err := j.StartPayment(ctx, o, models.Payment{Tender: models.TenderCard, Amount: o.Total},
			models.SaleContext{TerminalID: "T01"})
		if err != nil {
			fail(err)
		}
		a := &acquirer.Authorizer{Link: link(), Journal: j, Terminal: term, TerminalID: "T01", Currency: models.CNY,
			CardSeal: cardSeal, Offline: policy, Gate: gate}
		r, err := a.Sale(ctx, p.Key, p.Amount, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC, OfflineAuthenticated: true})
		fmt.Printf("sale %s %s %v\n", p.Key, r.Code, err != nil)
	}
}

// TestTerminalKilledWhileHostDropsAnswers kills a selling terminal, its
// sync worker running, with SIGKILL at random points of 200 card sales
// while the host drops 10% of its answers, garbles 2% and restarts once
// from its ledger; restarts the terminal, and checks that terminal and host
// agree on what was charged (nothing twice, nothing approved missing), and
// that no reversal, advice or record of a payment was applied twice.
func TestTerminalKilledWhileHostDropsAnswers(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	ledger := filepath.Join(t.TempDir(), "ledger.jsonl")
	h, err := simhost.Start(simhost.Options{MasterKey: tmk, LedgerPath: ledger})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { h.Close() }()
	h.DropRandomly(0.10, seed)
	h.GarbleRandomly(0.02)
	db := filepath.Join(t.TempDir(), "till.db")
	s, err := models.Open(db) // creates the schema once
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	sales, kills := 0, 0
	for sales < 200 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFaultTerminalChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TILL_FAULT_HOST="+h.Addr(), "TILL_FAULT_DB="+db)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for n := rng.Intn(40) + 1; n > 0 && sc.Scan(); {
			line := sc.Text()
			if strings.HasPrefix(line, "error:") {
				t.Fatalf("terminal failed: %s", line)
			}
			if strings.HasPrefix(line, "sale ") {
				sales++
				n--
			}
		}
		time.Sleep(time.Duration(rng.Intn(2000)) * time.Microsecond) // often mid-sale
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "sale ") {
				sales++
			}
		}
		cmd.Wait()
		kills++
		if kills == 4 {
			// The host restarts too, from its ledger, on a new port.
			h.Close()
			if h, err = simhost.Start(simhost.Options{MasterKey: tmk, LedgerPath: ledger}); err != nil {
				t.Fatal(err)
			}
			h.DropRandomly(0.10, seed+1)
			h.GarbleRandomly(0.02)
		}
	}

	// The terminal restarts once more: owed reversals are settled first,
	// then the advices and the outbox go out.
	h.DropRandomly(0, 0)
	h.GarbleRandomly(0)
	j, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	a := &acquirer.Authorizer{Link: dial(t, h.Addr(), acquirer.LinkOptions{SendTimeout: time.Second}),
		Journal: j, Terminal: term, TerminalID: "T01", Currency: models.CNY, CardSeal: cardSeal}
	if _, err := j.FailStrandedPayments(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.SettleReversals(context.Background()); err != nil {
		t.Fatalf("settling reversals after the last restart: %v", err)
	}
	if _, err := a.ForwardAdvices(context.Background()); err != nil {
		t.Fatalf("advices after the last restart: %v", err)
	}
	if _, err := (&acquirer.Syncer{Link: a.Link, Outbox: j, Terminal: term, TerminalID: "T01"}).Drain(context.Background(), nil); err != nil {
		t.Fatalf("outbox after the last restart: %v", err)
	}
	// Each reversal, advice and record was applied once.
	applied := map[string]int{}
	for _, e := range h.Ledger() {
		switch {
		case e.MTI == acquirer.MTIReversalRequest && e.Code == acquirer.Approved,
			e.MTI == acquirer.MTIAdviceRequest, e.MTI == acquirer.MTIAdminAdvice:
			applied[e.MTI+" "+e.Key]++
		}
	}
	kinds := map[string]int{}
	for k, n := range applied {
		kinds[k[:4]]++
		if n > 1 {
			t.Errorf("%s applied %d times", k, n)
		}
	}
	pending, _, err := j.OutboxStatus(context.Background())
	if err != nil || pending != 0 {
		t.Errorf("outbox after the drain: %d pending, %v", pending, err)
	}
	if held, err := j.HeldOffline(context.Background(), "T01"); err != nil || len(held) != 0 {
		t.Errorf("offline approvals not advised: %d, %v", len(held), err)
	}
	t.Logf("applied once each: %d reversals, %d advices, %d payment records", kinds["0400"], kinds["0220"], kinds["0620"])
	// Orders agree with the journal: each approved payment completed its
	// order in the same transaction, and no other order is paid.
	orders, err := j.OrdersBetween(context.Background(), "T01", time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var paid int
	var paidSum int64
	for _, o := range orders {
		approvedPays := 0
		for _, p := range o.Payments {
			if p.Status == models.PaymentApproved || p.Status == models.PaymentOfflineApproved || p.Status == models.PaymentAdvised {
				approvedPays++
			}
			if p.Status == models.PaymentPending {
				t.Errorf("order %s still has a pending payment after reversals settled", o.Number)
			}
		}
		if (o.Status == models.OrderPaid) != (approvedPays == 1) || approvedPays > 1 {
			t.Errorf("order %s is %s with %d approved payments", o.Number, o.Status, approvedPays)
		}
		if o.Status == models.OrderPaid {
			paid++
			paidSum += o.Total
		}
	}
	approved, sum, err := j.ApprovedTotals(context.Background(), "T01")
	if err != nil {
		t.Fatal(err)
	}
	hostCount, hostSum := h.Charged()
	t.Logf("%d sales, %d kills: terminal %d approved (%d) and %d paid orders (%d), host %d charged (%d)",
		sales, kills, approved, sum, paid, paidSum, hostCount, hostSum)
	if paid != hostCount || paidSum != hostSum {
		charged := map[string]bool{}
		for _, e := range h.Ledger() {
			charged[e.Key] = true
		}
		for _, o := range orders {
			for _, p := range o.Payments {
				if o.Status == models.OrderPaid && !charged[p.Key] {
					r, _ := j.RequestByKey(context.Background(), "T01", p.Key)
					t.Logf("paid %s (%s, %d): not at the host; journal %+v", o.Number, p.Status, p.Amount, r)
				}
			}
		}
		t.Fatalf("terminal has %d paid orders summing %d, host charged %d summing %d", paid, paidSum, hostCount, hostSum)
	}
	if approved != hostCount || sum != hostSum {
		t.Fatalf("terminal has %d approved summing %d, host charged %d summing %d", approved, sum, hostCount, hostSum)
	}
	if approved == 0 {
		t.Fatal("no sale was approved at all")
	}
}
