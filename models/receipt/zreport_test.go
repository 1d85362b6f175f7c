package receipt

import (
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

func en(key, fallback string, data ...any) string { return fallback }

func slipText(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Left + "|" + r.Right + "\n")
	}
	return b.String()
}

func TestZSlipCarriesFiguresHeadAndCopyMark(t *testing.T) {
	at := time.Date(2026, 3, 14, 22, 0, 0, 0, time.Local)
	z := models.ZReport{TerminalID: "T01", Number: 7, TakenAt: at, TakenByName: "店长",
		Figures: models.Figures{Sales: 3, CashCount: 2, CashAmount: 1400, CardCount: 1, CardAmount: 1200,
			TopUpCashN: 1, TopUpCash: 20000, VoidCount: 1, VoidAmount: 350, CashOutCount: 1, CashOutAmount: 500},
		AuditSeq: 42, AuditHash: strings.Repeat("ab", 32), SettledBatch: 3, SettledAt: &at, SettledDetail: "sales=1:1200 refunds=0:0",
		OpenOrders: 1, PendingOutbox: 2}
	orig := slipText(BuildZSlip(z, false, models.CNY, Shop{Name: "小店"}, en))
	for _, want := range []string{"Z REPORT|", "Z no.|T01-Z0007", "Cash 3|¥214.00", "Card 1|¥12.00", "of which top-ups 1|¥200.00",
		"Voids 1|¥3.50", "Cash out 1|¥5.00", "Orders awaiting payment|1", "Payments not yet reported|2", "Batch|000003",
		"Audit trail|#42", strings.Repeat("ab", 16) + "|"} {
		if !strings.Contains(orig, want) {
			t.Errorf("Z slip lacks %q:\n%s", want, orig)
		}
	}
	if strings.Contains(orig, "COPY") {
		t.Error("the original is marked COPY")
	}
	reprint := BuildZSlip(z, true, models.CNY, Shop{Name: "小店"}, en)
	if strings.Count(slipText(reprint), "COPY|") != 2 {
		t.Errorf("a reprint is marked COPY top and bottom:\n%s", slipText(reprint))
	}
}

func TestShiftSlipShowsCountAndVariance(t *testing.T) {
	at := time.Date(2026, 3, 14, 22, 0, 0, 0, time.Local)
	count := models.CashCount{1, 0, 0, 0, 0, 0, 3, 1}
	r := models.ShiftReport{Shift: models.Shift{ID: 4, TerminalID: "T01", OpenedAt: at, Float: 10000, ClosedAt: &at,
		Counted: count.Total(), CountedCash: count.String(), Variance: count.Total() - 10700}, Expected: 10700,
		Figures: models.Figures{Sales: 1, CashCount: 1, CashAmount: 700}}
	text := slipText(BuildShiftSlip(r, models.CNY, Shop{}, en))
	for _, want := range []string{"SHIFT CLOSE|", "Expected cash|¥107.00", "Counted|¥103.50", "Variance|-¥3.50", "¥1 coin × 3|¥3.00", "¥0.5 coin × 1|¥0.50"} {
		if !strings.Contains(text, want) {
			t.Errorf("shift slip lacks %q:\n%s", want, text)
		}
	}
}
