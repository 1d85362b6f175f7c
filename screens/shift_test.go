package screens

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
)

// fakeShifts keeps one shift and the day as the store would, with the
// store's variance rule: past ¥10.00 a close needs a manager.
type fakeShifts struct {
	shift   *models.ShiftReport
	opened  []*models.CashCount
	moves   []models.CashMove
	closes  []models.Operator // who approved each close asked
	z       []models.ZReport
	zBy     []models.Operator
	reprint []int64
	day     models.DayStatus
	limit   int64
	limitBy models.Operator
}

func (f *fakeShifts) OpenShift(_ context.Context, float int64, count *models.CashCount) (models.Shift, error) {
	if f.shift != nil {
		return models.Shift{}, models.ErrShiftOpen
	}
	f.opened = append(f.opened, count)
	if count != nil {
		float = count.Total()
	}
	f.shift = &models.ShiftReport{Shift: models.Shift{ID: 1, TerminalID: "T01", OpenedAt: testNow, OpenedByName: cashier.Name, Float: float},
		Expected: float, VarianceLimit: models.DefaultVarianceLimit}
	return f.shift.Shift, nil
}

func (f *fakeShifts) MoveCash(_ context.Context, kind string, amount int64, reason string) (models.CashMove, error) {
	if err := models.CheckCashMove(kind, amount, reason); err != nil {
		return models.CashMove{}, err
	}
	m := models.CashMove{Kind: kind, Amount: amount, Reason: reason}
	f.moves = append(f.moves, m)
	if kind == models.CashOut {
		f.shift.Figures.CashOutCount++
		f.shift.Figures.CashOutAmount += amount
	}
	f.shift.Expected = models.ExpectedCash(f.shift.Shift.Float, f.shift.Figures)
	return m, nil
}

func (f *fakeShifts) XReport(context.Context) (models.ShiftReport, error) {
	if f.shift == nil {
		return models.ShiftReport{}, models.ErrNoShift
	}
	return *f.shift, nil
}

func (f *fakeShifts) CloseShift(_ context.Context, count models.CashCount, manager models.Operator) (models.ShiftReport, error) {
	f.closes = append(f.closes, manager)
	r := *f.shift
	variance := models.Variance(count.Total(), r.Expected)
	if models.VarianceNeedsManager(variance, r.VarianceLimit) && manager.ID == 0 {
		return r, models.ErrVarianceManager
	}
	at := testNow
	r.Shift.ClosedAt, r.Shift.Counted, r.Shift.CountedCash, r.Shift.Variance, r.Shift.Expected = &at, count.Total(), count.String(), variance, r.Expected
	f.shift = nil
	return r, nil
}

func (f *fakeShifts) DayStatus(context.Context) (models.DayStatus, error) {
	d := f.day
	d.ShiftOpen = f.shift != nil
	return d, nil
}

func (f *fakeShifts) CloseDay(_ context.Context, by models.Operator) (models.ZReport, error) {
	if err := models.DefaultPermissions().Check(by, models.PermDayClose); err != nil {
		return models.ZReport{}, err
	}
	f.zBy = append(f.zBy, by)
	z := models.ZReport{TerminalID: "T01", Number: int64(len(f.z) + 1), TakenAt: testNow, TakenByName: by.Name,
		Figures: f.day.Figures, AuditSeq: 99, AuditHash: strings.Repeat("c", 64), OpenOrders: f.day.OpenCount, PendingOutbox: f.day.PendingOutbox}
	f.z = append(f.z, z)
	f.day.Number++
	return z, nil
}

func (f *fakeShifts) LastZReport(context.Context) (models.ZReport, error) {
	if len(f.z) == 0 {
		return models.ZReport{}, &models.Error{Code: models.ENOTFOUND, Key: "error.z.not_found", Fallback: "No such Z report"}
	}
	return f.z[len(f.z)-1], nil
}

func (f *fakeShifts) VarianceLimit(context.Context) (int64, error) {
	if f.limit == 0 {
		return models.DefaultVarianceLimit, nil
	}
	return f.limit, nil
}

func (f *fakeShifts) SetVarianceLimit(_ context.Context, limit int64, by models.Operator) error {
	if err := models.DefaultPermissions().Check(by, models.PermDayClose); err != nil {
		return err
	}
	f.limit, f.limitBy = limit, by
	return nil
}

func (f *fakeShifts) ReprintZ(_ context.Context, n int64) (models.ZReport, error) {
	f.reprint = append(f.reprint, n)
	return f.z[n-1], nil
}

func rowsHave(rows []receipt.Row, text string) bool {
	for _, r := range rows {
		if strings.Contains(r.Left+" "+r.Right, text) {
			return true
		}
	}
	return false
}

func TestShiftOpenCashOutXAndCloseWithApproval(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	svc := &fakeShifts{day: models.DayStatus{Number: 1}}
	slips := &fakeSlips{}
	s := NewShiftScreen(ui, svc, &fakeStaff{}, slips)
	showOn(ui, s.Content())
	s.Refresh()
	mustShow(t, w, "No shift is open")
	if !button(t, w, "Close shift").Disabled() || !button(t, w, "Cash out").Disabled() {
		t.Fatal("close and cash out enabled with no shift open")
	}

	// The float, counted by denomination on the keypad, the total live.
	tap(t, w, "Open shift")
	mustShow(t, w, "Count the float")
	for _, b := range s.count.rows {
		if b.Size().Height < 48 {
			t.Fatalf("denomination row %q is %v high", b.Text, b.Size().Height)
		}
	}
	tap(t, w, "¥50 × 0 = ¥0.00")
	keys(t, w, "2")
	tap(t, w, "¥10 × 0 = ¥0.00")
	keys(t, w, "5")
	mustShow(t, w, "¥50 × 2 = ¥100.00")
	mustShow(t, w, "Counted: ¥150.00")
	tap(t, w, "OK")
	if len(svc.opened) != 1 || svc.opened[0] == nil || *svc.opened[0] != (models.CashCount{0, 2, 0, 5}) {
		t.Fatalf("opened with %+v", svc.opened)
	}
	mustShow(t, w, "Shift open since")
	mustShow(t, w, "Expected in the drawer: ¥150.00")

	// Cash out needs a reason; then the expected cash follows.
	tap(t, w, "Cash out")
	keys(t, w, "20")
	tap(t, w, "OK")
	mustShow(t, w, "Give a reason for the cash in or out")
	reason := entries(w)[0]
	test.Type(reason, "window cleaner")
	tap(t, w, "OK")
	if len(svc.moves) != 1 || svc.moves[0].Amount != 2000 || svc.moves[0].Reason != "window cleaner" {
		t.Fatalf("cash moves %+v", svc.moves)
	}
	mustShow(t, w, "Expected in the drawer: ¥130.00")

	tap(t, w, "X report")
	if !rowsHave(s.Slip(), "X REPORT") || !rowsHave(s.Slip(), "Expected cash ¥130.00") || len(slips.slips) != 1 {
		t.Fatalf("X report slip %+v, %d printed", s.Slip(), len(slips.slips))
	}
	tap(t, w, "Done")

	// The close: expected, counted and the variance live; ¥30.00 short
	// asks a manager.
	tap(t, w, "Close shift")
	mustShow(t, w, "Expected in the drawer: ¥130.00")
	tap(t, w, "¥100 × 0 = ¥0.00")
	keys(t, w, "1")
	mustShow(t, w, "Counted: ¥100.00")
	mustShow(t, w, "Variance: -¥30.00")
	tap(t, w, "OK")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "8888")
	tap(t, w, "OK")
	if len(svc.closes) != 2 || svc.closes[0].ID != 0 || svc.closes[1].ID != manager.ID {
		t.Fatalf("closes asked %+v", svc.closes)
	}
	if !rowsHave(s.Slip(), "SHIFT CLOSE") || !rowsHave(s.Slip(), "Variance -¥30.00") || len(slips.slips) != 2 {
		t.Fatalf("close slip %+v", s.Slip())
	}
	tap(t, w, "Done")
	if !strings.Contains(s.Result(), "variance -¥30.00") {
		t.Fatalf("result %q", s.Result())
	}
	mustShow(t, w, "No shift is open")
}

func TestCloseDayShowsWhatIsOpenPrintsZAndReprintsACopy(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	svc := &fakeShifts{day: models.DayStatus{Number: 4, OpenCount: 1, PendingOutbox: 3,
		OpenOrders: []models.Order{{Number: "T01-00000042", Total: 1250, CreatedAt: testNow}},
		Figures:    models.Figures{Sales: 2, CashCount: 2, CashAmount: 1900}}}
	slips := &fakeSlips{}
	s := NewShiftScreen(ui, svc, &fakeStaff{}, slips)
	showOn(ui, s.Content())
	s.Refresh()
	mustShow(t, w, "Day 4 · taken ¥19.00 · 1 orders awaiting payment · 3 payments not yet reported to the acquirer")
	mustShow(t, w, "T01-00000042 · ")
	if !button(t, w, "Reprint the last Z").Disabled() {
		t.Fatal("reprint enabled before any Z")
	}

	tap(t, w, "Close the day (Z report)")
	mustShow(t, w, "Close day 4?")
	mustShow(t, w, "Orders awaiting payment: 1")
	mustShow(t, w, "Payments not yet reported to the acquirer: 3")
	tap(t, w, "Take the Z report")
	// A cashier may not close the day: a manager approves.
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "8888")
	tap(t, w, "OK")
	if len(svc.zBy) != 1 || svc.zBy[0].ID != manager.ID {
		t.Fatalf("Z taken by %+v", svc.zBy)
	}
	if len(slips.slips) != 1 || !rowsHave(slips.slips[0], "Z REPORT") || rowsHave(slips.slips[0], "COPY") ||
		!rowsHave(slips.slips[0], "T01-Z0001") || !rowsHave(slips.slips[0], "Audit trail #99") {
		t.Fatalf("Z printed %+v", slips.slips)
	}
	if s.Printed() != "Report printed" || s.Result() != "Z report 1 taken" {
		t.Fatalf("printed %q, result %q", s.Printed(), s.Result())
	}
	tap(t, w, "Done")

	tap(t, w, "Reprint the last Z")
	if len(svc.reprint) != 1 || svc.reprint[0] != 1 || len(slips.slips) != 2 || !rowsHave(slips.slips[1], "COPY") {
		t.Fatalf("reprint %v, printed %d", svc.reprint, len(slips.slips))
	}
	mustShow(t, w, "Z report 1 (copy)")
}

func TestCloseDayRefusedWhileAShiftIsOpen(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	svc := &fakeShifts{day: models.DayStatus{Number: 1}}
	s := NewShiftScreen(ui, svc, &fakeStaff{}, nil)
	showOn(ui, s.Content())
	if _, err := svc.OpenShift(context.Background(), 10000, nil); err != nil {
		t.Fatal(err)
	}
	s.Refresh()
	tap(t, w, "Close the day (Z report)")
	if s.Result() != "Close the open shift before the close of day" || len(svc.z) != 0 || dialogShown(w) {
		t.Fatalf("result %q, %d Z", s.Result(), len(svc.z))
	}
}

func TestDayEndOpensTheShiftScreen(t *testing.T) {
	without, ui, _ := newTestShell(t, nil)
	without.ShowDayEnd()
	if b := findButton(ui.Window, "Shift and close of day"); b != nil && b.Visible() {
		t.Fatal("the shift button shows without a shift service")
	}
	svc := &fakeShifts{day: models.DayStatus{Number: 1}}
	shell, ui, _ := newTestShell(t, func(d *Deps, _ *shellFakes) { d.Shifts = svc })
	shell.ShowDayEnd()
	tap(t, ui.Window, "Shift and close of day")
	mustShow(t, ui.Window, "No shift is open")
	mustShow(t, ui.Window, "Close the day (Z report)")
}

func TestVarianceLimitChangedWithAManagersApproval(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	svc := &fakeShifts{day: models.DayStatus{Number: 1}}
	s := NewShiftScreen(ui, svc, &fakeStaff{}, nil)
	showOn(ui, s.Content())
	s.Refresh()
	mustShow(t, w, "A close out by more than ¥10.00 needs a manager")
	tap(t, w, "Change")
	keys(t, w, "8888")
	tap(t, w, "OK")
	mustShow(t, w, "Variance limit")
	keys(t, w, "5")
	tap(t, w, "OK")
	if svc.limit != 500 || svc.limitBy.ID != manager.ID {
		t.Fatalf("limit %d set by %+v", svc.limit, svc.limitBy)
	}
	mustShow(t, w, "A close out by more than ¥5.00 needs a manager")
}
