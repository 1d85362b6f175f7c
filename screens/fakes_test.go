package screens

// This file holds what the screen tests share: a test window and UI, small
// hand-written fakes of the screens' interfaces, and helpers that find
// buttons and text on the window as a cashier would see them.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/screens/widgets"
)

// testNow is the fixed clock of every screen test: a Friday morning.
var testNow = time.Date(2025, 3, 14, 10, 30, 0, 0, time.Local)

var (
	cashier = models.Operator{ID: 1, Name: "Zhang San", Role: models.RoleCashier, Active: true}
	manager = models.Operator{ID: 2, Name: "Boss Wang", Role: models.RoleManager, Active: true}
	owner   = models.Operator{ID: 3, Name: "Wang Fang", Role: models.RoleOwner, Active: true}
)

type fakeSession struct{ op models.Operator }

func (s fakeSession) Operator() models.Operator { return s.op }

// newTestUI starts a test app and an empty window, and returns the UI the
// screens get: inline async work, a fixed clock, op signed in, English.
func newTestUI(t *testing.T, op models.Operator) *UI {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("till")
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	return &UI{
		Window:  w,
		Shop:    Shop{Name: "Corner Shop", TerminalID: "T01", Currency: models.CNY, TaxMode: models.TaxInclusive, Lang: "en", Version: "test"},
		Session: fakeSession{op},
		Async:   InlineAsync,
		Do:      func(f func()) { f() },
		Now:     func() time.Time { return testNow },
		// No real timer fires from its own goroutine into a test that runs
		// the UI inline; tests about timers set a fake clock.
		After: func(time.Duration, func()) Timer { return neverTimer{} },
	}
}

// neverTimer is a timer that never fires.
type neverTimer struct{}

func (neverTimer) Stop() bool { return false }

// showOn puts a screen's content on the window, laid out at full size.
func showOn(ui *UI, o fyne.CanvasObject) {
	ui.Window.SetContent(o)
	ui.Window.Resize(fyne.NewSize(1280, 800))
}

// Finding what the window shows (internal/uitest).
var (
	walk       = uitest.Walk
	top        = uitest.Top
	button     = uitest.Button
	textsUnder = uitest.TextsUnder
	texts      = uitest.Texts
	shown      = uitest.Shown
	entries    = uitest.Entries

	buttonContaining = uitest.ButtonContaining
)

// findButton finds a button by its text in the top dialog (or the
// window); nil when there is none.
func findButton(w fyne.Window, text string) *widget.Button { return uitest.FindButton(w, text, false) }

// iconButton finds a button that shows only the icon icon.
func iconButton(t *testing.T, w fyne.Window, icon fyne.Resource) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(top(w), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.Icon != nil && b.Icon.Name() == icon.Name() {
			found = b
			return true
		}
		return false
	})
	if found == nil {
		t.Fatalf("no button with the icon %s", icon.Name())
	}
	return found
}

// tap taps the buttons with these texts, in order, in the top dialog (or
// the window): keypad keys, OK, a tab.
func tap(t *testing.T, w fyne.Window, texts ...string) {
	t.Helper()
	for _, s := range texts {
		b := button(t, w, s)
		if b.Disabled() {
			t.Fatalf("button %q is disabled", s)
		}
		test.Tap(b)
	}
}

// keys taps each character of s on the keypad of the top dialog (or the
// window).
func keys(t *testing.T, w fyne.Window, s string) {
	t.Helper()
	for _, r := range s {
		tap(t, w, string(r))
	}
}

func mustShow(t *testing.T, w fyne.Window, s string) {
	t.Helper()
	if !shown(w, s) {
		t.Fatalf("%q is not shown; shown:\n%s", s, strings.Join(texts(w), "\n"))
	}
}

// dialogShown reports whether a dialog is open on w.
func dialogShown(w fyne.Window) bool { return w.Canvas().Overlays().Top() != nil }

// tapRow taps the tappable row (a list item) showing text.
func tapRow(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	var found fyne.Tappable
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		tp, ok := o.(fyne.Tappable)
		if !ok {
			return false
		}
		if _, isButton := o.(*widget.Button); isButton {
			return false
		}
		for _, s := range textsUnder(o) {
			if s == text {
				found = tp // the deepest tappable showing text is visited last
			}
		}
		return false
	})
	if found == nil {
		t.Fatalf("no row shows %q", text)
	}
	test.Tap(found)
}

// tiles are the product tiles shown, by name.
func tiles(w fyne.Window) map[string]*widgets.ProductTile {
	out := map[string]*widgets.ProductTile{}
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if pt, ok := o.(*widgets.ProductTile); ok {
			out[pt.Name()] = pt
		}
		return false
	})
	return out
}

// findKeypad is the keypad of the top dialog (or the window); nil if none.
func findKeypad(w fyne.Window) *widgets.Keypad {
	var found *widgets.Keypad
	walk(top(w), func(o fyne.CanvasObject) bool {
		found, _ = o.(*widgets.Keypad)
		return found != nil
	})
	return found
}

// Products of the fake catalog.
var (
	cola   = models.CatalogItem{ID: 1, SKU: "COLA330", Name: "可口可乐 330ml", NameEN: "Coca-Cola 330ml", CategoryID: 1, Price: 350, TaxRateBP: 1300, Currency: models.CNY, Unit: "瓶", UnitEN: "bottle"}
	water  = models.CatalogItem{ID: 2, SKU: "WATER550", Name: "农夫山泉 550ml", NameEN: "Spring water 550ml", CategoryID: 1, Price: 200, TaxRateBP: 1300, Currency: models.CNY, Unit: "瓶", UnitEN: "bottle"}
	crisps = models.CatalogItem{ID: 3, SKU: "CRISPS", Name: "薯片", NameEN: "Potato crisps", CategoryID: 2, Price: 600, TaxRateBP: 1300, Currency: models.CNY, Unit: "袋", UnitEN: "bag"}
)

const colaCode = "6901234567892"

// fakeCatalog is an in-memory catalog of three products in two
// categories; it records what was searched.
type fakeCatalog struct {
	idx      *models.CatalogIndex
	searches []string
	loading  bool // not loaded yet
}

func newFakeCatalog() *fakeCatalog {
	b := models.NewCatalogIndexBuilder(3, []uint{1, 2})
	b.Add(cola, []string{colaCode}, "kkkl", "kekoukele")
	b.Add(water, []string{"6921168509256"}, "nfsq", "nongfushanquan")
	b.Add(crisps, []string{"6924743915763"}, "sp", "shupian")
	return &fakeCatalog{idx: b.Build()}
}

func (c *fakeCatalog) Categories() []models.Category {
	return []models.Category{{ID: 1, Name: "饮料", NameEN: "Drinks"}, {ID: 2, Name: "零食", NameEN: "Snacks"}}
}
func (c *fakeCatalog) InCategory(id uint) models.CatalogList { return c.idx.InCategory(id) }
func (c *fakeCatalog) All() models.CatalogList               { return c.idx.All() }
func (c *fakeCatalog) Search(q string, limit int) models.CatalogList {
	c.searches = append(c.searches, q)
	return c.idx.Search(q, limit)
}
func (c *fakeCatalog) Lookup(code string) (models.CatalogItem, bool) { return c.idx.Lookup(code) }
func (c *fakeCatalog) Loaded() bool                                  { return !c.loading }

// orderOf is an open order of n of each item, in the order given.
func orderOf(t *testing.T, items ...any) *models.Order {
	t.Helper()
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	for i := 0; i < len(items); i += 2 {
		if _, err := o.AddProduct(items[i].(models.CatalogItem).Product(), models.Units(int64(items[i+1].(int)))); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// errUnknownCode is what the fake staff says of a code it does not know.
var errUnknownCode = &models.Error{Code: models.ENOTFOUND, Key: "error.login.unknown_code", Fallback: "No operator has that code"}

// fakeStaff knows the cashier (1111) and the manager (8888); with fingers,
// Identify returns finger (or fingerErr).
type fakeStaff struct {
	fingers   bool
	finger    models.Operator
	fingerErr error
	codes     []string // asked of OperatorByCode
	managers  []string // asked of ManagerByCode
	codeErr   error    // when set, what any code gets (a lock-out, say)
	// approveByOTP, when set, checks an owner's one-time code; nil: no
	// owner has an authenticator.
	approveByOTP func(code string) (models.Operator, error)
	otpCodes     []string // asked of ApproveByOTP
}

func (s *fakeStaff) byCode(code string) (models.Operator, bool) {
	op, ok := map[string]models.Operator{"1111": cashier, "8888": manager, "582931": owner}[code]
	return op, ok
}

func (s *fakeStaff) OperatorByCode(_ context.Context, code string) (models.Operator, error) {
	s.codes = append(s.codes, code)
	if s.codeErr != nil {
		return models.Operator{}, s.codeErr
	}
	if op, ok := s.byCode(code); ok {
		return op, nil
	}
	return models.Operator{}, errUnknownCode
}

func (s *fakeStaff) ManagerByCode(_ context.Context, code string) (models.Operator, error) {
	s.managers = append(s.managers, code)
	if s.codeErr != nil {
		return models.Operator{}, s.codeErr
	}
	op, ok := s.byCode(code)
	if !ok || !op.IsManager() {
		return models.Operator{}, models.ErrManagerNeeded
	}
	return op, nil
}

func (s *fakeStaff) HasFingers() bool { return s.fingers }

// Allowed follows the default matrix.
func (s *fakeStaff) Allowed(_ context.Context, op models.Operator, p models.Permission) error {
	return models.DefaultPermissions().Check(op, p)
}

func (s *fakeStaff) Identify(context.Context) (models.Operator, error) {
	return s.finger, s.fingerErr
}

func (s *fakeStaff) HasOTP(context.Context) (bool, error) { return s.approveByOTP != nil, nil }

func (s *fakeStaff) ApproveByOTP(_ context.Context, code string) (models.Operator, error) {
	s.otpCodes = append(s.otpCodes, code)
	if s.approveByOTP == nil {
		return models.Operator{}, &models.Error{Code: models.ENOTFOUND, Key: "error.otp.none", Fallback: "No owner has set up an authenticator for one-time codes"}
	}
	return s.approveByOTP(code)
}

// holdCall is one call of HoldOrder.
type holdCall struct {
	lines int
	total int64
	label string
}

// fakeSell is the sell screen's service. Products not in stock are not
// tracked; forbid turns selling below zero stock off.
type fakeSell struct {
	holds      []holdCall
	held       []models.HeldOrder
	recalled   []uint
	recall     *models.Order // what RecallOrder returns
	limit      int64
	drawerErr  error
	opened     []models.Operator
	stock      map[uint]models.Quantity
	stockReads []uint // the products whose stock was read
	forbid     bool
}

func (f *fakeSell) HoldOrder(_ context.Context, o *models.Order, label string) error {
	f.holds = append(f.holds, holdCall{len(o.Lines), o.Total, label})
	return nil
}
func (f *fakeSell) HeldOrders(context.Context) ([]models.HeldOrder, error) { return f.held, nil }
func (f *fakeSell) RecallOrder(_ context.Context, id uint) (*models.Order, error) {
	f.recalled = append(f.recalled, id)
	return f.recall.Clone(), nil
}
func (f *fakeSell) DiscountLimit() int64 { return f.limit }
func (f *fakeSell) StockLevel(_ context.Context, id uint) (models.StockLevel, error) {
	f.stockReads = append(f.stockReads, id)
	q, tracked := f.stock[id]
	return models.StockLevel{ProductID: id, Name: "?", Stock: q, Untracked: !tracked}, nil
}
func (f *fakeSell) AllowBelowZero() bool { return !f.forbid }
func (f *fakeSell) CanOpenDrawer() error { return f.drawerErr }
func (f *fakeSell) OpenDrawer(_ context.Context, m models.Operator) error {
	f.opened = append(f.opened, m)
	return nil
}

// commitCall is one call of CommitSale.
type commitCall struct {
	order    *models.Order
	payments []models.Payment
}

// fakeCash stores cash sales, numbering them; err fails the next commit.
type fakeCash struct {
	commits []commitCall
	err     error
}

func (f *fakeCash) CommitSale(_ context.Context, o *models.Order, ps []models.Payment) error {
	f.commits = append(f.commits, commitCall{o.Clone(), ps})
	if err := f.err; err != nil {
		f.err = nil
		return err
	}
	o.ID = uint(100 + len(f.commits))
	o.Number = "T01-0000010" + string(rune('0'+len(f.commits)))
	o.Status = models.OrderPaid
	o.Payments = ps
	return nil
}

// fakeCards plays a card payment: it reports steps, calling seen after
// each, stores the order, and ends with result or err.
type fakeCards struct {
	reader string
	steps  []payments.CardStep
	seen   func(payments.CardStep)
	result payments.CardResult
	err    error
	paid   []int64 // the totals asked for
}

func (f *fakeCards) Reader(context.Context) (string, error) { return f.reader, nil }

func (f *fakeCards) Pay(_ context.Context, o *models.Order, step func(payments.CardStep)) (payments.CardResult, error) {
	f.paid = append(f.paid, o.Total)
	for _, s := range f.steps {
		step(s)
		if f.seen != nil {
			f.seen(s)
		}
	}
	if o.ID == 0 {
		o.ID, o.Number, o.Status = 41, "T01-00000041", models.OrderAwaiting
	}
	if f.err == nil && f.result.Approved {
		o.Status = models.OrderPaid
		o.Payments = append(o.Payments, models.Payment{Tender: models.TenderCard, Status: models.PaymentApproved,
			Amount: o.Total, Tendered: o.Total, MaskedPAN: f.result.MaskedPAN, AuthCode: f.result.AuthCode})
	}
	return f.result, f.err
}

// fakeQR opens a QR order (payload) and waits for it, telling left and
// then calling seen; PayCode answers codes from results in turn.
type fakeQR struct {
	payload string
	left    time.Duration
	seen    func()
	await   payments.QRResult
	shown   []int64  // totals a QR was opened for
	codes   []string // payment codes charged
	results []payments.QRResult
}

func (f *fakeQR) Show(_ context.Context, o *models.Order) (string, error) {
	f.shown = append(f.shown, o.Total)
	o.ID, o.Number, o.Status = 51, "T01-00000051", models.OrderAwaiting
	return f.payload, nil
}

func (f *fakeQR) Await(_ context.Context, o *models.Order, left func(time.Duration)) (payments.QRResult, error) {
	left(f.left)
	if f.seen != nil {
		f.seen()
	}
	if f.await.Approved {
		o.Status = models.OrderPaid
	}
	return f.await, nil
}

func (f *fakeQR) PayCode(_ context.Context, o *models.Order, code string, wait func(time.Duration)) (payments.QRResult, error) {
	f.codes = append(f.codes, code)
	o.ID, o.Number, o.Status = 52, "T01-00000052", models.OrderAwaiting
	wait(f.left)
	if f.seen != nil {
		f.seen()
	}
	res := f.results[0]
	f.results = f.results[1:]
	if res.Approved {
		o.Status = models.OrderPaid
	}
	return res, nil
}

// balancePay is one call of BalancePayments.Pay.
type balancePay struct {
	member uint
	amount int64
}

// fakeBalance finds member by a finger (or fails with err) and pays from
// their balance.
type fakeBalance struct {
	member models.Member
	err    error
	pays   []balancePay
}

func (f *fakeBalance) Identify(context.Context) (models.Member, error) { return f.member, f.err }

func (f *fakeBalance) Pay(_ context.Context, o *models.Order, m models.Member, amount int64) error {
	f.pays = append(f.pays, balancePay{m.ID, amount})
	due := o.Due()
	o.ID = 61
	o.Payments = append(o.Payments, models.Payment{Tender: models.TenderFingerprint, Status: models.PaymentApproved, Amount: amount, Tendered: amount, MemberID: m.ID})
	if amount >= due {
		o.Status = models.OrderPaid
	} else {
		o.Status = models.OrderAwaiting
	}
	return nil
}

// findCall is one call of FindOrders.
type findCall struct {
	from, to time.Time
	text     string
}

// undoCall is one void or refund.
type undoCall struct {
	id      uint
	amount  int64 // 0 for a void
	manager string
}

// fakeOrders holds a day's orders; a void or refund changes the stored one.
type fakeOrders struct {
	orders  []models.Order
	open    int // the open batch
	finds   []findCall
	voids   []undoCall
	refunds []undoCall
}

func (f *fakeOrders) FindOrders(_ context.Context, from, to time.Time, text string) ([]models.Order, error) {
	f.finds = append(f.finds, findCall{from, to, text})
	var out []models.Order
	for _, o := range f.orders {
		if text == "" || strings.Contains(o.Number, text) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (f *fakeOrders) byID(id uint) *models.Order {
	for i := range f.orders {
		if f.orders[i].ID == id {
			return &f.orders[i]
		}
	}
	return nil
}

func (f *fakeOrders) OrderByID(_ context.Context, id uint) (*models.Order, error) {
	if o := f.byID(id); o != nil {
		return o.Clone(), nil
	}
	return nil, &models.Error{Code: models.ENOTFOUND, Key: "error.order.not_found", Fallback: "No such order"}
}

func (f *fakeOrders) OrderHistory(context.Context, *models.Order) ([]models.HistoryEvent, error) {
	return []models.HistoryEvent{{At: testNow, Kind: "audit:sale"}}, nil
}

func (f *fakeOrders) OpenBatchNumber(context.Context) (int, error) { return f.open, nil }

func (f *fakeOrders) Void(_ context.Context, id uint, m models.Operator) (*models.Order, error) {
	f.voids = append(f.voids, undoCall{id, 0, m.Name})
	o := f.byID(id)
	o.Status = models.OrderVoided
	return o.Clone(), nil
}

func (f *fakeOrders) Refund(_ context.Context, id uint, amount int64, m models.Operator) (*models.Order, error) {
	f.refunds = append(f.refunds, undoCall{id, amount, m.Name})
	o := f.byID(id)
	o.Refunded += amount
	o.Status = models.OrderRefunded
	return o.Clone(), nil
}

// fakePrinter records what would be printed.
type fakePrinter struct {
	receipts []string // order numbers, "(reprint)" marked
	slips    [][]receipt.Row
}

func (p *fakePrinter) Receipt(o *models.Order, reprint bool) {
	n := o.Number
	if reprint {
		n += " (reprint)"
	}
	p.receipts = append(p.receipts, n)
}
func (p *fakePrinter) Slip(rows []receipt.Row) { p.slips = append(p.slips, rows) }

// fakeDayEnd returns takings for any day and records the days asked.
type fakeDayEnd struct {
	takings models.Takings
	asked   []findCall
}

func (f *fakeDayEnd) TakingsBetween(_ context.Context, from, to time.Time) (models.Takings, error) {
	f.asked = append(f.asked, findCall{from: from, to: to})
	return f.takings, nil
}

// fakeHost is the link to the acquirer: status, a sync reporting
// progress (seen after each), a settlement.
type fakeHost struct {
	pending   int64
	last      time.Time
	connected bool
	progress  []int
	seen      func(n int)
	syncErr   error
	syncs     int
	batch     models.BatchContents // the open batch
	settle    acquirer.Settlement
	settleErr error
	settles   int
	by        []string // who authorized each settlement
}

func (h *fakeHost) Status(context.Context) (int64, time.Time, bool, error) {
	return h.pending, h.last, h.connected, nil
}

func (h *fakeHost) SyncNow(_ context.Context, progress func(done int)) (int, error) {
	h.syncs++
	done := 0
	for _, n := range h.progress {
		progress(n)
		done = n
		if h.seen != nil {
			h.seen(n)
		}
	}
	if h.syncErr == nil {
		h.pending = 0
	}
	return done, h.syncErr
}

func (h *fakeHost) OpenBatch(context.Context) (models.BatchContents, error) { return h.batch, nil }

func (h *fakeHost) Settle(_ context.Context, by models.Operator) (acquirer.Settlement, error) {
	h.settles++
	h.by = append(h.by, by.Name)
	return h.settle, h.settleErr
}

// fakeSlips records the slips printed; err fails each.
type fakeSlips struct {
	slips [][]receipt.Row
	err   error
}

func (p *fakeSlips) PrintSlip(_ context.Context, rows []receipt.Row) error {
	p.slips = append(p.slips, rows)
	return p.err
}

// fakeAutoLock stores the auto-lock minutes, and who set them.
type fakeAutoLock struct {
	minutes int
	set     []int
	by      []string
}

func (f *fakeAutoLock) AutoLockMinutes() int { return f.minutes }
func (f *fakeAutoLock) SetAutoLockMinutes(_ context.Context, m int, by models.Operator) error {
	f.set = append(f.set, m)
	f.by = append(f.by, by.Name)
	f.minutes = m
	return nil
}

// limitCall is one call of SetDiscountLimit.
type limitCall struct {
	bp      int64
	manager string
}

// fakeLimits stores the cashier discount limit.
type fakeLimits struct {
	bp   int64
	sets []limitCall
}

func (f *fakeLimits) DiscountLimit() int64 { return f.bp }
func (f *fakeLimits) SetDiscountLimit(_ context.Context, bp int64, m models.Operator) error {
	f.sets = append(f.sets, limitCall{bp, m.Name})
	f.bp = bp
	return nil
}

// fakeMembers is the stored-value programme: Find filters members by name;
// Add stores one; Enroll reports three readings.
type fakeMembers struct {
	fakeBalance
	members []models.Member
	finds   []string
	added   []string // name/phone
	addErr  error
	enrols  []string
	steps   []int
	removed []string // name, by whom
	paidOut []string // name, by whom
	noShift bool     // no shift is open: payouts are refused
	payErr  error    // when set, what a payout gets
	// removeErr, when set, is what a removal gets.
	removeErr error
}

func (f *fakeMembers) Find(_ context.Context, text string) ([]models.Member, error) {
	f.finds = append(f.finds, text)
	var out []models.Member
	for _, m := range f.members {
		if strings.Contains(m.Name, text) || strings.Contains(m.Phone, text) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (f *fakeMembers) Add(_ context.Context, name, phone string, _ models.Operator) (models.Member, error) {
	f.added = append(f.added, name+"/"+phone)
	if f.addErr != nil {
		return models.Member{}, f.addErr
	}
	m := models.Member{ID: uint(10 + len(f.members)), Name: name, Phone: phone[:3] + "****" + phone[len(phone)-4:], Active: true}
	f.members = append(f.members, m)
	return m, nil
}

func (f *fakeMembers) Enroll(_ context.Context, m models.Member, step func(n int)) error {
	f.enrols = append(f.enrols, m.Name)
	for n := 1; n <= 3; n++ {
		step(n)
		f.steps = append(f.steps, n)
	}
	return nil
}

func (f *fakeMembers) TopUp(m models.Member, amount int64) (*models.Order, error) {
	return models.NewTopUpOrder(models.CNY, m, amount)
}

func (f *fakeMembers) LinkCard(context.Context, models.Member, models.Operator, func()) (string, error) {
	return "", errors.New("no reader")
}

func (f *fakeMembers) Remove(_ context.Context, m models.Member, by models.Operator) error {
	if f.removeErr != nil {
		return f.removeErr
	}
	if m.Balance != 0 {
		return &models.Error{Code: models.ECONFLICT, Key: "error.member.has_balance", Fallback: "{{.Name}} still has a balance",
			Args: map[string]any{"Name": m.Name}}
	}
	f.removed = append(f.removed, m.Name+" by "+by.Name)
	return nil
}

// PayOut pays m's balance out as the store does: refused without an open
// shift (noShift) or to someone the default matrix does not allow.
func (f *fakeMembers) PayOut(_ context.Context, m models.Member, by models.Operator) (models.MemberPayout, error) {
	if err := models.DefaultPermissions().Check(by, models.PermMemberPayout); err != nil {
		return models.MemberPayout{}, err
	}
	if f.payErr != nil {
		return models.MemberPayout{}, f.payErr
	}
	if f.noShift {
		return models.MemberPayout{}, models.ErrNoShift
	}
	f.paidOut = append(f.paidOut, m.Name+" by "+by.Name)
	return models.MemberPayout{MemberID: m.ID, Member: m.Masked(), Amount: m.Balance, EntryID: 77, At: testNow,
		OperatorName: by.Name, TerminalID: "T01"}, nil
}

// fakeDrawer counts the drawer's openings.
type fakeDrawer struct{ opened int }

func (d *fakeDrawer) OpenDrawer() error { d.opened++; return nil }

// shoot saves the window as name.png in $TILL_SCREENSHOT_DIR, if set.
func shoot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	uitest.SaveShot(t, w, "TILL_SCREENSHOT_DIR", name)
}
