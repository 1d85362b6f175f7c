package screens

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/screens/widgets"
)

// ShiftService is what the shift screen asks of the shifts and the close
// of day; *shifts.Shifts is one. Every rule and permission is checked
// there, where the data changes.
type ShiftService interface {
	// OpenShift opens a shift with a float counted (count non-nil) or an amount.
	OpenShift(ctx context.Context, float int64, count *models.CashCount) (models.Shift, error)
	// MoveCash puts cash in (models.CashIn) or pays it out (models.CashOut), with a reason.
	MoveCash(ctx context.Context, kind string, amount int64, reason string) (models.CashMove, error)
	// XReport is the open shift as it stands; models.ErrNoShift when none is open.
	XReport(ctx context.Context) (models.ShiftReport, error)
	// CloseShift closes the open shift with the drawer counted; manager
	// approved a variance above the limit (zero: nobody did).
	CloseShift(ctx context.Context, count models.CashCount, manager models.Operator) (models.ShiftReport, error)
	// DayStatus is the open day before its close.
	DayStatus(ctx context.Context) (models.DayStatus, error)
	// CloseDay takes the Z report, authorized by by.
	CloseDay(ctx context.Context, by models.Operator) (models.ZReport, error)
	// LastZReport is the latest Z report.
	LastZReport(ctx context.Context) (models.ZReport, error)
	// ReprintZ reads Z report n for a reprint (audited).
	ReprintZ(ctx context.Context, n int64) (models.ZReport, error)
	// VarianceLimit is the variance above which a close needs a manager.
	VarianceLimit(ctx context.Context) (int64, error)
	// SetVarianceLimit changes it, authorized by by.
	SetVarianceLimit(ctx context.Context, limit int64, by models.Operator) error
}

// ShiftScreen is the shift and close-of-day screen, reached from Day end:
// open a shift with a float, cash in and out with a reason, the X report,
// the close with the drawer counted by denomination; the day's open orders
// and unreported payments, the Z report printed and shown, and its reprint
// as a copy.
type ShiftScreen struct {
	ui      *UI
	svc     ShiftService
	staff   Staff       // asked for a manager's approval
	printer SlipPrinter // nil: nothing prints

	shiftText *widget.Label
	expected  *widget.Label
	open      *widget.Button
	cashIn    *widget.Button
	cashOut   *widget.Button
	xReport   *widget.Button
	close     *widget.Button
	limit     *widget.Label
	dayText   *widget.Label
	openList  *fyne.Container
	closeDay  *widget.Button
	reprint   *widget.Button
	result    *widget.Label
	printed   *widget.Label
	slip      []receipt.Row // the last slip shown
	report    *models.ShiftReport
	lastZ     int64
	count     *countDialog // the count open, for tests
	left      *fyne.Container
	right     *fyne.Container
	content   fyne.CanvasObject
}

// NewShiftScreen builds the screen; Refresh loads it.
func NewShiftScreen(ui *UI, svc ShiftService, staff Staff, printer SlipPrinter) *ShiftScreen {
	s := &ShiftScreen{ui: ui, svc: svc, staff: staff, printer: printer}
	s.content = s.build()
	return s
}

// Content is the screen's root object.
func (s *ShiftScreen) Content() fyne.CanvasObject { return s.content }

// Result is the last outcome shown, for tests.
func (s *ShiftScreen) Result() string { return s.result.Text }

// Printed says how printing the last slip went, for tests.
func (s *ShiftScreen) Printed() string { return s.printed.Text }

// Slip is the last slip shown, for tests.
func (s *ShiftScreen) Slip() []receipt.Row { return s.slip }

func (s *ShiftScreen) build() fyne.CanvasObject {
	bold := func(t string) *widget.Label {
		return widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	wrap := func(l *widget.Label) *widget.Label { l.Wrapping = fyne.TextWrapWord; return l }
	s.shiftText = wrap(widget.NewLabel(""))
	s.expected = bold("")
	s.open = widget.NewButtonWithIcon(lang.X("shift.open", "Open shift"), theme.ContentAddIcon(), s.AskOpen)
	s.open.Importance = widget.HighImportance
	s.cashIn = widget.NewButtonWithIcon(lang.X("shift.cash_in", "Cash in"), theme.DownloadIcon(), func() { s.AskMove(models.CashIn) })
	s.cashOut = widget.NewButtonWithIcon(lang.X("shift.cash_out", "Cash out"), theme.UploadIcon(), func() { s.AskMove(models.CashOut) })
	s.xReport = widget.NewButtonWithIcon(lang.X("shift.x_report", "X report"), theme.DocumentIcon(), s.ShowXReport)
	s.close = widget.NewButtonWithIcon(lang.X("shift.close", "Close shift"), theme.ConfirmIcon(), s.AskClose)
	s.limit = widget.NewLabel("")
	change := widget.NewButton(lang.X("settings.change", "Change"), s.AskLimit)
	s.dayText = wrap(widget.NewLabel(""))
	s.openList = container.NewVBox()
	s.closeDay = widget.NewButtonWithIcon(lang.X("shift.close_day", "Close the day (Z report)"), theme.ConfirmIcon(), s.AskCloseDay)
	s.closeDay.Importance = widget.HighImportance
	s.reprint = widget.NewButtonWithIcon(lang.X("shift.reprint_z", "Reprint the last Z"), theme.DocumentPrintIcon(), s.ReprintZ)
	s.result = wrap(widget.NewLabel(""))
	s.printed = wrap(widget.NewLabel(""))
	size := fyne.NewSize(260, 60)
	s.left = container.NewVBox(bold(lang.X("shift.title", "Shift")), s.shiftText, s.expected, widget.NewSeparator(),
		container.NewGridWrap(size, s.open, s.cashIn, s.cashOut, s.xReport, s.close), widget.NewSeparator(),
		container.NewHBox(s.limit, container.NewGridWrap(fyne.NewSize(140, 56), change)))
	s.right = container.NewVBox(bold(lang.X("shift.day_title", "Close of day")), s.dayText, s.openList, widget.NewSeparator(),
		container.NewGridWrap(size, s.closeDay, s.reprint), s.result, s.printed)
	return container.NewPadded(widgets.NewSplit(0.5, container.NewPadded(container.NewVScroll(s.left)), container.NewPadded(container.NewVScroll(s.right))))
}

func (s *ShiftScreen) money(v int64) string {
	return models.Money{Minor: v, Currency: s.ui.Shop.Currency}.String()
}

// Refresh loads the open shift, the day's status and the last Z.
func (s *ShiftScreen) Refresh() {
	var x models.ShiftReport
	var xerr, derr, zerr error
	var day models.DayStatus
	var z models.ZReport
	var limit int64
	var lerr error
	s.ui.Async(func() {
		ctx := context.Background()
		limit, lerr = s.svc.VarianceLimit(ctx)
		x, xerr = s.svc.XReport(ctx)
		day, derr = s.svc.DayStatus(ctx)
		z, zerr = s.svc.LastZReport(ctx)
	}, func() {
		switch {
		case xerr == nil:
			s.showShift(&x)
		case models.ErrorCode(xerr) == models.ECONFLICT:
			s.showShift(nil)
		default:
			ShowError(s.ui.Window, xerr)
		}
		if derr != nil {
			ShowError(s.ui.Window, derr)
		} else {
			s.showDay(day)
		}
		s.lastZ = 0
		if zerr == nil {
			s.lastZ = z.Number
		}
		s.reprint.Disable()
		if s.lastZ != 0 {
			s.reprint.Enable()
		}
		if lerr == nil {
			s.showLimit(limit)
		}
		s.left.Refresh()
	})
}

// showShift shows the open shift r (nil: none) and enables what can be done.
func (s *ShiftScreen) showShift(r *models.ShiftReport) {
	s.report = r
	open := r != nil
	for _, b := range []*widget.Button{s.cashIn, s.cashOut, s.xReport, s.close} {
		if open {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if open {
		s.open.Disable()
		s.shiftText.SetText(lang.X("shift.status", "Shift open since {{.Time}} by {{.Name}} · float {{.Float}}",
			map[string]any{"Time": r.Shift.OpenedAt.Local().Format("15:04"), "Name": r.Shift.OpenedByName, "Float": s.money(r.Shift.Float)}))
		s.expected.SetText(lang.X("shift.expected", "Expected in the drawer: {{.Amount}}", map[string]any{"Amount": s.money(r.Expected)}))
		return
	}
	s.open.Enable()
	s.shiftText.SetText(lang.X("shift.none", "No shift is open"))
	s.expected.SetText("")
}

// showDay shows the open day: its number, the orders awaiting payment and
// the payments not yet reported.
func (s *ShiftScreen) showDay(d models.DayStatus) {
	_, taken := d.Figures.Takings().Taken()
	s.dayText.SetText(lang.X("shift.day_status", "Day {{.Number}} · taken {{.Taken}} · {{.Open}} orders awaiting payment · {{.Pending}} payments not yet reported to the acquirer",
		map[string]any{"Number": d.Number, "Taken": s.money(taken), "Open": d.OpenCount, "Pending": d.PendingOutbox}))
	s.openList.RemoveAll()
	for _, o := range d.OpenOrders {
		s.openList.Add(container.NewBorder(nil, nil, nil, widget.NewLabel(s.money(o.Total)),
			widget.NewLabel(o.Number+" · "+o.CreatedAt.Local().Format("15:04"))))
	}
	s.openList.Refresh()
	s.right.Refresh() // the buttons below move down as the rows grow
}

func (s *ShiftScreen) showLimit(limit int64) {
	s.limit.SetText(lang.X("shift.limit", "A close out by more than {{.Amount}} needs a manager", map[string]any{"Amount": s.money(limit)}))
}

// AskLimit changes the variance limit, typed on the keypad; someone allowed
// the close of day authorizes it first.
func (s *ShiftScreen) AskLimit() {
	s.ui.Touch()
	title := lang.X("shift.limit_title", "Variance limit")
	asAllowed(s.ui, s.staff, models.PermDayClose, title, func(by models.Operator) {
		var nd *numberDialog
		nd = newNumberDialog(s.ui, title, 2, "", func(in string) error {
			v, err := models.ParseMinor(in)
			if err != nil {
				return err
			}
			s.ui.Async(func() { err = s.svc.SetVarianceLimit(context.Background(), v, by) }, func() {
				if err != nil {
					nd.showError(err)
					return
				}
				s.showLimit(v)
				nd.close(nil)
			})
			return errChecking
		})
		nd.Show()
	})
}

// AskOpen asks for the float: counted by denomination, or an amount.
func (s *ShiftScreen) AskOpen() {
	s.ui.Touch()
	amount := widget.NewButton(lang.X("shift.float_amount", "Enter an amount instead"), nil)
	var c *countDialog
	c = newCountDialog(s.ui, lang.X("shift.count_float", "Count the float"), nil, func(count models.CashCount) error {
		var err error
		s.ui.Async(func() { _, err = s.svc.OpenShift(context.Background(), 0, &count) }, func() {
			if err != nil {
				c.fail(err)
				return
			}
			c.done(s.opened)
		})
		return errChecking
	}, amount)
	amount.OnTapped = func() {
		s.ui.Touch()
		c.d.Hide()
		var nd *numberDialog
		nd = newNumberDialog(s.ui, lang.X("shift.float", "Float"), 2, "", func(text string) error {
			v, err := models.ParseMinor(text)
			if err != nil {
				return err
			}
			s.ui.Async(func() { _, err = s.svc.OpenShift(context.Background(), v, nil) }, func() {
				if err != nil {
					nd.showError(err)
					return
				}
				nd.close(s.opened)
			})
			return errChecking
		})
		nd.Show()
	}
	s.count = c
	c.Show()
}

// opened says the shift is open and shows it.
func (s *ShiftScreen) opened() {
	s.result.SetText(lang.X("shift.opened", "Shift opened"))
	s.Refresh()
}

// AskMove asks for the amount and the reason of cash put in or paid out.
func (s *ShiftScreen) AskMove(kind string) {
	s.ui.Touch()
	reason := widget.NewEntry()
	reason.SetPlaceHolder(lang.X("shift.reason", "Reason"))
	title := lang.X("shift.cash_in", "Cash in")
	if kind == models.CashOut {
		title = lang.X("shift.cash_out", "Cash out")
	}
	var nd *numberDialog
	nd = newNumberDialog(s.ui, title, 2, "", func(text string) error {
		v, err := models.ParseMinor(text)
		if err != nil {
			return err
		}
		why := reason.Text
		s.ui.Async(func() { _, err = s.svc.MoveCash(context.Background(), kind, v, why) }, func() {
			if err != nil {
				nd.showError(err)
				return
			}
			s.result.SetText(lang.X("shift.moved", "{{.What}}: {{.Amount}} · {{.Reason}}",
				map[string]any{"What": title, "Amount": s.money(v), "Reason": why}))
			nd.close(s.Refresh)
		})
		return errChecking
	}, reason)
	nd.Show()
}

// ShowXReport shows the open shift's X report and prints it.
func (s *ShiftScreen) ShowXReport() {
	s.ui.Touch()
	var r models.ShiftReport
	var err error
	s.ui.Async(func() { r, err = s.svc.XReport(context.Background()) }, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.showSlip(lang.X("shift.x_title", "X report"), receipt.BuildShiftSlip(r, s.ui.Shop.Currency, s.receiptShop(), lang.X))
	})
}

// AskClose asks for the drawer's count, showing expected, counted and the
// variance as it is typed; a variance above the limit asks a manager.
func (s *ShiftScreen) AskClose() {
	s.ui.Touch()
	if s.report == nil {
		return
	}
	expected := s.report.Expected
	var c *countDialog
	c = newCountDialog(s.ui, lang.X("shift.count_drawer", "Count the drawer"), &expected, func(count models.CashCount) error {
		var r models.ShiftReport
		var err error
		s.ui.Async(func() { r, err = s.svc.CloseShift(context.Background(), count, models.Operator{}) }, func() {
			if err == models.ErrVarianceManager && s.staff != nil {
				c.done(func() { s.askVariance(count, expected) })
				return
			}
			if err != nil {
				c.fail(err)
				return
			}
			c.done(func() { s.closed(r, nil) })
		})
		return errChecking
	})
	s.count = c
	c.Show()
}

// askVariance asks a manager to approve closing with count, out by more
// than the limit, and closes the shift with their approval.
func (s *ShiftScreen) askVariance(count models.CashCount, expected int64) {
	askManager(s.ui, s.staff, lang.X("shift.approve_title", "Approve a variance of {{.Amount}}",
		map[string]any{"Amount": s.money(models.Variance(count.Total(), expected))}), func(m models.Operator) {
		var r models.ShiftReport
		var err error
		s.ui.Async(func() { r, err = s.svc.CloseShift(context.Background(), count, m) }, func() { s.closed(r, err) })
	})
}

// closed shows the closed shift's slip and prints it.
func (s *ShiftScreen) closed(r models.ShiftReport, err error) {
	if err != nil {
		ShowError(s.ui.Window, err)
		return
	}
	s.result.SetText(lang.X("shift.closed", "Shift closed · expected {{.Expected}} · counted {{.Counted}} · variance {{.Variance}}",
		map[string]any{"Expected": s.money(r.Shift.Expected), "Counted": s.money(r.Shift.Counted), "Variance": s.money(r.Shift.Variance)}))
	s.Refresh()
	s.showSlip(lang.X("shift.close_title", "Shift closed"), receipt.BuildShiftSlip(r, s.ui.Shop.Currency, s.receiptShop(), lang.X))
}

// AskCloseDay shows what is left open and, once confirmed, takes the Z
// report as the operator if they may close the day, else after a manager's
// approval.
func (s *ShiftScreen) AskCloseDay() {
	s.ui.Touch()
	var d models.DayStatus
	var err error
	s.ui.Async(func() { d, err = s.svc.DayStatus(context.Background()) }, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.showDay(d)
		if d.ShiftOpen {
			s.result.SetText(Message(models.ErrShiftStillOpen))
			return
		}
		_, taken := d.Figures.Takings().Taken()
		body := lang.X("shift.close_day_body", "Taken today: {{.Taken}}\nOrders awaiting payment: {{.Open}}\nPayments not yet reported to the acquirer: {{.Pending}}\nThe Z report cannot be changed once taken.",
			map[string]any{"Taken": s.money(taken), "Open": d.OpenCount, "Pending": d.PendingOutbox})
		c := dialog.NewConfirm(lang.X("shift.close_day_title", "Close day {{.Number}}?", map[string]any{"Number": d.Number}), body,
			func(ok bool) {
				s.ui.Touch()
				if ok {
					s.authorizeDay()
				}
			}, s.ui.Window)
		c.SetConfirmText(lang.X("shift.close_day_confirm", "Take the Z report"))
		c.SetDismissText(lang.X("action.cancel", "Cancel"))
		c.Show()
	})
}

func (s *ShiftScreen) authorizeDay() {
	op := s.ui.Operator()
	if s.staff == nil || s.staff.Allowed(context.Background(), op, models.PermDayClose) == nil {
		s.closeDayAs(op)
		return
	}
	askManager(s.ui, s.staff, lang.X("shift.approve_day", "Approve the close of day"), s.closeDayAs)
}

func (s *ShiftScreen) closeDayAs(by models.Operator) {
	var z models.ZReport
	var err error
	s.ui.Async(func() { z, err = s.svc.CloseDay(context.Background(), by) }, func() {
		if err != nil {
			s.result.SetText(Message(err))
			return
		}
		s.result.SetText(lang.X("shift.z_taken", "Z report {{.Number}} taken", map[string]any{"Number": z.Number}))
		s.Refresh()
		s.showSlip(lang.X("shift.z_title", "Z report {{.Number}}", map[string]any{"Number": z.Number}),
			receipt.BuildZSlip(z, false, s.ui.Shop.Currency, s.receiptShop(), lang.X))
	})
}

// ReprintZ prints the last Z report again, marked as a copy.
func (s *ShiftScreen) ReprintZ() {
	s.ui.Touch()
	if s.lastZ == 0 {
		return
	}
	var z models.ZReport
	var err error
	n := s.lastZ
	s.ui.Async(func() { z, err = s.svc.ReprintZ(context.Background(), n) }, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.showSlip(lang.X("shift.z_copy_title", "Z report {{.Number}} (copy)", map[string]any{"Number": z.Number}),
			receipt.BuildZSlip(z, true, s.ui.Shop.Currency, s.receiptShop(), lang.X))
	})
}

func (s *ShiftScreen) receiptShop() receipt.Shop {
	return receipt.Shop{Name: s.ui.Shop.Name, TerminalID: s.ui.Shop.TerminalID, Lang: s.ui.Shop.Lang}
}

// showSlip shows rows on paper and prints them.
func (s *ShiftScreen) showSlip(title string, rows []receipt.Row) {
	s.slip = rows
	paper := Paper(rows)
	done := widget.NewButton(lang.X("action.done", "Done"), nil)
	done.Importance = widget.HighImportance
	body := container.NewBorder(nil, container.NewGridWrap(fyne.NewSize(200, 56), done), nil, nil,
		container.NewVScroll(container.NewGridWrap(fyne.NewSize(400, paper.MinSize().Height), paper)))
	dlg := dialog.NewCustomWithoutButtons(title, body, s.ui.Window)
	dlg.Resize(fyne.NewSize(460, 640))
	done.OnTapped = dlg.Hide
	dlg.Show()
	s.print(rows)
}

// print prints rows off the UI goroutine and says how it went.
func (s *ShiftScreen) print(rows []receipt.Row) {
	if s.printer == nil {
		s.printed.SetText(lang.X("shift.no_printer", "Nothing prints here: the report was not printed"))
		return
	}
	s.printed.SetText(lang.X("shift.printing", "Printing…"))
	var err error
	s.ui.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err = s.printer.PrintSlip(ctx, rows)
	}, func() {
		if err != nil {
			s.printed.SetText(lang.X("shift.not_printed", "The report was not printed: {{.Error}}", map[string]any{"Error": Message(err)}))
			return
		}
		s.printed.SetText(lang.X("shift.printed", "Report printed"))
	})
}

// countDialog counts the drawer by denomination: a row per note and coin
// (tap one to choose it), a keypad for its count, and the amounts live:
// counted, and with expected set, expected and the variance.
type countDialog struct {
	ui       *UI
	d        *dialog.CustomDialog
	count    models.CashCount
	selected int
	rows     []*widget.Button
	keypad   *widgets.Keypad
	counted  *widget.Label
	variance *widget.Label
	expected *int64
	msg      *widget.Label
}

// countRowSize is a denomination row: well above the 48 dp touch minimum.
var countRowSize = fyne.NewSize(260, 52)

func newCountDialog(ui *UI, title string, expected *int64, onOK func(models.CashCount) error, extra ...fyne.CanvasObject) *countDialog {
	c := &countDialog{ui: ui, expected: expected, keypad: widgets.NewKeypad(0)}
	c.keypad.MaxLen = 6
	list := container.NewVBox()
	for i := range models.Denominations {
		b := widget.NewButton("", func() { c.choose(i) })
		b.Alignment = widget.ButtonAlignLeading
		c.rows = append(c.rows, b)
		list.Add(container.NewGridWrap(countRowSize, b))
	}
	c.counted = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.variance = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.msg = widget.NewLabel("")
	c.msg.Importance = widget.DangerImportance
	c.msg.Wrapping = fyne.TextWrapWord
	totals := container.NewVBox()
	if expected != nil {
		totals.Add(widget.NewLabel(lang.X("shift.expected", "Expected in the drawer: {{.Amount}}",
			map[string]any{"Amount": c.money(*expected)})))
	}
	totals.Add(c.counted)
	if expected != nil {
		totals.Add(c.variance)
	}
	c.keypad.OnChanged = func(text string) {
		ui.Touch()
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			n = 0
		}
		c.count[c.selected] = n
		c.msg.SetText("")
		c.update()
	}
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), func() {
		ui.Touch()
		c.d.Hide()
	})
	ok := widget.NewButton(lang.X("action.ok", "OK"), func() {
		ui.Touch()
		if err := onOK(c.count); err != nil {
			if err != errChecking {
				c.fail(err)
			}
			return
		}
		c.done(nil)
	})
	ok.Importance = widget.HighImportance
	right := container.NewVBox(append([]fyne.CanvasObject{totals, container.NewCenter(c.keypad), c.msg,
		container.NewGridWithColumns(2, cancel, ok)}, extra...)...)
	body := container.NewHBox(container.NewVScroll(list), right)
	c.d = dialog.NewCustomWithoutButtons(title, body, ui.Window)
	c.choose(0)
	c.update()
	return c
}

func (c *countDialog) money(v int64) string {
	return models.Money{Minor: v, Currency: c.ui.Shop.Currency}.String()
}

// choose makes denomination i the one the keypad counts.
func (c *countDialog) choose(i int) {
	c.ui.Touch()
	c.selected = i
	for j, b := range c.rows {
		b.Importance = widget.MediumImportance
		if j == i {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
	c.keypad.SetText(strconv.Itoa(c.count[i]))
}

// update shows each row's count and amount, the total and the variance.
func (c *countDialog) update() {
	for i, d := range models.Denominations {
		c.rows[i].SetText(fmt.Sprintf("%s × %d = %s", receipt.DenominationName(d, lang.X), c.count[i], c.money(int64(c.count[i])*d.Value)))
	}
	total := c.count.Total()
	c.counted.SetText(lang.X("shift.counted", "Counted: {{.Amount}}", map[string]any{"Amount": c.money(total)}))
	if c.expected != nil {
		c.variance.SetText(lang.X("shift.variance", "Variance: {{.Amount}}", map[string]any{"Amount": c.money(models.Variance(total, *c.expected))}))
	}
}

// fail shows err under the keypad, the dialog left open.
func (c *countDialog) fail(err error) { c.msg.SetText(Message(err)) }

// done hides the dialog, then runs next (if not nil): a step that opens
// another dialog must run once this one has closed.
func (c *countDialog) done(next func()) {
	c.d.Hide()
	if next != nil {
		next()
	}
}

// Show opens the dialog.
func (c *countDialog) Show() {
	c.d.Resize(fyne.NewSize(760, 700))
	c.d.Show()
}
