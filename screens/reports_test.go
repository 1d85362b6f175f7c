package screens

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
)

// fakeReports returns rep for every period asked, and records the asks.
type fakeReports struct {
	rep  models.Report
	asks [][2]time.Time
	by   []string
}

func (f *fakeReports) Report(_ context.Context, by models.Operator, from, to time.Time) (models.Report, error) {
	f.asks = append(f.asks, [2]time.Time{from, to})
	f.by = append(f.by, by.Name)
	r := f.rep
	r.From, r.To = from, to
	return r, nil
}

// reportFixture is a day of a small shop: ¥450.00 net sales over 12
// orders, taken in cash, by UnionPay card and by Alipay, a member's
// balance spent, a refund and a void, beside a week before of ¥400.00.
func reportFixture() models.Report {
	r := models.Report{
		Orders: 12, Gross: 47000, Discounts: 2000, NetSales: 45000, Tax: 5177,
		Refunds: models.TenderTotal{Count: 1, Amount: 1500}, Voids: models.TenderTotal{Count: 1, Amount: 350},
		Takings: models.Takings{
			Tenders: []models.TenderTotal{{Tender: models.TenderCash, Count: 6, Amount: 20000},
				{Tender: models.TenderCard, Count: 3, Amount: 15000}, {Tender: models.TenderQR, Count: 2, Amount: 8000}},
			TopUps:       models.TenderTotal{Tender: "top_up", Count: 1, Amount: 10000},
			BalanceSpent: models.TenderTotal{Tender: models.TenderFingerprint, Count: 1, Amount: 2000},
		},
		Schemes: []models.SchemeTotal{{Tender: models.TenderCard, Scheme: "unionpay", Count: 3, Amount: 15000},
			{Tender: models.TenderQR, Scheme: "alipay", Count: 2, Amount: 8000}},
		Products: []models.ItemTotal{{ID: 1, Name: "可口可乐", NameEN: "Coca-Cola", Qty: models.Units(20), Amount: 7000},
			{ID: 2, Name: "苹果", Qty: 2500, Amount: 3000}},
		Categories:     []models.ItemTotal{{ID: 1, Name: "饮料", NameEN: "Drinks", Amount: 30000}},
		Cashiers:       []models.CashierTotal{{OperatorID: 1, Name: "Zhang San", Orders: 12, NetSales: 45000, Voids: 350, Refunds: 1500}},
		MembersBalance: 88800,
		Prior:          models.ReportSummary{Orders: 10, NetSales: 40000},
	}
	r.Hours[9] = models.HourTotal{Count: 4, Amount: 15000}
	r.Hours[12] = models.HourTotal{Count: 8, Amount: 30000}
	r.Prior.Hours[12] = models.HourTotal{Count: 10, Amount: 40000}
	return r
}

func TestReportsShowTheDayBesideTheWeekBefore(t *testing.T) {
	ui := newTestUI(t, owner)
	svc := &fakeReports{rep: reportFixture()}
	slips := &fakeSlips{}
	r := NewReports(ui, svc, slips, owner)
	showOn(ui, r.Content())
	r.Refresh()
	w := ui.Window
	day := midnight(testNow)
	if len(svc.asks) != 1 || !svc.asks[0][0].Equal(day) || !svc.asks[0][1].Equal(day.AddDate(0, 0, 1)) || svc.by[0] != owner.Name {
		t.Fatalf("asked %v by %v", svc.asks, svc.by)
	}
	for _, s := range []string{"2025-03-14", "¥450.00", "week before ¥400.00 +13%", "¥37.50", // 450 / 12
		"¥430.00", // taken: 200 + 150 + 80, and the balance's 20 is not taken again
		"Card UnionPay", "QR code Alipay", "1. Coca-Cola", "×20", "2. 苹果", "Drinks",
		"Top-ups sold (owed to members)", "¥100.00", "¥888.00", "Zhang San · 12 orders"} {
		mustShow(t, w, s)
	}
	// The hours 09:00–21:00 at least; the tenders' shares of ¥450.00.
	h := r.Hours()
	if len(h.Data) != 13 || h.Data[0].Label != "09" || h.Data[3].Value != 30000 || h.Compare[3] != 40000 {
		t.Fatalf("hours chart: %+v %v", h.Data, h.Compare)
	}
	test.TapAt(h, fyne.NewPos(h.Size().Width*3.5/13, h.Size().Height-30))
	if h.Selected() != 3 || !strings.Contains(h.Data[3].Detail, "12:00–13:00 · ¥300.00 · 8 payments") {
		t.Fatalf("tapped bar %d: %q", h.Selected(), h.Data[3].Detail)
	}
	d := r.Tenders()
	if len(d.Data) != 4 || d.Data[3].Label != "Member balance" && d.Data[3].Value != 2000 {
		t.Fatalf("tender slices: %+v", d.Data)
	}
	mustShow(t, w, "44%") // cash: 200 of 450
	// Thirty days, then back a period: the asks follow.
	tap(t, w, "30 days")
	test.Tap(iconButton(t, w, theme.NavigateBackIcon()))
	last := svc.asks[len(svc.asks)-1]
	if !last[1].Equal(day.AddDate(0, 0, -29)) || !last[0].Equal(day.AddDate(0, 0, -59)) {
		t.Fatalf("the thirty days before: %v", last)
	}
	mustShow(t, w, "2025-01-14 – 2025-02-12")
	// The summary prints with the figures.
	tap(t, w, "Print summary")
	if len(slips.slips) != 1 {
		t.Fatalf("%d slips", len(slips.slips))
	}
	var lines []string
	for _, row := range slips.slips[0] {
		lines = append(lines, row.Left+"|"+row.Right)
	}
	slip := strings.Join(lines, "\n")
	for _, s := range []string{"SALES SUMMARY|", "Net sales|¥450.00", "  Week before|¥400.00 +13%", "Average ticket|¥37.50",
		"Refunds (1)|-¥15.00", "Total taken|¥430.00", "Members' balances now|¥888.00", "1. Coca-Cola ×20|¥70.00"} {
		if !strings.Contains(slip, s) {
			t.Errorf("the slip lacks %q:\n%s", s, slip)
		}
	}
}

// TestReportsOfADateRangeAndOfTheShift: a range of days chosen in the
// dialog is asked whole (first midnight to the midnight after the last);
// a backwards, future or too long range is refused in words and nothing
// is asked; the Shift button asks from the shift's start to now, and
// says so when no shift is open.
func TestReportsOfADateRangeAndOfTheShift(t *testing.T) {
	ui := newTestUI(t, owner)
	svc := &fakeReports{rep: reportFixture()}
	r := NewReports(ui, svc, nil, owner)
	showOn(ui, r.Content())
	r.Refresh()
	w := ui.Window
	day := midnight(testNow)
	if findButton(w, "Shift") != nil && findButton(w, "Shift").Visible() {
		t.Fatal("a Shift button without shifts")
	}

	tap(t, w, "Dates…")
	var entries []*widget.DateEntry
	walk(top(w), func(o fyne.CanvasObject) bool {
		if d, ok := o.(*widget.DateEntry); ok {
			entries = append(entries, d)
		}
		return false
	})
	if len(entries) != 2 || entries[0].Date == nil || !entries[0].Date.Equal(day) {
		t.Fatalf("date entries %v", entries)
	}
	first, last := day.AddDate(0, 0, -20), day.AddDate(0, 0, -11)
	entries[0].SetDate(&last)
	entries[1].SetDate(&first)
	asks := len(svc.asks)
	tap(t, w, "Show")
	mustShow(t, w, "The first day comes after the last")
	future := day.AddDate(0, 0, 1)
	entries[0].SetDate(&first)
	entries[1].SetDate(&future)
	tap(t, w, "Show")
	mustShow(t, w, "The last day is after today")
	long := day.AddDate(-1, 0, -20) // 375 days to last
	entries[0].SetDate(&long)
	entries[1].SetDate(&last)
	tap(t, w, "Show")
	mustShow(t, w, "A report covers at most 366 days")
	if len(svc.asks) != asks {
		t.Fatalf("a refused range was asked: %v", svc.asks[asks:])
	}
	entries[0].SetDate(&first)
	shoot(t, w, "reports-range-dialog")
	tap(t, w, "Show")
	if dialogShown(w) {
		t.Fatal("the dialog stays open after a good range")
	}
	got := svc.asks[len(svc.asks)-1]
	if !got[0].Equal(first) || !got[1].Equal(last.AddDate(0, 0, 1)) {
		t.Fatalf("asked %v, want %v to %v", got, first, last.AddDate(0, 0, 1))
	}
	mustShow(t, w, first.Format(time.DateOnly)+" – "+last.Format(time.DateOnly))
	// Back a step: the ten days before.
	test.Tap(iconButton(t, w, theme.NavigateBackIcon()))
	got = svc.asks[len(svc.asks)-1]
	if !got[0].Equal(first.AddDate(0, 0, -10)) || !got[1].Equal(first) {
		t.Fatalf("the range before: %v", got)
	}

	// The shift so far.
	opened := day.Add(8*time.Hour + 30*time.Minute)
	var shiftErr error
	r.ShiftStart = func(context.Context) (time.Time, error) { return opened, shiftErr }
	r.Refresh()
	tap(t, w, "Shift")
	got = svc.asks[len(svc.asks)-1]
	if !got[0].Equal(opened) || !got[1].Equal(testNow) {
		t.Fatalf("the shift: asked %v, want %v to %v", got, opened, testNow)
	}
	mustShow(t, w, receipt.PeriodText(opened, testNow))
	shoot(t, w, "reports-shift")
	w.Resize(fyne.NewSize(800, 1280))
	shoot(t, w, "reports-shift-portrait")
	w.Resize(fyne.NewSize(1280, 800))
	if !iconButton(t, w, theme.NavigateBackIcon()).Disabled() {
		t.Fatal("stepping back from the shift")
	}
	shiftErr = models.ErrNoShift
	asks = len(svc.asks)
	tap(t, w, "Shift")
	mustShow(t, w, "No shift is open on this till")
	if len(svc.asks) != asks {
		t.Fatal("asked a report with no shift open")
	}
}
