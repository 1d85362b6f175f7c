package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Shift is a cashier's time at a till: opened with a float counted in,
// closed with the drawer counted, against what it should hold. One shift at
// a time is open on a terminal (OpenTerminal is unique, and NULL once
// closed).
type Shift struct {
	ID           uint    `gorm:"primaryKey"`
	TerminalID   string  `gorm:"size:16;not null;index"`
	OpenTerminal *string `gorm:"size:16;uniqueIndex"`
	OpenedAt     time.Time
	OpenedBy     uint
	OpenedByName string `gorm:"size:64"`
	Float        int64  `gorm:"not null"`
	FloatCount   string `gorm:"size:120"` // CashCount.String, "" when an amount was entered
	ClosedAt     *time.Time
	ClosedBy     uint
	ClosedByName string `gorm:"size:64"`
	ApprovedBy   uint   // the manager who approved a close out by more than the limit
	Expected     int64  `gorm:"not null;default:0"`
	Counted      int64  `gorm:"not null;default:0"`
	CountedCash  string `gorm:"size:120"`
	Variance     int64  `gorm:"not null;default:0"`
}

// Open reports whether the shift is still open.
func (sh Shift) Open() bool { return sh.ClosedAt == nil }

// Totals scopes: a shift's running totals, a business day's (a Z period).
const (
	ScopeShift = "shift"
	ScopeDay   = "day"
)

// TillTotals are the running Figures of a shift (Period: the shift's ID) or
// of a terminal's business day (Period: the number its Z report will take),
// kept in the transaction of every sale, void, refund, top-up, balance
// payment, cash move, and host answer that completes or undoes a payment,
// so that a report reads one row.
type TillTotals struct {
	ID         uint   `gorm:"primaryKey"`
	Scope      string `gorm:"size:8;not null;uniqueIndex:idx_till_totals_period"`
	TerminalID string `gorm:"size:16;not null;uniqueIndex:idx_till_totals_period"`
	Period     int64  `gorm:"not null;uniqueIndex:idx_till_totals_period"`
	OpenedAt   time.Time
	Figures    `gorm:"embedded"`
	// The last settlement with the acquirer in the period, if any.
	SettledBatch  int `gorm:"not null;default:0"`
	SettledAt     *time.Time
	SettledDetail string `gorm:"size:120"`
}

// CashMove is cash put into (CashIn) or paid out of (CashOut) the drawer
// without a sale, during a shift, with its reason.
type CashMove struct {
	ID         uint   `gorm:"primaryKey"`
	ShiftID    uint   `gorm:"not null;index"`
	TerminalID string `gorm:"size:16;not null"`
	Kind       string `gorm:"size:8;not null"`
	Amount     int64  `gorm:"not null"`
	Reason     string `gorm:"size:200;not null"`
	OperatorID uint
	At         time.Time
}

// Audit actions of shifts and the close of day.
const (
	ActionShiftOpen  = "shift_open"
	ActionShiftClose = "shift_close"
	ActionCashIn     = "cash_in"
	ActionCashOut    = "cash_out"
	ActionDayClose   = "day_close"
	ActionZReprint   = "z_reprint"
	ActionShiftOver  = "shift_variance" // a manager approved a close out by more than the limit
)

// totalsUpsertSQL adds a row's figures to the row of its (scope, terminal,
// period), creating it at the first.
var totalsUpsertSQL = func() string {
	var f Figures
	cols, _ := f.cells()
	var set []string
	for _, c := range cols {
		set = append(set, fmt.Sprintf("%s = till_totals.%s + excluded.%s", c, c, c))
	}
	return fmt.Sprintf(`INSERT INTO till_totals(scope, terminal_id, period, opened_at, %s) VALUES(?, ?, ?, ?%s)
		ON CONFLICT(scope, terminal_id, period) DO UPDATE SET %s`,
		strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)), strings.Join(set, ", "))
}()

// openShiftID is the ID of the shift open on terminal, 0 if none.
func openShiftID(db *gorm.DB, terminalID string) (uint, error) {
	var ids []uint
	if err := db.Raw("SELECT id FROM shifts WHERE open_terminal = ?", terminalID).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("open shift: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// openDay is the number of the terminal's open business day: the number its
// Z report will take.
func openDay(db *gorm.DB, terminalID string) (int64, error) {
	var next []int64
	if err := db.Raw("SELECT next FROM sequences WHERE name = ?", zSequence(terminalID)).Scan(&next).Error; err != nil {
		return 0, fmt.Errorf("open day: %w", err)
	}
	if len(next) == 0 || next[0] < 1 {
		return 1, nil
	}
	return next[0], nil
}

func zSequence(terminalID string) string { return "z:" + terminalID }

// addFigures adds f to the running totals of terminal's open business day
// and of its open shift, if one is, inside tx.
func addFigures(tx *gorm.DB, terminalID string, now time.Time, f Figures) error {
	if f.IsZero() {
		return nil
	}
	day, err := openDay(tx, terminalID)
	if err != nil {
		return err
	}
	shift, err := openShiftID(tx, terminalID)
	if err != nil {
		return err
	}
	_, vals := f.cells()
	put := func(scope string, period int64) error {
		args := []any{scope, terminalID, period, now}
		for _, v := range vals {
			args = append(args, *v)
		}
		if err := tx.Exec(totalsUpsertSQL, args...).Error; err != nil {
			return fmt.Errorf("running totals of %s %d: %w", scope, period, err)
		}
		return nil
	}
	if err := put(ScopeDay, day); err != nil {
		return err
	}
	if shift != 0 {
		return put(ScopeShift, int64(shift))
	}
	return nil
}

// tallySale adds to the running totals the sale of o, just completed:
// every payment of it that took money, read as stored (a balance payment
// taken while it awaited a card counts now, with the card).
func tallySale(tx *gorm.DB, o *Order, now time.Time) error {
	var pays []Payment
	if err := tx.Select("tender", "amount", "created_at").
		Where("order_id = ? AND status IN ? AND amount > 0", o.ID, takenStatuses).Find(&pays).Error; err != nil {
		return fmt.Errorf("payments of %s: %w", o.Number, err)
	}
	f := Figures{Sales: 1}
	// The reports of the days its payments were taken on count them now.
	changed := []time.Time{now}
	for _, p := range pays {
		f.take(p.Tender, o.TopUpMemberID != 0, 1, p.Amount)
		changed = append(changed, p.CreatedAt)
	}
	if err := forgetReportDays(tx, o.TerminalID, changed...); err != nil {
		return err
	}
	return addFigures(tx, o.TerminalID, now, f)
}

// tallyUntaken takes payment p of o, which took money, back out of the
// running totals (a void, or a host's reversal); void counts it as voided.
func tallyUntaken(tx *gorm.DB, o *Order, p Payment, now time.Time, void bool) error {
	var f Figures
	n := int64(0)
	if p.Amount > 0 {
		n = 1
	}
	f.take(p.Tender, o.TopUpMemberID != 0, -n, -p.Amount)
	if void {
		f.VoidCount, f.VoidAmount = n, p.Amount
	}
	// The reports of the day it was taken on, and of the day its order was
	// paid on (a void is dated by it), change.
	if err := forgetReportDays(tx, o.TerminalID, p.CreatedAt, orderPaidAt(o)); err != nil {
		return err
	}
	return addFigures(tx, o.TerminalID, now, f)
}

// tallyRefund adds a refund of amount of payment p of o to the totals.
func tallyRefund(tx *gorm.DB, o *Order, p Payment, amount int64, now time.Time) error {
	var f Figures
	f.take(p.Tender, o.TopUpMemberID != 0, 0, -amount)
	f.RefundCount, f.RefundAmount = 1, amount
	if err := forgetReportDays(tx, o.TerminalID, now, orderPaidAt(o)); err != nil {
		return err
	}
	return addFigures(tx, o.TerminalID, now, f)
}

// noteSettlement records, in the open day's totals, a batch the acquirer
// settled.
func noteSettlement(tx *gorm.DB, terminalID string, batch int, sent BatchTotals, now time.Time) error {
	day, err := openDay(tx, terminalID)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("sales=%d:%d refunds=%d:%d", sent.DebitCount, sent.DebitAmount, sent.CreditCount, sent.CreditAmount)
	return tx.Exec(`INSERT INTO till_totals(scope, terminal_id, period, opened_at, settled_batch, settled_at, settled_detail)
		VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(scope, terminal_id, period) DO UPDATE SET
		settled_batch = excluded.settled_batch, settled_at = excluded.settled_at, settled_detail = excluded.settled_detail`,
		ScopeDay, terminalID, day, now, batch, now, detail).Error
}

// totalsOf reads the totals row of (scope, terminal, period); a zero row
// when nothing moved yet.
func totalsOf(db *gorm.DB, scope, terminalID string, period int64) (TillTotals, error) {
	var t TillTotals
	err := db.Where("scope = ? AND terminal_id = ? AND period = ?", scope, terminalID, period).Limit(1).Find(&t).Error
	if err != nil {
		return t, fmt.Errorf("totals of %s %d: %w", scope, period, err)
	}
	return t, nil
}

// OpenShift opens a shift on terminalID for op with a float: counted by
// denomination (count non-nil; its total is the float) or an amount.
// Refused while a shift is open there. Audited.
func (s *Store) OpenShift(ctx context.Context, terminalID string, op Operator, float int64, count *CashCount, now time.Time) (Shift, error) {
	if terminalID == "" {
		return Shift{}, errNoTerminal()
	}
	if now.IsZero() {
		now = time.Now()
	}
	sh := Shift{TerminalID: terminalID, OpenedAt: now, OpenedBy: op.ID, OpenedByName: op.Name, Float: float}
	if count != nil {
		if err := CheckCashCount(*count); err != nil {
			return Shift{}, err
		}
		sh.Float, sh.FloatCount = count.Total(), count.String()
	}
	if sh.Float < 0 || sh.Float > MaxAmount {
		return Shift{}, errNotAmount(input(FormatMinor(sh.Float)))
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if _, err := operatorNow(tx, op); err != nil {
			return err
		}
		open, err := openShiftID(tx, terminalID)
		if err != nil {
			return err
		}
		if open != 0 {
			return ErrShiftOpen
		}
		t := terminalID
		sh.OpenTerminal = &t
		if err := tx.Create(&sh).Error; err != nil {
			return fmt.Errorf("insert shift: %w", err)
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: op.ID, Action: ActionShiftOpen,
			Subject: fmt.Sprintf("shift %d", sh.ID), Detail: fmt.Sprintf("float=%d count=%s", sh.Float, sh.FloatCount)}).Error
	})
	if err != nil {
		return Shift{}, ruleOrDBError(s.path, "store: open shift: %w", err)
	}
	return sh, nil
}

// MoveCash records cash put in (CashIn) or paid out (CashOut) of the drawer
// of terminal's open shift, with its reason, audited, in the shift's and
// the day's running totals.
func (s *Store) MoveCash(ctx context.Context, terminalID string, op Operator, kind string, amount int64, reason string, now time.Time) (CashMove, error) {
	reason = strings.TrimSpace(reason)
	if err := CheckCashMove(kind, amount, reason); err != nil {
		return CashMove{}, err
	}
	if now.IsZero() {
		now = time.Now()
	}
	m := CashMove{TerminalID: terminalID, Kind: kind, Amount: amount, Reason: truncateUTF8(reason, 200), OperatorID: op.ID, At: now}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if _, err := operatorNow(tx, op); err != nil {
			return err
		}
		if err := recordCashMove(tx, &m); err != nil {
			return err
		}
		action := ActionCashIn
		if kind == CashOut {
			action = ActionCashOut
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: op.ID, Action: action,
			Subject: fmt.Sprintf("shift %d", m.ShiftID), Detail: truncateUTF8(fmt.Sprintf("amount=%d reason=%s", amount, m.Reason), 512)}).Error
	})
	if err != nil {
		return CashMove{}, ruleOrDBError(s.path, "store: cash "+kind+": %w", err)
	}
	return m, nil
}

// recordCashMove stores m, a cash move checked already, in the shift open
// on its terminal (ErrNoShift when none is) and adds it to the shift's and
// the day's running totals, inside tx; m carries its ID and shift after.
func recordCashMove(tx *gorm.DB, m *CashMove) error {
	var err error
	if m.ShiftID, err = openShiftID(tx, m.TerminalID); err != nil {
		return err
	}
	if m.ShiftID == 0 {
		return ErrNoShift
	}
	if err := tx.Create(m).Error; err != nil {
		return fmt.Errorf("insert cash move: %w", err)
	}
	var f Figures
	if m.Kind == CashIn {
		f.CashInCount, f.CashInAmount = 1, m.Amount
	} else {
		f.CashOutCount, f.CashOutAmount = 1, m.Amount
	}
	return addFigures(tx, m.TerminalID, m.At, f)
}

// ShiftReport is a shift as its X report shows it: the shift, its running
// figures, and the cash the drawer should hold.
type ShiftReport struct {
	Shift    Shift
	Figures  Figures
	Expected int64
	// VarianceLimit is the setting in force: a close out by more needs a
	// manager.
	VarianceLimit int64
}

// XReport is the open shift of terminalID as it stands, nothing reset: one
// row read whatever the number of payments. ErrNoShift when none is open.
func (s *Store) XReport(ctx context.Context, terminalID string) (ShiftReport, error) {
	var r ShiftReport
	err := s.read(ctx, func(db *gorm.DB) error {
		id, err := openShiftID(db, terminalID)
		if err != nil {
			return err
		}
		if id == 0 {
			return ErrNoShift
		}
		r, err = shiftReport(db, id)
		return err
	})
	if err != nil {
		return ShiftReport{}, ruleOrDBError(s.path, "store: X report: %w", err)
	}
	return r, nil
}

// shiftReport reads shift id, its totals and the variance limit.
func shiftReport(db *gorm.DB, id uint) (ShiftReport, error) {
	var r ShiftReport
	if err := db.First(&r.Shift, id).Error; err != nil {
		return r, notFound(err, "error.shift.none", "No shift is open on this till", nil)
	}
	t, err := totalsOf(db, ScopeShift, r.Shift.TerminalID, int64(id))
	if err != nil {
		return r, err
	}
	r.Figures = t.Figures
	r.Expected = ExpectedCash(r.Shift.Float, t.Figures)
	r.VarianceLimit, err = varianceLimit(db)
	return r, err
}

// varianceLimit is the variance limit setting in force.
func varianceLimit(db *gorm.DB) (int64, error) {
	var st Setting
	if err := db.Where("key = ?", SettingVarianceLimit).Limit(1).Find(&st).Error; err != nil {
		return 0, fmt.Errorf("variance limit: %w", err)
	}
	if st.Key == "" {
		return DefaultVarianceLimit, nil
	}
	return ParseVarianceLimit(st.Value), nil
}

// ShiftClose is the close of a shift: the drawer's count, who closes it
// and, when the variance is above the limit and they may not close the day,
// the manager who approves it.
type ShiftClose struct {
	TerminalID string
	Operator   Operator
	Manager    Operator // zero unless a manager approved
	Count      CashCount
	Now        time.Time
}

// CloseShift closes terminal's open shift with the drawer counted: the
// expected cash, the count and the variance are kept on it. A variance
// above the limit (SettingVarianceLimit) needs the closer to hold
// PermDayClose, or a manager who does to approve it (both read as stored
// now). Audited, the approval too.
func (s *Store) CloseShift(ctx context.Context, c ShiftClose) (ShiftReport, error) {
	if err := CheckCashCount(c.Count); err != nil {
		return ShiftReport{}, err
	}
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	var r ShiftReport
	err := s.write(ctx, func(tx *gorm.DB) error {
		closer, err := operatorNow(tx, c.Operator)
		if err != nil {
			return err
		}
		id, err := openShiftID(tx, c.TerminalID)
		if err != nil {
			return err
		}
		if id == 0 {
			return ErrNoShift
		}
		if r, err = shiftReport(tx, id); err != nil {
			return err
		}
		counted := c.Count.Total()
		variance := Variance(counted, r.Expected)
		var approver Operator
		if VarianceNeedsManager(variance, r.VarianceLimit) {
			if ok, err := mayIn(tx, closer, PermDayClose); err != nil {
				return err
			} else if !ok {
				if c.Manager.ID == 0 {
					return ErrVarianceManager
				}
				if err := undoAuthorized(tx, c.Manager, PermDayClose); err != nil {
					return err
				}
				approver = c.Manager
			}
		}
		sh := &r.Shift
		sh.ClosedAt, sh.ClosedBy, sh.ClosedByName = &now, closer.ID, closer.Name
		sh.ApprovedBy, sh.Expected, sh.Counted, sh.CountedCash, sh.Variance = approver.ID, r.Expected, counted, c.Count.String(), variance
		sh.OpenTerminal = nil
		if err := tx.Model(&Shift{}).Where("id = ? AND closed_at IS NULL", id).Updates(map[string]any{
			"open_terminal": nil, "closed_at": now, "closed_by": closer.ID, "closed_by_name": closer.Name,
			"approved_by": approver.ID, "expected": r.Expected, "counted": counted, "counted_cash": sh.CountedCash,
			"variance": variance}).Error; err != nil {
			return fmt.Errorf("close shift %d: %w", id, err)
		}
		if approver.ID != 0 {
			if err := tx.Create(&AuditEntry{At: now, TerminalID: c.TerminalID, OperatorID: approver.ID, Action: ActionShiftOver,
				Subject: fmt.Sprintf("shift %d", id), Detail: approvalDetail(approver, closer, fmt.Sprintf("variance=%d", variance))}).Error; err != nil {
				return err
			}
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: c.TerminalID, OperatorID: closer.ID, Action: ActionShiftClose,
			Subject: fmt.Sprintf("shift %d", id), Detail: fmt.Sprintf("expected=%d counted=%d variance=%d count=%s",
				r.Expected, counted, variance, sh.CountedCash)}).Error
	})
	if err != nil {
		return ShiftReport{}, ruleOrDBError(s.path, "store: close shift: %w", err)
	}
	return r, nil
}

// ShiftByID reads a shift as its report shows it (a closed one too).
func (s *Store) ShiftByID(ctx context.Context, id uint) (ShiftReport, error) {
	var r ShiftReport
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		r, err = shiftReport(db, id)
		return err
	})
	return r, err
}

// ruleOrDBError is err as the caller gets it: a rule's refusal as it is,
// any other failure wrapped by format (with %w) as a database error.
func ruleOrDBError(path, format string, err error) error {
	if c := ErrorCode(err); c == EINVALID || c == ECONFLICT || c == ENOTFOUND {
		return err
	}
	return dbError(path, fmt.Errorf(format, err))
}

// VarianceLimit is the cash variance above which closing a shift needs a
// manager (SettingVarianceLimit).
func (s *Store) VarianceLimit(ctx context.Context) (int64, error) {
	var v int64
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		v, err = varianceLimit(db)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: variance limit: %w", err)
	}
	return v, nil
}

// SetVarianceLimit stores the variance limit, changed by by, who must be
// allowed the close of day (read in the same transaction); audited.
func (s *Store) SetVarianceLimit(ctx context.Context, limit int64, by Operator) error {
	if limit < 0 || limit > MaxAmount {
		return errNotAmount(input(FormatMinor(limit)))
	}
	return s.ChangeSettings(ctx, PermDayClose, map[string]string{SettingVarianceLimit: FormatMinor(limit)}, by)
}
