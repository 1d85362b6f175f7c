package catalog

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/till-pos/till/internal/csvfile"
	"github.com/till-pos/till/models"
)

// Files imports and exports the catalog as CSV files (docs/catalog-csv.md)
// and reloads the index the sell screen searches after an import.
type Files struct {
	store    *models.Store
	catalog  *Catalog
	terminal string
	currency models.Currency
}

// NewFiles imports into and exports from s, for the till terminal, whose
// prices are in currency; cat (may be nil) is reloaded after an import.
func NewFiles(s *models.Store, cat *Catalog, terminal string, currency models.Currency) *Files {
	return &Files{store: s, catalog: cat, terminal: terminal, currency: currency}
}

// Import reads the catalog file at path and stores its good rows for by
// (PermCatalog, checked here before the file is read and by the store in
// every batch), telling progress the rows done of total (the file's rows).
// Cancelled, the batches already stored stay (the result says how many
// rows: Complete is false) and the index is reloaded all the same.
func (f *Files) Import(ctx context.Context, path string, by models.Operator, progress func(done, total int)) (models.CatalogImportResult, error) {
	if err := f.store.Allowed(ctx, by, models.PermCatalog); err != nil {
		return models.CatalogImportResult{}, err
	}
	in, err := os.Open(path)
	if err != nil {
		return models.CatalogImportResult{}, errNoFile(path, err)
	}
	defer in.Close()
	file, err := models.ParseCatalogCSV(bufio.NewReaderSize(in, 1<<16))
	if err != nil {
		return models.CatalogImportResult{}, err
	}
	res := models.CatalogImportResult{Rejects: file.Rejects, Total: len(file.Rows) + len(file.Rejects)}
	rejected := len(file.Rejects)
	tell := func(done int) {
		if progress != nil {
			progress(done+rejected, res.Total)
		}
	}
	tell(0)
	res.CatalogImportSummary, err = f.store.ImportCatalogRows(ctx, file.Rows, rejected, f.currency, by, f.terminal,
		filepath.Base(path), tell)
	if res.Done() > 0 && f.catalog != nil {
		if lerr := f.catalog.Load(context.WithoutCancel(ctx), f.store); lerr != nil && err == nil {
			err = lerr
		}
	}
	return res, err
}

// errNoFile: path cannot be read.
func errNoFile(path string, err error) error {
	return &models.Error{Code: models.EINVALID, Key: "error.catalog.no_file", Fallback: "{{.Path}} cannot be opened",
		Args: map[string]any{"Path": path}, Err: err}
}

// Export writes every active product into the file path for by (who must
// hold PermCatalog), in the format Import reads, with a byte order mark
// so that spreadsheet programs read the Chinese right. The file is written
// aside and renamed: one already there is replaced whole or not at all.
func (f *Files) Export(ctx context.Context, path string, by models.Operator, progress func(rows int)) (int, error) {
	if err := f.store.Allowed(ctx, by, models.PermCatalog); err != nil {
		return 0, err
	}
	n := 0
	err := writeCSV(path, models.CatalogCSVHeader, func(w *csv.Writer) error {
		_, err := f.store.EachCatalogRow(ctx, func(r models.CatalogRow) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			n++
			if progress != nil && n%1000 == 0 {
				progress(n)
			}
			return w.Write(models.CatalogRecord(r))
		})
		return err
	})
	if err != nil {
		return 0, err
	}
	if progress != nil {
		progress(n)
	}
	return n, nil
}

// SaveRejects writes an import's rejected rows into the file path: the
// row's number, SKU, name and reason (as reason words it, in the user's
// language).
func (f *Files) SaveRejects(path string, rejects []models.CatalogReject, reason func(error) string) error {
	return writeCSV(path, []string{"row", "sku", "name", "reason"}, func(w *csv.Writer) error {
		for _, r := range rejects {
			if err := w.Write([]string{strconv.Itoa(r.Line), models.CSVText(r.SKU), models.CSVText(r.Name),
				models.CSVText(reason(r.Reason))}); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeCSV writes header and the rows fill writes to path (csvfile.Write);
// a file that cannot be made says so in the user's language.
func writeCSV(path string, header []string, fill func(*csv.Writer) error) error {
	err := csvfile.Write(path, header, fill)
	var open *csvfile.OpenError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &open):
		return errNoFile(path, open.Err)
	case models.ErrorCode(err) == models.EINVALID || isCancel(err):
		return err
	}
	return fmt.Errorf("catalog: write %s: %w", filepath.Base(path), err)
}

// isCancel reports whether err is a cancellation.
func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
