package models_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"sync"
	"testing"

	"github.com/till-pos/till/internal/catalogtest"
	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
)

var (
	benchCSVOnce sync.Once
	benchCSV     []byte
)

// csv100k is a catalog file of 100,000 synthetic products.
func csv100k(b *testing.B) []byte {
	benchCSVOnce.Do(func() {
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		w := csv.NewWriter(&buf)
		w.Write(models.CatalogCSVHeader)
		for _, p := range catalogtest.Products(benchProducts) {
			stock := p.Stock
			w.Write(models.CatalogRecord(models.CatalogRow{SKU: p.SKU, Barcodes: []string{p.Barcodes[0].Code}, Name: p.Name,
				NameEN: p.NameEN, Category: *p.Category, Price: p.Price, Unit: p.Unit, UnitEN: p.UnitEN, TaxRate: p.TaxRateBP,
				Stock: &stock}))
		}
		w.Flush()
		benchCSV = buf.Bytes()
	})
	return benchCSV
}

// BenchmarkCatalogParse100k reads and checks a 100,000-row catalog file:
// the parsing alone, the baseline of BenchmarkCatalogImport100k.
func BenchmarkCatalogParse100k(b *testing.B) {
	data := csv100k(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		f, err := models.ParseCatalogCSV(bytes.NewReader(data))
		if err != nil || len(f.Rows) != benchProducts {
			b.Fatalf("%v, %d rows", err, len(f.Rows))
		}
	}
	b.ReportMetric(float64(benchProducts*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCatalogImport100k parses a 100,000-row catalog file and stores
// it into an empty catalog, in batches, as Settings' Import CSV does.
func BenchmarkCatalogImport100k(b *testing.B) {
	data := csv100k(b)
	ctx := context.Background()
	b.SetBytes(int64(len(data)))
	var elapsed float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := storetest.Open(b)
		owner, err := s.FirstOwner(ctx, "王芳", "582931", "T01")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		f, err := models.ParseCatalogCSV(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		sum, err := s.ImportCatalogRows(ctx, f.Rows, 0, models.CNY, owner, "T01", "bench.csv", nil)
		if err != nil || sum.Imported != benchProducts {
			b.Fatalf("%+v %v", sum, err)
		}
		b.StopTimer()
		s.Close()
	}
	elapsed = b.Elapsed().Seconds()
	b.ReportMetric(float64(benchProducts*b.N)/elapsed, "rows/s")
}
