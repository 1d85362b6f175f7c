//go:build xvfb

package app

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/till-pos/till/internal/catalogtest"
	"github.com/till-pos/till/internal/xvfbtest"
	"github.com/till-pos/till/models"
)

var (
	binsOnce        sync.Once
	tillBin, helloB string
)

// binaries builds Till and the bare hello window once per test process.
func binaries(b testing.TB) (till, hello string) {
	binsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "till-bench-bin")
		if err != nil {
			b.Fatal(err)
		}
		tillBin = xvfbtest.BuildBinaryTo(b, "github.com/till-pos/till", filepath.Join(dir, "till"), "migrated_fynedo")
		helloB = xvfbtest.BuildBinaryTo(b, "github.com/till-pos/till/cmd/hellowindow", filepath.Join(dir, "hello"), "migrated_fynedo")
	})
	return tillBin, helloB
}

// runToLine starts bin under d and waits for a progress line, returning the
// program's peak resident memory by then (a second later, when settle).
func runToLine(b *testing.B, d *xvfbtest.Display, settle bool, bin, line string, args ...string) int64 {
	env := append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1")
	p := xvfbtest.StartProgram(b, d, bin, env, args...)
	p.WaitLine(b, line, liveness)
	if settle {
		// Let the frames after the line paint before reading the peak.
		time.Sleep(time.Second)
	}
	rss, err := p.PeakRSS()
	if err != nil {
		b.Fatal(err)
	}
	p.Stop()
	return rss
}

// BenchmarkStartup measures exec to first painted frame under Xvfb: Till in
// demo mode beside a bare Fyne window of the same size (the baseline).
func BenchmarkStartup(b *testing.B) {
	till, hello := binaries(b)
	d := xvfbtest.Start(b, 1280, 800)
	db := filepath.Join(b.TempDir(), "till.db")
	runToLine(b, d, false, till, "catalog-ready", "-demo", "-db", db) // seeds the demo catalog, untimed
	b.Run("hello", func(b *testing.B) {
		for b.Loop() {
			runToLine(b, d, false, hello, "first-frame")
		}
	})
	b.Run("till", func(b *testing.B) {
		for b.Loop() {
			runToLine(b, d, false, till, "first-frame", "-demo", "-db", db)
		}
	})
}

// BenchmarkResidentMemory reports peak resident memory (MB) of a bare Fyne
// window and of Till with 100,000 products loaded into its catalog index.
func BenchmarkResidentMemory(b *testing.B) {
	till, hello := binaries(b)
	d := xvfbtest.Start(b, 1280, 800)
	db := bigCatalogDB(b)
	report := func(b *testing.B, bin, line string, args ...string) {
		var sum int64
		n := 0
		for b.Loop() {
			sum += runToLine(b, d, true, bin, line, args...)
			n++
		}
		b.ReportMetric(float64(sum)/float64(n)/(1<<20), "peak-MB")
	}
	demo := filepath.Join(b.TempDir(), "demo.db")
	runToLine(b, d, false, till, "catalog-ready", "-demo", "-db", demo) // seeds, unmeasured
	b.Run("hello", func(b *testing.B) { report(b, hello, "first-frame") })
	b.Run("till-demo", func(b *testing.B) { report(b, till, "catalog-ready", "-demo", "-db", demo) })
	b.Run("till-100k", func(b *testing.B) { report(b, till, "catalog-ready", "-demo", "-db", db) })
}

// bigCatalogDB returns a database with 100,000 synthetic products, made once
// and kept in the temp folder between runs.
func bigCatalogDB(b *testing.B) string {
	const n = 100_000
	// In a folder of its own: a data folder never holds the key folder.
	dir := filepath.Join(os.TempDir(), "till-bench-100k-v2")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "till.db")
	ctx := context.Background()
	if s, err := models.Open(path); err == nil {
		count, _ := s.ProductCount(ctx)
		s.Close()
		if count == n {
			return path
		}
	}
	os.Remove(path)
	s, err := models.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.ImportCatalog(ctx, catalogtest.Categories(), catalogtest.Products(n)); err != nil {
		b.Fatal(err)
	}
	return path
}
