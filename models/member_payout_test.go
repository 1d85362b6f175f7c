package models

import (
	"strings"
	"testing"
	"time"
)

func TestPayOutMember(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	m := memberWith(t, s, 5000)

	// The membership cannot end with money on the balance.
	if _, err := s.RemoveMember(bg, m.ID, manager, "T01"); errorKey(err) != "error.member.has_balance" {
		t.Fatalf("removal with a balance: %v", err)
	}
	// The cash comes out of the drawer: a shift must be open.
	if _, err := s.PayOutMember(bg, m.ID, manager, "T01", time.Time{}); err != ErrNoShift {
		t.Fatalf("payout with no shift open: %v", err)
	}
	sh, err := s.OpenShift(bg, "T01", cashier, 10000, nil, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.XReport(bg, "T01")
	if err != nil {
		t.Fatal(err)
	}
	// A cashier may not pay out, whatever screen asks the store.
	if _, err := s.PayOutMember(bg, m.ID, cashier, "T01", time.Time{}); !IsDenied(err) {
		t.Fatalf("a cashier's payout: %v", err)
	}
	if b := balanceOf(t, s, m.ID); b != 5000 {
		t.Fatalf("balance after refusals %d", b)
	}
	var moves int64
	s.db.Model(&CashMove{}).Count(&moves)
	if moves != 0 {
		t.Fatalf("%d cash moves after refusals", moves)
	}

	at := time.Now().Add(-time.Minute).Round(time.Second)
	p, err := s.PayOutMember(bg, m.ID, manager, "T01", at)
	if err != nil {
		t.Fatal(err)
	}
	if p.Amount != 5000 || p.MemberID != m.ID || p.Member != "张* 138****5678" || p.OperatorName != manager.Name ||
		p.TerminalID != "T01" || !p.At.Equal(at) || p.ShiftID != sh.ID || p.EntryID == 0 || p.CashMoveID == 0 {
		t.Fatalf("payout %+v", p)
	}
	if b := balanceOf(t, s, m.ID); b != 0 {
		t.Fatalf("balance after the payout %d", b)
	}
	es, err := s.MemberEntries(bg, m.ID)
	if err != nil || len(es) == 0 {
		t.Fatal(es, err)
	}
	if e := es[0]; e.ID != p.EntryID || e.Kind != "payout" || e.Amount != -5000 || e.Balance != 0 || e.OperatorID != manager.ID {
		t.Fatalf("payout entry %+v", e)
	}
	var cm CashMove
	if err := s.db.First(&cm, p.CashMoveID).Error; err != nil {
		t.Fatal(err)
	}
	if cm.Kind != CashOut || cm.Amount != 5000 || cm.ShiftID != sh.ID || cm.Reason == "" || cm.OperatorID != manager.ID {
		t.Fatalf("cash move %+v", cm)
	}
	x, err := s.XReport(bg, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if x.Expected != before.Expected-5000 || x.Figures.CashOutCount != 1 || x.Figures.CashOutAmount != 5000 {
		t.Fatalf("X report before %d, after %d %+v", before.Expected, x.Expected, x.Figures)
	}
	if n, _ := s.CountAudit(bg, ActionMemberPayout); n != 1 {
		t.Fatalf("%d payouts audited", n)
	}
	// Nothing is left to pay out; the membership now ends.
	if _, err := s.PayOutMember(bg, m.ID, manager, "T01", time.Time{}); errorKey(err) != "error.member.no_balance" || ErrorCode(err) != ECONFLICT {
		t.Fatalf("second payout: %v", err)
	}
	if _, err := s.RemoveMember(bg, m.ID, manager, "T01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PayOutMember(bg, m.ID, manager, "T01", time.Time{}); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("payout of an ended membership: %v", err)
	}
	if n, _ := s.CountAudit(bg, ActionMemberPayout); n != 1 {
		t.Fatalf("%d payouts audited after refusals", n)
	}
}

// TestMemberReport checks every figure of a hand-computed fixture over a
// period of a day, and that every row adds up.
func TestMemberReport(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	now := time.Now().Round(time.Second)
	from, to := now.Add(-24*time.Hour), now.Add(time.Hour)
	add := func(name, phone string) Member {
		t.Helper()
		m, err := s.AddMember(bg, name, phone, cashier, "T01")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	topUp := func(m Member, amount int64, at time.Time) *Order {
		t.Helper()
		o, err := NewTopUpOrder(CNY, m, amount)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CommitSale(bg, o, cashFor(o, amount), SaleContext{TerminalID: "T01", Operator: cashier, Now: at}); err != nil {
			t.Fatal(err)
		}
		return o
	}
	pay := func(m Member, colas int64, at time.Time) *Order {
		t.Helper()
		o := colaOrder(t, s, colas)
		if err := s.PayFromBalance(bg, o, m.ID, o.Total, SaleContext{TerminalID: "T01", Operator: cashier, Now: at}); err != nil {
			t.Fatal(err)
		}
		return o
	}
	h := func(n int) time.Time { return now.Add(time.Duration(n) * time.Hour) }

	// Alice: ¥100 before the period; in it a ¥50 top-up, ¥7 paid and
	// voided, ¥10.50 paid and ¥3 of it refunded.
	alice := add("Alice", "13800000001")
	topUp(alice, 10000, h(-48))
	topUp(alice, 5000, h(-23))
	voided := pay(alice, 2, h(-22))
	if voided.Total != 700 {
		t.Fatalf("two colas cost %d", voided.Total)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: voided.ID, Manager: manager, Now: h(-21)}); err != nil {
		t.Fatal(err)
	}
	refunded := pay(alice, 3, h(-20))
	if _, err := s.RefundOrder(bg, Undo{OrderID: refunded.ID, PaymentID: refunded.Payments[0].ID, Amount: 300, Manager: manager, Now: h(-19)}); err != nil {
		t.Fatal(err)
	}
	// Carol: ¥30 before the period, nothing in it.
	carol := add("Carol", "13800000003")
	topUp(carol, 3000, h(-48))
	// Dave: topped up and spent all before the period: not in the report.
	dave := add("Dave", "13800000004")
	topUp(dave, 700, h(-48))
	pay(dave, 2, h(-47))
	// Eve: ¥40 in the period, ¥10 more after it.
	eve := add("Eve", "13800000005")
	topUp(eve, 4000, h(-10))
	// Fay: a ¥10 top-up voided in the period.
	fay := add("Fay", "13800000006")
	fayTop := topUp(fay, 1000, h(-9))
	if _, err := s.VoidOrder(bg, Undo{OrderID: fayTop.ID, Manager: manager, Now: h(-8)}); err != nil {
		t.Fatal(err)
	}
	// Bob: an ¥80 opening balance brought in (now), paid out in cash.
	bob := add("Bob", "13800000002")
	if err := s.OpeningBalance(bg, bob.ID, 8000, manager, "T01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenShift(bg, "T01", cashier, 0, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PayOutMember(bg, bob.ID, manager, "T01", time.Now()); err != nil {
		t.Fatal(err)
	}
	topUp(eve, 1000, h(2))

	rep, err := s.MemberReport(bg, from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := []MemberReportRow{
		{MemberID: alice.ID, Name: "Alice", Opening: 10000, TopUps: 5000, Spent: 750, Closing: 14250},
		{MemberID: eve.ID, Name: "Eve", TopUps: 4000, Closing: 4000},
		{MemberID: carol.ID, Name: "Carol", Opening: 3000, Closing: 3000},
		{MemberID: bob.ID, Name: "Bob", PaidOut: 8000, Other: 8000},
		{MemberID: fay.ID, Name: "Fay"},
	}
	if len(rep.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rep.Rows), len(want), rep.Rows)
	}
	for i, w := range want {
		g := rep.Rows[i]
		g.Phone, g.Active = "", false
		if g != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, g, w)
		}
		if !rep.Rows[i].Balanced() {
			t.Errorf("row %d does not add up: %+v", i, rep.Rows[i])
		}
	}
	total := MemberReportRow{Opening: 13000, TopUps: 9000, Spent: 750, PaidOut: 8000, Other: 8000, Closing: 21250}
	if rep.Total != total || !rep.Total.Balanced() {
		t.Errorf("total %+v, want %+v", rep.Total, total)
	}
	// Closing is the balance at the end of the period: Eve's ¥10 after
	// it is in the next period's top-ups and her balance now.
	if b := balanceOf(t, s, eve.ID); b != 5000 {
		t.Fatalf("Eve's balance now %d", b)
	}
	later, err := s.MemberReport(bg, to, to.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range later.Rows {
		if r.MemberID == eve.ID && (r.Opening != 4000 || r.TopUps != 1000 || r.Closing != 5000) {
			t.Errorf("Eve the next day: %+v", r)
		}
		if r.MemberID == bob.ID || r.MemberID == dave.ID || r.MemberID == fay.ID {
			t.Errorf("a member with no balance and no moves: %+v", r)
		}
		if !r.Balanced() {
			t.Errorf("does not add up: %+v", r)
		}
	}
	if len(later.Rows) != 3 {
		t.Errorf("the next day: %+v", later.Rows)
	}
	if _, err := s.MemberReport(bg, to, from); ErrorCode(err) != EINVALID {
		t.Fatalf("a period ending before it starts: %v", err)
	}
}

// TestMemberReportReadsByIndex: a member's balance at a time is one seek
// on the index of member and time, and the period's moves a range of the
// index of time, not a walk through the history.
func TestMemberReportReadsByIndex(t *testing.T) {
	s := newTestStore(t)
	plan := func(query string, args ...any) string {
		t.Helper()
		var rows []struct{ Detail string }
		if err := s.db.Raw("EXPLAIN QUERY PLAN "+query, args...).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(r.Detail + "\n")
		}
		return b.String()
	}
	at := time.Now()
	if p := plan(`SELECT e.balance FROM member_entries e WHERE e.member_id = ? AND e.at < ? ORDER BY e.at DESC, e.id DESC LIMIT 1`, 1, at); !strings.Contains(p, "idx_member_entries_member_at (member_id=? AND at<?)") {
		t.Errorf("a member's balance at a time:\n%s", p)
	}
	if p := plan(`SELECT member_id, kind, SUM(amount) FROM member_entries WHERE at >= ? AND at < ? GROUP BY member_id, kind`, at, at); !strings.Contains(p, "idx_member_entries_at (at>? AND at<?)") {
		t.Errorf("the period's moves:\n%s", p)
	}
}
