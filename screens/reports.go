package screens

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/screens/widgets"
)

// ReportService is what the reports screen reads; *sales.Sales is one.
type ReportService interface {
	// Report is what the terminal did in [from, to), for by (who needs
	// the reports permission, checked by the service).
	Report(ctx context.Context, by models.Operator, from, to time.Time) (models.Report, error)
}

// reportPeriods are the periods offered, in days ending with the day
// chosen: a day, a week, thirty days.
var reportPeriods = []int{1, 7, 30}

// Reports is the owner's reports screen: a day or a period's sales beside
// the week before, by hour and by tender as charts each with a table
// beside, the top products and categories, each cashier, and stored value
// apart; printable as a summary slip.
type Reports struct {
	ui      *UI
	svc     ReportService
	printer SlipPrinter // nil: no printing
	by      models.Operator
	// OnMembers, when set, opens the members' report of the period shown
	// (a button shows it).
	OnMembers func(days int, last time.Time)
	// The period shown and its buttons (ShiftStart, Choose, ChooseRange).
	*periodPicker
	report models.Report

	figures   *fyne.Container
	hours     *widgets.BarChart
	hourRows  *fyne.Container
	tenders   *widgets.Donut
	tenderRow *fyne.Container
	products  *fyne.Container
	cats      *fyne.Container
	cashiers  *fyne.Container
	stored    *fyne.Container
	print     *widget.Button
	members   fyne.CanvasObject // the Members button, hidden without OnMembers
	content   fyne.CanvasObject
}

// NewReports builds the screen for by, showing today; Refresh loads it.
// printer is nil when nothing prints.
func NewReports(ui *UI, svc ReportService, printer SlipPrinter, by models.Operator) *Reports {
	r := &Reports{ui: ui, svc: svc, printer: printer, by: by}
	r.periodPicker = newPeriodPicker(ui, 1, time.Time{}, r.Refresh)
	r.content = r.build()
	return r
}

// Content is the screen's root object.
func (r *Reports) Content() fyne.CanvasObject { return r.content }

// Report is the report shown, for tests.
func (r *Reports) Report() models.Report { return r.report }

// Hours is the chart by hour, for tests.
func (r *Reports) Hours() *widgets.BarChart { return r.hours }

// Tenders is the chart by tender, for tests.
func (r *Reports) Tenders() *widgets.Donut { return r.tenders }

func (r *Reports) build() fyne.CanvasObject {
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	r.print = widget.NewButtonWithIcon(lang.X("report.print", "Print summary"), theme.DocumentPrintIcon(), r.Print)
	if r.printer == nil {
		r.print.Hide()
	}
	r.members = pickerCell(150, widget.NewButtonWithIcon(lang.X("report.members", "Members"), theme.AccountIcon(), func() {
		if r.OnMembers != nil {
			r.OnMembers(r.days, r.last)
		}
	}))
	// Two rows, so that a portrait tablet holds them: the steps and
	// printing, then the periods.
	bar := container.NewVBox(container.NewHBox(r.steps(), widget.NewSeparator(), pickerCell(190, r.print)), r.periods())
	// Eight figures in two rows of four: a grid whose height is known
	// before it is laid out (a wrapping one learns its rows only then, and
	// the section below would be drawn over them).
	r.figures = container.NewGridWithColumns(4)
	r.hours = widgets.NewBarChart(nil)
	r.hourRows = container.NewVBox()
	r.tenders = widgets.NewDonut(nil, "")
	r.tenderRow = container.NewVBox()
	r.products, r.cats = container.NewVBox(), container.NewVBox()
	r.cashiers, r.stored = container.NewVBox(), container.NewVBox()
	pair := func(a, b fyne.CanvasObject) fyne.CanvasObject { return container.NewGridWithColumns(2, a, b) }
	section := func(title string, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(bold(title), nil, nil, nil, o)
	}
	body := container.NewVBox(
		container.NewBorder(nil, nil, nil, r.members, container.NewHBox(r.period, r.status)), bar, r.figures, widget.NewSeparator(),
		pair(section(lang.X("report.by_hour", "By hour (marks: the week before)"), container.NewStack(strut(0, 260), r.hours)),
			section(lang.X("report.hour_table", "Hours"), r.hourRows)),
		widget.NewSeparator(),
		pair(section(lang.X("report.by_tender", "By tender"), container.NewStack(strut(0, 260), r.tenders)),
			section(lang.X("report.tender_table", "Money taken"), r.tenderRow)),
		widget.NewSeparator(),
		pair(section(lang.X("report.top_products", "Top products"), r.products),
			section(lang.X("report.categories", "Categories"), r.cats)),
		widget.NewSeparator(),
		pair(section(lang.X("report.cashiers", "By cashier"), r.cashiers),
			section(lang.X("report.stored_value", "Stored value"), r.stored)),
	)
	return container.NewVScroll(container.NewPadded(body))
}

// Refresh loads the period's report off Fyne's goroutine and shows it.
func (r *Reports) Refresh() {
	showIf(r.members, r.OnMembers != nil)
	var rep models.Report
	r.load(func(ctx context.Context, from, to time.Time) (err error) {
		rep, err = r.svc.Report(ctx, r.by, from, to)
		return err
	}, func() { r.show(rep) })
}

func (r *Reports) money(v int64) string {
	return models.Money{Minor: v, Currency: r.ui.Shop.Currency}.String()
}

// figure is one of the figures on top: what, how much, and a line below.
func (r *Reports) figure(label, value, below string) fyne.CanvasObject {
	fg := theme.Color(theme.ColorNameForeground)
	name := canvas.NewText(label, fg)
	name.TextSize = theme.TextSize()
	v := canvas.NewText(value, fg)
	v.TextSize, v.TextStyle = theme.TextSize()*1.6, fyne.TextStyle{Bold: true}
	small := canvas.NewText(below, fg)
	small.TextSize = theme.CaptionTextSize()
	return container.NewPadded(container.NewVBox(name, v, small))
}

// canvasSwatch is a small square of a chart's colour, as a legend.
func canvasSwatch(c color.Color) fyne.CanvasObject {
	sq := canvas.NewRectangle(c)
	sq.SetMinSize(fyne.NewSize(16, 16))
	return container.NewCenter(sq)
}

// row is a line of a table: the words left, the figures right.
func reportRow(label string, figures ...string) fyne.CanvasObject {
	right := container.NewHBox()
	for _, f := range figures {
		right.Add(widget.NewLabelWithStyle(f, fyne.TextAlignTrailing, fyne.TextStyle{}))
	}
	l := widget.NewLabel(label)
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, nil, right, l)
}

func (r *Reports) show(rep models.Report) {
	r.report = rep
	week := lang.X("report.week_before_short", "week before")
	change := func(now, before int64) string {
		c := receipt.ChangeText(now, before)
		if c == "" {
			return week + " —"
		}
		return week + " " + r.money(before) + " " + c
	}
	r.figures.RemoveAll()
	_, taken := rep.Takings.Taken()
	r.figures.Add(r.figure(lang.X("report.net_sales", "Net sales"), r.money(rep.NetSales), change(rep.NetSales, rep.Prior.NetSales)))
	orders := week + " " + fmt.Sprint(rep.Prior.Orders)
	if c := receipt.ChangeText(int64(rep.Orders), int64(rep.Prior.Orders)); c != "" {
		orders += " " + c
	}
	r.figures.Add(r.figure(lang.X("report.orders", "Orders"), fmt.Sprint(rep.Orders), orders))
	r.figures.Add(r.figure(lang.X("report.average", "Average ticket"), r.money(receipt.AverageTicket(rep)), ""))
	r.figures.Add(r.figure(lang.X("report.takings", "Money taken"), r.money(taken), ""))
	r.figures.Add(r.figure(lang.X("report.discounts", "Discounts"), r.money(rep.Discounts),
		lang.X("report.gross_is", "gross {{.Amount}}", map[string]any{"Amount": r.money(rep.Gross)})))
	r.figures.Add(r.figure(lang.X("report.refunds", "Refunds"), r.money(rep.Refunds.Amount),
		lang.XN("report.count", "{{.Count}} times", rep.Refunds.Count, map[string]any{"Count": rep.Refunds.Count})))
	r.figures.Add(r.figure(lang.X("report.voids", "Voids"), r.money(rep.Voids.Amount),
		lang.XN("report.count", "{{.Count}} times", rep.Voids.Count, map[string]any{"Count": rep.Voids.Count})))
	r.figures.Add(r.figure(lang.X("report.tax", "Tax included"), r.money(rep.Tax), ""))
	r.showHours(rep)
	r.showTenders(rep, taken)
	r.showItems(r.products, rep.Products)
	r.showItems(r.cats, rep.Categories)
	r.cashiers.RemoveAll()
	for _, c := range rep.Cashiers {
		r.cashiers.Add(reportRow(fmt.Sprintf("%s · %s", c.Name, lang.XN("report.orders_n", "{{.Count}} orders", c.Orders, map[string]any{"Count": c.Orders})),
			r.money(c.NetSales)))
		if c.Voids != 0 || c.Refunds != 0 {
			r.cashiers.Add(reportRow("    "+lang.X("report.voids", "Voids")+" / "+lang.X("report.refunds", "Refunds"),
				r.money(c.Voids)+" / "+r.money(c.Refunds)))
		}
	}
	if len(rep.Cashiers) == 0 {
		r.cashiers.Add(widget.NewLabel(lang.X("report.none", "Nothing in this period")))
	}
	r.stored.RemoveAll()
	r.stored.Add(reportRow(lang.X("report.top_ups", "Top-ups sold (owed to members)"), r.money(rep.Takings.TopUps.Amount)))
	r.stored.Add(reportRow(lang.X("report.balance_spent", "Paid from balances"), r.money(rep.Takings.BalanceSpent.Amount)))
	r.stored.Add(reportRow(lang.X("report.members_balance", "Members' balances now"), r.money(rep.MembersBalance)))
	// The sections grew or shrank: lay the whole screen out again, not
	// each section in the space it had before.
	r.content.Refresh()
}

// showHours charts the hours that have sales (in the period or the week
// before), at least 09:00 to 21:00, with a table of the same figures.
func (r *Reports) showHours(rep models.Report) {
	first, last := 9, 21
	for h := range 24 {
		if rep.Hours[h].Count != 0 || rep.Prior.Hours[h].Count != 0 {
			first, last = min(first, h), max(last, h)
		}
	}
	var data []widgets.Datum
	var compare []int64
	r.hourRows.RemoveAll()
	for h := first; h <= last; h++ {
		x := rep.Hours[h]
		detail := lang.X("report.hour_detail", "{{.From}}:00–{{.To}}:00 · {{.Amount}} · {{.Count}} payments",
			map[string]any{"From": fmt.Sprintf("%02d", h), "To": fmt.Sprintf("%02d", h+1), "Amount": r.money(x.Amount), "Count": x.Count})
		data = append(data, widgets.Datum{Label: fmt.Sprintf("%02d", h), Value: x.Amount, Detail: detail})
		compare = append(compare, rep.Prior.Hours[h].Amount)
		if x.Count != 0 || rep.Prior.Hours[h].Count != 0 {
			r.hourRows.Add(reportRow(fmt.Sprintf("%02d:00", h), r.money(x.Amount), "("+r.money(rep.Prior.Hours[h].Amount)+")"))
		}
	}
	r.hours.SetData(data, compare)
	if len(r.hourRows.Objects) == 0 {
		r.hourRows.Add(widget.NewLabel(lang.X("report.none", "Nothing in this period")))
	}
}

// showTenders charts the money taken by tender, member balances as a slice
// of their own, and lists them with each card scheme and QR wallet.
func (r *Reports) showTenders(rep models.Report, taken int64) {
	var data []widgets.Datum
	slices := append([]models.TenderTotal(nil), rep.Takings.Tenders...)
	if rep.Takings.BalanceSpent.Count > 0 {
		slices = append(slices, rep.Takings.BalanceSpent)
	}
	var whole int64
	for _, t := range slices {
		whole += max(t.Amount, 0)
	}
	r.tenderRow.RemoveAll()
	for i, t := range slices {
		name := receipt.TenderName(t.Tender, lang.X)
		share := ""
		if whole > 0 {
			share = fmt.Sprintf("%d%%", (max(t.Amount, 0)*100+whole/2)/whole)
		}
		data = append(data, widgets.Datum{Label: name, Value: t.Amount, Detail: name + "\n" + r.money(t.Amount) + " · " + share})
		swatch := canvasSwatch(widgets.ChartColor(i))
		r.tenderRow.Add(container.NewBorder(nil, nil, swatch, nil,
			reportRow(lang.XN("dayend.tender_row", "{{.Tender}} · {{.Count}} payments", t.Count,
				map[string]any{"Tender": name, "Count": t.Count}), share, r.money(t.Amount))))
		for _, s := range rep.Schemes {
			if s.Tender == t.Tender && t.Tender != models.TenderCash {
				r.tenderRow.Add(reportRow("      "+receipt.SchemeTotalName(s, lang.X), r.money(s.Amount)))
			}
		}
	}
	r.tenderRow.Add(widget.NewSeparator())
	r.tenderRow.Add(reportRow(lang.X("report.taken_total", "Total taken"), r.money(taken)))
	r.tenders.SetData(data, lang.X("report.taken_total", "Total taken")+"\n"+r.money(taken))
}

// showItems lists products or categories with quantity and amount.
func (r *Reports) showItems(box *fyne.Container, items []models.ItemTotal) {
	box.RemoveAll()
	for i, it := range items {
		qty := ""
		if it.Qty != 0 {
			qty = "×" + it.Qty.String()
		}
		box.Add(reportRow(fmt.Sprintf("%d. %s", i+1, receipt.ItemName(it, r.ui.Shop.Lang)), qty, r.money(it.Amount)))
	}
	if len(items) == 0 {
		box.Add(widget.NewLabel(lang.X("report.none", "Nothing in this period")))
	}
}

// Print prints the summary of the report shown.
func (r *Reports) Print() {
	if r.printer == nil {
		return
	}
	rows := receipt.BuildReportSlip(r.report, receipt.Shop{Name: r.ui.Shop.Name, TerminalID: r.ui.Shop.TerminalID, Lang: r.ui.Shop.Lang},
		r.ui.Shop.Currency, r.ui.now(), lang.X)
	var err error
	r.status.SetText(lang.X("report.printing", "Printing…"))
	r.ui.Async(func() {
		err = r.printer.PrintSlip(context.Background(), rows)
	}, func() {
		r.status.SetText("")
		if err != nil {
			ShowError(r.ui.Window, err)
			return
		}
		r.status.SetText(lang.X("report.printed_ok", "Summary printed"))
	})
}
