package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// fillAuditTrail writes n chained audit entries straight into s's file, in
// one transaction of multi-row inserts, as a long-lived terminal would
// have them.
func fillAuditTrail(b *testing.B, s *Store, n int) {
	b.Helper()
	tx := s.db.Begin()
	head := AuditHead{ID: 1}
	at := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	const rows = 200
	for done := 0; done < n; {
		var q strings.Builder
		q.WriteString("INSERT INTO audit_entries(at, terminal_id, operator_id, action, subject, detail, seq, prev_hash, hash) VALUES")
		var args []any
		for i := 0; i < rows && done < n; i, done = i+1, done+1 {
			e := AuditEntry{At: at.Add(time.Duration(done) * 30 * time.Second), TerminalID: "T01", OperatorID: 2, Action: "sale",
				Subject: fmt.Sprintf("T01-%08d", done), Detail: "total=3500 tender=cash", Seq: head.Seq + 1, PrevHash: head.Hash}
			e.Hash = e.ChainHash(e.PrevHash)
			head.Seq, head.Hash = e.Seq, e.Hash
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString("(?,?,?,?,?,?,?,?,?)")
			args = append(args, e.At, e.TerminalID, e.OperatorID, e.Action, e.Subject, e.Detail, e.Seq, e.PrevHash, e.Hash)
		}
		if err := tx.Exec(q.String(), args...).Error; err != nil {
			tx.Rollback()
			b.Fatal(err)
		}
	}
	if err := tx.Save(&head).Error; err != nil {
		tx.Rollback()
		b.Fatal(err)
	}
	if err := tx.Commit().Error; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAuditVerify walks an audit trail of 10,000 and of 1,000,000
// entries (what `till audit verify` does); the time per entry should not
// grow with the trail.
func BenchmarkAuditVerify(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			s := newTestStore(b)
			fillAuditTrail(b, s, n)
			b.ResetTimer()
			for b.Loop() {
				c, err := s.VerifyAudit(bg, nil)
				if err != nil || c.Break != nil || c.Entries != int64(n) {
					b.Fatalf("verify: %+v %v", c, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
		})
	}
}
