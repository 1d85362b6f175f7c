package models

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// The catalog as CSV (docs/catalog-csv.md): UTF-8 with or without a byte
// order mark, a header row naming the columns (in any order; unknown
// columns are ignored), one product a row.
const (
	ColSKU        = "sku"
	ColBarcode    = "barcode" // codes separated by spaces
	ColName       = "name"    // Chinese
	ColNameEN     = "name_en"
	ColCategory   = "category" // category code; a new one is created
	ColPrice      = "price"    // yuan: "12.50"
	ColUnit       = "unit"
	ColUnitEN     = "unit_en"
	ColWeighed    = "weighed"  // yes/no
	ColTaxRate    = "tax_rate" // percent: "13", "9.5"
	ColStock      = "stock"    // empty: not tracked
	ColCategoryZH = "category_name"
	ColCategoryEN = "category_name_en"
)

// CatalogCSVHeader is the header an export writes, in its order.
var CatalogCSVHeader = []string{ColSKU, ColBarcode, ColName, ColNameEN, ColCategory, ColCategoryZH, ColCategoryEN,
	ColPrice, ColUnit, ColUnitEN, ColWeighed, ColTaxRate, ColStock}

// MaxCatalogPrice is the highest price a catalog row may carry: 1,000,000
// yuan. Above it is taken for a typo (a barcode in the price column).
const MaxCatalogPrice = 100_000_000

// CatalogRow is one good row of a catalog file.
type CatalogRow struct {
	Line     int // the row's number in the file, the header being 1
	SKU      string
	Barcodes []string
	Name     string
	NameEN   string
	Category Category // Code always; names when the file gives them
	Price    int64
	Unit     string
	UnitEN   string
	Weighed  bool
	TaxRate  int64 // basis points
	// Stock is nil for a product whose stock is not tracked.
	Stock *Quantity
}

// CatalogReject is a row of a catalog file that was not imported, and why.
type CatalogReject struct {
	Line   int
	SKU    string
	Name   string
	Reason *Error
}

// CatalogCSV is a parsed catalog file: its good rows and the rejected.
type CatalogCSV struct {
	Rows    []CatalogRow
	Rejects []CatalogReject
}

// CSVText is a cell of free text as a CSV file for a spreadsheet carries
// it: text that a spreadsheet would run as a formula (=, +, -, @, a tab or
// a carriage return first) is quoted with an apostrophe, and shows as
// typed; so is text that starts with an apostrophe itself, so that
// CSVTextValue gives back exactly what was written.
func CSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVTextValue is the text a CSVText cell stands for.
func CSVTextValue(s string) string {
	if strings.HasPrefix(s, "'") {
		return s[1:]
	}
	return s
}

// CheckTaxRate is nil when bp (basis points) is a possible VAT rate:
// 0 to 100%.
func CheckTaxRate(bp int64) error {
	if bp < 0 || bp > 10000 {
		return invalid("error.catalog.tax_rate", "The tax rate must be between 0 and 100%", nil)
	}
	return nil
}

// FormatTaxRate is a rate in basis points as a percent: 1300 → "13",
// 950 → "9.5".
func FormatTaxRate(bp int64) string {
	s := FormatMinor(bp)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// ParseTaxRate reads a percent ("13", "9.5", "13%") as basis points.
func ParseTaxRate(s string) (int64, error) {
	in := s
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, nil
	}
	bp, err := ParseMinor(s)
	if err != nil || strings.ContainsAny(s, "¥￥,") {
		return 0, invalid("error.catalog.tax_rate_format", "{{.Input}} is not a tax rate in percent (13 or 9.5)", map[string]any{"Input": in})
	}
	if err := CheckTaxRate(bp); err != nil {
		return 0, err
	}
	return bp, nil
}

// parseYesNo reads the weighed column.
func parseYesNo(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "no", "n", "false", "0", "否":
		return false, true
	case "yes", "y", "true", "1", "是":
		return true, true
	}
	return false, false
}

// CatalogRecord is r as a row of an exported catalog file, in
// CatalogCSVHeader's order, its free text made safe by CSVText.
func CatalogRecord(r CatalogRow) []string {
	stock := ""
	if r.Stock != nil {
		stock = r.Stock.String()
	}
	weighed := "no"
	if r.Weighed {
		weighed = "yes"
	}
	return []string{CSVText(r.SKU), strings.Join(r.Barcodes, " "), CSVText(r.Name), CSVText(r.NameEN),
		CSVText(r.Category.Code), CSVText(r.Category.Name), CSVText(r.Category.NameEN), FormatMinor(r.Price),
		CSVText(r.Unit), CSVText(r.UnitEN), weighed, FormatTaxRate(r.TaxRate), stock}
}

// errCatalogHeader: the file's first row does not name the columns.
var errCatalogHeader = &Error{Code: EINVALID, Key: "error.catalog.csv_header",
	Fallback: "The first row of the file must name the columns, with at least name, price and sku or barcode"}

// ParseCatalogCSV reads a catalog file and checks every row: each row is
// either good or rejected with its reason; a row whose barcode or SKU an
// earlier row of the file has is rejected. The error is for a file that is
// no catalog at all (no header, not UTF-8 text).
func ParseCatalogCSV(r io.Reader) (*CatalogCSV, error) {
	cr := csv.NewReader(&bomSkipper{r: r})
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, errCatalogHeader
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	_, hasSKU := col[ColSKU]
	_, hasCode := col[ColBarcode]
	_, hasName := col[ColName]
	_, hasPrice := col[ColPrice]
	if !hasName || !hasPrice || (!hasSKU && !hasCode) {
		return nil, errCatalogHeader
	}
	out := &CatalogCSV{}
	seenSKU := map[string]int{}
	seenCode := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, invalid("error.catalog.csv_read", "The file cannot be read: {{.Err}}", map[string]any{"Err": err.Error()})
			}
			if pe.Err != csv.ErrFieldCount {
				out.Rejects = append(out.Rejects, CatalogReject{Line: pe.Line, Reason: invalid("error.catalog.csv_row",
					"The row is not valid CSV: neither it nor the rows after it were read", nil)})
				// encoding/csv cannot go on after a broken row.
				return out, nil
			}
		}
		row, reason := parseCatalogRecord(rec, col, line)
		if reason == nil {
			if first, ok := seenSKU[row.SKU]; ok {
				reason = invalid("error.catalog.dup_sku", "Row {{.First}} has the same SKU", map[string]any{"First": first})
			}
		}
		if reason == nil {
			for _, c := range row.Barcodes {
				if first, ok := seenCode[c]; ok {
					reason = invalid("error.catalog.dup_barcode", "Row {{.First}} has the same barcode {{.Code}}",
						map[string]any{"First": first, "Code": c})
					break
				}
			}
		}
		if reason != nil {
			out.Rejects = append(out.Rejects, CatalogReject{Line: line, SKU: row.SKU, Name: row.Name, Reason: reason})
			continue
		}
		seenSKU[row.SKU] = line
		for _, c := range row.Barcodes {
			seenCode[c] = line
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// parseCatalogRecord reads one record under the header's columns col. It
// returns what it could read of the row with the reason it is rejected,
// or the good row and nil.
func parseCatalogRecord(rec []string, col map[string]int, line int) (CatalogRow, *Error) {
	cell := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	text := func(name string) string { return CSVTextValue(cell(name)) }
	row := CatalogRow{Line: line, SKU: text(ColSKU), Name: text(ColName), NameEN: text(ColNameEN),
		Unit: text(ColUnit), UnitEN: text(ColUnitEN)}
	row.Barcodes = strings.Fields(cell(ColBarcode))
	if row.SKU == "" && len(row.Barcodes) > 0 {
		row.SKU = row.Barcodes[0]
	}
	for _, s := range []string{row.SKU, row.Name, row.NameEN, row.Unit, row.UnitEN} {
		if !utf8.ValidString(s) {
			return row, invalid("error.catalog.utf8", "The row is not UTF-8 text", nil)
		}
	}
	if row.SKU == "" {
		return row, invalid("error.catalog.no_sku", "The row has neither SKU nor barcode", nil)
	}
	if row.Name == "" {
		return row, invalid("error.catalog.no_name", "The row has no name", nil)
	}
	if len(row.SKU) > 64 || len(row.Name) > 128 || len(row.NameEN) > 128 || len(row.Unit) > 16 || len(row.UnitEN) > 16 {
		return row, invalid("error.catalog.too_long", "A name, unit or SKU is too long", nil)
	}
	for _, c := range row.Barcodes {
		if err := CheckBarcode(c); err != nil {
			return row, err
		}
	}
	price := cell(ColPrice)
	if strings.HasPrefix(price, "-") {
		return row, invalid("error.catalog.price_negative", "The price {{.Input}} is negative", map[string]any{"Input": price})
	}
	p, err := ParseMinor(price)
	var e *Error
	if errors.As(err, &e) && e.Key == "error.amount.too_large" {
		p, err = MaxCatalogPrice+1, nil
	}
	if err != nil {
		return row, invalid("error.catalog.price", "{{.Input}} is not a price in yuan (12.50)", map[string]any{"Input": price})
	}
	if p > MaxCatalogPrice {
		return row, invalid("error.catalog.price_absurd", "The price {{.Input}} is more than 1,000,000 yuan", map[string]any{"Input": price})
	}
	row.Price = p
	if row.TaxRate, err = ParseTaxRate(cell(ColTaxRate)); err != nil {
		errors.As(err, &e)
		return row, e
	}
	w, ok := parseYesNo(cell(ColWeighed))
	if !ok {
		return row, invalid("error.catalog.weighed", "Weighed must be yes or no, not {{.Input}}", map[string]any{"Input": cell(ColWeighed)})
	}
	row.Weighed = w
	if s := cell(ColStock); s != "" {
		q, err := ParseQuantity(s)
		if err != nil {
			return row, invalid("error.catalog.stock", "{{.Input}} is not a stock quantity", map[string]any{"Input": s})
		}
		row.Stock = &q
	}
	row.Category = Category{Code: text(ColCategory), Name: text(ColCategoryZH), NameEN: text(ColCategoryEN)}
	if row.Category.Code == "" {
		row.Category.Code = DefaultCategoryCode
	}
	if len(row.Category.Code) > 32 || len(row.Category.Name) > 64 || len(row.Category.NameEN) > 64 ||
		!utf8.ValidString(row.Category.Code+row.Category.Name+row.Category.NameEN) {
		return row, invalid("error.catalog.category_name", "The category is too long or not UTF-8 text", nil)
	}
	return row, nil
}

// DefaultCategoryCode is the category of a row that names none.
const DefaultCategoryCode = "other"

// CheckBarcode is nil for a code a product may carry: 4 to 32 digits or
// letters, and a 13-digit code must have a correct EAN-13 check digit.
func CheckBarcode(code string) *Error {
	args := map[string]any{"Code": code}
	if len(code) < 4 || len(code) > 32 {
		return invalid("error.catalog.barcode", "{{.Code}} is not a barcode", args)
	}
	for _, r := range code {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-') {
			return invalid("error.catalog.barcode", "{{.Code}} is not a barcode", args)
		}
	}
	if len(code) == 13 && allDigits(code) && !ValidEAN13(code) {
		return invalid("error.catalog.ean13", "{{.Code}} has a wrong EAN-13 check digit", args)
	}
	return nil
}

// bomSkipper drops a UTF-8 byte order mark at the start of r.
type bomSkipper struct {
	r    io.Reader
	done bool
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if b.done {
		return b.r.Read(p)
	}
	b.done = true
	var head [3]byte
	n, err := io.ReadFull(b.r, head[:])
	rest := head[:n]
	if bytes.Equal(rest, []byte("\ufeff")) {
		rest = nil
	}
	b.r = io.MultiReader(bytes.NewReader(rest), b.r)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return 0, err
	}
	return b.r.Read(p)
}
