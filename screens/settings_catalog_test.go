package screens

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
)

// fakeCatalogFiles records imports and exports; cancelAt taps Cancel on
// the open dialog when the import reaches that many rows.
type fakeCatalogFiles struct {
	imports, exports []string // path|operator name
	saved            [][]string
	settings         *Settings
	cancelAt         int
	progress         [][2]int
	before           string // the progress bar's text before any progress
}

func (f *fakeCatalogFiles) Import(ctx context.Context, path string, by models.Operator, progress func(done, total int)) (models.CatalogImportResult, error) {
	f.imports = append(f.imports, path+"|"+by.Name)
	f.before = f.settings.Catalog().Progress.TextFormatter()
	res := models.CatalogImportResult{Total: 2003, Rejects: []models.CatalogReject{
		{Line: 3, SKU: "A2", Reason: &models.Error{Code: models.EINVALID, Key: "error.catalog.no_name", Fallback: "The row has no name"}},
		{Line: 9, SKU: "A8", Name: "雪碧", Reason: &models.Error{Code: models.EINVALID, Key: "error.catalog.ean13",
			Fallback: "{{.Code}} has a wrong EAN-13 check digit", Args: map[string]any{"Code": "6901234567891"}}},
	}}
	for done := 0; done <= 2000; done += 1000 {
		progress(done+2, 2003)
		f.progress = append(f.progress, [2]int{done + 2, 2003})
		if f.cancelAt != 0 && done >= f.cancelAt {
			test.Tap(f.settings.Catalog().Cancel)
		}
		if err := ctx.Err(); err != nil {
			res.Imported = done
			return res, err
		}
	}
	res.Imported, res.Updated, res.Unchanged, res.Complete = 1500, 400, 101, true
	return res, nil
}

func (f *fakeCatalogFiles) Export(_ context.Context, path string, by models.Operator, progress func(rows int)) (int, error) {
	f.exports = append(f.exports, path+"|"+by.Name)
	progress(1000)
	return 1234, nil
}

func (f *fakeCatalogFiles) SaveRejects(path string, rejects []models.CatalogReject, reason func(error) string) error {
	for _, r := range rejects {
		f.saved = append(f.saved, []string{path, r.SKU, reason(r.Reason)})
	}
	return nil
}

// TestSettingsCatalogImport: a manager imports a file; the dialog shows
// the progress as rows of the total, the summary and each rejected row
// with its number and reason, and saves those rows in the user's words.
func TestSettingsCatalogImport(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	f := &fakeCatalogFiles{}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Catalog: f})
	f.settings = s
	showOn(ui, s.Content())
	tap(t, w, "Import CSV")
	c := s.Catalog()
	if c == nil {
		t.Fatal("no import dialog")
	}
	c.File.SetText("/media/usb/products.csv")
	tap(t, w, "Import")
	if len(f.imports) != 1 || f.imports[0] != "/media/usb/products.csv|Boss Wang" {
		t.Fatalf("imports %v", f.imports)
	}
	if c.Progress.Max != 2003 || c.Progress.Value != 2002 || c.Progress.TextFormatter() != "2002 of 2003 rows" ||
		f.before != "Reading the file…" {
		t.Errorf("progress %v of %v (%q), before %q", c.Progress.Value, c.Progress.Max, c.Progress.TextFormatter(), f.before)
	}
	if got := c.Result.Text; got != "Imported 1500 new, updated 400, unchanged 101, rejected 2 of 2003 rows" {
		t.Errorf("summary %q", got)
	}
	want := "Row 3 A2: The row has no name\nRow 9 A8 雪碧: 6901234567891 has a wrong EAN-13 check digit"
	if c.Rejects.Text != want {
		t.Errorf("rejects %q", c.Rejects.Text)
	}
	if c.RejectsFile.Text != "/media/usb/products-rejected.csv" || c.SaveRejects.Hidden {
		t.Fatalf("save rejects as %q", c.RejectsFile.Text)
	}
	tap(t, w, "Save the rejected rows")
	if len(f.saved) != 2 || f.saved[1][2] != "6901234567891 has a wrong EAN-13 check digit" {
		t.Fatalf("saved %v", f.saved)
	}
	if !strings.Contains(c.Result.Text, "saved in /media/usb/products-rejected.csv") {
		t.Errorf("result %q", c.Result.Text)
	}
	if c.Start.Disabled() || c.Cancel.Text != "Close" {
		t.Error("the dialog is not ready again")
	}
}

// TestSettingsCatalogImportCancel: Cancel stops the import; the dialog
// says the stored rows stay.
func TestSettingsCatalogImportCancel(t *testing.T) {
	ui := newTestUI(t, owner)
	w := ui.Window
	f := &fakeCatalogFiles{cancelAt: 1000}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Catalog: f})
	f.settings = s
	showOn(ui, s.Content())
	tap(t, w, "Import CSV", "Import")
	c := s.Catalog()
	if len(f.progress) != 2 {
		t.Fatalf("went on after Cancel: %v", f.progress)
	}
	if !strings.HasPrefix(c.Result.Text, "Cancelled: the rows stored before stay stored") ||
		!strings.Contains(c.Result.Text, "Imported 1000 new") {
		t.Errorf("result %q", c.Result.Text)
	}
	if !dialogShown(w) {
		t.Error("Cancel during the import closed the dialog")
	}
	tap(t, w, "Close")
	if dialogShown(w) {
		t.Error("Close left the dialog open")
	}
}

// TestSettingsCatalogNeedsPermission: a cashier's Import and Export ask
// for a manager; the manager's code opens them as the manager.
func TestSettingsCatalogNeedsPermission(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	f := &fakeCatalogFiles{}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Catalog: f})
	showOn(ui, s.Content())
	tap(t, w, "Export CSV")
	mustShow(t, w, "A manager's code is needed")
	if s.Catalog() != nil {
		t.Fatal("the cashier opened the export")
	}
	keys(t, w, "8888")
	tap(t, w, "OK")
	c := s.Catalog()
	if c == nil {
		t.Fatal("no export dialog after the manager's code")
	}
	c.File.SetText("/tmp/out.csv")
	tap(t, w, "Export")
	if len(f.exports) != 1 || f.exports[0] != "/tmp/out.csv|Boss Wang" || c.Result.Text != "1234 products written into /tmp/out.csv" {
		t.Fatalf("exports %v, result %q", f.exports, c.Result.Text)
	}
}
