// Package shifts is the shifts and close-of-day service: a shift opened
// with a float, cash put in and paid out with a reason, the X report of the
// open shift, its close with the drawer counted, and the Z report that
// closes the business day, printed and reprinted as a copy. Every rule and
// every check of who may do what is the store's (models), inside the
// transaction that changes the data; this service says for whom and where.
package shifts

import (
	"context"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services"
)

// Session says who works at which terminal; *staff.Session is one.
type Session interface {
	TerminalID() string
	Operator() models.Operator
}

// Drawer is the cash drawer; *printing.Printing is one.
type Drawer interface {
	// CanOpenDrawer says why the drawer cannot be opened, or nil.
	CanOpenDrawer() error
	OpenDrawer() error
}

// Shifts runs the shifts and the close of day of the session's terminal.
type Shifts struct {
	store   *models.Store
	session Session
	// Now is the clock; zero-valued times are the store's time.Now.
	Now func() time.Time
	// Drawer, when set, opens for the float and for each cash in or out,
	// once it is stored; nil: no drawer.
	Drawer Drawer
	// Log reports a drawer that did not open (the cash move stands);
	// nil: the standard log.
	Log func(what string, err error)
}

// New is the service of the session's terminal.
func New(store *models.Store, s Session) *Shifts {
	return &Shifts{store: store, session: s, Now: func() time.Time { return time.Time{} }}
}

func (s *Shifts) terminal() string { return s.session.TerminalID() }

// OpenShift opens a shift for the operator signed in, with a float counted
// by denomination (count non-nil) or entered as an amount.
func (s *Shifts) OpenShift(ctx context.Context, float int64, count *models.CashCount) (models.Shift, error) {
	sh, err := s.store.OpenShift(ctx, s.terminal(), s.session.Operator(), float, count, s.Now())
	if err == nil {
		s.openDrawer("shifts: the drawer for the float")
	}
	return sh, err
}

// openDrawer opens the drawer, if there is one that can open.
func (s *Shifts) openDrawer(what string) {
	if s.Drawer == nil || s.Drawer.CanOpenDrawer() != nil {
		return
	}
	if err := s.Drawer.OpenDrawer(); err != nil {
		services.LogOr(s.Log)(what, err)
	}
}

// MoveCash puts cash into (models.CashIn) or pays it out of
// (models.CashOut) the open shift's drawer, with a reason.
func (s *Shifts) MoveCash(ctx context.Context, kind string, amount int64, reason string) (models.CashMove, error) {
	m, err := s.store.MoveCash(ctx, s.terminal(), s.session.Operator(), kind, amount, reason, s.Now())
	if err == nil {
		s.openDrawer("shifts: the drawer for cash " + kind)
	}
	return m, err
}

// XReport is the open shift as it stands, nothing reset.
func (s *Shifts) XReport(ctx context.Context) (models.ShiftReport, error) {
	return s.store.XReport(ctx, s.terminal())
}

// CloseShift closes the open shift with the drawer counted; manager is the
// manager who approved a variance above the limit (zero if none did).
func (s *Shifts) CloseShift(ctx context.Context, count models.CashCount, manager models.Operator) (models.ShiftReport, error) {
	return s.store.CloseShift(ctx, models.ShiftClose{TerminalID: s.terminal(), Operator: s.session.Operator(),
		Manager: manager, Count: count, Now: s.Now()})
}

// DayStatus is the open business day before its close: its figures, the
// orders awaiting payment, the payments not yet reported.
func (s *Shifts) DayStatus(ctx context.Context) (models.DayStatus, error) {
	return s.store.DayStatus(ctx, s.terminal())
}

// CloseDay takes the Z report, authorized by by (the operator signed in,
// or a manager who approved it).
func (s *Shifts) CloseDay(ctx context.Context, by models.Operator) (models.ZReport, error) {
	return s.store.CloseDay(ctx, s.terminal(), by, s.Now())
}

// LastZReport is the terminal's latest Z report.
func (s *Shifts) LastZReport(ctx context.Context) (models.ZReport, error) {
	return s.store.LastZReport(ctx, s.terminal())
}

// ReprintZ reads Z report n for a reprint, which is audited; the copy is
// marked as one where it is laid out (receipt.BuildZSlip).
func (s *Shifts) ReprintZ(ctx context.Context, n int64) (models.ZReport, error) {
	z, err := s.store.ZReportByNumber(ctx, s.terminal(), n)
	if err != nil {
		return z, err
	}
	return z, s.store.AuditZReprint(ctx, s.terminal(), s.session.Operator(), n)
}

// VarianceLimit is the variance above which a close needs a manager.
func (s *Shifts) VarianceLimit(ctx context.Context) (int64, error) { return s.store.VarianceLimit(ctx) }

// SetVarianceLimit changes it, authorized by by (allowed the close of day).
func (s *Shifts) SetVarianceLimit(ctx context.Context, limit int64, by models.Operator) error {
	return s.store.SetVarianceLimit(ctx, limit, by)
}
