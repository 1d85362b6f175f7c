package backup_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/services/backup"
)

// benchSizeMB is the database size the backup benchmarks use:
// TILL_BENCH_BACKUP_MB, 256 MB unless set (1024 for the 1 GB figure).
func benchSizeMB() int {
	if n, err := strconv.Atoi(os.Getenv("TILL_BENCH_BACKUP_MB")); err == nil && n > 0 {
		return n
	}
	return 256
}

// bigStore is a store grown to about mb megabytes with incompressible
// rows (a year's orders weigh about as much).
func bigStore(b *testing.B, mb int) string {
	b.Helper()
	s := storetest.Open(b)
	if err := s.FillForBenchmark(context.Background(), int64(mb)<<20); err != nil {
		b.Fatal(err)
	}
	return s.Path()
}

// BenchmarkBackup seals a database of benchSizeMB, snapshot and verify
// included, beside BenchmarkPlainCopy of the same file: the baseline.
func BenchmarkBackup(b *testing.B) {
	mb := benchSizeMB()
	s := storetest.Open(b)
	if err := s.FillForBenchmark(context.Background(), int64(mb)<<20); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(s.Path())
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		dir := b.TempDir()
		if _, err := backup.Backup(context.Background(), s, backup.Options{Dir: dir, Passphrase: "bench passphrase", Terminal: "T01"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainCopy copies the same database file as it lies.
func BenchmarkPlainCopy(b *testing.B) {
	path := bigStore(b, benchSizeMB())
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		out, err := os.Create(filepath.Join(b.TempDir(), "copy.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			b.Fatal(err)
		}
		out.Sync()
		out.Close()
		in.Close()
	}
}
