package models

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

const csvHeader = "sku,barcode,name,name_en,category,price,unit,weighed,tax_rate,stock\n"

// TestParseCatalogCSVRejectsBadRows: every bad row is rejected with its
// row number and the reason's key; the good rows are read as written.
func TestParseCatalogCSVRejectsBadRows(t *testing.T) {
	in := "\ufeff" + csvHeader +
		"A1,6901234567892,可口可乐,Cola,drinks,3.50,瓶,no,13,100\n" + // 2 good
		"A2,,,Nameless,drinks,1,,,,\n" + // 3 no name
		"A3,,雪碧,,drinks,abc,,,,\n" + // 4 bad price
		"A4,,雪碧,,drinks,-1,,,,\n" + // 5 negative
		"A5,,雪碧,,drinks,2000000,,,,\n" + // 6 absurd
		"A6,6901234567892,雪碧,,drinks,3,,,,\n" + // 7 barcode of row 2
		"A7,,雪碧,,drinks,3,,,130,\n" + // 8 tax rate
		"A8,6901234567891,雪碧,,drinks,3,,,,\n" + // 9 EAN-13 check digit
		"A1,,雪碧,,drinks,3,,,,\n" + // 10 SKU of row 2
		",6921168509256,农夫山泉,,drinks,2,瓶,,9%,\n" + // 11 good, SKU from its barcode
		"F1,,苹果,Apples,fresh,12.80,千克,yes,9.5,20.5\n" + // 12 good
		"B1,,'=cmd,,drinks,1,,,,\n" // 13 good: a formula-quoted name
	f, err := ParseCatalogCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{3: "error.catalog.no_name", 4: "error.catalog.price", 5: "error.catalog.price_negative",
		6: "error.catalog.price_absurd", 7: "error.catalog.dup_barcode", 8: "error.catalog.tax_rate",
		9: "error.catalog.ean13", 10: "error.catalog.dup_sku"}
	got := map[int]string{}
	for _, r := range f.Rejects {
		got[r.Line] = r.Reason.Key
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rejects %v, want %v", got, want)
	}
	var lines []int
	for _, r := range f.Rows {
		lines = append(lines, r.Line)
	}
	if !slices.Equal(lines, []int{2, 11, 12, 13}) {
		t.Fatalf("good rows %v", lines)
	}
	a := f.Rows[0]
	if a.SKU != "A1" || a.Name != "可口可乐" || a.Price != 350 || a.TaxRate != 1300 || a.Stock == nil || *a.Stock != Units(100) ||
		a.Weighed || a.Category.Code != "drinks" || !slices.Equal(a.Barcodes, []string{"6901234567892"}) {
		t.Errorf("row 2 read as %+v", a)
	}
	if w := f.Rows[1]; w.SKU != "6921168509256" || w.TaxRate != 900 || w.Stock != nil {
		t.Errorf("row 11 read as %+v", w)
	}
	if p := f.Rows[2]; !p.Weighed || p.TaxRate != 950 || *p.Stock != 20500 || p.Price != 1280 {
		t.Errorf("row 12 read as %+v", p)
	}
	if f.Rows[3].Name != "=cmd" {
		t.Errorf("quoted name read as %q", f.Rows[3].Name)
	}
}

// TestParseCatalogCSVNeedsHeader: a file without the columns is refused whole.
func TestParseCatalogCSVNeedsHeader(t *testing.T) {
	for _, in := range []string{"", "\ufeff", "A1,可乐,3.50\n", "sku,name\nA1,可乐\n"} {
		if _, err := ParseCatalogCSV(strings.NewReader(in)); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v", in, err)
		}
	}
	// Columns in another order, names in another case, without BOM.
	f, err := ParseCatalogCSV(strings.NewReader("Price,Name,Barcode\n2,可乐,6901234567892\n"))
	if err != nil || len(f.Rows) != 1 || f.Rows[0].SKU != "6901234567892" || f.Rows[0].Category.Code != DefaultCategoryCode {
		t.Fatalf("%+v %v", f, err)
	}
}

func TestTaxRateText(t *testing.T) {
	for bp, s := range map[int64]string{1300: "13", 950: "9.5", 0: "0", 625: "6.25", 10000: "100"} {
		if FormatTaxRate(bp) != s {
			t.Errorf("FormatTaxRate(%d) = %q", bp, FormatTaxRate(bp))
		}
		if got, err := ParseTaxRate(s); err != nil || got != bp {
			t.Errorf("ParseTaxRate(%q) = %d, %v", s, got, err)
		}
	}
}

// csvOf is rows as an exported file.
func csvOf(t testing.TB, rows []CatalogRow) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Write(CatalogCSVHeader)
	for _, r := range rows {
		w.Write(CatalogRecord(r))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func exportAll(t testing.TB, s *Store) []byte {
	var rows []CatalogRow
	if _, err := s.EachCatalogRow(context.Background(), func(r CatalogRow) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return csvOf(t, rows)
}

func importCSV(t testing.TB, s *Store, data []byte, by Operator) CatalogImportSummary {
	t.Helper()
	f, err := ParseCatalogCSV(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rejects) > 0 {
		t.Fatalf("rejects %+v", f.Rejects[0])
	}
	sum, err := s.ImportCatalogRows(context.Background(), f.Rows, 0, CNY, by, "T01", "test.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func catalogOwner(t testing.TB, s *Store) Operator {
	op, err := s.FirstOwner(context.Background(), "王芳", "582931", "T01")
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// TestCatalogCSVRoundTrip: an exported catalog imported again changes
// nothing (every product unchanged, the export the same bytes), and an
// edited export updates, inserts and moves barcodes as it says.
func TestCatalogCSVRoundTrip(t *testing.T) {
	s := newTestStore(t)
	owner := catalogOwner(t, s)
	ctx := context.Background()
	first := exportAll(t, s)
	sum := importCSV(t, s, first, owner)
	if sum.Unchanged != 3 || sum.Imported+sum.Updated != 0 || !sum.Complete {
		t.Fatalf("round trip: %+v", sum)
	}
	if again := exportAll(t, s); !bytes.Equal(again, first) {
		t.Fatalf("export changed:\n%s\n%s", first, again)
	}
	// Edit: D1's price, a new product with a formula-like name, F1 gets
	// D2's barcode (moved), and stock untracked for D2.
	f, err := ParseCatalogCSV(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	rows := f.Rows
	for i := range rows {
		switch rows[i].SKU {
		case "D1":
			rows[i].Price = 399
		case "D2":
			rows[i].Barcodes = nil
			rows[i].Stock = nil
		case "F1":
			rows[i].Barcodes = []string{"6921168509256"}
		}
	}
	rows = append(rows, CatalogRow{SKU: "N1", Name: "=HYPERLINK()", Category: Category{Code: "new", Name: "新品"}, Price: 100, TaxRate: 600})
	edited := csvOf(t, rows)
	if !bytes.Contains(edited, []byte(",'=HYPERLINK(),")) {
		t.Errorf("a formula-like name is written as is:\n%s", edited)
	}
	sum = importCSV(t, s, edited, owner)
	if sum.Imported != 1 || sum.Updated != 3 || sum.Unchanged != 0 {
		t.Fatalf("edited: %+v", sum)
	}
	if p, err := s.ProductByBarcode(ctx, "6921168509256"); err != nil || p.SKU != "F1" {
		t.Errorf("moved barcode on %+v, %v", p, err)
	}
	if p, err := s.ProductByBarcode(ctx, "6901234567892"); err != nil || p.Price != 399 {
		t.Errorf("D1 %+v, %v", p, err)
	}
	// The edited file's own round trip: export equals what was imported
	// (the barcode-less D2 keeps no barcode: it moved to F1).
	rows2, err := ParseCatalogCSV(bytes.NewReader(exportAll(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	if sum := importCSV(t, s, csvOf(t, rows2.Rows), owner); sum.Unchanged != 4 || sum.Imported+sum.Updated != 0 {
		t.Errorf("second round trip %+v", sum)
	}
	var n int64
	s.db.Model(&AuditEntry{}).Where("action = ?", "catalog_import").Count(&n)
	if n != 3 {
		t.Errorf("%d catalog_import audit entries, want 3", n)
	}
	var e AuditEntry
	s.db.Where("action = ?", "catalog_import_batch").Last(&e)
	if e.OperatorID != owner.ID || !strings.Contains(e.Detail, "imported=1 updated=3") {
		t.Errorf("batch audit %+v", e)
	}
}

// TestCatalogImportPermission: a cashier may not import; nothing changes.
func TestCatalogImportPermission(t *testing.T) {
	s := newTestStore(t)
	owner := catalogOwner(t, s)
	ctx := context.Background()
	cashier, err := s.AddOperator(ctx, Operator{Name: "李娜", Role: RoleCashier}, "730415", owner, "T01")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := ParseCatalogCSV(strings.NewReader(csvHeader + "Z1,,新品,,drinks,1,,,,\n"))
	sum, err := s.ImportCatalogRows(ctx, f.Rows, 0, CNY, cashier, "T01", "x.csv", nil)
	if !IsDenied(err) || sum.Done() != 0 {
		t.Fatalf("cashier import: %+v %v", sum, err)
	}
	if n, _ := s.ProductCount(ctx); n != 3 {
		t.Errorf("%d products", n)
	}
}

// TestCatalogImportCancelKeepsCommittedBatches: cancelled between
// batches, the batches stored stay and no other row is stored.
func TestCatalogImportCancelKeepsCommittedBatches(t *testing.T) {
	s := newTestStore(t)
	owner := catalogOwner(t, s)
	rows := make([]CatalogRow, 2*CatalogImportBatch+10)
	for i := range rows {
		rows[i] = CatalogRow{Line: i + 2, SKU: fmt.Sprintf("C%05d", i), Name: "测试", Category: Category{Code: "drinks"}, Price: 100}
	}
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := s.ImportCatalogRows(ctx, rows, 0, CNY, owner, "T01", "big.csv", func(done int) {
		if done >= CatalogImportBatch {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || sum.Complete || sum.Imported != CatalogImportBatch {
		t.Fatalf("cancelled: %+v %v", sum, err)
	}
	if n, _ := s.ProductCount(context.Background()); n != 3+CatalogImportBatch {
		t.Errorf("%d products after a cancel after one batch", n)
	}
}

// FuzzParseCatalogCSV: no bytes make the parser panic, and every row it
// calls good keeps the rules and reads back the same once exported.
func FuzzParseCatalogCSV(f *testing.F) {
	f.Add([]byte(csvHeader + "A1,6901234567892,可口可乐,Cola,drinks,3.50,瓶,no,13,100\n"))
	f.Add([]byte("\ufeffprice,name,barcode\n\"1,200.00\",\"a\"\"b\",6921168509256 12345678\n"))
	f.Add([]byte(csvHeader + "'=x,,'@y,,'-z,99999999999,,maybe,101,-1\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCatalogCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range c.Rows {
			if r.SKU == "" || r.Name == "" || r.Price < 0 || r.Price > MaxCatalogPrice || CheckTaxRate(r.TaxRate) != nil {
				t.Fatalf("bad row accepted: %+v", r)
			}
		}
		for _, r := range c.Rejects {
			if r.Reason == nil || r.Reason.Key == "" {
				t.Fatalf("reject without a reason: %+v", r)
			}
		}
		if len(c.Rows) == 0 {
			return
		}
		back, err := ParseCatalogCSV(bytes.NewReader(csvOf(t, c.Rows)))
		if err != nil || len(back.Rejects) != 0 || len(back.Rows) != len(c.Rows) {
			t.Fatalf("export of good rows does not read back: %v %+v", err, back)
		}
		for i := range c.Rows {
			a, b := c.Rows[i], back.Rows[i]
			a.Line, b.Line = 0, 0
			sameStock := (a.Stock == nil) == (b.Stock == nil) && (a.Stock == nil || *a.Stock == *b.Stock)
			a.Stock, b.Stock = nil, nil
			if fmt.Sprint(a) != fmt.Sprint(b) || !sameStock {
				t.Fatalf("row changed by a round trip:\n%+v\n%+v", a, b)
			}
		}
	})
}
