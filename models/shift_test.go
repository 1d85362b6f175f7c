package models

import (
	"reflect"
	"testing"
	"time"
)

func TestDenominationsAndCashCount(t *testing.T) {
	var labels []string
	for _, d := range Denominations {
		labels = append(labels, d.Label())
	}
	want := []string{"¥100", "¥50", "¥20", "¥10", "¥5", "¥1", "¥1", "¥0.5", "¥0.1"}
	if !reflect.DeepEqual(labels, want) {
		t.Fatalf("labels %v", labels)
	}
	c := CashCount{1, 1, 1, 1, 1, 1, 1, 1, 1}
	if c.Total() != 10000+5000+2000+1000+500+100+100+50+10 {
		t.Fatalf("total %d", c.Total())
	}
	back, err := ParseCashCount(c.String())
	if err != nil || back != c {
		t.Fatalf("round trip %v %v", back, err)
	}
	if _, err := ParseCashCount("1,2"); err == nil {
		t.Fatal("short count parsed")
	}
	if err := CheckCashCount(CashCount{-1}); err == nil {
		t.Fatal("negative count accepted")
	}
	if !VarianceNeedsManager(-1001, 1000) || VarianceNeedsManager(1000, 1000) || !VarianceNeedsManager(1001, 1000) {
		t.Fatal("variance limit")
	}
}

// approveRequest journals request r and the host's approval of it.
func approveRequest(t *testing.T, s *Store, r *HostRequest, rrn string) {
	t.Helper()
	if err := s.RecordRequest(bg, r); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: rrn, AuthCode: "123456"}); err != nil {
		t.Fatal(err)
	}
}

// TestRunningTotalsMatchARecount: after a mixed sequence in one shift —
// cash, a card approved later, QR, a cash void, a card voided by the host,
// a partial cash refund, a partial card refund, a top-up, a balance
// payment, an order paid part from a balance and the rest by a card
// approved later, cash in and out — the shift's and the day's running totals give
// the same takings as a recount of the payments (TakingsBetween), and the
// drawer's expected cash follows.
func TestRunningTotalsMatchARecount(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	from := time.Now().Add(-time.Minute)
	float := CashCount{0, 2, 0, 5} // ¥150.00
	sh, err := s.OpenShift(bg, "T01", cashier, 0, &float, time.Time{})
	if err != nil || sh.Float != 15000 || sh.FloatCount == "" {
		t.Fatalf("open shift: %+v %v", sh, err)
	}
	if _, err := s.OpenShift(bg, "T01", cashier, 100, nil, time.Time{}); ErrorCode(err) != ECONFLICT {
		t.Fatalf("second shift on T01: %v", err)
	}

	cash := colaOrder(t, s, 2)
	if err := s.CommitSale(bg, cash, cashFor(cash, cash.Total), sc01); err != nil {
		t.Fatal(err)
	}
	card := colaOrder(t, s, 3)
	cardPay, cardReq := startCard(t, s, card)
	qr := colaOrder(t, s, 1)
	qrPay, err := s.StartPayment(bg, qr, Payment{Tender: TenderQR, Amount: qr.Total}, sc01)
	if err != nil {
		t.Fatal(err)
	}
	approveRequest(t, s, &HostRequest{TerminalID: "T01", Key: qrPay.Key, MTI: "0200", ProcCode: "000000", Amount: qrPay.Amount, Currency: CNY}, "000000000071")
	// The card's answer comes after the QR's.
	if err := s.RecordAnswer(bg, cardReq.ID, HostAnswer{Code: "00", RRN: "000000000070", AuthCode: "700000"}); err != nil {
		t.Fatal(err)
	}
	voided := colaOrder(t, s, 1)
	if err := s.CommitSale(bg, voided, cashFor(voided, voided.Total), sc01); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidOrder(bg, Undo{OrderID: voided.ID, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	card2 := colaOrder(t, s, 1)
	card2Pay, card2Req := startCard(t, s, card2)
	if err := s.RecordAnswer(bg, card2Req.ID, HostAnswer{Code: "00", RRN: "000000000072", AuthCode: "700002"}); err != nil {
		t.Fatal(err)
	}
	approveRequest(t, s, &HostRequest{TerminalID: "T01", Key: card2.Number + "-V1", Original: card2Pay.Key, MTI: "0200",
		ProcCode: "020000", Amount: card2.Total, Currency: CNY}, "000000000073")
	if _, err := s.RefundOrder(bg, Undo{OrderID: cash.ID, PaymentID: cash.Payments[0].ID, Amount: 300, Manager: manager}); err != nil {
		t.Fatal(err)
	}
	approveRequest(t, s, &HostRequest{TerminalID: "T01", Key: card.Number + "-R1", Original: cardPay.Key, MTI: "0200",
		ProcCode: "200000", Amount: 200, Currency: CNY}, "000000000074")
	m := memberWith(t, s, 20000) // a top-up, in cash
	bal := colaOrder(t, s, 1)
	if err := s.PayFromBalance(bg, bal, m.ID, bal.Total, sc01); err != nil {
		t.Fatal(err)
	}
	// Part from the balance, the rest by a card approved later: the
	// balance part counts when the card completes the sale.
	split := colaOrder(t, s, 2)
	if err := s.PayFromBalance(bg, split, m.ID, 200, sc01); err != nil {
		t.Fatal(err)
	}
	if x, _ := s.XReport(bg, "T01"); x.Figures.Sales != 7 {
		t.Fatalf("an order awaiting its card counted already: %+v", x.Figures)
	}
	splitPay, err := s.StartPayment(bg, split, Payment{Tender: TenderCard, Amount: split.Due(), MaskedPAN: "**** **** **** 4321"}, sc01)
	if err != nil {
		t.Fatal(err)
	}
	approveRequest(t, s, &HostRequest{TerminalID: "T01", Key: splitPay.Key, MTI: "0200", ProcCode: "000000", Amount: splitPay.Amount, Currency: CNY}, "000000000075")
	if _, err := s.MoveCash(bg, "T01", cashier, CashOut, 500, "milk for the coffee", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveCash(bg, "T01", cashier, CashIn, 1000, "change from the bank", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveCash(bg, "T01", cashier, CashOut, 500, "  ", time.Time{}); ErrorCode(err) != EINVALID {
		t.Fatalf("cash out without a reason: %v", err)
	}

	recount, err := s.TakingsBetween(bg, "T01", from, time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.XReport(bg, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Figures.Takings(); !reflect.DeepEqual(got, recount) {
		t.Fatalf("shift's running takings\n%+v\nrecount\n%+v", got, recount)
	}
	day, err := s.DayStatus(bg, "T01")
	if err != nil {
		t.Fatal(err)
	}
	if got := day.Figures.Takings(); !reflect.DeepEqual(got, recount) {
		t.Fatalf("day's running takings\n%+v\nrecount\n%+v", got, recount)
	}
	f := x.Figures
	if f.VoidCount != 2 || f.VoidAmount != voided.Total+card2.Total || f.RefundCount != 2 || f.RefundAmount != 500 ||
		f.CashOutCount != 1 || f.CashOutAmount != 500 || f.CashInAmount != 1000 || f.Sales != 8 || f.BalanceCount != 2 {
		t.Fatalf("voids, refunds, cash moves, sales: %+v", f)
	}
	var cashTaken int64
	for _, tt := range recount.Tenders {
		if tt.Tender == TenderCash {
			cashTaken = tt.Amount
		}
	}
	if want := 15000 + cashTaken + 1000 - 500; x.Expected != want || cashTaken != cash.Total-300+20000 {
		t.Fatalf("expected cash %d, want %d (cash taken %d)", x.Expected, want, cashTaken)
	}
	if n := count(t, s, &CashMove{}); n != 2 {
		t.Fatalf("%d cash moves stored", n)
	}
	if entries, _ := s.AuditEntries(bg, ActionCashOut); len(entries) != 1 || entries[0].Detail != "amount=500 reason=milk for the coffee" {
		t.Fatalf("cash out audit: %+v", entries)
	}
}

// TestLateApprovalCountsInTheShiftItArrivesIn: a card payment started in
// one shift and approved in the next counts in the next (the sale is
// completed then), and in the open day.
func TestLateApprovalCountsInTheShiftItArrivesIn(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	if _, err := s.OpenShift(bg, "T01", cashier, 10000, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	o := colaOrder(t, s, 2)
	_, r := startCard(t, s, o)
	first, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: cashier, Count: CashCount{1}})
	if err != nil || first.Shift.Variance != 0 || first.Figures.CardCount != 0 {
		t.Fatalf("close first shift: %+v %v", first, err)
	}
	if _, err := s.OpenShift(bg, "T01", cashier, 10000, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000080", AuthCode: "800000"}); err != nil {
		t.Fatal(err)
	}
	x, err := s.XReport(bg, "T01")
	if err != nil || x.Figures.CardCount != 1 || x.Figures.CardAmount != o.Total || x.Figures.Sales != 1 {
		t.Fatalf("second shift: %+v %v", x.Figures, err)
	}
	again, _ := s.ShiftByID(bg, first.Shift.ID)
	if again.Figures.CardCount != 0 || again.Shift.Open() {
		t.Fatalf("first shift after the approval: %+v", again)
	}
}

func TestCloseShiftVarianceNeedsManager(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	if _, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: cashier}); err != ErrNoShift {
		t.Fatalf("close with none open: %v", err)
	}
	if _, err := s.OpenShift(bg, "T01", cashier, 10000, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	sale := colaOrder(t, s, 2) // ¥7.00 cash
	if err := s.CommitSale(bg, sale, cashFor(sale, sale.Total), sc01); err != nil {
		t.Fatal(err)
	}
	short := CashCount{1, 0, 0, 0, 0, 0, 0, 0, 0} // ¥100.00 of ¥107.00: ¥7.00 short, within ¥10.00
	x, _ := s.XReport(bg, "T01")
	if x.Expected != 10700 || x.VarianceLimit != DefaultVarianceLimit {
		t.Fatalf("expected %d limit %d", x.Expected, x.VarianceLimit)
	}
	if err := s.SetSetting(bg, SettingVarianceLimit, "5.00"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: cashier, Count: short}); err != ErrVarianceManager {
		t.Fatalf("cashier closing ¥7.00 short over a ¥5.00 limit: %v", err)
	}
	if _, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: cashier, Manager: cashier, Count: short}); err == nil {
		t.Fatal("a cashier approved their own variance")
	}
	r, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: cashier, Manager: manager, Count: short})
	if err != nil || r.Shift.Variance != -700 || r.Shift.Counted != 10000 || r.Shift.ApprovedBy != manager.ID || r.Shift.Open() {
		t.Fatalf("approved close: %+v %v", r.Shift, err)
	}
	if n, _ := s.CountAudit(bg, ActionShiftOver); n != 1 {
		t.Fatalf("%d approvals audited", n)
	}
	if _, err := s.XReport(bg, "T01"); err != ErrNoShift {
		t.Fatalf("X report after the close: %v", err)
	}
	// A manager closes over the limit alone; the next shift starts at zero.
	if _, err := s.OpenShift(bg, "T01", manager, 0, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if x, _ := s.XReport(bg, "T01"); !x.Figures.IsZero() {
		t.Fatalf("new shift's figures %+v", x.Figures)
	}
	if r, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: manager, Count: CashCount{1}}); err != nil || r.Shift.ApprovedBy != 0 || r.Shift.Variance != 10000 {
		t.Fatalf("manager's close: %+v %v", r.Shift, err)
	}
}

func TestZReportNumberedUnchangeableWithHeadAndSettlement(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	sale := colaOrder(t, s, 2)
	if err := s.CommitSale(bg, sale, cashFor(sale, sale.Total), sc01); err != nil {
		t.Fatal(err)
	}
	open := colaOrder(t, s, 1)
	startCard(t, s, open) // left awaiting
	if _, err := s.CloseBatch(bg, "T01", 1, BatchTotals{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(bg, "T01", cashier, time.Time{}); !IsDenied(err) && ErrorCode(err) != EINVALID {
		t.Fatalf("cashier's close of day: %v", err)
	}
	if _, err := s.OpenShift(bg, "T01", cashier, 0, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(bg, "T01", manager, time.Time{}); err != ErrShiftStillOpen {
		t.Fatalf("close of day with a shift open: %v", err)
	}
	if _, err := s.CloseShift(bg, ShiftClose{TerminalID: "T01", Operator: manager}); err != nil {
		t.Fatal(err)
	}
	st, err := s.DayStatus(bg, "T01")
	if err != nil || st.Number != 1 || st.OpenCount != 1 || len(st.OpenOrders) != 1 || st.OpenOrders[0].ID != open.ID ||
		st.PendingOutbox != 1 || st.SettledBatch != 1 || st.ShiftOpen {
		t.Fatalf("day status: %+v %v", st, err)
	}
	z1, err := s.CloseDay(bg, "T01", manager, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	seq, hash, _ := s.AuditHeadNow(bg)
	if z1.Number != 1 || z1.AuditSeq != seq || z1.AuditHash != hash || z1.CashAmount != sale.Total || z1.Sales != 1 ||
		z1.OpenOrders != 1 || z1.PendingOutbox != 1 || z1.SettledBatch != 1 || z1.SettledAt == nil {
		t.Fatalf("Z 1: %+v", z1)
	}
	z2, err := s.CloseDay(bg, "T01", manager, time.Time{})
	if err != nil || z2.Number != 2 || !z2.Figures.IsZero() || z2.SettledBatch != 0 || !z2.Since.Equal(z1.TakenAt) {
		t.Fatalf("Z 2: %+v %v", z2, err)
	}
	if other, err := s.CloseDay(bg, "T02", manager, time.Time{}); err != nil || other.Number != 1 {
		t.Fatalf("T02's first Z: %+v %v", other, err)
	}
	if err := s.db.Exec("UPDATE z_reports SET cash_amount = 0 WHERE number = 1").Error; err == nil {
		t.Fatal("a Z report was updated")
	}
	if err := s.db.Exec("DELETE FROM z_reports WHERE number = 2").Error; err == nil {
		t.Fatal("a Z report was deleted")
	}
	got, err := s.ZReportByNumber(bg, "T01", 1)
	if err != nil || got.CashAmount != sale.Total {
		t.Fatalf("Z 1 read back: %+v %v", got, err)
	}
	if last, err := s.LastZReport(bg, "T01"); err != nil || last.Number != 2 {
		t.Fatalf("last Z: %+v %v", last, err)
	}
	if check, err := s.VerifyAudit(bg, nil); err != nil || check.Break != nil {
		t.Fatalf("audit chain after closes: %+v %v", check, err)
	}
}

func TestVarianceLimitSetByWhoMayCloseTheDay(t *testing.T) {
	s := newTestStore(t)
	onStaff(t, s, cashier, manager)
	if v, err := s.VarianceLimit(bg); err != nil || v != DefaultVarianceLimit {
		t.Fatalf("default limit %d %v", v, err)
	}
	if err := s.SetVarianceLimit(bg, 500, cashier); !IsDenied(err) {
		t.Fatalf("a cashier set the limit: %v", err)
	}
	if err := s.SetVarianceLimit(bg, 500, manager); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.VarianceLimit(bg); v != 500 {
		t.Fatalf("limit %d", v)
	}
}
