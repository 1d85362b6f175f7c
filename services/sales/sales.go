// Package sales is the sales service: it stores sales and parked orders
// for the terminal and operator of the session, takes card and QR payments
// through the acquirer, and decides voids and refunds. Where a void or a
// refund is decided, it is here.
package sales

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/services"
)

// Host reaches the acquirer; *hostlink.Link is one.
type Host interface {
	// Authorizer gives an authorizer for one payment, connecting first.
	Authorizer(ctx context.Context) (*acquirer.Authorizer, error)
	// Offline gives an authorizer that decides offline alone, while the
	// host cannot be dialled.
	Offline(currency models.Currency) *acquirer.Authorizer
	// Online gives an authorizer once every offline approval is reported.
	Online(ctx context.Context) (*acquirer.Authorizer, error)
}

// Session says who sells at which terminal; *staff.Session is one.
type Session interface {
	TerminalID() string
	Operator() models.Operator
	SaleContext() models.SaleContext
}

// Drawer is the cash drawer; *printing.Printing is one.
type Drawer interface {
	// CanOpenDrawer says why the drawer cannot be opened, or nil.
	CanOpenDrawer() error
	OpenDrawer() error
}

// Risk is told of each event the risk rules look at, once it is stored;
// *risk.Monitor is one. Its errors never undo the event: they are logged.
type Risk interface {
	AfterSale(ctx context.Context, o *models.Order, op models.Operator) error
	AfterUndo(ctx context.Context, o *models.Order, manager, op models.Operator) error
	AfterCard(ctx context.Context, p models.Payment, op models.Operator) error
	AfterDrawer(ctx context.Context, manager, op models.Operator) error
}

// Sales stores the terminal's sales and undoes them.
type Sales struct {
	store   *models.Store
	session Session
	host    Host // nil without an acquirer
	drawer  Drawer
	risk    Risk // nil: no risk alerts
	// discountLimit is the cashier discount limit in basis points.
	discountLimit atomic.Int64
	// allowBelowZero is whether more may be sold than is in stock.
	allowBelowZero atomic.Bool
}

// New is the sales service of the session's terminal; host is nil when no
// acquirer is set up; the cash drawer opens through drawer. It reads the
// discount limit and whether the shop sells below zero stock.
func New(ctx context.Context, store *models.Store, s Session, host Host, drawer Drawer) (*Sales, error) {
	sl := &Sales{store: store, session: s, host: host, drawer: drawer}
	v, err := store.Setting(ctx, models.SettingDiscountLimit, fmt.Sprint(models.DefaultDiscountLimit))
	if err != nil {
		return nil, err
	}
	sl.discountLimit.Store(models.ParseDiscountLimit(v))
	v, err = store.Setting(ctx, models.SettingAllowBelowZero, models.FormatAllowBelowZero(models.DefaultAllowBelowZero))
	if err != nil {
		return nil, err
	}
	sl.allowBelowZero.Store(models.ParseAllowBelowZero(v))
	return sl, nil
}

func (s *Sales) terminal() string { return s.session.TerminalID() }

// SetRisk has r told of each sale, void, refund, card answer and no-sale
// opening of the drawer.
func (s *Sales) SetRisk(r Risk) { s.risk = r }

// checkRisk runs check when there are risk rules, logging its failure:
// the event it looks at is stored whatever the check says.
func (s *Sales) checkRisk(what string, check func(r Risk) error) {
	if s.risk == nil {
		return
	}
	if err := check(s.risk); err != nil {
		services.LogOr(nil)("sales: risk check after "+what, err)
	}
}

// CommitSale stores a paid sale (cash) in one transaction. A sale that
// would take a product's stock below zero is refused when the shop does
// not sell below zero stock (models.CheckStock, asked by the store inside
// the transaction), and so is a card, QR or balance payment for one before
// it starts.
func (s *Sales) CommitSale(ctx context.Context, o *models.Order, pays []models.Payment) error {
	if err := s.store.CommitSale(ctx, o, pays, s.session.SaleContext()); err != nil {
		return err
	}
	s.checkRisk("a sale", func(r Risk) error { return r.AfterSale(ctx, o, s.session.Operator()) })
	return nil
}

// HoldOrder parks o under label.
func (s *Sales) HoldOrder(ctx context.Context, o *models.Order, label string) error {
	_, err := s.store.HoldOrder(ctx, o, s.terminal(), s.session.Operator(), label)
	return err
}

// HeldOrders lists the terminal's parked orders.
func (s *Sales) HeldOrders(ctx context.Context) ([]models.HeldOrder, error) {
	return s.store.HeldOrders(ctx, s.terminal())
}

// RecallOrder takes a parked order back.
func (s *Sales) RecallOrder(ctx context.Context, id uint) (*models.Order, error) {
	return s.store.RecallOrder(ctx, id, s.session.Operator())
}

// OrdersBetween lists the terminal's orders of [from, to).
func (s *Sales) OrdersBetween(ctx context.Context, from, to time.Time) ([]models.Order, error) {
	return s.store.OrdersBetween(ctx, s.terminal(), from, to)
}

// TakingsBetween is what the terminal took in [from, to), each payment
// dated when taken, with stored value apart.
func (s *Sales) TakingsBetween(ctx context.Context, from, to time.Time) (models.Takings, error) {
	return s.store.TakingsBetween(ctx, s.terminal(), from, to)
}

// Report is what the terminal did in [from, to) (models.Report), for by,
// who needs the reports permission.
func (s *Sales) Report(ctx context.Context, by models.Operator, from, to time.Time) (models.Report, error) {
	if err := s.store.Allowed(ctx, by, models.PermReports); err != nil {
		return models.Report{}, err
	}
	return s.store.Report(ctx, s.terminal(), from, to)
}

// OrderByID is one order as stored.
func (s *Sales) OrderByID(ctx context.Context, id uint) (*models.Order, error) {
	return s.store.OrderByID(ctx, id)
}

// OpenBatchNumber is the terminal's open batch: an order stored in another
// one was settled, and can be refunded but not voided (models.CanVoid).
func (s *Sales) OpenBatchNumber(ctx context.Context) (int, error) {
	return s.store.BatchNumber(ctx, s.terminal())
}

// OrderHistory is what happened to o, in order.
func (s *Sales) OrderHistory(ctx context.Context, o *models.Order) ([]models.HistoryEvent, error) {
	return s.store.OrderHistory(ctx, o)
}

// FindOrders is the transaction query: orders of [from, to) whose number,
// total or card's last four digits match text.
func (s *Sales) FindOrders(ctx context.Context, from, to time.Time, text string) ([]models.Order, error) {
	return s.store.FindOrders(ctx, s.terminal(), from, to, text, 200)
}

// CancelOrder gives up an order stored awaiting payment.
func (s *Sales) CancelOrder(ctx context.Context, id uint) error {
	return s.store.CancelAwaiting(ctx, id, s.session.Operator())
}

// DiscountLimit is the largest discount a cashier may give without a
// manager, in basis points.
func (s *Sales) DiscountLimit() int64 { return s.discountLimit.Load() }

// SetDiscountLimit stores the cashier discount limit, authorized by
// manager, and audits the change.
func (s *Sales) SetDiscountLimit(ctx context.Context, bp int64, manager models.Operator) error {
	if err := models.CheckDiscountLimit(bp); err != nil {
		return err
	}
	if err := s.store.Allowed(ctx, manager, models.PermSettingsSelling); err != nil {
		return err
	}
	if err := s.store.SetSetting(ctx, models.SettingDiscountLimit, fmt.Sprint(bp)); err != nil {
		return err
	}
	s.discountLimit.Store(bp)
	op := s.session.Operator()
	if err := s.store.AuditOverride(ctx, s.terminal(), manager, "setting", models.SettingDiscountLimit,
		fmt.Sprintf("value=%d operator=%d:%s", bp, op.ID, op.Name)); err != nil {
		return fmt.Errorf("sales: discount limit: %w", err)
	}
	return nil
}

// StockLevel is how much of a product is on the shelf now.
func (s *Sales) StockLevel(ctx context.Context, productID uint) (models.StockLevel, error) {
	return s.store.StockLevel(ctx, productID)
}

// AllowBelowZero is whether more of a product may be sold than is in
// stock (with a warning), or not.
func (s *Sales) AllowBelowZero() bool { return s.allowBelowZero.Load() }

// SetAllowBelowZero stores whether more of a product may be sold than is
// in stock, authorized by manager, and audits the change. It applies to
// every sale stored from now on.
func (s *Sales) SetAllowBelowZero(ctx context.Context, allow bool, manager models.Operator) error {
	if err := s.store.Allowed(ctx, manager, models.PermSettingsSelling); err != nil {
		return err
	}
	value := models.FormatAllowBelowZero(allow)
	if err := s.store.SetSetting(ctx, models.SettingAllowBelowZero, value); err != nil {
		return err
	}
	s.allowBelowZero.Store(allow)
	op := s.session.Operator()
	if err := s.store.AuditOverride(ctx, s.terminal(), manager, "setting", models.SettingAllowBelowZero,
		fmt.Sprintf("value=%s operator=%d:%s", value, op.ID, op.Name)); err != nil {
		return fmt.Errorf("sales: allow below zero stock: %w", err)
	}
	return nil
}

// AuditApproval records that manager authorized action for the operator
// outside any order (opening the drawer without a sale).
func (s *Sales) AuditApproval(ctx context.Context, action, detail string, manager models.Operator) error {
	return s.store.AuditApproval(ctx, s.terminal(), action, manager, s.session.Operator(), detail)
}

// CanOpenDrawer says why the cash drawer cannot be opened (no printer to
// open it through), or nil.
func (s *Sales) CanOpenDrawer() error { return s.drawer.CanOpenDrawer() }

// OpenDrawer opens the cash drawer without a sale, authorized by manager,
// audited before the drawer kicks.
func (s *Sales) OpenDrawer(ctx context.Context, manager models.Operator) error {
	if err := s.store.Allowed(ctx, manager, models.PermDrawerOpen); err != nil {
		return err
	}
	if err := s.drawer.CanOpenDrawer(); err != nil {
		return err
	}
	if err := s.AuditApproval(ctx, models.ActionDrawerOpen, "no sale", manager); err != nil {
		return err
	}
	s.checkRisk("opening the drawer", func(r Risk) error { return r.AfterDrawer(ctx, manager, s.session.Operator()) })
	return s.drawer.OpenDrawer()
}

// StartPayment stores o awaiting the card or QR payment pay and records
// the payment as pending.
func (s *Sales) StartPayment(ctx context.Context, o *models.Order, pay models.Payment) (models.Payment, error) {
	if s.host == nil {
		return models.Payment{}, acquirer.ErrNotConfigured
	}
	return s.store.StartPayment(ctx, o, pay, s.session.SaleContext())
}

// Reload puts the stored state of o into o (after its payment moved).
func (s *Sales) Reload(ctx context.Context, o *models.Order) {
	if got, err := s.store.OrderByID(ctx, o.ID); err == nil {
		*o = *got
	}
}

// Authorizer gives the acquirer's authorizer for a QR payment.
func (s *Sales) Authorizer(ctx context.Context) (*acquirer.Authorizer, error) {
	if s.host == nil {
		return nil, acquirer.ErrNotConfigured
	}
	a, err := s.host.Authorizer(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", acquirer.ErrOnlineNeeded, err)
	}
	return a, nil
}

// PayOnline takes a card payment for o through the acquirer: the order is
// stored awaiting payment, the request journalled and sent, and the answer
// moves the payment (completing the order) in one transaction. While the
// host cannot be dialled the offline policy decides. On a decline o stays
// stored awaiting another tender.
func (s *Sales) PayOnline(ctx context.Context, o *models.Order, pay models.Payment, card acquirer.CardData) (acquirer.Response, error) {
	started, err := s.StartPayment(ctx, o, pay)
	if err != nil {
		return acquirer.Response{}, err
	}
	auth, err := s.host.Authorizer(ctx)
	if err != nil {
		auth = s.host.Offline(o.Currency) // unreachable: decide offline
	}
	resp, err := auth.Sale(ctx, started.Key, started.Amount, card)
	s.Reload(ctx, o)
	for _, p := range o.Payments {
		if p.ID == started.ID {
			op := s.session.Operator()
			s.checkRisk("a card payment", func(r Risk) error { return r.AfterCard(ctx, p, op) })
			if o.Status == models.OrderPaid {
				s.checkRisk("a sale", func(r Risk) error { return r.AfterSale(ctx, o, op) })
			}
		}
	}
	return resp, err
}
