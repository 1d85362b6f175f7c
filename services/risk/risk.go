// Package risk raises the owner's risk alerts: after a sale, a void or a
// refund, a card's decline or offline approval, and a no-sale opening of
// the drawer, it gathers the facts from the store, asks the rules
// (payments.CheckRisk) and writes each alert to the audit trail before it
// tells the screens.
package risk

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
)

// usualDays is how many days before today the usual ticket is drawn from.
const usualDays = 30

// Alert is a risk alert as the screens show it: the rule broken and who or
// what it is about.
type Alert struct {
	payments.RiskAlert
	// Operator is who was signed in; Subject what it is about (an order
	// number, a manager's name, a card's masked number).
	Operator string
	Subject  string
}

// Monitor checks the rules after each event at one terminal.
type Monitor struct {
	store    *models.Store
	terminal string
	offline  func() payments.OfflinePolicy
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	rules payments.RiskRules
	// The usual ticket, drawn once a day.
	usualDay    time.Time
	usual       int64
	usualOrders int
	onAlert     func(Alert)
}

// New is the monitor of the terminal's events, with the rules stored (or
// the defaults); offline gives the offline policy in force.
func New(ctx context.Context, store *models.Store, terminalID string, offline func() payments.OfflinePolicy) (*Monitor, error) {
	m := &Monitor{store: store, terminal: terminalID, offline: offline}
	rules, err := m.read(ctx)
	if err != nil {
		return nil, err
	}
	m.rules = rules
	return m, nil
}

func (m *Monitor) read(ctx context.Context) (payments.RiskRules, error) {
	var err error
	rules := payments.RiskRulesFrom(func(key string) string {
		v, e := m.store.Setting(ctx, key, "")
		if e != nil && err == nil {
			err = e
		}
		return v
	})
	if err != nil {
		return payments.RiskRules{}, fmt.Errorf("risk: rules: %w", err)
	}
	return rules, nil
}

// OnAlert sets what is told of each alert, after it is audited.
func (m *Monitor) OnAlert(f func(Alert)) {
	m.mu.Lock()
	m.onAlert = f
	m.mu.Unlock()
}

// Rules are the rules in force.
func (m *Monitor) Rules() payments.RiskRules {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rules
}

// SetRules stores the rules, changed by by (who needs the selling
// settings' permission, checked by the store, which audits the change).
func (m *Monitor) SetRules(ctx context.Context, r payments.RiskRules, by models.Operator) error {
	if err := r.Check(); err != nil {
		return &models.Error{Code: models.EINVALID, Key: "error.risk.rules",
			Fallback: "Each rule is a whole number from 0 (off) up", Err: err}
	}
	if err := m.store.ChangeSettings(ctx, models.PermSettingsSelling, r.Settings(), by); err != nil {
		return err
	}
	m.mu.Lock()
	m.rules = r
	m.mu.Unlock()
	return nil
}

func (m *Monitor) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// today is the start of today.
func (m *Monitor) today() time.Time {
	n := m.now()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, n.Location())
}

// since is when the period the counting rules look at began: the open
// shift's start, or with no shift open the start of today.
func (m *Monitor) since(ctx context.Context) (time.Time, error) {
	start, open, err := m.store.ShiftStart(ctx, m.terminal)
	if err != nil || !open {
		return m.today(), err
	}
	return start, nil
}

// raise audits each alert of facts, then tells of it (OnAlert).
func (m *Monitor) raise(ctx context.Context, facts payments.RiskFacts, op models.Operator, subject string) error {
	m.mu.Lock()
	rules, tell := m.rules, m.onAlert
	m.mu.Unlock()
	for _, a := range payments.CheckRisk(facts, rules) {
		if err := m.store.AuditRiskAlert(ctx, m.terminal, op, subject, a.Detail()); err != nil {
			return fmt.Errorf("risk: %w", err)
		}
		if tell != nil {
			tell(Alert{RiskAlert: a, Operator: op.Name, Subject: subject})
		}
	}
	return nil
}

// AfterSale checks a sale just stored, by op, against the usual ticket.
func (m *Monitor) AfterSale(ctx context.Context, o *models.Order, op models.Operator) error {
	if o.TopUpMemberID != 0 {
		return nil // money onto a balance, not a sale
	}
	usual, orders, err := m.usualTicket(ctx)
	if err != nil {
		return err
	}
	return m.raise(ctx, payments.RiskFacts{Sale: o.Total, Usual: usual, UsualOrders: orders}, op, o.Number)
}

// usualTicket is the average sale of the thirty days before today, drawn
// once a day.
func (m *Monitor) usualTicket(ctx context.Context) (int64, int, error) {
	today := m.today()
	m.mu.Lock()
	if m.usualDay.Equal(today) {
		defer m.mu.Unlock()
		return m.usual, m.usualOrders, nil
	}
	m.mu.Unlock()
	avg, n, err := m.store.UsualTicket(ctx, m.terminal, today.AddDate(0, 0, -usualDays), today)
	if err != nil {
		return 0, 0, err
	}
	m.mu.Lock()
	m.usualDay, m.usual, m.usualOrders = today, avg, n
	m.mu.Unlock()
	return avg, n, nil
}

// AfterUndo checks a void or refund of o just authorized by manager,
// asked by op.
func (m *Monitor) AfterUndo(ctx context.Context, o *models.Order, manager, op models.Operator) error {
	since, err := m.since(ctx)
	if err != nil {
		return err
	}
	n, err := m.store.UndosSince(ctx, m.terminal, manager.ID, since)
	if err != nil {
		return err
	}
	return m.raise(ctx, payments.RiskFacts{Undos: n}, op, manager.Name+" "+o.Number)
}

// AfterCard checks a card payment just answered: a decline against the
// card's other declines in the last hour, an offline approval against the
// offline caps.
func (m *Monitor) AfterCard(ctx context.Context, p models.Payment, op models.Operator) error {
	var facts payments.RiskFacts
	switch p.Status {
	case models.PaymentDeclined:
		n, err := m.store.DeclinesSince(ctx, p.CardToken, m.now().Add(-time.Hour))
		if err != nil {
			return err
		}
		facts.Declines = n
	case models.PaymentOfflineApproved:
		held, err := m.store.HeldOffline(ctx, m.terminal)
		if err != nil {
			return err
		}
		facts.OfflineCount, facts.Offline = len(held), m.offline()
		for _, h := range held {
			facts.OfflineTotal += h.Amount
		}
	default:
		return nil
	}
	return m.raise(ctx, facts, op, p.MaskedPAN)
}

// AfterDrawer checks a no-sale opening of the drawer just made, authorized
// by manager, asked by op.
func (m *Monitor) AfterDrawer(ctx context.Context, manager, op models.Operator) error {
	since, err := m.since(ctx)
	if err != nil {
		return err
	}
	n, err := m.store.DrawerOpensSince(ctx, m.terminal, since)
	if err != nil {
		return err
	}
	return m.raise(ctx, payments.RiskFacts{DrawerOpens: n}, op, manager.Name)
}
