package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store keeps Till's data in one SQLite file: WAL journal, synchronous=FULL
// (a committed sale survives a power cut), foreign keys on, a busy timeout,
// and immediate write transactions so two writers never deadlock.
//
// All access goes through one connection, guarded by mu: a write transaction
// is BEGIN IMMEDIATE … COMMIT on that connection, so gorm's prepared
// statements are prepared once for the connection and reused by every
// transaction (gorm re-prepares statements first prepared inside a
// database/sql transaction in every later one).
type Store struct {
	db   *gorm.DB
	path string
	mu   sync.Mutex
}

// busyTimeoutMS is how long a write waits for another connection's lock.
var busyTimeoutMS = 5000

// DSN returns the SQLite connection string Till uses for the file at path:
// WAL, full sync, foreign keys, immediate write transactions, and secure
// delete (what is deleted or overwritten is zeroed in the file, so that no
// removed fingerprint or card detail lingers in its free space).
func DSN(path string) string {
	return "file:" + path + "?_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_secure_delete=on&_busy_timeout=" +
		strconv.Itoa(busyTimeoutMS) + "&_txlock=immediate"
}

// ErrNoDataFolder says that the data folder dir does not exist (or cannot
// be made: err).
func ErrNoDataFolder(dir string, err error) error {
	return &Error{Code: EDATABASE, Key: "error.db.no_folder",
		Fallback: "The data folder {{.Dir}} does not exist", Args: map[string]any{"Dir": dir}, Err: err}
}

// Open opens (creating if need be) the database at path and brings its
// schema up to date. A missing folder, a damaged file or a file locked by
// another program each give an *Error with code EDATABASE.
func Open(path string) (*Store, error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, ErrNoDataFolder(dir, err)
	}
	db, err := gorm.Open(sqlite.Open(DSN(path)), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            true,
	})
	if err != nil {
		return nil, dbError(path, fmt.Errorf("open: %w", err))
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, dbError(path, fmt.Errorf("open: %w", err))
	}
	// One connection: SQLite has one writer anyway, and a single connection
	// keeps the per-connection PRAGMAs and avoids SQLITE_BUSY between our own.
	sqlDB.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	if err := s.check(); err != nil {
		sqlDB.Close()
		return nil, dbError(path, err)
	}
	if err := s.migrate(); err != nil {
		sqlDB.Close()
		return nil, dbError(path, err)
	}
	return s, nil
}

// check reads the file's header, runs a quick integrity check and makes sure
// the write lock can be had, so a file held by another program is reported
// at start rather than at the first sale.
func (s *Store) check() error {
	if err := s.db.Exec("BEGIN IMMEDIATE").Error; err != nil {
		return fmt.Errorf("write lock: %w", err)
	}
	if err := s.db.Exec("ROLLBACK").Error; err != nil {
		return fmt.Errorf("write lock: %w", err)
	}
	var res string
	if err := s.db.Raw("PRAGMA quick_check").Scan(&res).Error; err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("quick_check: %s", res)
	}
	return nil
}

// dbError turns a SQLite failure into a message a person can act on.
func dbError(path string, err error) error {
	var known *Error
	if errors.As(err, &known) {
		return err
	}
	msg := err.Error()
	args := map[string]any{"Path": path}
	switch {
	case strings.Contains(msg, "locked") || strings.Contains(msg, "busy"):
		return &Error{Code: EDATABASE, Key: "error.db.locked",
			Fallback: "The database {{.Path}} is in use by another program. Close it and try again", Args: args, Err: err}
	case strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed") || strings.Contains(msg, "quick_check"):
		return &Error{Code: EDATABASE, Key: "error.db.corrupt",
			Fallback: "The database {{.Path}} is damaged. Restore it from a backup", Args: args, Err: err}
	case strings.Contains(msg, "unable to open") || strings.Contains(msg, "readonly") || strings.Contains(msg, "permission"):
		return &Error{Code: EDATABASE, Key: "error.db.cannot_open",
			Fallback: "The database {{.Path}} cannot be opened or written", Args: args, Err: err}
	}
	return &Error{Code: EDATABASE, Key: "error.db.failed",
		Fallback: "The database {{.Path}} failed", Args: args, Err: err}
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// IntegrityCheck runs SQLite's full integrity check and returns its verdict ("ok" when sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var rows []string
	if err := s.db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&rows).Error; err != nil {
		return "", fmt.Errorf("store: integrity check: %w", err)
	}
	return strings.Join(rows, "; "), nil
}

// notFound turns gorm's record-not-found into an ENOTFOUND *Error with the
// given message, and wraps any other failure with the key as context.
func notFound(err error, key, fallback string, args map[string]any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &Error{Code: ENOTFOUND, Key: key, Fallback: fallback, Args: args}
	}
	return fmt.Errorf("store: %s: %w", key, err)
}

// read runs fn on the store's connection, outside any other caller's transaction.
func (s *Store) read(ctx context.Context, fn func(db *gorm.DB) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.db.WithContext(ctx))
}

// write runs fn in one immediate write transaction: all of fn's writes are
// committed, or none.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	db := s.db.WithContext(ctx)
	if err := db.Exec("BEGIN IMMEDIATE").Error; err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	done := false
	defer func() {
		if !done {
			// Roll back without ctx: it may be the reason we are here.
			s.db.Exec("ROLLBACK")
		}
	}()
	if err := fn(db); err != nil {
		return err
	}
	if err := db.Exec("COMMIT").Error; err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	done = true
	return nil
}
