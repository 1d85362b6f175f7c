package models

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"gorm.io/gorm"
	"os"
)

// Snapshot copies the database, as it stands at one moment, to a new file
// dst with SQLite's online backup, from a connection of its own: sales go on
// while it runs (in WAL mode a reader blocks no writer). dst must not
// exist. The copy is checked (PRAGMA integrity_check) before it is kept.
func (s *Store) Snapshot(ctx context.Context, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("store: snapshot: %s exists", dst)
	}
	src, err := sql.Open("sqlite3", "file:"+s.path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("store: snapshot source: %w", err)
	}
	defer src.Close()
	out, err := sql.Open("sqlite3", "file:"+dst+"?_journal_mode=DELETE")
	if err != nil {
		return fmt.Errorf("store: snapshot %s: %w", dst, err)
	}
	defer out.Close()
	err = backupBetween(ctx, out, src)
	if err == nil {
		err = IntegrityCheck(ctx, out)
	}
	if err != nil {
		out.Close()
		os.Remove(dst)
		return fmt.Errorf("store: snapshot to %s: %w", dst, err)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check on db and says what it found
// unless it is "ok".
func IntegrityCheck(ctx context.Context, db *sql.DB) error {
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}

// IntegrityCheckFile runs PRAGMA integrity_check on the SQLite file at
// path, opened read-only.
func IntegrityCheckFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	return IntegrityCheck(ctx, db)
}

// FillForBenchmark grows the database by about size bytes of random data
// in a table of its own (bench_fill), for benchmarks of whole-file work
// such as a backup. Never used on a shop's database.
func (s *Store) FillForBenchmark(ctx context.Context, size int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("CREATE TABLE IF NOT EXISTS bench_fill (data BLOB NOT NULL)").Error; err != nil {
			return err
		}
		blob := make([]byte, 64<<10)
		for done := int64(0); done < size; done += int64(len(blob)) {
			if _, err := rand.Read(blob); err != nil {
				return err
			}
			if err := tx.Exec("INSERT INTO bench_fill (data) VALUES (CAST(? AS BLOB))", string(blob)).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
