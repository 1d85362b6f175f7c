//go:build !cgo

package models

import (
	"context"
	"database/sql"
	"errors"
)

// backupBetween needs SQLite's online backup, which only the cgo build of
// the SQLite driver has; a build without cgo (the pure packages checked
// for Android here, where no NDK is at hand) cannot copy a database.
func backupBetween(context.Context, *sql.DB, *sql.DB) error {
	return errors.New("SQLite's online backup needs a build with cgo")
}
