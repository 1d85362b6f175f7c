package screens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// Exports writes a period's orders, lines and payments as CSV files;
// *export.Exporter is one.
type Exports interface {
	// Export writes [from, to) into dir for by (the reports permission,
	// checked by the store), telling progress the rows written.
	Export(ctx context.Context, dir string, from, to time.Time, by models.Operator, progress func(rows int)) (models.ExportSummary, error)
}

// exportPeriods are the periods offered, as days back from today (0:
// today; -1: this month).
var exportPeriods = []int{0, 1, 7, 30, -1}

// exportPeriod is the [from, to) of a choice of exportPeriods, on the day
// of now.
func exportPeriod(days int, now time.Time) (time.Time, time.Time) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch days {
	case 0:
		return today, today.AddDate(0, 0, 1)
	case 1:
		return today.AddDate(0, 0, -1), today
	case -1:
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()), today.AddDate(0, 0, 1)
	}
	return today.AddDate(0, 0, -days), today.AddDate(0, 0, 1)
}

func exportPeriodName(days int) string {
	switch days {
	case 0:
		return lang.X("audit.today", "Today")
	case 1:
		return lang.X("export.yesterday", "Yesterday")
	case -1:
		return lang.X("export.month", "This month")
	}
	return lang.X("audit.days", "Last {{.Days}} days", map[string]any{"Days": days})
}

// ExportDialog is the open export dialog's parts, for tests.
type ExportDialog struct {
	Period  *widget.Select
	Dir     *widget.Entry
	Start   *widget.Button
	Result  *widget.Label
	Message *canvas.Text
}

// Export is the export dialog shown last, for tests.
func (d *DayEnd) Export() *ExportDialog { return d.exportDialog }

// AskExport asks someone allowed the reports for the period and the
// folder, and writes the CSV files for the accountant.
func (d *DayEnd) AskExport() {
	if d.exports == nil {
		return
	}
	asAllowed(d.ui, d.staff, models.PermReports, lang.X("export.title", "Export for the accountant"), d.askExportAs)
}

func (d *DayEnd) askExportAs(by models.Operator) {
	var names []string
	for _, p := range exportPeriods {
		names = append(names, exportPeriodName(p))
	}
	x := &ExportDialog{Period: widget.NewSelect(names, nil), Dir: widget.NewEntry(), Result: widget.NewLabel(""),
		Message: canvas.NewText("", theme.Color(theme.ColorNameError))}
	d.exportDialog = x
	x.Period.SetSelectedIndex(0)
	home, _ := os.UserHomeDir()
	x.Dir.SetText(home)
	d.ui.watchEntry(x.Dir)
	x.Result.Wrapping = fyne.TextWrapWord
	progress := widget.NewProgressBarInfinite()
	progress.Stop()
	progress.Hide()
	cancel := widget.NewButton(lang.X("action.close", "Close"), nil)
	x.Start = widget.NewButtonWithIcon(lang.X("export.start", "Export CSV"), theme.DocumentSaveIcon(), nil)
	x.Start.Importance = widget.HighImportance
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("export.period", "Period"), x.Period),
			widget.NewFormItem(lang.X("export.folder", "Folder"), x.Dir)),
		widget.NewLabel(lang.X("export.what", "Three files: the orders, their lines and the payments (dated when taken)")),
		progress, x.Result, x.Message, widgets.NewActions(56, cancel, x.Start))
	dlg := dialog.NewCustomWithoutButtons(lang.X("export.title", "Export for the accountant"),
		container.NewStack(strut(560, 0), body), d.ui.Window)
	var stop context.CancelFunc
	cancel.OnTapped = func() {
		if stop != nil {
			stop()
			return
		}
		dlg.Hide()
	}
	x.Start.OnTapped = func() {
		if stop != nil {
			return
		}
		i := x.Period.SelectedIndex()
		if i < 0 {
			return
		}
		from, to := exportPeriod(exportPeriods[i], d.ui.now())
		var ctx context.Context
		ctx, stop = context.WithCancel(context.Background())
		x.Start.Disable()
		cancel.SetText(lang.X("action.cancel", "Cancel"))
		x.Message.Text = ""
		x.Message.Refresh()
		x.Result.SetText("")
		progress.Show()
		progress.Start()
		dir := x.Dir.Text
		var sum models.ExportSummary
		var err error
		d.ui.Async(func() {
			sum, err = d.exports.Export(ctx, dir, from, to, by, func(rows int) {
				d.ui.Do(func() {
					x.Result.SetText(lang.X("export.rows", "{{.Rows}} rows written", map[string]any{"Rows": rows}))
				})
			})
		}, func() {
			stop()
			stop = nil
			progress.Stop()
			progress.Hide()
			x.Start.Enable()
			cancel.SetText(lang.X("action.close", "Close"))
			if err != nil {
				x.Result.SetText("")
				x.Message.Text = Message(err)
				x.Message.Refresh()
				fitDialog(d.ui, dlg)
				return
			}
			var names []string
			for _, f := range sum.Files {
				names = append(names, filepath.Base(f))
			}
			x.Result.SetText(lang.X("export.done", "Written into {{.Dir}}: orders {{.Orders}}, lines {{.Lines}}, payments {{.Payments}}",
				map[string]any{"Dir": dir, "Orders": sum.Orders, "Lines": sum.Lines, "Payments": sum.Payments}) +
				"\n" + strings.Join(names, "\n"))
			fitDialog(d.ui, dlg)
		})
	}
	dlg.Show()
	fitDialog(d.ui, dlg)
}
