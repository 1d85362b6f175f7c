package models

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkZClose takes a Z report (after a sale, so that the day has
// figures) on a history of 10,000 orders and payments (the baseline) and of
// 1,000,000: the close reads the day's running totals, one row, so it
// should cost the same at both sizes. The sale before each close is not
// timed, and its pages are checkpointed before the close starts.
func BenchmarkZClose(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("payments=%d", n), func(b *testing.B) {
			s := historyStore(b, n)
			onStaff(b, s, Operator{ID: 9001, Name: "店长", Role: RoleManager})
			mgr := Operator{ID: 9001, Name: "店长", Role: RoleManager}
			tmpl := benchOrder(b, s)
			sc := SaleContext{TerminalID: "T01", Operator: cashier}
			for b.Loop() {
				b.StopTimer()
				o := *tmpl
				o.Lines = append([]OrderLine(nil), tmpl.Lines...)
				if err := s.CommitSale(bg, &o, cashFor(&o, o.Total), sc); err != nil {
					b.Fatal(err)
				}
				// The sale's pages are written back to the file now, not
				// by the close's commit: the close alone is measured.
				var res struct{ Busy, Log, Checkpointed int }
				if err := s.db.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&res).Error; err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				z, err := s.CloseDay(bg, "T01", mgr, time.Time{})
				if err != nil || z.Sales != 1 {
					b.Fatalf("Z: %+v %v", z, err)
				}
			}
		})
	}
}

// TestZCloseUsesIndexes reads SQLite's plan of every statement a sale, the
// X report, the day's status and the close of day run on a filled history:
// none may walk a table or a terminal's history, so that their cost does
// not grow with it (BenchmarkZClose measures it).
func TestZCloseUsesIndexes(t *testing.T) {
	s := newTestStore(t)
	fillHistory(t, s, 3*historyPerDay)
	mgr := Operator{ID: 9001, Name: "店长", Role: RoleManager}
	onStaff(t, s, mgr)
	rec := &sqlRecorder{Interface: s.db.Logger}
	s.db.Logger = rec
	if _, err := s.OpenShift(bg, "T01", mgr, 10000, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	o := colaOrder(t, s, 2)
	if err := s.CommitSale(bg, o, cashFor(o, o.Total), SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.XReport(bg, "T01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: mgr}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DayStatus(bg, "T01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(bg, "T01", mgr, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range rec.sqls {
		var plan []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := s.db.Raw("EXPLAIN QUERY PLAN " + sql).Scan(&plan).Error; err != nil {
			continue // not a statement with a plan (a PRAGMA, a transaction's end)
		}
		for _, step := range plan {
			if fullScan.MatchString(step.Detail) || historyWalk(step.Detail) != "" {
				t.Errorf("walks a table or a terminal's history (%s):\n%s", step.Detail, sql)
			}
		}
	}
}
