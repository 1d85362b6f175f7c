package models

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestReportSpans: a period is cut into the whole local days that are over
// and the pieces around them.
func TestReportSpans(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	d := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, loc) }
	type span struct {
		from, to time.Time
		day      bool
	}
	for _, c := range []struct {
		name     string
		from, to time.Time
		now      time.Time
		want     []span
	}{
		{"three days, the last not over", d(10, 0), d(13, 0), d(12, 15),
			[]span{{d(10, 0), d(11, 0), true}, {d(11, 0), d(12, 0), true}, {d(12, 0), d(13, 0), false}}},
		{"from and to in the middle of days", d(10, 9), d(12, 18), d(20, 0),
			[]span{{d(10, 9), d(11, 0), false}, {d(11, 0), d(12, 0), true}, {d(12, 0), d(12, 18), false}}},
		{"today only", d(12, 0), d(13, 0), d(12, 15), []span{{d(12, 0), d(13, 0), false}}},
		{"a shift within a day", d(12, 8), d(12, 16), d(20, 0), []span{{d(12, 8), d(12, 16), false}}},
	} {
		var got []span
		for _, sp := range reportSpans(c.from, c.to, c.now) {
			got = append(got, span{sp.from, sp.to, sp.day})
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v\n\twant %v", c.name, got, c.want)
		}
	}
}

// freshReport is s's report of [from, to) read from the history alone,
// every stored day forgotten first.
func freshReport(t *testing.T, s *Store, from, to time.Time) Report {
	t.Helper()
	if err := s.db.Exec("DELETE FROM report_days").Error; err != nil {
		t.Fatal(err)
	}
	r, err := s.Report(bg, "T01", from, to)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// storedDays is how many days of T01 are stored.
func storedDays(t *testing.T, s *Store) int64 {
	t.Helper()
	var n int64
	if err := s.db.Model(&ReportDay{}).Where("terminal_id = ?", "T01").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReportDaysKeptAndForgotten: a report keeps the whole days it read,
// reads them back as they were, and anything that changes a past day's
// figures (a sale completed whose first payment was taken that day, a
// void of its sale, a refund) forgets that day, so that a report never
// shows a stale day: each report is the one read from the history alone.
func TestReportDaysKeptAndForgotten(t *testing.T) {
	f := newReportFixture(t)
	s := f.s
	from, to := f.day1, f.day2.AddDate(0, 0, 1)
	first, err := s.Report(bg, "T01", from, to)
	if err != nil {
		t.Fatal(err)
	}
	// Day 1 and 2, and the two days a week before.
	if n := storedDays(t, s); n != 4 {
		t.Fatalf("%d days stored, want 4", n)
	}
	again, err := s.Report(bg, "T01", from, to)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, "read back", again, first)
	checkReport(t, "read afresh", first, freshReport(t, s, from, to))
	// The days of a 2-day report add up to the days' own reports.
	r1, _ := s.Report(bg, "T01", f.day1, f.day2)
	r2, _ := s.Report(bg, "T01", f.day2, to)
	if r1.Orders+r2.Orders != first.Orders || r1.NetSales+r2.NetSales != first.NetSales || r1.Tax+r2.Tax != first.Tax {
		t.Fatalf("days %d+%d orders, %d+%d net; the two days %d, %d", r1.Orders, r2.Orders, r1.NetSales, r2.NetSales,
			first.Orders, first.NetSales)
	}

	sc := SaleContext{TerminalID: "T01", Operator: cashier}
	steps := []struct {
		name   string
		change func() // changes a past day
		moved  func(before, after Report) bool
	}{
		{"a balance payment of day 1 completed by cash today", func() {
			m, err := s.AddMember(bg, "王芳", "139 0013 5678", cashier, "T01")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.OpeningBalance(bg, m.ID, 100, manager, "T01"); err != nil {
				t.Fatal(err)
			}
			o := colaOrder(t, s, 2)
			if err := s.PayFromBalance(bg, o, m.ID, 100, sc); err != nil {
				t.Fatal(err)
			}
			if err := s.db.Exec("UPDATE payments SET created_at = ? WHERE order_id = ?", reportClock(f.day1, 18, 0), o.ID).Error; err != nil {
				t.Fatal(err)
			}
			// Awaiting the rest, it is no takings yet: day 1 is read as it was.
			if r, _ := s.Report(bg, "T01", from, to); r.Takings.BalanceSpent != first.Takings.BalanceSpent {
				t.Fatalf("an awaiting order's balance payment counted: %+v", r.Takings.BalanceSpent)
			}
			cash := []Payment{{Tender: TenderCash, Status: PaymentApproved, Amount: o.Due(), Tendered: o.Due()}}
			if err := s.CommitSale(bg, o, cash, sc); err != nil {
				t.Fatal(err)
			}
		}, func(before, after Report) bool {
			return after.Takings.BalanceSpent.Count == before.Takings.BalanceSpent.Count+1 &&
				after.Hours[18].Amount == before.Hours[18].Amount+100
		}},
		{"day 2's sale voided", func() {
			var o Order
			if err := s.db.Where("terminal_id = ? AND paid_at >= ? AND paid_at < ? AND top_up_member_id = 0", "T01",
				reportClock(f.day2, 10, 0), to).First(&o).Error; err != nil {
				t.Fatal(err)
			}
			if _, err := s.VoidOrder(bg, Undo{OrderID: o.ID, Manager: manager}); err != nil {
				t.Fatal(err)
			}
		}, func(before, after Report) bool {
			return after.Voids.Count == before.Voids.Count+1 && after.Orders == before.Orders-1
		}},
		{"day 1's sale refunded in part today", func() {
			var o Order
			if err := s.db.Where("terminal_id = ? AND paid_at = ?", "T01", reportClock(f.day1, 10, 15)).First(&o).Error; err != nil {
				t.Fatal(err)
			}
			var p Payment
			if err := s.db.Where("order_id = ?", o.ID).First(&p).Error; err != nil {
				t.Fatal(err)
			}
			if _, err := s.RefundOrder(bg, Undo{OrderID: o.ID, PaymentID: p.ID, Amount: 100, Manager: manager,
				Now: reportClock(f.day2, 23, 0)}); err != nil {
				t.Fatal(err)
			}
		}, func(before, after Report) bool {
			return after.Refunds.Count == before.Refunds.Count+1 && after.Refunds.Amount == before.Refunds.Amount+100
		}},
	}
	before := first
	for _, st := range steps {
		if _, err := s.Report(bg, "T01", from, to); err != nil { // every day stored
			t.Fatal(err)
		}
		st.change()
		got, err := s.Report(bg, "T01", from, to)
		if err != nil {
			t.Fatal(err)
		}
		if !st.moved(before, got) {
			t.Errorf("%s: the report did not change as it should: before %+v\n\tafter %+v", st.name, before, got)
		}
		checkReport(t, st.name, got, freshReport(t, s, from, to))
		before = got
	}
}

// TestForgettingReportDaysUsesTheIndex: the statement a sale, void or
// refund runs to forget a stored day searches the key by a range of a day
// or two, never the terminal's every day.
func TestForgettingReportDaysUsesTheIndex(t *testing.T) {
	s := newTestStore(t)
	rec := &sqlRecorder{Interface: s.db.Logger}
	s.db.Logger = rec
	if err := s.write(bg, func(tx *gorm.DB) error { return forgetReportDays(tx, "T01", time.Now()) }); err != nil {
		t.Fatal(err)
	}
	var forget []string
	for _, sql := range rec.sqls {
		if strings.HasPrefix(sql, "DELETE FROM `report_days`") {
			forget = append(forget, sql)
		}
	}
	if len(forget) != 1 {
		t.Fatalf("statements: %q", rec.sqls)
	}
	var plan []struct {
		ID, Parent, Notused int
		Detail              string
	}
	if err := s.db.Raw("EXPLAIN QUERY PLAN " + forget[0]).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || !strings.Contains(plan[0].Detail, "day_start>? AND day_start<?") {
		t.Fatalf("plan of %s: %+v", forget[0], plan)
	}
}

// TestKeepReportDaysStoresTheLastDays: the background keeping stores the
// last whole days before now, not today; a report then reads them as the
// history says.
func TestKeepReportDaysStoresTheLastDays(t *testing.T) {
	f := newReportFixture(t)
	s := f.s
	now := reportClock(f.day2.AddDate(0, 0, 1), 9, 0)
	if err := s.KeepReportDays(bg, "T01", now, 3); err != nil {
		t.Fatal(err)
	}
	var starts []int64
	if err := s.db.Model(&ReportDay{}).Where("terminal_id = ?", "T01").Order("day_start").Pluck("day_start", &starts).Error; err != nil {
		t.Fatal(err)
	}
	want := []int64{f.day1.AddDate(0, 0, -1).Unix(), f.day1.Unix(), f.day2.Unix()}
	if !reflect.DeepEqual(starts, want) {
		t.Fatalf("days stored %v, want %v", starts, want)
	}
	// Again: nothing more to store.
	if err := s.KeepReportDays(bg, "T01", now, 3); err != nil || storedDays(t, s) != 3 {
		t.Fatalf("again: %d days, %v", storedDays(t, s), err)
	}
	got, err := s.Report(bg, "T01", f.day1, f.day2.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, "kept days", got, freshReport(t, s, f.day1, f.day2.AddDate(0, 0, 1)))
}
