// Package export writes a terminal's orders, their lines and its payments
// of a period as CSV files for the shop's accountant: UTF-8 with a byte
// order mark (so that spreadsheet programs read the Chinese right),
// amounts in yuan with two decimals, times in the terminal's local time.
// Orders and their lines are dated by when the order was made; payments by
// when the money was taken or given back, as the takings are.
package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/till-pos/till/internal/csvfile"
	"github.com/till-pos/till/models"
)

// Exporter writes the exports of one terminal.
type Exporter struct {
	store    *models.Store
	terminal string
}

// New exports the orders and payments of terminal in s.
func New(s *models.Store, terminal string) *Exporter { return &Exporter{store: s, terminal: terminal} }

// files are the three files of an export and the rows written to each.
type files struct {
	Orders, Lines, Payments          string
	OrderRows, LineRows, PaymentRows int
}

const timeLayout = "2006-01-02 15:04:05"

// Export writes the period [from, to) into dir for by (the reports
// permission, checked by the store before anything is read), telling
// progress how many rows it has written. Files already there of the same
// name are replaced whole, never half-written: each is written aside and
// renamed.
func (e *Exporter) Export(ctx context.Context, dir string, from, to time.Time, by models.Operator, progress func(rows int)) (models.ExportSummary, error) {
	if err := e.store.Allowed(ctx, by, models.PermReports); err != nil {
		return models.ExportSummary{}, err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return models.ExportSummary{}, fmt.Errorf("export: %s is not a folder: %w", dir, err)
	}
	span := from.Format("20060102") + "-" + to.Add(-time.Second).Format("20060102")
	name := func(what string) string {
		return filepath.Join(dir, fmt.Sprintf("till-%s-%s-%s.csv", e.terminal, what, span))
	}
	f := files{Orders: name("orders"), Lines: name("lines"), Payments: name("payments")}
	rows := 0
	tick := func() {
		rows++
		if progress != nil && rows%500 == 0 {
			progress(rows)
		}
	}
	// Orders and their lines in one pass over the orders: each order is
	// read once, its row and its lines' rows written to their files.
	err := writeCSV(f.Orders, []string{"order", "terminal", "created", "paid", "status", "operator", "currency",
		"subtotal", "discount", "tax", "total", "refunded", "lines", "member_top_up"}, func(ow *csv.Writer) error {
		return writeCSV(f.Lines, []string{"order", "line", "sku", "name", "name_en", "unit", "unit_price", "qty",
			"tax_rate_percent", "gross", "discount", "net", "tax"}, func(lw *csv.Writer) error {
			var err error
			f.OrderRows, err = e.store.EachOrder(ctx, e.terminal, from, to, func(o *models.Order) error {
				tick()
				if err := ow.Write([]string{o.Number, o.TerminalID, stamp(o.CreatedAt), stampPtr(o.PaidAt), string(o.Status),
					text(o.OperatorName), string(o.Currency), yuan(o.Subtotal), yuan(o.DiscountTotal), yuan(o.TaxTotal), yuan(o.Total),
					yuan(o.Refunded), strconv.Itoa(len(o.Lines)), yesNo(o.TopUpMemberID != 0)}); err != nil {
					return err
				}
				for _, l := range o.Lines {
					tick()
					f.LineRows++
					if err := lw.Write([]string{o.Number, strconv.Itoa(l.LineNo), text(l.SKU), text(l.Name), text(l.NameEN), text(l.Unit),
						yuan(l.UnitPrice), l.Qty.String(), strconv.FormatFloat(float64(l.TaxRateBP)/100, 'f', 2, 64),
						yuan(l.Gross), yuan(l.LineDiscount + l.OrderDiscount), yuan(l.Net), yuan(l.Tax)}); err != nil {
						return err
					}
				}
				return nil
			})
			return err
		})
	})
	if err == nil {
		err = writeCSV(f.Payments, []string{"order", "payment", "time", "tender", "status", "amount", "tendered",
			"change", "scheme", "card", "auth_code", "reference", "member_top_up"}, func(w *csv.Writer) error {
			var err error
			f.PaymentRows, err = e.store.EachPayment(ctx, e.terminal, from, to, func(p *models.PaymentRow) error {
				tick()
				return w.Write([]string{p.OrderNumber, strconv.FormatUint(uint64(p.ID), 10), stamp(p.CreatedAt), string(p.Tender),
					string(p.Status), yuan(p.Amount), yuan(p.Tendered), yuan(p.Change), p.Scheme, p.MaskedPAN, text(p.AuthCode),
					text(p.Reference), yesNo(p.TopUp)})
			})
			return err
		})
	}
	if err != nil {
		return models.ExportSummary{}, err
	}
	if progress != nil {
		progress(rows)
	}
	return models.ExportSummary{Files: []string{f.Orders, f.Lines, f.Payments}, Orders: f.OrderRows, Lines: f.LineRows,
		Payments: f.PaymentRows}, nil
}

// writeCSV writes header and the rows fill writes to path (csvfile.Write).
func writeCSV(path string, header []string, fill func(*csv.Writer) error) error {
	if err := csvfile.Write(path, header, fill); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	return nil
}

// text is a cell of free text (a product's name, an operator's), safe
// from a spreadsheet's formulas as models.CSVText makes it.
func text(s string) string { return models.CSVText(s) }

// yuan is an amount in minor units as the accountant's spreadsheet takes
// it: "1050.00", "-3.50".
func yuan(minor int64) string { return models.FormatMinor(minor) }

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(timeLayout)
}

func stampPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return stamp(*t)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
