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
	OrdersBetween(ctx context.Context, from, to time.Time) ([]models.Order, error)
}

// HostLink is the terminal's link to its acquirer as the day-end screen
// uses it; *hostlink.Link is one.
type HostLink interface {
	// Status counts the payments not yet reported and gives the last report
	// time, and whether the host is connected.
	Status(ctx context.Context) (pending int64, last time.Time, connected bool, err error)
	// SyncNow reports every pending payment, telling progress how many are done.
	SyncNow(ctx context.Context, progress func(done int)) (int, error)
	// Settle closes the open batch with the host.
	Settle(ctx context.Context) (acquirer.Settlement, error)
}

// DayEnd is the end-of-day screen: today's takings by tender, reporting the
// payments still unsynced to the acquirer (with progress, cancellable), and
// settling the batch with the host.
type DayEnd struct {
	ui       *UI
	svc      DayEndService
	host     HostLink // nil without an acquirer
	summary  *widget.Label
	tenders  *fyne.Container
	sync     *widget.Label
	progress *widget.ProgressBar
	syncBtn  *widget.Button
	cancel   *widget.Button
	settle   *widget.Button
	result   *widget.Label
	stop     context.CancelFunc
	pending  int64
	content  fyne.CanvasObject
}

// NewDayEnd builds the screen; Refresh loads it. host is nil when no
// acquirer is set up.
func NewDayEnd(ui *UI, svc DayEndService, host HostLink) *DayEnd {
	d := &DayEnd{ui: ui, svc: svc, host: host}
	d.content = d.build()
	return d
}

// Content is the screen's root object.
func (d *DayEnd) Content() fyne.CanvasObject { return d.content }

// Result is the settlement or sync outcome shown, for tests.
func (d *DayEnd) Result() string { return d.result.Text }

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
	size := fyne.NewSize(260, 60)
	left := container.NewVBox(bold(lang.X("dayend.today", "Today")), d.summary, widget.NewSeparator(), d.tenders)
	right := container.NewVBox(
		bold(lang.X("dayend.sync_title", "Report to the acquirer")), d.sync, d.progress,
		container.NewHBox(container.NewGridWrap(size, d.syncBtn), container.NewGridWrap(size, d.cancel)),
		widget.NewSeparator(),
		bold(lang.X("dayend.settle_title", "Settlement")),
		container.NewGridWrap(size, d.settle), d.result)
	if d.host == nil {
		d.syncBtn.Disable()
		d.settle.Disable()
		d.sync.SetText(lang.X("dayend.no_acquirer", "No acquirer is configured"))
	}
	return container.NewPadded(widgets.NewSplit(0.5, container.NewPadded(left), container.NewPadded(right)))
}

// Refresh loads today's totals and the sync status.
func (d *DayEnd) Refresh() {
	now := d.ui.now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var orders []models.Order
	var err error
	var pending int64
	var last time.Time
	var connected bool
	var serr error
	d.ui.Async(func() {
		orders, err = d.svc.OrdersBetween(context.Background(), from, from.AddDate(0, 0, 1))
		if d.host != nil {
			pending, last, connected, serr = d.host.Status(context.Background())
		}
	}, func() {
		if err != nil {
			ShowError(d.ui.Window, err)
			return
		}
		d.showTotals(orders)
		if d.host != nil && serr == nil {
			d.showSync(pending, last, connected)
		}
	})
}

func (d *DayEnd) money(v int64) string {
	return models.Money{Minor: v, Currency: d.ui.Shop.Currency}.String()
}

func (d *DayEnd) showTotals(orders []models.Order) {
	totals := models.TotalsByTender(orders)
	var count int
	var sum int64
	d.tenders.RemoveAll()
	for _, t := range totals {
		count += t.Count
		sum += t.Amount
		name := widget.NewLabel(lang.X("dayend.tender_row", "{{.Tender}} · {{.Count}} payments", map[string]any{
			"Tender": receipt.TenderName(t.Tender, lang.X), "Count": t.Count}))
		amount := widget.NewLabelWithStyle(d.money(t.Amount), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		d.tenders.Add(container.NewBorder(nil, nil, nil, amount, name))
	}
	d.summary.SetText(lang.X("dayend.summary", "{{.Count}} payments · {{.Total}}", map[string]any{"Count": count, "Total": d.money(sum)}))
}

func (d *DayEnd) showSync(pending int64, last time.Time, connected bool) {
	d.pending = pending
	when := "—"
	if !last.IsZero() {
		when = last.Local().Format("15:04")
	}
	text := lang.X("dayend.sync_status", "{{.Pending}} payments not yet reported · last report {{.Time}}",
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
			d.result.SetText(lang.X("dayend.synced", "Reported {{.Done}} payments", map[string]any{"Done": done}))
		}
		d.Refresh()
	})
}

// Settle closes the batch with the acquirer and shows the totals it agreed,
// asking first when payments are still unreported.
func (d *DayEnd) Settle() {
	d.ui.Touch()
	if d.host == nil {
		return
	}
	if d.pending > 0 {
		dialog.ShowConfirm(lang.X("dayend.unsynced_title", "Payments not yet reported"),
			lang.X("dayend.unsynced_body", "{{.Pending}} payments have not been reported to the acquirer yet. Settle anyway?",
				map[string]any{"Pending": d.pending}),
			func(ok bool) {
				if ok {
					d.settleNow()
				}
			}, d.ui.Window)
		return
	}
	d.settleNow()
}

func (d *DayEnd) settleNow() {
	d.settle.Disable()
	var err error
	var res acquirer.Settlement
	d.ui.Async(func() {
		res, err = d.host.Settle(context.Background())
	}, func() {
		d.settle.Enable()
		if err != nil {
			d.result.SetText(Message(err))
			return
		}
		text := lang.X("dayend.settled", "Batch {{.Batch}} settled: {{.Sales}} sales {{.SalesAmount}}, {{.Refunds}} refunds {{.RefundsAmount}}",
			map[string]any{"Batch": res.Batch, "Sales": res.Totals.DebitCount, "SalesAmount": d.money(res.Totals.DebitAmount),
				"Refunds": res.Totals.CreditCount, "RefundsAmount": d.money(res.Totals.CreditAmount)})
		if res.Uploaded > 0 {
			text += " · " + lang.X("dayend.uploaded", "after uploading {{.N}} transactions", map[string]any{"N": res.Uploaded})
		}
		d.result.SetText(text)
	})
}
