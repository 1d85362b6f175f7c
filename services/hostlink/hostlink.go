// Package hostlink owns the terminal's link to its acquirer: it connects
// (to the acquirer set, or to the in-process simulated host of demo mode),
// hands the card and QR payment flows an authorizer, and runs the worker
// that settles owed reversals, forwards offline approvals and drains the
// outbox while Till runs.
package hostlink

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
	"github.com/till-pos/till/payments/qrpay"
	"github.com/till-pos/till/services"
)

// Acquirer settings, and the demo values the in-process simulator (demo
// mode, no host address) uses when they are not set; a real host never
// falls back to them.
const (
	SettingTID = "acquirer_tid"
	SettingMID = "acquirer_mid"
	demoTID    = "T0000001"
	demoMID    = "898310012345678"
)

// signOnWait is how long connecting waits for the sign-on's answer.
const signOnWait = 10 * time.Second

// Config is what the link is built from.
type Config struct {
	Store      *models.Store
	TerminalID string
	Currency   models.Currency
	// Addr is the acquirer's HOST:PORT; empty starts a simulated host in
	// this process (demo mode).
	Addr string
	// Offline is the offline policy in force, asked at each payment (the
	// floor limit is a setting that may change at any time).
	Offline func() payments.OfflinePolicy
	// OnStatus is told, from the worker's goroutine, how many payments are
	// not yet reported, when the last was, and whether the host is
	// connected.
	OnStatus func(pending int64, last time.Time, connected bool)
	// Log reports errors that have no one to show them to; nil logs them.
	Log func(what string, err error)
	// Session says who is signed in, named in the audit as the one who
	// asked for a settlement; nil names the approver alone.
	Session Session
	// MasterKey opens the terminal master key the acquirer's custodians
	// loaded (models.ErrNoMasterKey when none is); the in-process simulator
	// uses the demo's when none is loaded.
	MasterKey func(ctx context.Context) ([]byte, error)
	// CardSeal seals the card data of offline approvals until advised;
	// without it nothing is approved offline.
	CardSeal []byte
}

// Session is who is signed in; *staff.Session is one.
type Session interface {
	Operator() models.Operator
}

// conn is one connection to the acquirer.
type conn struct {
	host   *simhost.Host // the in-process simulator in demo mode, else nil
	link   *acquirer.Link
	syncer *acquirer.Syncer
	auth   acquirer.Authorizer // a template: each use takes a copy
}

// Link is the terminal's link to its acquirer.
type Link struct {
	cfg      Config
	mu       sync.Mutex // serialises connecting
	settling sync.Mutex // one settlement at a time
	cur      atomic.Pointer[conn]
	gate     *acquirer.Gate // the one gate to the host, for every connection in turn and offline decisions
	cancel   context.CancelFunc
	stopped  sync.WaitGroup
}

// New is a link not yet connected; it connects on first use or when Run
// starts.
func New(cfg Config) *Link {
	if cfg.Offline == nil {
		cfg.Offline = func() payments.OfflinePolicy { return payments.DefaultOfflinePolicy }
	}
	cfg.Log = services.LogOr(cfg.Log)
	return &Link{cfg: cfg, gate: acquirer.NewGate()}
}

// Connected reports whether the host is connected now.
func (l *Link) Connected() bool {
	c := l.cur.Load()
	return c != nil && !c.link.Closed()
}

// ErrNotSetUp means the terminal and merchant IDs or the master key the
// acquirer gave the shop are not set, so no real host is dialled.
var ErrNotSetUp = &models.Error{Code: models.EINVALID, Key: "error.acquirer.not_set_up",
	Fallback: "The acquirer is not set up: enter the terminal ID, merchant ID and master key the acquirer gave the shop"}

// credentials are the terminal's IDs and master key at the acquirer: as
// set, or for the simulator (no host address) the demo's where not set.
func (l *Link) credentials(ctx context.Context) (tid, mid string, tmk []byte, err error) {
	s := l.cfg.Store
	simulated := l.cfg.Addr == ""
	get := func(setting, demo string) (string, error) {
		def := ""
		if simulated {
			def = demo
		}
		v, err := s.Setting(ctx, setting, def)
		if err == nil && v == "" {
			err = ErrNotSetUp
		}
		return v, err
	}
	if tid, err = get(SettingTID, demoTID); err != nil {
		return "", "", nil, err
	}
	if mid, err = get(SettingMID, demoMID); err != nil {
		return "", "", nil, err
	}
	if l.cfg.MasterKey != nil {
		tmk, err = l.cfg.MasterKey(ctx)
	}
	if l.cfg.MasterKey == nil || errors.Is(err, models.ErrNoMasterKey) {
		if !simulated {
			return "", "", nil, ErrNotSetUp
		}
		tmk, err = hex.DecodeString(simhost.DemoMasterKey)
	}
	if err != nil {
		return "", "", nil, fmt.Errorf("hostlink: master key: %w", err)
	}
	return tid, mid, tmk, nil
}

// connect dials the acquirer (or starts the simulator), and dials again
// when the connection has ended; it signs on at once.
func (l *Link) connect(ctx context.Context) (*conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.cur.Load()
	if old != nil && !old.link.Closed() {
		return old, nil
	}
	tid, mid, tmk, err := l.credentials(ctx)
	if err != nil {
		return nil, err
	}
	c := &conn{}
	if old != nil {
		c.host = old.host // the simulator outlives a connection to it
	}
	addr := l.cfg.Addr
	if addr == "" && c.host == nil {
		if c.host, err = simhost.Start(simhost.Options{MasterKey: tmk}); err != nil {
			return nil, err
		}
	}
	if c.host != nil {
		addr = c.host.Addr()
	}
	opts := acquirer.LinkOptions{MasterKey: tmk, Log: l.cfg.Log, Gate: l.gate,
		NextSTAN: func(ctx context.Context) (int, error) { return l.cfg.Store.NextSTAN(ctx, l.cfg.TerminalID) }}
	if c.host == nil {
		// A real host: TLS trusting the acquirer's CA alone, required
		// unless the host is on this machine.
		ca, err := l.cfg.Store.Setting(ctx, models.SettingAcquirerCA, "")
		if err != nil {
			return nil, err
		}
		if err := models.CheckAcquirerTLS(addr, []byte(ca)); err != nil {
			return nil, err
		}
		opts.PinnedCA = []byte(ca)
	}
	term := acquirer.Terminal{TID: tid, MID: mid}
	link, err := acquirer.Dial(ctx, addr, term, opts)
	if err != nil {
		if c.host != nil && old == nil {
			c.host.Close()
		}
		return nil, err
	}
	c.link = link
	c.syncer = &acquirer.Syncer{Link: link, Outbox: l.cfg.Store, Terminal: term, TerminalID: l.cfg.TerminalID}
	c.auth = acquirer.Authorizer{Link: link, Journal: l.cfg.Store, Terminal: term, TerminalID: l.cfg.TerminalID,
		Currency: l.cfg.Currency, CardSeal: l.cfg.CardSeal}
	l.cur.Store(c)
	// A host that does not answer the sign-on does not hold up the
	// payment that dialled for long: it is then decided offline.
	sctx, cancel := context.WithTimeout(ctx, signOnWait)
	defer cancel()
	if err := link.SignOn(sctx); err != nil {
		// Payments sign on again as they need; the worker reports it.
		l.cfg.Log("hostlink: sign-on", err)
	}
	return c, nil
}

// authorizer is a copy of c's authorizer with the offline policy in force.
func (l *Link) authorizer(c *conn) *acquirer.Authorizer {
	a := c.auth
	a.Offline = l.cfg.Offline()
	return &a
}

// Authorizer connects if need be and gives an authorizer for one payment,
// void or refund.
func (l *Link) Authorizer(ctx context.Context) (*acquirer.Authorizer, error) {
	c, err := l.connect(ctx)
	if err != nil {
		return nil, err
	}
	return l.authorizer(c), nil
}

// Offline is an authorizer without a link, for a payment while the host
// cannot be dialled: it approves offline what the offline policy allows
// and declines the rest.
func (l *Link) Offline(currency models.Currency) *acquirer.Authorizer {
	return &acquirer.Authorizer{Journal: l.cfg.Store, TerminalID: l.cfg.TerminalID, Currency: currency,
		Offline: l.cfg.Offline(), CardSeal: l.cfg.CardSeal, Gate: l.gate}
}

// Online is an authorizer after every offline approval has been reported,
// for a void or refund (the host must know a payment to undo it).
func (l *Link) Online(ctx context.Context) (*acquirer.Authorizer, error) {
	a, err := l.Authorizer(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", acquirer.ErrOnlineNeeded, err)
	}
	if _, err := a.ForwardAdvices(ctx); err != nil {
		return nil, fmt.Errorf("%w: %w", acquirer.ErrOnlineNeeded, err)
	}
	return a, nil
}

// Status counts the payments not yet reported, gives the last report time,
// and whether the host is connected.
func (l *Link) Status(ctx context.Context) (int64, time.Time, bool, error) {
	pending, last, err := l.cfg.Store.OutboxStatus(ctx)
	return pending, last, l.Connected(), err
}

// SyncNow reports every pending payment, telling progress how many are done.
func (l *Link) SyncNow(ctx context.Context, progress func(done int)) (int, error) {
	c, err := l.connect(ctx)
	if err != nil {
		return 0, err
	}
	n, err := c.syncer.Drain(ctx, progress)
	l.publish(ctx)
	return n, err
}

// OpenBatch is what the open batch holds: its number, its payments and
// the totals a settlement would send.
func (l *Link) OpenBatch(ctx context.Context) (models.BatchContents, error) {
	return l.cfg.Store.OpenBatch(ctx, l.cfg.TerminalID)
}

// Settle closes the open batch with the host, authorized by by, after
// reporting the offline approvals. Only a manager may (models.CanSettle),
// and a batch with nothing in it is refused (models.CanSettleBatch) before
// anything goes to the host. The authorization is audited first; the
// totals come back by card scheme and QR wallet too.
func (l *Link) Settle(ctx context.Context, by models.Operator) (acquirer.Settlement, error) {
	if err := l.cfg.Store.Allowed(ctx, by, models.PermDayClose); err != nil {
		return acquirer.Settlement{}, err
	}
	l.settling.Lock()
	defer l.settling.Unlock()
	b, err := l.OpenBatch(ctx)
	if err != nil {
		return acquirer.Settlement{}, err
	}
	if err := models.CanSettleBatch(b); err != nil {
		return acquirer.Settlement{Batch: b.Batch}, err
	}
	if err := l.auditSettle(ctx, by, b); err != nil {
		return acquirer.Settlement{Batch: b.Batch}, err
	}
	a, err := l.Authorizer(ctx)
	if err != nil {
		return acquirer.Settlement{Batch: b.Batch}, err
	}
	if _, err := a.ForwardAdvices(ctx); err != nil {
		return acquirer.Settlement{Batch: b.Batch}, err
	}
	if _, err := l.uploadSignatures(ctx, a); err != nil {
		// The batch settles all the same: the paper merchant copies carry
		// the signatures the host lacks.
		l.cfg.Log("hostlink: signatures before settling", err)
	}
	res, err := a.Settle(ctx)
	if err != nil {
		return res, err
	}
	if res.Schemes, err = l.cfg.Store.BatchSchemeTotals(ctx, l.cfg.TerminalID, res.Batch); err != nil {
		// The batch is settled all the same; only its slip lacks the detail.
		l.cfg.Log("hostlink: settled batch by scheme", err)
	}
	return res, nil
}

// auditSettle records that by authorized settling batch b, asked by the
// operator signed in.
func (l *Link) auditSettle(ctx context.Context, by models.Operator, b models.BatchContents) error {
	asked := by
	if l.cfg.Session != nil {
		asked = l.cfg.Session.Operator()
	}
	t := b.Totals
	detail := fmt.Sprintf("batch=%d payments=%d sales=%d:%d refunds=%d:%d", b.Batch, b.Payments,
		t.DebitCount, t.DebitAmount, t.CreditCount, t.CreditAmount)
	if err := l.cfg.Store.AuditApproval(ctx, l.cfg.TerminalID, models.ActionSettle, by, asked, detail); err != nil {
		return fmt.Errorf("hostlink: audit the settlement of batch %d: %w", b.Batch, err)
	}
	return nil
}

// SimulateQRScan pays a QR payload at the simulated host, as a customer's
// phone would after scanning it with WeChat Pay (demo mode only).
func (l *Link) SimulateQRScan(ctx context.Context, payload string) error {
	c, err := l.connect(ctx)
	if err != nil {
		return err
	}
	if c.host == nil {
		return acquirer.ErrNotConfigured
	}
	return c.host.PayQRPayload(payload, qrpay.WeChat)
}

// Simulated reports whether the host is the in-process simulator.
func (l *Link) Simulated() bool { return l.cfg.Addr == "" }

// syncOnce settles owed reversals, reports offline approvals, resolves QR
// payments left awaiting, drains the outbox, and publishes the status.
func (l *Link) syncOnce(ctx context.Context) error {
	defer l.publish(ctx)
	c, err := l.connect(ctx)
	if err != nil {
		return err
	}
	a := l.authorizer(c)
	a.Background = true
	// Reversals owed (a request in flight when the terminal stopped, say)
	// and advices of offline approvals go first. A refused advice is
	// reported and does not hold up the rest.
	if err := a.SettleReversals(ctx); err != nil {
		return err
	}
	if _, err := a.ForwardAdvices(ctx); errors.Is(err, acquirer.ErrAdviceRefused) {
		l.cfg.Log("hostlink: advices", err)
	} else if err != nil {
		return err
	}
	// QR payments left awaiting the customer (Till stopped mid-way).
	if err := a.ResolveAwaiting(ctx, time.Now()); err != nil {
		return err
	}
	// Cardholders' signatures of approved payments.
	if _, err := l.uploadSignatures(ctx, a); err != nil {
		return err
	}
	_, err = c.syncer.Drain(ctx, nil)
	return err
}

// uploadSignatures sends the acquirer the cardholders' signatures it is
// owed, oldest first, and returns how many it took. A refusal (by the
// host, or an upload that cannot be built) counts as one of the
// signature's models.SignatureUploadTries and the rest go on; a link that
// fails stops them all, to be tried again at the next round.
func (l *Link) uploadSignatures(ctx context.Context, a *acquirer.Authorizer) (int, error) {
	owed, err := l.cfg.Store.SignaturesToUpload(ctx)
	if err != nil || len(owed) == 0 {
		return 0, err
	}
	merchant, err := l.cfg.Store.Setting(ctx, models.SettingStoreName, "")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range owed {
		req, err := l.cfg.Store.RequestByKey(ctx, l.cfg.TerminalID, o.Payment.Key)
		if err == nil && req.RRN == "" {
			continue // approved offline, not advised yet: no reference to sign against
		}
		if err == nil {
			err = a.UploadSignature(ctx, acquirer.SignatureUpload{Amount: o.Payment.Amount, Currency: o.Payment.Currency,
				RRN: req.RRN, AuthCode: req.AuthCode, Batch: req.Batch, At: o.Payment.CreatedAt, MerchantName: merchant,
				Image: o.Signature.Image})
		}
		if linkDown(err) {
			return n, err
		}
		if err := l.cfg.Store.SignatureUploaded(ctx, o.Signature.ID, err); err != nil {
			return n, err
		}
		if err == nil {
			n++
		} else {
			l.cfg.Log(fmt.Sprintf("hostlink: signature of payment %d refused", o.Payment.ID), err)
		}
	}
	return n, nil
}

// linkDown reports whether err is the link failing (or giving way to a
// payment) rather than an upload the host, or Till, refused.
func linkDown(err error) bool {
	for _, e := range []error{acquirer.ErrYield, acquirer.ErrUnreachable, acquirer.ErrTimeout, acquirer.ErrConnectionLost,
		acquirer.ErrNoSession, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// publish tells OnStatus how sync stands.
func (l *Link) publish(ctx context.Context) {
	if l.cfg.OnStatus == nil {
		return
	}
	pending, last, err := l.cfg.Store.OutboxStatus(ctx)
	if err != nil {
		l.cfg.Log("hostlink: sync status", err)
		return
	}
	l.cfg.OnStatus(pending, last, l.Connected())
}

// Start runs the sync worker in the background until Close: every few
// seconds while the host answers, backing off up to a minute while it
// cannot be reached.
func (l *Link) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.stopped.Add(1)
	go func() {
		defer l.stopped.Done()
		l.run(ctx)
	}()
}

func (l *Link) run(ctx context.Context) {
	wait := time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := l.syncOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, acquirer.ErrYield):
			wait = time.Second // a payment has the link: go on after it
		case err != nil:
			// The link is never closed here: a payment may be using it. A
			// connection that has ended is dialled again at the next use.
			l.cfg.Log("hostlink: sync", err)
			wait = min(wait*2, time.Minute)
		default:
			wait = 5 * time.Second
		}
	}
}

// Close stops the worker, the link and the simulator.
func (l *Link) Close() {
	if l.cancel != nil {
		l.cancel()
		l.stopped.Wait()
	}
	c := l.cur.Swap(nil)
	if c == nil {
		return
	}
	c.link.Close()
	if c.host != nil {
		c.host.Close()
	}
}

// Connect connects to the host now, if not connected yet.
func (l *Link) Connect(ctx context.Context) error {
	_, err := l.connect(ctx)
	return err
}

// SyncOnce runs one round of the worker: owed reversals, offline
// approvals' advices, QR payments left awaiting, then the outbox.
func (l *Link) SyncOnce(ctx context.Context) error { return l.syncOnce(ctx) }

// Simulator is the in-process simulated host of demo mode once connected;
// nil otherwise.
func (l *Link) Simulator() *simhost.Host {
	if c := l.cur.Load(); c != nil {
		return c.host
	}
	return nil
}
