package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/screens/widgets"
)

// DayEndService is what the day-end screen reads of the sales; *sales.Sales
// is one.
type DayEndService interface {
	// TakingsBetween is what the terminal took in [from, to), each payment
	// dated when taken, stored value apart.
	TakingsBetween(ctx context.Context, from, to time.Time) (models.Takings, error)
}

// HostLink is the terminal's link to its acquirer as the day-end screen
// uses it; *hostlink.Link is one.
type HostLink interface {
	// Status counts the payments not yet reported and gives the last report
	// time, and whether the host is connected.
	Status(ctx context.Context) (pending int64, last time.Time, connected bool, err error)
	// SyncNow reports every pending payment, telling progress how many are done.
	SyncNow(ctx context.Context, progress func(done int)) (int, error)
	// OpenBatch is what the open batch holds: its number, its payments and
	// the totals a settlement would send.
	OpenBatch(ctx context.Context) (models.BatchContents, error)
	// Settle closes the open batch with the host, authorized by by (a
	// manager, models.CanSettle); an empty batch is refused.
	Settle(ctx context.Context, by models.Operator) (acquirer.Settlement, error)
}

// SlipPrinter prints a slip and waits for the printer; *printing.Printing
// is one.
type SlipPrinter interface {
	// PrintSlip prints rows, or says why it could not (no printer set,
	// paper out, ...).
	PrintSlip(ctx context.Context, rows []receipt.Row) error
}

// DayEnd is the end-of-day screen: today's takings by tender, reporting the
// payments still unsynced to the acquirer (with progress, cancellable), and
// settling the batch with the host.
type DayEnd struct {
	ui       *UI
	svc      DayEndService
	host     HostLink    // nil without an acquirer
	staff    Staff       // asked for a manager's approval
	printer  SlipPrinter // nil: nothing prints
	summary  *widget.Label
	tenders  *fyne.Container
	sync     *widget.Label
	progress *widget.ProgressBar
	syncBtn  *widget.Button
	cancel   *widget.Button
	settle   *widget.Button
	result   *widget.Label
	printed  *widget.Label // how printing the settlement slip went
	slip     []receipt.Row // the last settlement's slip
	stop     context.CancelFunc
	pending  int64
	// OnAudit, when set, opens the audit trail (a button shows it).
	OnAudit func()
	audit   *widget.Button
	// OnReports, when set, opens the reports (a button shows it).
	OnReports func()
	reports   *widget.Button
	// OnShift, when set, opens the shift and close-of-day screen (a
	// button shows it).
	OnShift func()
	shift   *widget.Button
	// exports writes CSV files for the accountant; nil hides the button.
	exports      Exports
	exportDialog *ExportDialog
	left         *fyne.Container // today's takings and the buttons below them
	right        *fyne.Container // the acquirer, settlement and update
	update       *dayEndUpdate   // nil without an update channel
	content      fyne.CanvasObject
}

// NewDayEnd builds the screen; Refresh loads it. host is nil when no
// acquirer is set up, printer when nothing prints, exports when nothing is
// exported.
func NewDayEnd(ui *UI, svc DayEndService, host HostLink, staff Staff, printer SlipPrinter, exports Exports) *DayEnd {
	d := &DayEnd{ui: ui, svc: svc, host: host, staff: staff, printer: printer, exports: exports}
	d.content = d.build()
	return d
}

// Content is the screen's root object.
func (d *DayEnd) Content() fyne.CanvasObject { return d.content }

// Result is the settlement or sync outcome shown, for tests.
func (d *DayEnd) Result() string { return d.result.Text }

// Printed says how printing the last settlement slip went, for tests.
func (d *DayEnd) Printed() string { return d.printed.Text }

// Slip is the last settlement's slip, for tests.
func (d *DayEnd) Slip() []receipt.Row { return d.slip }

func (d *DayEnd) build() fyne.CanvasObject {
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	d.summary = bold("")
	d.tenders = container.NewVBox()
	d.sync = widget.NewLabel("")
	d.sync.Wrapping = fyne.TextWrapWord
	d.progress = widget.NewProgressBar()
	d.progress.Hide()
	d.syncBtn = widget.NewButtonWithIcon(lang.X("dayend.sync", "Sync now"), theme.UploadIcon(), d.SyncNow)
	d.cancel = widget.NewButtonWithIcon(lang.X("action.cancel", "Cancel"), theme.CancelIcon(), func() {
		if d.stop != nil {
			d.stop()
		}
	})
	d.cancel.Hide()
	d.settle = widget.NewButtonWithIcon(lang.X("dayend.settle", "Settle the batch"), theme.ConfirmIcon(), d.Settle)
	d.settle.Importance = widget.HighImportance
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	d.printed = widget.NewLabel("")
	d.printed.Wrapping = fyne.TextWrapWord
	size := fyne.NewSize(260, 60)
	d.audit = widget.NewButtonWithIcon(lang.X("audit.title", "Audit trail"), theme.VisibilityIcon(), func() {
		if d.OnAudit != nil {
			d.OnAudit()
		}
	})
	d.reports = widget.NewButtonWithIcon(lang.X("report.title", "Reports"), theme.GridIcon(), func() {
		if d.OnReports != nil {
			d.OnReports()
		}
	})
	d.shift = widget.NewButtonWithIcon(lang.X("dayend.shift", "Shift and close of day"), theme.HistoryIcon(), func() {
		if d.OnShift != nil {
			d.OnShift()
		}
	})
	exportBtn := widget.NewButtonWithIcon(lang.X("export.start", "Export CSV"), theme.DocumentSaveIcon(), d.AskExport)
	if d.exports == nil {
		exportBtn.Hide()
	}
	left := container.NewVBox(bold(lang.X("dayend.today", "Today")), d.summary, widget.NewSeparator(), d.tenders,
		widget.NewSeparator(), container.NewGridWrap(size, d.shift, d.reports, d.audit, exportBtn))
	d.left = left
	d.right = container.NewVBox(
		bold(lang.X("dayend.sync_title", "Report to the acquirer")), d.sync, d.progress,
		container.NewHBox(container.NewGridWrap(size, d.syncBtn), container.NewGridWrap(size, d.cancel)),
		widget.NewSeparator(),
		bold(lang.X("dayend.settle_title", "Settlement")),
		container.NewGridWrap(size, d.settle), d.result, d.printed)
	if d.host == nil {
		d.syncBtn.Disable()
		d.settle.Disable()
		d.sync.SetText(lang.X("dayend.no_acquirer", "No acquirer is configured"))
	}
	return container.NewPadded(widgets.NewSplit(0.5, container.NewPadded(left), container.NewPadded(d.right)))
}

// Refresh loads today's totals and the sync status.
func (d *DayEnd) Refresh() {
	now := d.ui.now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var takings models.Takings
	var err error
	var pending int64
	var last time.Time
	var connected bool
	var serr error
	d.ui.Async(func() {
		takings, err = d.svc.TakingsBetween(context.Background(), from, from.AddDate(0, 0, 1))
		if d.host != nil {
			pending, last, connected, serr = d.host.Status(context.Background())
		}
	}, func() {
		if err != nil {
			ShowError(d.ui.Window, err)
			return
		}
		d.showTotals(takings)
		if d.host != nil && serr == nil {
			d.showSync(pending, last, connected)
		}
	})
	d.refreshUpdate()
}

func (d *DayEnd) money(v int64) string {
	return models.Money{Minor: v, Currency: d.ui.Shop.Currency}.String()
}

func (d *DayEnd) showTotals(t models.Takings) {
	d.tenders.RemoveAll()
	row := func(label, amount string, bold bool) {
		d.tenders.Add(container.NewBorder(nil, nil, nil,
			widget.NewLabelWithStyle(amount, fyne.TextAlignTrailing, fyne.TextStyle{Bold: bold}), widget.NewLabel(label)))
	}
	for _, x := range t.Tenders {
		row(lang.XN("dayend.tender_row", "{{.Tender}} · {{.Count}} payments", x.Count, map[string]any{
			"Tender": receipt.TenderName(x.Tender, lang.X), "Count": x.Count}), d.money(x.Amount), true)
	}
	if t.TopUps.Count > 0 || t.BalanceSpent.Count > 0 {
		d.tenders.Add(widget.NewSeparator())
		row(lang.X("dayend.top_ups", "of which members' top-ups (owed to them)"), d.money(t.TopUps.Amount), false)
		row(lang.X("dayend.balance_spent", "Paid from members' balances (not taken again)"), d.money(t.BalanceSpent.Amount), false)
	}
	d.tenders.Add(widget.NewSeparator())
	row(lang.X("dayend.net_sales", "Net sales"), d.money(t.NetSales()), true)
	d.audit.Hidden = d.OnAudit == nil
	d.reports.Hidden = d.OnReports == nil
	d.shift.Hidden = d.OnShift == nil
	d.tenders.Refresh()
	d.left.Refresh() // the buttons below move down as the rows grow
	count, sum := t.Taken()
	d.summary.SetText(lang.XN("dayend.summary", "{{.Count}} payments · {{.Total}}", count, map[string]any{"Count": count, "Total": d.money(sum)}))
}

func (d *DayEnd) showSync(pending int64, last time.Time, connected bool) {
	d.pending = pending
	when := "—"
	if !last.IsZero() {
		when = last.Local().Format("15:04")
	}
	text := lang.XN("dayend.sync_status", "{{.Pending}} payments not yet reported · last report {{.Time}}", int(pending),
		map[string]any{"Pending": pending, "Time": when})
	if !connected {
		text += " · " + lang.X("dayend.offline", "acquirer offline")
	}
	d.sync.SetText(text)
}

// SyncNow reports the pending payments, showing progress; Cancel stops it.
func (d *DayEnd) SyncNow() {
	d.ui.Touch()
	if d.host == nil || d.stop != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	total := max(d.pending, 1)
	d.progress.SetValue(0)
	d.progress.Show()
	d.cancel.Show()
	d.syncBtn.Disable()
	var done int
	var err error
	d.ui.Async(func() {
		done, err = d.host.SyncNow(ctx, func(n int) {
			d.ui.Do(func() { d.progress.SetValue(min(float64(n)/float64(total), 1)) })
		})
	}, func() {
		d.stop = nil
		cancel()
		d.progress.Hide()
		d.cancel.Hide()
		d.syncBtn.Enable()
		if err != nil {
			d.result.SetText(lang.X("dayend.sync_failed", "Reported {{.Done}}, then: {{.Error}}",
				map[string]any{"Done": done, "Error": Message(err)}))
		} else {
			d.result.SetText(lang.XN("dayend.synced", "Reported {{.Done}} payments", done, map[string]any{"Done": done}))
		}
		d.Refresh()
	})
}

// Settle closes the batch with the acquirer: an empty batch is refused
// with a message; otherwise its counts and totals are shown to confirm, a
// manager approves unless one is signed in, and the host's agreement is
// shown and its slip printed.
func (d *DayEnd) Settle() {
	d.ui.Touch()
	if d.host == nil {
		return
	}
	var b models.BatchContents
	var err error
	d.ui.Async(func() {
		b, err = d.host.OpenBatch(context.Background())
	}, func() {
		if err == nil {
			err = models.CanSettleBatch(b)
		}
		if err != nil {
			d.result.SetText(Message(err))
			return
		}
		d.confirmSettle(b)
	})
}

// confirmSettle shows batch b's counts and totals and settles it if the
// operator confirms.
func (d *DayEnd) confirmSettle(b models.BatchContents) {
	t := b.Totals
	body := lang.X("dayend.confirm_body", "Cards and QR · sales: {{.Sales}}, {{.SalesAmount}} · refunds: {{.Refunds}}, {{.RefundsAmount}}\nPayments in the batch, all tenders: {{.Payments}}\nThe totals go to the acquirer and the batch is closed.",
		map[string]any{"Sales": t.DebitCount, "SalesAmount": d.money(t.DebitAmount), "Refunds": t.CreditCount,
			"RefundsAmount": d.money(t.CreditAmount), "Payments": b.Payments})
	if d.pending > 0 {
		body += "\n" + lang.XN("dayend.unsynced_note", "{{.Pending}} payments have not been reported to the acquirer yet.", int(d.pending),
			map[string]any{"Pending": d.pending})
	}
	c := dialog.NewConfirm(lang.X("dayend.confirm_title", "Settle batch {{.Batch}}?", map[string]any{"Batch": b.Batch}), body,
		func(ok bool) {
			d.ui.Touch()
			if ok {
				d.authorize(b)
			}
		}, d.ui.Window)
	c.SetConfirmText(lang.X("dayend.confirm", "Settle"))
	c.SetDismissText(lang.X("action.cancel", "Cancel"))
	c.Show()
}

// authorize settles batch b as the operator if they may (models.CanSettle),
// else after a manager's approval.
func (d *DayEnd) authorize(b models.BatchContents) {
	op := d.ui.Operator()
	if models.CanSettle(op) == nil || d.staff == nil {
		d.settleNow(op)
		return
	}
	askManager(d.ui, d.staff, lang.X("dayend.approve_title", "Approve settling batch {{.Batch}}", map[string]any{"Batch": b.Batch}),
		d.settleNow)
}

// settleNow settles the open batch, authorized by by, then shows and
// prints its slip.
func (d *DayEnd) settleNow(by models.Operator) {
	d.settle.Disable()
	d.printed.SetText("")
	var err error
	var res acquirer.Settlement
	d.ui.Async(func() {
		res, err = d.host.Settle(context.Background(), by)
	}, func() {
		d.settle.Enable()
		if err != nil {
			d.result.SetText(Message(err))
			return
		}
		d.result.SetText(d.settledText(res))
		d.slip = receipt.BuildSettlementSlip(d.slipOf(res), d.receiptShop(), lang.X)
		d.showSlip(res.Batch)
		d.printSlip()
	})
}

// settledText sums up a settlement in one line.
func (d *DayEnd) settledText(res acquirer.Settlement) string {
	text := lang.X("dayend.settled", "Batch {{.Batch}} settled · sales: {{.Sales}}, {{.SalesAmount}} · refunds: {{.Refunds}}, {{.RefundsAmount}}",
		map[string]any{"Batch": res.Batch, "Sales": res.Totals.DebitCount, "SalesAmount": d.money(res.Totals.DebitAmount),
			"Refunds": res.Totals.CreditCount, "RefundsAmount": d.money(res.Totals.CreditAmount)})
	if res.Uploaded > 0 {
		text += " · " + lang.XN("dayend.uploaded", "after uploading {{.N}} transactions", res.Uploaded, map[string]any{"N": res.Uploaded})
	}
	return text
}

// slipOf is what the settlement slip shows of res.
func (d *DayEnd) slipOf(res acquirer.Settlement) receipt.Settlement {
	return receipt.Settlement{Batch: res.Batch, At: res.At, TID: res.Terminal.TID, MID: res.Terminal.MID, Code: res.Code,
		Uploaded: res.Uploaded, Currency: d.ui.Shop.Currency, Totals: res.Totals, Schemes: res.Schemes}
}

func (d *DayEnd) receiptShop() receipt.Shop {
	return d.ui.receiptShop()
}

// showSlip shows the settlement slip of batch.
func (d *DayEnd) showSlip(batch int) {
	slip := Paper(d.slip)
	done := widget.NewButton(lang.X("action.done", "Done"), nil)
	done.Importance = widget.HighImportance
	body := container.NewBorder(nil, container.NewGridWrap(fyne.NewSize(200, 56), done), nil, nil,
		container.NewVScroll(container.NewGridWrap(fyne.NewSize(400, slip.MinSize().Height), slip)))
	dlg := dialog.NewCustomWithoutButtons(lang.X("dayend.settled_title", "Batch {{.Batch}} settled", map[string]any{"Batch": batch}),
		body, d.ui.Window)
	dlg.Resize(fyne.NewSize(460, 640))
	done.OnTapped = dlg.Hide
	dlg.Show()
}

// printSlip prints the settlement slip off the UI goroutine and says how
// it went; the settlement stands either way.
func (d *DayEnd) printSlip() {
	if d.printer == nil {
		d.printed.SetText(lang.X("dayend.slip_no_printer", "The batch is settled; nothing prints here, so its slip was not printed"))
		return
	}
	rows := d.slip
	d.printed.SetText(lang.X("dayend.slip_printing", "Printing the settlement slip…"))
	var err error
	d.ui.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err = d.printer.PrintSlip(ctx, rows)
	}, func() {
		if err != nil {
			d.printed.SetText(lang.X("dayend.slip_not_printed", "The batch is settled; its slip was not printed: {{.Error}}",
				map[string]any{"Error": Message(err)}))
			return
		}
		d.printed.SetText(lang.X("dayend.slip_printed", "Settlement slip printed"))
	})
}
