package models

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkReport reads the report of the last full day, and of the 30
// days ending with it, over a history of 10,000 orders and payments (the
// baseline) and of 1,000,000 (historyStore): the cost follows the
// period's days, not the history's length; each should be under 100 ms.
// A report reads the whole days it read before from their stored rows
// (ReportDay); "cold" forgets them before each read, so it reads every day
// from the history and stores it: what the first report after a day ends
// costs.
func BenchmarkReport(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		s := historyStore(b, n)
		lastDay := historyAt(n - 1)
		lastDay = time.Date(lastDay.Year(), lastDay.Month(), lastDay.Day(), 0, 0, 0, 0, time.Local).AddDate(0, 0, -1)
		end := lastDay.AddDate(0, 0, 1)
		for _, p := range []struct {
			name string
			from time.Time
			cold bool
		}{{"day", lastDay, false}, {"30days", end.AddDate(0, 0, -30), false}, {"30days-cold", end.AddDate(0, 0, -30), true}} {
			want, wantPrior := historyOrdersIn(n, p.from, end), historyOrdersIn(n, p.from.AddDate(0, 0, -7), end.AddDate(0, 0, -7))
			read := func(b *testing.B) {
				r, err := s.Report(bg, "T01", p.from, end)
				if err != nil {
					b.Fatal(err)
				}
				if r.Orders != want || r.Prior.Orders != wantPrior {
					b.Fatalf("%d orders, %d the week before, want %d and %d", r.Orders, r.Prior.Orders, want, wantPrior)
				}
			}
			b.Run(fmt.Sprintf("payments=%d/%s", n, p.name), func(b *testing.B) {
				read(b)
				for b.Loop() {
					if p.cold {
						b.StopTimer()
						if err := s.db.Exec("DELETE FROM report_days").Error; err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					read(b)
				}
			})
		}
		s.Close()
	}
}

// historyOrdersIn is how many of a filled history's n orders were paid in
// [from, to) (a history of 10,000 orders is 12 days long).
func historyOrdersIn(n int, from, to time.Time) int {
	got := 0
	for i := 0; i < n; i++ {
		if at := historyAt(i); !at.Before(from) && at.Before(to) {
			got++
		}
	}
	return got
}
