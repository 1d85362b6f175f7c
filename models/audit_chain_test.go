package models

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// auditTrail writes n audit entries through the store, as approvals.
func auditTrail(t testing.TB, s *Store, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		if err := s.AuditOverride(ctx, "T01", Operator{ID: 1, Name: "店长", Role: RoleManager}, "price_override",
			fmt.Sprintf("T01-%08d", i), fmt.Sprintf("line %d", i)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditChainHoldsAndTheTrailIsAppendOnly: entries written through the
// store chain up from no. 1; the head is the last; SQL that edits or
// deletes an entry is refused while the triggers stand.
func TestAuditChainHoldsAndTheTrailIsAppendOnly(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	before, _, err := s.AuditHeadNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	auditTrail(t, s, 25)
	c, err := s.VerifyAudit(ctx, nil)
	if err != nil || c.Break != nil || c.Entries != before+25 || c.Head != before+25 {
		t.Fatalf("verify: %+v %v", c, err)
	}
	seq, hash, err := s.AuditHeadNow(ctx)
	if err != nil || seq != c.Head || hash != c.Hash || len(hash) != 64 {
		t.Fatalf("head %d %s, verify %d %s: %v", seq, hash, c.Head, c.Hash, err)
	}
	for _, sql := range []string{"UPDATE audit_entries SET detail = 'x' WHERE seq = 3", "DELETE FROM audit_entries WHERE seq = 3"} {
		if err := s.db.Exec(sql).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", sql, err)
		}
	}
}

// TestAuditChainFindsTheFirstBrokenLink: with the triggers dropped, as
// someone with the file would, an edited entry, one edited with its hash
// written again, a deleted one, two swapped and a cut-off end are each
// found at the right place.
func TestAuditChainFindsTheFirstBrokenLink(t *testing.T) {
	sql := func(stmts ...string) func(*Store) error {
		return func(s *Store) error {
			for _, q := range stmts {
				if err := s.db.Exec(q).Error; err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
			}
			return nil
		}
	}
	rehash := func(s *Store) error { // detail of no. 6 changed and its hash computed again
		var e AuditEntry
		if err := s.db.Where("seq = 6").First(&e).Error; err != nil {
			return err
		}
		e.Detail = "x"
		return s.db.Exec("UPDATE audit_entries SET detail = ?, hash = ? WHERE seq = 6", e.Detail, e.ChainHash(e.PrevHash)).Error
	}
	for _, c := range []struct {
		name   string
		tamper func(*Store) error
		seq    int64
		why    string
	}{
		{"edited", sql("UPDATE audit_entries SET detail = 'line 99' WHERE seq = 7"), 7, "edited"},
		{"edited time", sql("UPDATE audit_entries SET at = datetime(at, '+1 hour') WHERE seq = 4"), 4, "edited"},
		{"edited and rehashed", rehash, 7, "gap"},
		{"deleted", sql("DELETE FROM audit_entries WHERE seq = 5"), 5, "gap"},
		{"reordered", sql("UPDATE audit_entries SET id = -1 WHERE id = 8", "UPDATE audit_entries SET id = 8 WHERE id = 9",
			"UPDATE audit_entries SET id = 9 WHERE id = -1"), 8, "gap"},
		{"end cut off", sql("DELETE FROM audit_entries WHERE seq >= 10"), 10, "head"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t)
			ctx := context.Background()
			auditTrail(t, s, 12)
			if first, _, _ := s.AuditHeadNow(ctx); first != 12 {
				t.Fatalf("the trail has %d entries, want the 12 written here", first)
			}
			if err := sql("DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete")(s); err != nil {
				t.Fatal(err)
			}
			if err := c.tamper(s); err != nil {
				t.Fatal(err)
			}
			got, err := s.VerifyAudit(ctx, nil)
			if err != nil || got.Break == nil || got.Break.Seq != c.seq || got.Break.Why != c.why || got.Entries != c.seq-1 {
				t.Fatalf("verify: %+v %+v %v", got, got.Break, err)
			}
		})
	}
}

// TestAuditChainMigrationLinksAnUnchainedTrail: entries written before the
// chain existed (no sequence number, no hash) are linked in the order
// written, and the chain then holds.
func TestAuditChainMigrationLinksAnUnchainedTrail(t *testing.T) {
	s := newTestStore(t)
	auditTrail(t, s, 9)
	for _, q := range []string{"DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete",
		"DROP INDEX idx_audit_entries_seq", "UPDATE audit_entries SET seq = 0, prev_hash = '', hash = ''", "DELETE FROM audit_heads"} {
		if err := s.db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if c, err := s.VerifyAudit(context.Background(), nil); err != nil || c.Break == nil {
		t.Fatalf("an unchained trail verified: %+v %v", c, err)
	}
	if err := chainAudit(s.db); err != nil {
		t.Fatal(err)
	}
	c, err := s.VerifyAudit(context.Background(), nil)
	if err != nil || c.Break != nil || c.Entries != 9 {
		t.Fatalf("after chaining: %+v %v", c, err)
	}
	if err := s.db.Exec("DELETE FROM audit_entries WHERE seq = 1").Error; err == nil {
		t.Fatal("the trail is not append-only again after chaining")
	}
}

// TestFindAuditFiltersByPersonActionAndTime: the viewer's query, newest
// first, with the person's name; a cashier may not read the trail.
func TestFindAuditFiltersByPersonActionAndTime(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	onStaff(t, s, cashier, manager)
	day := time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)
	for i, e := range []AuditEntry{
		{At: day, OperatorID: cashier.ID, Action: "sale", Subject: "T01-1"},
		{At: day.Add(time.Hour), OperatorID: manager.ID, Action: "void", Subject: "T01-1"},
		{At: day.Add(24 * time.Hour), OperatorID: cashier.ID, Action: "sale", Subject: "T01-2"},
		{At: day.Add(25 * time.Hour), OperatorID: manager.ID, Action: "price_override", Subject: "T01-3"},
	} {
		e.TerminalID = "T01"
		if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&e).Error }); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	subjects := func(f AuditFilter) string {
		rows, err := s.FindAudit(ctx, manager, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Subject+":"+r.OperatorName)
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		f    AuditFilter
		want string
	}{
		{AuditFilter{}, "T01-3:店长 T01-2:收银员 T01-1:店长 T01-1:收银员"},
		{AuditFilter{OperatorID: cashier.ID}, "T01-2:收银员 T01-1:收银员"},
		{AuditFilter{Action: "sale"}, "T01-2:收银员 T01-1:收银员"},
		{AuditFilter{From: day.Add(24 * time.Hour), To: day.Add(48 * time.Hour)}, "T01-3:店长 T01-2:收银员"},
		{AuditFilter{OperatorID: manager.ID, From: day, To: day.Add(24 * time.Hour)}, "T01-1:店长"},
		{AuditFilter{Limit: 1}, "T01-3:店长"},
	} {
		if got := subjects(c.f); got != c.want {
			t.Errorf("%+v: %s, want %s", c.f, got, c.want)
		}
	}
	if _, err := s.FindAudit(ctx, cashier, AuditFilter{}); ErrorCode(err) != EINVALID {
		t.Fatalf("a cashier read the trail: %v", err)
	}
	if actions, err := s.AuditActions(ctx); err != nil || strings.Join(actions, ",") != "price_override,sale,void" {
		t.Fatalf("actions %v %v", actions, err)
	}
}
