package models

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm/logger"
)

// historyStart is when a filled history's first order was sold.
var historyStart = time.Date(2023, 1, 1, 9, 0, 0, 0, time.Local)

// historyPerDay is how many orders a filled history has a day: a busy shop.
const historyPerDay = 800

// historyAt is when the i-th order of a filled history was sold: 800 a day
// between 09:00 and 21:00.
func historyAt(i int) time.Time {
	day, n := i/historyPerDay, i%historyPerDay
	return historyStart.AddDate(0, 0, day).Add(time.Duration(n) * 12 * time.Hour / historyPerDay)
}

// historyTotal is the i-th order's total: ¥1.00 to ¥200.99, spread.
func historyTotal(i int) int64 { return 100 + int64(i*7919)%20000 }

// historyLastFour is the last four digits of the card that paid the i-th
// order, when a card did (i%10 < 3).
func historyLastFour(i int) string { return fmt.Sprintf("%04d", (i*7)%10000) }

// fillHistory writes n paid orders of one line and one payment each (cash,
// card or QR) into s for terminal T01, 800 a day from historyStart, with
// raw multi-row inserts in one transaction, and moves the order sequence
// past them, as a terminal that sold for years would have it.
func fillHistory(tb testing.TB, s *Store, n int) {
	tb.Helper()
	tx := s.db.Begin()
	fail := func(err error) {
		tx.Rollback()
		tb.Fatal(err)
	}
	const rows = 400
	for done := 0; done < n; done += rows {
		var orders, lines, pays strings.Builder
		orders.WriteString(`INSERT INTO orders(id, number, terminal_id, seq, status, operator_id, operator_name, currency, tax_mode,
			discount_kind, discount_value, subtotal, discount_total, tax_total, total, line_count, batch, created_at, paid_at) VALUES`)
		lines.WriteString(`INSERT INTO order_lines(order_id, line_no, product_id, sku, name, name_en, unit, unit_en, weighed,
			unit_price, qty, tax_rate_bp, discount_kind, discount_value, gross, line_discount, order_discount, net, tax) VALUES`)
		pays.WriteString(`INSERT INTO payments(order_id, tender, status, currency, amount, tendered, change, reference,
			masked_pan, last_four, scheme, key, created_at) VALUES`)
		var oa, la, pa []any
		for i := done; i < done+rows && i < n; i++ {
			if i > done {
				orders.WriteByte(',')
				lines.WriteByte(',')
				pays.WriteByte(',')
			}
			orders.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
			lines.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
			pays.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?)")
			id, seq, at, total := i+1, int64(i+1), historyAt(i), historyTotal(i)
			number := OrderNumber("T01", seq)
			tax := total * 1300 / 11300
			oa = append(oa, id, number, "T01", seq, OrderPaid, cashier.ID, cashier.Name, CNY, TaxInclusive,
				"", 0, total, 0, tax, total, 1, 1+i/historyPerDay, at, at)
			la = append(la, id, 1, 1, "6901234567892", "可口可乐", "Coca-Cola", "瓶", "bottle", false,
				total, int64(Units(1)), 1300, "", 0, total, 0, 0, total, tax)
			tender, masked, last, scheme, key := TenderCash, "", "", "", ""
			switch {
			case i%10 < 3:
				last = historyLastFour(i)
				tender, masked, scheme, key = TenderCard, MaskCardNumber("621234000000"+last), "unionpay", number+"-P1"
			case i%10 < 5:
				tender, masked, scheme, key = TenderQR, "2845************1234", "alipay", number+"-P1"
			}
			pa = append(pa, id, tender, PaymentApproved, CNY, total, total, 0, "", masked, last, scheme, key, at)
		}
		for _, q := range []struct {
			sql  *strings.Builder
			args []any
		}{{&orders, oa}, {&lines, la}, {&pays, pa}} {
			if err := tx.Exec(q.sql.String(), q.args...).Error; err != nil {
				fail(err)
			}
		}
	}
	if err := tx.Exec(`INSERT INTO sequences(name, next) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET next = excluded.next`,
		"order:T01", n+1).Error; err != nil {
		fail(err)
	}
	if err := tx.Commit().Error; err != nil {
		tb.Fatal(err)
	}
}

// historyStore is a test store (newTestStore) with n orders of history
// (fillHistory). A filled file is kept in the system's temporary folder,
// named by the schema's version, and copied for each use: filling a
// million orders takes a minute, copying it a second.
func historyStore(tb testing.TB, n int) *Store {
	tb.Helper()
	cache := filepath.Join(os.TempDir(), fmt.Sprintf("till-history-v%d-%d.db", SchemaVersion(), n))
	if _, err := os.Stat(cache); err != nil {
		s := newTestStore(tb)
		fillHistory(tb, s, n)
		path := s.Path()
		if err := s.Close(); err != nil {
			tb.Fatal(err)
		}
		if err := copyFile(path, cache+".part"); err != nil {
			tb.Fatal(err)
		}
		if err := os.Rename(cache+".part", cache); err != nil {
			tb.Fatal(err)
		}
	}
	path := filepath.Join(tb.TempDir(), "till.db")
	if err := copyFile(cache, path); err != nil {
		tb.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// copyFile copies the file at from to a new file at to, synced.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// On the disk before it is used: otherwise the first checkpoint's
	// fsync writes the whole copy, and a commit benchmark measures that.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// historyQueries are the queries a cashier or an owner runs against the
// history of a store filled with n orders (fillHistory): the Orders
// screen's day, a search by number, by amount and by a card's last four
// digits over a year, and the day end's takings.
func historyQueries(n int) []struct {
	name string
	run  func(s *Store) (int, error)
} {
	// The last full day of the history, and the year before its end.
	lastDay := historyAt(n - 1).Truncate(24 * time.Hour)
	lastDay = time.Date(lastDay.Year(), lastDay.Month(), lastDay.Day(), 0, 0, 0, 0, time.Local).AddDate(0, 0, -1)
	end := lastDay.AddDate(0, 0, 1)
	yearAgo := end.AddDate(-1, 0, 0)
	mid := n - min(n/2, historyPerDay*30) // an order of a month ago, or of the history's middle
	find := func(from, to time.Time, text string) func(s *Store) (int, error) {
		return func(s *Store) (int, error) {
			got, err := s.FindOrders(bg, "T01", from, to, text, 200)
			return len(got), err
		}
	}
	return []struct {
		name string
		run  func(s *Store) (int, error)
	}{
		{"day", find(lastDay, end, "")},
		{"number", find(yearAgo, end, OrderNumber("T01", int64(mid+1)))},
		{"amount_year", find(yearAgo, end, FormatMinor(historyTotal(mid)))},
		{"last_four_year", find(yearAgo, end, historyLastFour(mid-mid%10))},
		{"day_end", func(s *Store) (int, error) {
			t, err := s.TakingsBetween(bg, "T01", lastDay, end)
			return len(t.Tenders), err
		}},
	}
}

// BenchmarkHistoryQueries runs each query of historyQueries over a history
// of 10,000 orders (the baseline) and of 1,000,000 orders and payments;
// the times should be the same, and each under 50 ms.
func BenchmarkHistoryQueries(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		s := historyStore(b, n)
		for _, q := range historyQueries(n) {
			b.Run(fmt.Sprintf("payments=%d/%s", n, q.name), func(b *testing.B) {
				for b.Loop() {
					got, err := q.run(s)
					if err != nil || got == 0 {
						b.Fatalf("%s: %d found, %v", q.name, got, err)
					}
				}
			})
		}
		s.Close()
	}
}

// BenchmarkSaleCommitHistory commits BenchmarkSaleCommit's sale on an
// empty store (the baseline) and on one with 1,000,000 orders and
// payments: the commit should cost the same, within 1.2×.
func BenchmarkSaleCommitHistory(b *testing.B) {
	for _, n := range []int{0, 1_000_000} {
		b.Run(fmt.Sprintf("payments=%d", n), func(b *testing.B) {
			var s *Store
			if n == 0 {
				s = newTestStore(b)
			} else {
				s = historyStore(b, n)
			}
			tmpl := benchOrder(b, s)
			sc := SaleContext{TerminalID: "T01", Operator: cashier}
			for b.Loop() {
				o := *tmpl
				o.Lines = append([]OrderLine(nil), tmpl.Lines...)
				if err := s.CommitSale(bg, &o, cashFor(&o, o.Total), sc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// sqlRecorder is a gorm logger that keeps every statement run.
type sqlRecorder struct {
	logger.Interface
	mu   sync.Mutex
	sqls []string
}

func (r *sqlRecorder) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	sql, _ := fc()
	r.mu.Lock()
	r.sqls = append(r.sqls, sql)
	r.mu.Unlock()
}

// fullScan matches a query plan's step that walks a whole table of the
// history (or an alias of one) rather than searching an index.
var fullScan = regexp.MustCompile(`\bSCAN (orders|payments|order_lines|o|p)\b`)

// indexSearch is a plan step's search of an index and its constraint.
var indexSearch = regexp.MustCompile(`USING (?:COVERING )?INDEX \w+ \(([^)]*)\)`)

// historyWalk says what part of the history a plan step walks: "terminal"
// when it searches by the terminal alone (all of its history), "range"
// when by the terminal and a range of dates (created or paid), "" when by
// a key.
func historyWalk(detail string) string {
	m := indexSearch.FindStringSubmatch(detail)
	if m == nil {
		return ""
	}
	walk := "terminal"
	for _, term := range strings.Split(m[1], " AND ") {
		switch {
		case strings.HasPrefix(term, "terminal_id="):
		case strings.HasPrefix(term, "created_at>"), strings.HasPrefix(term, "created_at<"),
			strings.HasPrefix(term, "paid_at>"), strings.HasPrefix(term, "paid_at<"):
			walk = "range"
		default:
			return ""
		}
	}
	return walk
}

// TestHistoryQueriesUseIndexes runs the queries of historyQueries and reads
// SQLite's plan of every statement they ran: each must search an index,
// none may walk the orders or payments, or the cost would grow with the
// history (BenchmarkHistoryQueries measures it): no step walks the whole
// table, nor all of the terminal's orders, and only the day's own queries
// walk a range of dates.
func TestHistoryQueriesUseIndexes(t *testing.T) {
	s := newTestStore(t)
	const n = 3 * historyPerDay
	fillHistory(t, s, n)
	rec := &sqlRecorder{Interface: s.db.Logger}
	s.db.Logger = rec
	for _, q := range historyQueries(n) {
		// Only the day's own queries may walk a range of dates; a search
		// starts from what it looks for.
		dayRange := q.name == "day" || q.name == "day_end"
		rec.sqls = nil
		got, err := q.run(s)
		if err != nil || got == 0 {
			t.Fatalf("%s: %d found, %v", q.name, got, err)
		}
		checkPlans(t, s, q.name, rec.sqls, dayRange)
	}
}

// checkPlans reads SQLite's plan of each of sqls, the statements query
// name ran: no step may walk a whole table of the history, nor all of the
// terminal's orders, and a range of dates only when dayRange.
func checkPlans(t *testing.T, s *Store, name string, sqls []string, dayRange bool) {
	t.Helper()
	for _, sql := range sqls {
		var plan []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := s.db.Raw("EXPLAIN QUERY PLAN " + sql).Scan(&plan).Error; err != nil {
			t.Fatalf("%s: plan of %s: %v", name, sql, err)
		}
		for _, step := range plan {
			if testing.Verbose() {
				t.Logf("%s: %s", name, step.Detail)
			}
			if fullScan.MatchString(step.Detail) {
				t.Errorf("%s walks a table (%s):\n%s", name, step.Detail, sql)
			}
			if walk := historyWalk(step.Detail); walk != "" && (walk == "terminal" || !dayRange) {
				t.Errorf("%s walks the %s's history (%s):\n%s", name, walk, step.Detail, sql)
			}
		}
	}
}
