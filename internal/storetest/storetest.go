// Package storetest gives a test a store of its own: a new SQLite file in
// the test's temporary folder, closed when the test ends.
package storetest

import (
	"path/filepath"
	"testing"

	"github.com/till-pos/till/models"
)

// Open is a new, empty store for t.
func Open(t testing.TB) *models.Store {
	t.Helper()
	s, err := models.Open(filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
