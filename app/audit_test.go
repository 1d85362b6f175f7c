package app

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// TestAuditTrailViewerFiltersAndChecksTheChain: from Day end a manager
// (the cashier is asked for one) opens the audit trail; it lists the sale
// just made, filters by action, and its chain check says intact, then,
// after a row is edited in the SQLite file by another program, names the
// broken entry.
func TestAuditTrailViewerFiltersAndChecksTheChain(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Exact ¥3.50", "Take cash")
	till.Shell().ShowDayEnd()
	tapKeys(t, till, "Audit trail", "Demo finger: 演示店长")
	a := till.Shell().Audit
	if a == nil || len(a.Rows()) == 0 {
		t.Fatalf("no audit trail shown (screen %s)", till.Shell().Current())
	}
	actions, err := till.Store().AuditActions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sale := slices.Index(actions, "sale") + 1
	a.SetFilter(0, sale, 0)
	rows := a.Rows()
	if len(rows) != 1 || rows[0].Action != "sale" || rows[0].OperatorName != "演示收银员" {
		t.Fatalf("today's sales: %+v", rows)
	}

	tapKeys(t, till, "Check the chain")
	if !strings.HasPrefix(a.ChainText(), "Chain intact") {
		t.Fatalf("chain: %q", a.ChainText())
	}
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "audit.png"))
		if err == nil {
			png.Encode(f, w.Canvas().Capture())
			f.Close()
		}
	}

	db, err := gorm.Open(sqlite.Open(till.ui.Shop.DBPath), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_entries_no_update", "UPDATE audit_entries SET detail = 'total=1' WHERE seq = 2"} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if raw, err := db.DB(); err == nil {
		raw.Close()
	}
	tapKeys(t, till, "Check the chain")
	if a.ChainText() != "Chain BROKEN at entry no. 2: it was changed after it was written" {
		t.Fatalf("chain after an edit: %q", a.ChainText())
	}
}
