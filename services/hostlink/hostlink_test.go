package hostlink_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/hostlink"
)

// newStore is a new store with the demo catalog and staff; it returns the
// demo cashier.
func newStore(t *testing.T) (*models.Store, models.Operator) {
	t.Helper()
	s := storetest.Open(t)
	op, err := demo.Seed(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return s, op
}

// sellForCash stores n cash sales of one cola each at T01.
func sellForCash(t *testing.T, s *models.Store, op models.Operator, n int) {
	t.Helper()
	ctx := context.Background()
	p, err := s.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		o := models.NewOrder(models.CNY, models.TaxInclusive)
		if _, err := o.AddProduct(*p, models.Units(1)); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitSale(ctx, o, []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved,
			Amount: o.Total, Tendered: o.Total}}, models.SaleContext{TerminalID: "T01", Operator: op}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuthorizerCarriesTheOfflinePolicyInForce(t *testing.T) {
	s, _ := newStore(t)
	var floor atomic.Int64
	floor.Store(100)
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY,
		Offline: func() payments.OfflinePolicy {
			p := payments.DefaultOfflinePolicy
			p.FloorLimit = floor.Load()
			return p
		}})
	t.Cleanup(l.Close)
	ctx := context.Background()
	first, err := l.Authorizer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	floor.Store(20000)
	second, err := l.Authorizer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.Offline.FloorLimit != 100 || second.Offline.FloorLimit != 20000 {
		t.Fatalf("floor limits handed out: %d then %d", first.Offline.FloorLimit, second.Offline.FloorLimit)
	}
	if first == second || first.Link != second.Link || first.TerminalID != "T01" || first.Currency != models.CNY {
		t.Fatalf("authorizers: %+v %+v", first, second)
	}
	floor.Store(700)
	if off := l.Offline(models.CNY); off.Offline.FloorLimit != 700 || off.Link != nil {
		t.Fatalf("offline authorizer: floor %d, link %v", off.Offline.FloorLimit, off.Link)
	}
	if first.Offline.FloorLimit != 100 {
		t.Fatal("an authorizer handed out earlier changed with the policy")
	}
	// The default policy when the link is given none.
	plain := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY})
	t.Cleanup(plain.Close)
	if off := plain.Offline(models.CNY); off.Offline != payments.DefaultOfflinePolicy {
		t.Fatalf("default policy: %+v", off.Offline)
	}
}

// statusLog keeps what OnStatus was told.
type statusLog struct {
	mu    sync.Mutex
	calls []status
	got   chan struct{}
}

type status struct {
	pending   int64
	last      time.Time
	connected bool
}

func newStatusLog() *statusLog { return &statusLog{got: make(chan struct{}, 100)} }

func (s *statusLog) on(pending int64, last time.Time, connected bool) {
	s.mu.Lock()
	s.calls = append(s.calls, status{pending, last, connected})
	s.mu.Unlock()
	select {
	case s.got <- struct{}{}:
	default:
	}
}

func (s *statusLog) last() (status, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.calls) == 0 {
		return status{}, 0
	}
	return s.calls[len(s.calls)-1], len(s.calls)
}

func TestSyncOnceDrainsTheOutboxToTheHost(t *testing.T) {
	s, op := newStore(t)
	log := newStatusLog()
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY, OnStatus: log.on})
	t.Cleanup(l.Close)
	ctx := context.Background()
	sellForCash(t, s, op, 3)
	pending, _, connected, err := l.Status(ctx)
	if err != nil || pending != 3 || connected {
		t.Fatalf("before sync: %d pending, connected %v, %v", pending, connected, err)
	}
	if !l.Simulated() {
		t.Fatal("an empty address is not the simulated host")
	}
	if err := l.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	pending, last, connected, err := l.Status(ctx)
	if err != nil || pending != 0 || !connected || last.IsZero() {
		t.Fatalf("after sync: %d pending, last %v, connected %v, %v", pending, last, connected, err)
	}
	var advices int
	var sum int64
	for _, e := range l.Simulator().Ledger() {
		if e.MTI == acquirer.MTIAdminAdvice {
			advices++
			sum += e.Amount
		}
	}
	if advices != 3 || sum != 1050 {
		t.Fatalf("the host got %d advices summing %d", advices, sum)
	}
	st, n := log.last()
	if n == 0 || st.pending != 0 || !st.connected || !st.last.Equal(last) {
		t.Fatalf("OnStatus was told %+v (%d calls)", st, n)
	}
	// Nothing is sent twice.
	if err := l.SyncOnce(ctx); err != nil || len(l.Simulator().Ledger()) != 3 {
		t.Fatalf("second sync: %v, ledger %d", err, len(l.Simulator().Ledger()))
	}
	// SyncNow reports progress and publishes too.
	sellForCash(t, s, op, 2)
	var done []int
	got, err := l.SyncNow(ctx, func(n int) { done = append(done, n) })
	if err != nil || got != 2 || len(done) == 0 || done[len(done)-1] != 2 {
		t.Fatalf("sync now: %d %v, progress %v", got, err, done)
	}
	if st, _ := log.last(); st.pending != 0 {
		t.Fatalf("OnStatus after sync now: %+v", st)
	}
}

func TestStartThenCloseLeavesNoWorker(t *testing.T) {
	s, op := newStore(t)
	sellForCash(t, s, op, 1)
	before := runtime.NumGoroutine()
	log := newStatusLog()
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY, OnStatus: log.on})
	l.Start()
	// The worker's first round reports the sale.
	deadline := time.After(15 * time.Second)
	for {
		if st, _ := log.last(); st.pending == 0 && st.connected {
			break
		}
		select {
		case <-log.got:
		case <-deadline:
			t.Fatal("the worker never reported the sale")
		}
	}
	closed := make(chan struct{})
	go func() { l.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if l.Connected() || l.Simulator() != nil {
		t.Fatal("still connected after Close")
	}
	// Every goroutine the link started ends.
	until := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(until) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// shopTMK is the master key the tests' acquirer gave the shop, and
// deviceKey the key it is sealed with.
var (
	shopTMK   = []byte("the shop's TMK..")
	deviceKey = []byte("0123456789abcdef0123456789abcdef")
)

// masterKey opens the master key loaded into s.
func masterKey(s *models.Store) func(context.Context) ([]byte, error) {
	return func(ctx context.Context) ([]byte, error) { return s.MasterKey(ctx, deviceKey) }
}

// loadMasterKey loads shopTMK into s, as the acquirer's custodians do.
func loadMasterKey(t *testing.T, s *models.Store) {
	t.Helper()
	sealed, err := models.SealSecret(deviceKey, shopTMK, models.SettingMasterKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(context.Background(), models.SettingMasterKey, hex.EncodeToString(sealed)); err != nil {
		t.Fatal(err)
	}
}

func TestSimulateQRScanNeedsTheSimulatedHost(t *testing.T) {
	s, _ := newStore(t)
	h, err := simhost.Start(simhost.Options{MasterKey: shopTMK})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY, Addr: h.Addr(), MasterKey: masterKey(s)})
	t.Cleanup(l.Close)
	ctx := context.Background()
	// A real host is never dialled with the demo's IDs and key.
	if err := l.Connect(ctx); !errors.Is(err, hostlink.ErrNotSetUp) {
		t.Fatalf("connect before the acquirer is set up: %v", err)
	}
	for k, v := range map[string]string{hostlink.SettingTID: "12345678", hostlink.SettingMID: "123456789012345"} {
		if err := s.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	// Nor without the master key the acquirer's custodians load.
	if err := l.Connect(ctx); !errors.Is(err, hostlink.ErrNotSetUp) {
		t.Fatalf("connect before the master key is loaded: %v", err)
	}
	loadMasterKey(t, s)
	if err := l.Connect(ctx); err != nil {
		t.Fatalf("connect to a host of our own: %v", err)
	}
	if l.Simulated() || l.Simulator() != nil {
		t.Fatal("a host at an address is taken for the in-process simulator")
	}
	if err := l.SimulateQRScan(ctx, "000201"); !errors.Is(err, acquirer.ErrNotConfigured) {
		t.Fatalf("QR scan at a real host: %v", err)
	}
	if n := len(h.Ledger()); n != 0 {
		t.Fatalf("the host recorded %d entries", n)
	}
	// Connecting signed on with the shop's master key.
	if n := h.SignOns(); n != 1 {
		t.Fatalf("the host answered %d sign-ons", n)
	}
}

func TestAMasterKeySealedUnderAnotherDeviceKeyIsRefused(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	loadMasterKey(t, s)
	other := func(ctx context.Context) ([]byte, error) {
		return s.MasterKey(ctx, []byte("another device key, of 32 bytes."))
	}
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY, MasterKey: other})
	t.Cleanup(l.Close)
	if _, err := l.Authorizer(ctx); !errors.Is(err, models.ErrSecretSealed) || l.Connected() {
		t.Fatalf("connected with a master key that does not open: %v", err)
	}
	if _, err := l.Online(ctx); !errors.Is(err, acquirer.ErrOnlineNeeded) {
		t.Fatalf("online authorizer without a link: %v", err)
	}
}

// payByCard stores a sale of n colas at T01 paid by a UnionPay card
// through l's host.
func payByCard(t *testing.T, l *hostlink.Link, s *models.Store, op models.Operator, n int64) *models.Order {
	t.Helper()
	ctx := context.Background()
	p, err := s.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(*p, models.Units(n)); err != nil {
		t.Fatal(err)
	}
	pay, err := s.StartPayment(ctx, o, models.Payment{Tender: models.TenderCard, Amount: o.Total, Scheme: "unionpay",
		MaskedPAN: "**** **** **** 1234"}, models.SaleContext{TerminalID: "T01", Operator: op})
	if err != nil {
		t.Fatal(err)
	}
	a, err := l.Authorizer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := a.Sale(ctx, pay.Key, pay.Amount, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); err != nil || !resp.Approved() {
		t.Fatalf("card sale: %+v %v", resp, err)
	}
	return o
}

type signedIn struct{ op models.Operator }

func (s signedIn) Operator() models.Operator { return s.op }

func TestSettleNeedsAManagerAndSomethingToSettle(t *testing.T) {
	s, cashier := newStore(t)
	manager, err := demo.Stored(context.Background(), s, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY, Session: signedIn{cashier}})
	t.Cleanup(l.Close)
	ctx := context.Background()
	if err := l.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	host := l.Simulator()

	// Nothing in the batch: refused before the host, whoever asks.
	if _, err := l.Settle(ctx, manager); errKey(err) != "error.settle.empty" || host.Settlements() != 0 {
		t.Fatalf("an empty batch: %v, host saw %d settlements", err, host.Settlements())
	}
	sellForCash(t, s, cashier, 1)
	o := payByCard(t, l, s, cashier, 2)

	// A cashier may not settle: refused before the host and the audit.
	if _, err := l.Settle(ctx, cashier); !models.IsDenied(err) || host.Settlements() != 0 {
		t.Fatalf("a cashier's settlement: %v, host saw %d", err, host.Settlements())
	}
	if n, _ := s.CountAudit(ctx, models.ActionSettle); n != 0 {
		t.Fatalf("%d settlements audited before any was authorized", n)
	}
	b, err := l.OpenBatch(ctx)
	if err != nil || b.Batch != 1 || b.Payments != 2 || b.Requests != 1 || b.Totals.DebitAmount != o.Total {
		t.Fatalf("open batch: %+v %v", b, err)
	}

	res, err := l.Settle(ctx, manager)
	if err != nil || res.Batch != 1 || !res.Balanced() || res.Terminal.TID != "T0000001" || res.Terminal.MID == "" {
		t.Fatalf("settlement: %+v %v", res, err)
	}
	want := []models.SchemeTotals{{Tender: models.TenderCard, Scheme: "unionpay",
		BatchTotals: models.BatchTotals{DebitCount: 1, DebitAmount: o.Total}}}
	if len(res.Schemes) != 1 || res.Schemes[0] != want[0] {
		t.Fatalf("by scheme: %+v", res.Schemes)
	}
	entries, err := s.AuditEntries(ctx, models.ActionSettle)
	if err != nil || len(entries) != 1 || entries[0].OperatorID != manager.ID ||
		!strings.Contains(entries[0].Detail, "batch=1") || !strings.Contains(entries[0].Detail, "cashier="+fmt.Sprint(cashier.ID)) {
		t.Fatalf("settlement audited: %+v %v", entries, err)
	}

	// Batch 2 holds nothing yet: a second settlement is refused, and the
	// host sees no more requests.
	if _, err := l.Settle(ctx, manager); errKey(err) != "error.settle.empty" || host.Settlements() != 1 {
		t.Fatalf("a second settlement: %v, host saw %d", err, host.Settlements())
	}
	if n, _ := s.BatchNumber(ctx, "T01"); n != 2 {
		t.Fatalf("open batch %d", n)
	}
}

func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestARemoteHostIsReachedOverTLSOnly(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	loadMasterKey(t, s)
	for k, v := range map[string]string{hostlink.SettingTID: "12345678", hostlink.SettingMID: "123456789012345"} {
		if err := s.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	// Off this machine, without the acquirer's CA: refused before any dial
	// (the name does not even resolve).
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY, Addr: "pos.acquirer.invalid:8583",
		MasterKey: masterKey(s)})
	t.Cleanup(l.Close)
	var me *models.Error
	if err := l.Connect(ctx); !errors.As(err, &me) || me.Key != "error.setup.ca_needed" {
		t.Fatalf("a remote host without a CA: %v", err)
	}
}

func TestARefusedAdviceNeitherStopsSyncNorDropsTheLink(t *testing.T) {
	s, op := newStore(t)
	var logged []string
	var mu sync.Mutex
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY,
		CardSeal: []byte("offline card data seal, 32 bytes"),
		Offline:  func() payments.OfflinePolicy { return payments.DefaultOfflinePolicy },
		Log: func(what string, err error) {
			mu.Lock()
			logged = append(logged, what+": "+err.Error())
			mu.Unlock()
		}})
	t.Cleanup(l.Close)
	ctx := context.Background()
	// An offline approval whose sealed card data cannot be opened (sealed
	// under another key): its advice cannot be built.
	other := l.Offline(models.CNY)
	other.CardSeal = []byte("another seal key, also 32 bytes.")
	if r, err := other.Sale(ctx, "T01-odd", 800, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "6225880123456789D3012101", ICC: "9F26080102030405060708", OfflineAuthenticated: true}); err != nil || r.Code != acquirer.OfflineApproved {
		t.Fatalf("offline approval: %+v, %v", r, err)
	}
	sellForCash(t, s, op, 2)
	if err := l.SyncOnce(ctx); err != nil {
		t.Fatalf("sync with an advice that cannot be sent: %v", err)
	}
	mu.Lock()
	report := strings.Join(logged, "\n")
	mu.Unlock()
	if !strings.Contains(report, "T01-odd") || !l.Connected() {
		t.Fatalf("connected %v; log: %s", l.Connected(), report)
	}
	// The outbox went out all the same, and a payment goes through on the
	// same connection.
	if pending, _, _, _ := l.Status(ctx); pending != 0 {
		t.Fatalf("%d outbox entries pending", pending)
	}
	a, err := l.Authorizer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := a.Sale(ctx, "T01-next", 900, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: "", ICC: "", OfflineAuthenticated: true}); err != nil || !r.Approved() {
		t.Fatalf("a payment after: %+v, %v", r, err)
	}
}
