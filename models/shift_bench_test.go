package models

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkZClose takes a Z report (after a sale, so that the day has
// figures) on a history of 10,000 orders and payments (the baseline) and of
// 1,000,000: the close reads the day's running totals, one row, so it
// should cost the same at both sizes.
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
				b.StartTimer()
				z, err := s.CloseDay(bg, "T01", mgr, time.Time{})
				if err != nil || z.Sales != 1 {
					b.Fatalf("Z: %+v %v", z, err)
				}
			}
		})
	}
}
