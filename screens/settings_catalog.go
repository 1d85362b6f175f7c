package screens

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

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

// CatalogFiles imports and exports the catalog as CSV files;
// *catalog.Files is one.
type CatalogFiles interface {
	// Import stores the file path's good rows for by (models.PermCatalog,
	// checked by the service and the store), telling progress the rows
	// done of the file's total.
	Import(ctx context.Context, path string, by models.Operator, progress func(done, total int)) (models.CatalogImportResult, error)
	// Export writes every product into path for by, telling progress the
	// rows written.
	Export(ctx context.Context, path string, by models.Operator, progress func(rows int)) (int, error)
	// SaveRejects writes rejected rows into path, each with its reason
	// as reason words it.
	SaveRejects(path string, rejects []models.CatalogReject, reason func(error) string) error
}

// shownRejects is how many rejected rows the import dialog lists; the
// saved report has them all.
const shownRejects = 200

// CatalogDialog is the open catalog import or export dialog's parts, for
// tests.
type CatalogDialog struct {
	File          *widget.Entry
	Start, Cancel *widget.Button
	Progress      *widget.ProgressBar
	Result        *widget.Label
	Rejects       *widget.Label // the rejected rows, one a line
	// RejectsFile and SaveRejects save the rejected rows as CSV.
	RejectsFile *widget.Entry
	SaveRejects *widget.Button
	Message     *canvas.Text
	path        string // the file of the running or last import or export
}

// Catalog is the catalog dialog shown last, for tests.
func (s *Settings) Catalog() *CatalogDialog { return s.catalogDialog }

// catalogItems are the Catalog section's rows.
func (s *Settings) catalogItems() []*widget.FormItem {
	imp := widget.NewButtonWithIcon(lang.X("catalog.import", "Import CSV"), theme.UploadIcon(), s.AskCatalogImport)
	exp := widget.NewButtonWithIcon(lang.X("catalog.export", "Export CSV"), theme.DocumentSaveIcon(), s.AskCatalogExport)
	return []*widget.FormItem{widget.NewFormItem(lang.X("catalog.products", "Products"), choices(imp, exp))}
}

// AskCatalogImport asks someone allowed to change the catalog for the file
// to import.
func (s *Settings) AskCatalogImport() {
	s.allowed(models.PermCatalog, lang.X("catalog.import_title", "Import the catalog"), s.catalogImportAs)
}

// AskCatalogExport asks someone allowed to change the catalog for the file
// to write.
func (s *Settings) AskCatalogExport() {
	s.allowed(models.PermCatalog, lang.X("catalog.export_title", "Export the catalog"), s.catalogExportAs)
}

// newCatalogDialog is the parts both dialogs share, file set to file.
func (s *Settings) newCatalogDialog(file, start string, icon fyne.Resource) *CatalogDialog {
	c := &CatalogDialog{File: widget.NewEntry(), Progress: widget.NewProgressBar(), Result: widget.NewLabel(""),
		Rejects: widget.NewLabel(""), RejectsFile: widget.NewEntry(),
		Message: canvas.NewText("", theme.Color(theme.ColorNameError))}
	s.catalogDialog = c
	c.File.SetText(file)
	s.ui.watchEntry(c.File)
	s.ui.watchEntry(c.RejectsFile)
	c.Result.Wrapping = fyne.TextWrapWord
	c.Rejects.Wrapping = fyne.TextWrapWord
	c.Progress.Hide()
	c.Cancel = widget.NewButton(lang.X("action.close", "Close"), nil)
	c.Start = widget.NewButtonWithIcon(start, icon, nil)
	c.Start.Importance = widget.HighImportance
	c.SaveRejects = widget.NewButtonWithIcon(lang.X("catalog.save_rejects", "Save the rejected rows"), theme.DocumentSaveIcon(), nil)
	return c
}

// catalogFile is where a catalog file is offered first.
func catalogFile() string {
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "till-catalog.csv")
}

// run does work off the UI goroutine with Cancel stopping it: the dialog's
// Cancel button stops the work while it runs and closes the dialog
// otherwise; finish runs on the UI goroutine when work has ended.
func (c *CatalogDialog) run(ui *UI, d dialog.Dialog, work func(ctx context.Context, path string), finish func()) {
	var stop context.CancelFunc
	c.Cancel.OnTapped = func() {
		if stop != nil {
			stop()
			return
		}
		d.Hide()
	}
	c.Start.OnTapped = func() {
		if stop != nil {
			return
		}
		var ctx context.Context
		ctx, stop = context.WithCancel(context.Background())
		c.Start.Disable()
		c.Cancel.SetText(lang.X("action.cancel", "Cancel"))
		c.Message.Text = ""
		c.Message.Refresh()
		c.Result.SetText("")
		c.Progress.Max = 1
		c.Progress.SetValue(0)
		c.Progress.Show()
		c.path = c.File.Text
		path := c.path
		ui.Async(func() { work(ctx, path) }, func() {
			stop()
			stop = nil
			c.Start.Enable()
			c.Progress.Hide()
			c.Cancel.SetText(lang.X("action.close", "Close"))
			finish()
			fitDialog(ui, d)
		})
	}
}

func (s *Settings) catalogImportAs(by models.Operator) {
	c := s.newCatalogDialog(catalogFile(), lang.X("catalog.import_start", "Import"), theme.UploadIcon())
	what := widget.NewLabel(lang.X("catalog.import_what", "A CSV file with a header row: sku, barcode, name, name_en, category, price (yuan), unit, weighed, tax_rate (%), stock. Products are matched by SKU, else by barcode."))
	what.Wrapping = fyne.TextWrapWord
	saveRow := container.NewBorder(nil, nil, nil, c.SaveRejects, c.RejectsFile)
	saveRow.Hide()
	rejectsBox := container.NewVScroll(c.Rejects)
	rejectsBox.SetMinSize(fyne.NewSize(0, 220))
	rejectsBox.Hide()
	c.Progress.TextFormatter = func() string {
		if c.Progress.Max <= 1 && c.Progress.Value == 0 { // no total yet
			return lang.X("catalog.reading", "Reading the file…")
		}
		return lang.X("catalog.progress", "{{.Done}} of {{.Total}} rows",
			map[string]any{"Done": int(c.Progress.Value), "Total": int(c.Progress.Max)})
	}
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("catalog.file", "File"), c.File)),
		what, c.Progress, c.Result, c.Message, rejectsBox, saveRow,
		widgets.NewActions(56, c.Cancel, c.Start))
	d := dialog.NewCustomWithoutButtons(lang.X("catalog.import_title", "Import the catalog"),
		container.NewStack(strut(640, 0), body), s.ui.Window)
	var res models.CatalogImportResult
	var err error
	c.run(s.ui, d, func(ctx context.Context, path string) {
		res, err = s.deps.Catalog.Import(ctx, path, by, func(done, total int) {
			s.ui.Do(func() {
				if total > 0 {
					c.Progress.Max = float64(total)
					c.Progress.SetValue(float64(done))
				}
			})
		})
	}, func() {
		cancelled := errors.Is(err, context.Canceled)
		if err != nil && !cancelled && res.Done() == 0 {
			c.Message.Text = Message(err)
			c.Message.Refresh()
			return
		}
		sum := lang.X("catalog.import_done", "Imported {{.Imported}} new, updated {{.Updated}}, unchanged {{.Unchanged}}, rejected {{.Rejected}} of {{.Total}} rows",
			map[string]any{"Imported": res.Imported, "Updated": res.Updated, "Unchanged": res.Unchanged, "Rejected": len(res.Rejects), "Total": res.Total})
		if cancelled {
			sum = lang.X("catalog.import_cancelled", "Cancelled: the rows stored before stay stored, the rest were not imported") + "\n" + sum
		} else if err != nil {
			c.Message.Text = Message(err)
			c.Message.Refresh()
		}
		c.Result.SetText(sum)
		if len(res.Rejects) == 0 {
			c.Rejects.SetText("")
			saveRow.Hide()
			rejectsBox.Hide()
			return
		}
		var lines []string
		for i, r := range res.Rejects {
			if i == shownRejects {
				lines = append(lines, lang.X("catalog.more_rejects", "…and {{.N}} more rows", map[string]any{"N": len(res.Rejects) - i}))
				break
			}
			lines = append(lines, rejectText(r))
		}
		c.Rejects.SetText(strings.Join(lines, "\n"))
		c.RejectsFile.SetText(strings.TrimSuffix(c.path, filepath.Ext(c.path)) + "-rejected.csv")
		saveRow.Show()
		rejectsBox.Show()
		rejects := res.Rejects
		c.SaveRejects.OnTapped = func() {
			path := c.RejectsFile.Text
			var err error
			s.ui.Async(func() { err = s.deps.Catalog.SaveRejects(path, rejects, Message) }, func() {
				if err != nil {
					c.Message.Text = Message(err)
				} else {
					c.Message.Text = ""
					c.Result.SetText(sum + "\n" + lang.X("catalog.rejects_saved", "The rejected rows are saved in {{.Path}}", map[string]any{"Path": path}))
				}
				c.Message.Refresh()
			})
		}
	})
	d.Show()
	fitDialog(s.ui, d)
}

// rejectText is a rejected row as the import dialog lists it.
func rejectText(r models.CatalogReject) string {
	what := strings.TrimSpace(r.SKU + " " + r.Name)
	return lang.X("catalog.reject_row", "Row {{.Row}} {{.What}}: {{.Reason}}",
		map[string]any{"Row": r.Line, "What": what, "Reason": Message(r.Reason)})
}

func (s *Settings) catalogExportAs(by models.Operator) {
	c := s.newCatalogDialog(catalogFile(), lang.X("catalog.export_start", "Export"), theme.DocumentSaveIcon())
	what := widget.NewLabel(lang.X("catalog.export_what", "Every product, in the format Import CSV reads"))
	what.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(widget.NewForm(widget.NewFormItem(lang.X("catalog.file", "File"), c.File)),
		what, c.Progress, c.Result, c.Message, widgets.NewActions(56, c.Cancel, c.Start))
	d := dialog.NewCustomWithoutButtons(lang.X("catalog.export_title", "Export the catalog"),
		container.NewStack(strut(560, 0), body), s.ui.Window)
	var n int
	var err error
	c.run(s.ui, d, func(ctx context.Context, path string) {
		n, err = s.deps.Catalog.Export(ctx, path, by, func(rows int) {
			s.ui.Do(func() {
				c.Result.SetText(lang.X("export.rows", "{{.Rows}} rows written", map[string]any{"Rows": rows}))
			})
		})
	}, func() {
		switch {
		case errors.Is(err, context.Canceled):
			c.Result.SetText(lang.X("catalog.export_cancelled", "Cancelled: nothing was written"))
		case err != nil:
			c.Result.SetText("")
			c.Message.Text = Message(err)
			c.Message.Refresh()
		default:
			c.Result.SetText(lang.X("catalog.export_done", "{{.N}} products written into {{.Path}}",
				map[string]any{"N": n, "Path": c.path}))
		}
	})
	d.Show()
	fitDialog(s.ui, d)
}
