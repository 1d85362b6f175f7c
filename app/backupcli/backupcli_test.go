package backupcli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/till-pos/till/models"
)

// TestBackupAndRestoreFromTheCommandLine: `till backup` writes a checked
// backup with the passphrase typed on standard input; `till restore` puts
// it back over a damaged database, keeping that one aside; a wrong
// passphrase is refused with exit 1 and nothing changes.
func TestBackupAndRestoreFromTheCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	s, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.AuditOverride(ctx, "T01", models.Operator{ID: 1, Name: "店长", Role: models.RoleManager}, "price_override", "T01-1", "x"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dir := t.TempDir()
	var out bytes.Buffer
	if code := Run(false, []string{"-db", db, "-to", dir}, strings.NewReader("correct horse battery\n"), &out); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, out.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "till-T01-*.tillbak"))
	if len(files) != 1 || !strings.Contains(out.String(), files[0]+", checked") {
		t.Fatalf("backup files %v; output %s", files, out.String())
	}

	out.Reset()
	if code := Run(true, []string{"-db", db, "-from", files[0]}, strings.NewReader("wrong passphrase!\n"), &out); code != 1 ||
		!strings.Contains(out.String(), "does not open this backup") {
		t.Fatalf("wrong passphrase: exit %d: %s", code, out.String())
	}
	out.Reset()
	if code := Run(true, []string{"-db", db, "-from", files[0]}, strings.NewReader("correct horse battery\n"), &out); code != 0 ||
		!strings.Contains(out.String(), "is kept as "+db+".before-restore-") {
		t.Fatalf("restore: exit %d: %s", code, out.String())
	}
	r, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if c, err := r.VerifyAudit(ctx, nil); err != nil || c.Break != nil || c.Entries != 1 {
		t.Fatalf("restored trail: %+v %v", c, err)
	}
	out.Reset()
	if code := Run(true, []string{"-db", db}, strings.NewReader(""), &out); code != 2 {
		t.Fatalf("no -from: exit %d", code)
	}
}
