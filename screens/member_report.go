package screens

import (
	"context"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/screens/widgets"
)

// MemberReports reads the members' report and writes it as a CSV file;
// *members.Members is one.
type MemberReports interface {
	// Report is the members' balances over [from, to), for by (who needs
	// the reports permission, checked by the service).
	Report(ctx context.Context, by models.Operator, from, to time.Time) (models.MemberReport, error)
	// ExportReport writes rep as a CSV file into the folder dir, for by,
	// and returns the file's path.
	ExportReport(ctx context.Context, dir string, rep models.MemberReport, by models.Operator) (string, error)
}

// MemberReport is the members' report screen: each member's balance at the
// start of a period, their top-ups, what they spent, what was paid out to
// them and brought in, and their balance at its end, with the totals;
// exported as a CSV file.
type MemberReport struct {
	ui  *UI
	svc MemberReports
	by  models.Operator
	// OnBack, when set, goes back to the reports (a button shows it).
	OnBack func()
	// The period shown and its buttons (ShiftStart, Choose, ChooseRange).
	*periodPicker
	report models.MemberReport

	table   *widget.Table
	empty   *widget.Label
	back    *widget.Button
	content fyne.CanvasObject
}

// memberReportColumns are the table's columns: the member, then the
// figures.
const memberReportColumns = 7

// NewMemberReport builds the screen for by, showing the period of days
// days ending with the day of last (the reports screen's); Refresh loads
// it.
func NewMemberReport(ui *UI, svc MemberReports, by models.Operator, days int, last time.Time) *MemberReport {
	r := &MemberReport{ui: ui, svc: svc, by: by}
	r.periodPicker = newPeriodPicker(ui, days, last, r.Refresh)
	r.content = r.build()
	return r
}

// Content is the screen's root object.
func (r *MemberReport) Content() fyne.CanvasObject { return r.content }

// Report is the report shown, for tests.
func (r *MemberReport) Report() models.MemberReport { return r.report }

// Table is the table shown, for tests.
func (r *MemberReport) Table() *widget.Table { return r.table }

func (r *MemberReport) build() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(lang.X("member_report.title", "Members' balances"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.back = widget.NewButtonWithIcon(lang.X("member_report.back", "Reports"), theme.NavigateBackIcon(), func() {
		if r.OnBack != nil {
			r.OnBack()
		}
	})
	export := widget.NewButtonWithIcon(lang.X("export.start", "Export CSV"), theme.DocumentSaveIcon(), r.AskExport)
	head := container.NewBorder(nil, nil, pickerCell(150, r.back), pickerCell(170, export),
		container.NewVBox(layout.NewSpacer(), container.NewHBox(title, r.period, r.status), layout.NewSpacer()))
	bar := container.NewVBox(r.steps(), r.periods())

	r.table = widget.NewTable(r.size, r.create, r.update)
	r.empty = widget.NewLabel(lang.X("member_report.none", "No member had a balance or a balance move in this period"))
	r.empty.Hide()
	top := container.NewVBox(head, bar, r.empty, widget.NewSeparator())
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, container.New(&fitColumns{table: r.table}, r.table)))
}

// size is the table's: a heading row, a row per member, and the totals.
func (r *MemberReport) size() (int, int) {
	return len(r.report.Rows) + 2, memberReportColumns
}

func (r *MemberReport) create() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// headings are the table's column headings.
func memberReportHeadings() []string {
	return []string{lang.X("member_report.member", "Member"), lang.X("member_report.opening", "Opening"),
		lang.X("member_report.top_ups", "Top-ups"), lang.X("member_report.spent", "Spent"),
		lang.X("member_report.paid_out", "Paid out"), lang.X("member_report.other", "Brought in"),
		lang.X("member_report.closing", "Closing")}
}

func (r *MemberReport) update(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	text, bold := r.Cell(id.Row, id.Col)
	l.TextStyle = fyne.TextStyle{Bold: bold}
	l.Alignment = fyne.TextAlignTrailing
	if id.Col == 0 {
		l.Alignment = fyne.TextAlignLeading
	}
	l.SetText(text)
}

// Cell is the text of the table's cell at row and col, and whether it is
// bold (the headings and the totals), for the table and tests.
func (r *MemberReport) Cell(row, col int) (string, bool) {
	if row == 0 {
		h := memberReportHeadings()
		if col < len(h) {
			return h[col], true
		}
		return "", true
	}
	var m models.MemberReportRow
	name, bold := "", false
	switch {
	case row-1 < len(r.report.Rows):
		m = r.report.Rows[row-1]
		name = memberName(m)
	case row-1 == len(r.report.Rows):
		m, bold = r.report.Total, true
		name = lang.XN("member_report.total", "Total · {{.Count}} members", len(r.report.Rows), map[string]any{"Count": len(r.report.Rows)})
	default:
		return "", false
	}
	switch col {
	case 0:
		return name, bold
	case 1:
		return r.money(m.Opening), bold
	case 2:
		return r.money(m.TopUps), bold
	case 3:
		return r.money(m.Spent), bold
	case 4:
		return r.money(m.PaidOut), bold
	case 5:
		return r.money(m.Other), bold
	case 6:
		return r.money(m.Closing), bold
	}
	return "", bold
}

// memberName names a row's member: name and masked phone, or an ended
// membership by its number.
func memberName(m models.MemberReportRow) string {
	if !m.Active || m.Name == "-" {
		return lang.X("member_report.ended", "Ended membership #{{.ID}}", map[string]any{"ID": m.MemberID})
	}
	if m.Phone == "" || m.Phone == "-" {
		return m.Name
	}
	return m.Name + " · " + m.Phone
}

func (r *MemberReport) money(v int64) string {
	return models.Money{Minor: v, Currency: r.ui.Shop.Currency}.String()
}

// Refresh loads the period's report off Fyne's goroutine and shows it.
func (r *MemberReport) Refresh() {
	showIf(r.back, r.OnBack != nil)
	var rep models.MemberReport
	r.load(func(ctx context.Context, from, to time.Time) (err error) {
		rep, err = r.svc.Report(ctx, r.by, from, to)
		return err
	}, func() {
		r.report = rep
		r.empty.Hidden = len(rep.Rows) > 0
		r.empty.Refresh()
		r.table.Refresh()
	})
}

// AskExport asks for the folder and writes the report shown there as a
// CSV file.
func (r *MemberReport) AskExport() {
	dir := widget.NewEntry()
	home, _ := os.UserHomeDir()
	dir.SetText(home)
	r.ui.watchEntry(dir)
	result := widget.NewLabel("")
	result.Wrapping = fyne.TextWrapWord
	closeBtn := widget.NewButton(lang.X("action.close", "Close"), nil)
	start := widget.NewButtonWithIcon(lang.X("export.start", "Export CSV"), theme.DocumentSaveIcon(), nil)
	start.Importance = widget.HighImportance
	from, to := r.span()
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("export.folder", "Folder"), dir)),
		widget.NewLabel(lang.X("member_report.export_what", "One file: each member's balances over {{.Period}}, and the totals",
			map[string]any{"Period": receipt.PeriodText(from, to)})),
		result, widgets.NewActions(56, closeBtn, start))
	d := dialog.NewCustomWithoutButtons(lang.X("member_report.export_title", "Export the members' balances"),
		container.NewStack(strut(560, 0), body), r.ui.Window)
	closeBtn.OnTapped = d.Hide
	rep := r.report
	start.OnTapped = func() {
		var path string
		var err error
		folder := dir.Text
		start.Disable()
		r.ui.Async(func() {
			path, err = r.svc.ExportReport(context.Background(), folder, rep, r.by)
		}, func() {
			start.Enable()
			result.Importance = widget.MediumImportance
			if err != nil {
				result.Importance = widget.DangerImportance
				result.SetText(Message(err))
			} else {
				result.SetText(lang.X("member_report.exported", "Written: {{.Path}}", map[string]any{"Path": path}))
			}
			fitDialog(r.ui, d)
		})
	}
	d.Show()
	fitDialog(r.ui, d)
}

// String is the report as text, a line per row, for tests and logs.
func (r *MemberReport) String() string {
	var b strings.Builder
	rows, cols := r.size()
	for i := range rows {
		for j := range cols {
			c, _ := r.Cell(i, j)
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// fitColumns lays the members' table out with its columns fitted to the
// width it has: the figures between 92 and 140 wide, the member's name
// the rest (at least 150), so that a portrait tablet shows every column.
type fitColumns struct {
	table *widget.Table
	width float32 // the width the columns were fitted to
}

func (f *fitColumns) MinSize([]fyne.CanvasObject) fyne.Size { return f.table.MinSize() }

func (f *fitColumns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if size.Width != f.width {
		f.width = size.Width
		figures := max(92, min(140, (size.Width-300)/(memberReportColumns-1)))
		name := max(150, size.Width-figures*(memberReportColumns-1)-theme.Padding()*memberReportColumns)
		f.table.SetColumnWidth(0, name)
		for i := 1; i < memberReportColumns; i++ {
			f.table.SetColumnWidth(i, figures)
		}
	}
	for _, o := range objects {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}
