package models_test

import (
	"sync"
	"testing"

	"github.com/till-pos/till/internal/catalogtest"
	"github.com/till-pos/till/models"
)

const benchProducts = 100_000

var (
	benchIndexOnce sync.Once
	benchIndex     *models.CatalogIndex
)

func index100k() *models.CatalogIndex {
	benchIndexOnce.Do(func() { benchIndex = catalogtest.Index(benchProducts) })
	return benchIndex
}

// BenchmarkBarcodeLookup looks up existing barcodes in a 100,000-product index.
func BenchmarkBarcodeLookup(b *testing.B) {
	idx := index100k()
	codes := make([]string, 1024)
	for i := range codes {
		n := (i * 97) % benchProducts
		codes[i] = catalogtest.EAN13(fmtCode(n))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, ok := idx.Lookup(codes[i%len(codes)]); !ok {
			b.Fatal("barcode not found")
		}
	}
}

func fmtCode(i int) string {
	s := []byte("690000000000")
	s[2] = byte('0' + i%10)
	for k, v := 11, i; k >= 3; k-- {
		s[k] = byte('0' + v%10)
		v /= 10
	}
	return string(s)
}

// BenchmarkCatalogSearch searches a 100,000-product index as a cashier
// types (pinyin initials, full pinyin, Chinese, barcode prefix, English) and
// makes the items of the first screenful of results.
func BenchmarkCatalogSearch(b *testing.B) {
	idx := index100k()
	for _, q := range []string{"k", "kk", "kkkl", "kekou", "可口", "6901", "cola", "zzzz"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				// Search, then make the items of one screenful of tiles.
				l := idx.Search(q, 60)
				for i := 0; i < min(20, l.Len()); i++ {
					l.At(i)
				}
			}
		})
	}
}
