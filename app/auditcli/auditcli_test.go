package auditcli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"github.com/till-pos/till/models"
)

// TestAuditVerifyExitsNonZeroAtTheEditedRow: `till audit verify` passes an
// intact trail, and after one row is edited in the SQLite file by another
// program it names that row and exits 1.
func TestAuditVerifyExitsNonZeroAtTheEditedRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s, err := models.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := s.AuditOverride(context.Background(), "T01", models.Operator{ID: 1, Name: "店长", Role: models.RoleManager},
			"price_override", fmt.Sprintf("T01-%08d", i), "¥10.00 → ¥8.00"); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	var out bytes.Buffer
	if code := Run([]string{"verify", "-db", path}, &out); code != 0 || !strings.Contains(out.String(), "intact: 5 entries") {
		t.Fatalf("intact trail: exit %d, %s", code, out.String())
	}

	db, err := gorm.Open(sqlite.Open(path), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_entries_no_update", "UPDATE audit_entries SET detail = '¥10.00 → ¥1.00' WHERE seq = 3"} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if raw, err := db.DB(); err == nil {
		raw.Close()
	}
	out.Reset()
	if code := Run([]string{"verify", "-db", path}, &out); code != 1 ||
		!strings.Contains(out.String(), "after 2 good entries") || !strings.Contains(out.String(), "(no. 3) was changed") {
		t.Fatalf("edited trail: exit %d, %s", code, out.String())
	}
	out.Reset()
	if code := Run([]string{"verify", "-db", filepath.Join(t.TempDir(), "none.db")}, &out); code != 2 {
		t.Fatalf("no database: exit %d, %s", code, out.String())
	}
}
