package receipt

import (
	"fmt"
	"time"

	"github.com/till-pos/till/models"
)

// ChangeText says how now compares with before, in whole percent: "+12%",
// "-5%", "±0%"; "" when before is zero (nothing to compare with).
func ChangeText(now, before int64) string {
	if before == 0 {
		return ""
	}
	// Rounded half away from zero, in integers.
	diff := (now - before) * 100
	pct := (2*diff + sign(diff)*abs(before)) / (2 * abs(before))
	switch {
	case pct > 0:
		return fmt.Sprintf("+%d%%", pct)
	case pct < 0:
		return fmt.Sprintf("%d%%", pct)
	}
	return "±0%"
}

func sign(v int64) int64 {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// AverageTicket is net sales per order, rounded down to the fen; zero
// without orders.
func AverageTicket(r models.Report) int64 {
	if r.Orders == 0 {
		return 0
	}
	return r.NetSales / int64(r.Orders)
}

// ItemName is a product's or category's name in the shop's language
// ("zh" or "en"), the Chinese one when there is no English one.
func ItemName(it models.ItemTotal, lang string) string {
	if lang == "en" && it.NameEN != "" {
		return it.NameEN
	}
	return it.Name
}

// SchemeTotalName names a card scheme or QR wallet of a report: "Card
// UnionPay", "QR code Alipay".
func SchemeTotalName(s models.SchemeTotal, tr Translate) string {
	name := TenderName(s.Tender, tr)
	switch s.Tender {
	case models.TenderCard:
		return name + " " + SchemeName(s.Scheme, tr)
	case models.TenderQR:
		if w := WalletName(s.Scheme, tr); w != "" {
			return name + " " + w
		}
	}
	return name
}

// PeriodText is a report's period as people read it: one day
// ("2026-12-02"), the first and last days ("2026-11-03 – 2026-12-02"), or
// for part of a day (a shift) its start and end ("2026-12-02 08:30 –
// 14:05").
func PeriodText(from, to time.Time) string {
	if !atMidnight(from) || !atMidnight(to) {
		// Part of a day: a shift, say.
		const stamp = "2006-01-02 15:04"
		if from.Format(time.DateOnly) == to.Format(time.DateOnly) {
			return from.Format(stamp) + " – " + to.Format("15:04")
		}
		return from.Format(stamp) + " – " + to.Format(stamp)
	}
	last := to.Add(-time.Nanosecond)
	if from.Format(time.DateOnly) == last.Format(time.DateOnly) {
		return from.Format(time.DateOnly)
	}
	return from.Format(time.DateOnly) + " – " + last.Format(time.DateOnly)
}

// atMidnight says whether t is the start of its day.
func atMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// BuildReportSlip lays out the summary of report r for a 58 or 80 mm
// printer: the period, the sales figures beside the week before, the
// takings by tender with stored value apart, the top five products and
// each cashier, and when it was printed.
func BuildReportSlip(r models.Report, shop Shop, currency models.Currency, at time.Time, tr Translate) []Row {
	money := func(v int64) string { return models.Money{Minor: v, Currency: currency}.String() }
	rows := []Row{
		{Left: shop.Name, Center: true, Style: Large},
		{Left: tr("report.slip_title", "SALES SUMMARY"), Center: true, Style: Bold},
		{Left: PeriodText(r.From, r.To), Center: true},
		{Left: tr("receipt.terminal", "Terminal"), Right: shop.TerminalID},
		{Rule: true},
		{Left: tr("report.net_sales", "Net sales"), Right: money(r.NetSales), Style: Bold},
	}
	if c := ChangeText(r.NetSales, r.Prior.NetSales); c != "" {
		rows = append(rows, Row{Left: "  " + tr("report.week_before", "Week before"), Right: money(r.Prior.NetSales) + " " + c})
	}
	rows = append(rows,
		Row{Left: tr("report.orders", "Orders"), Right: fmt.Sprint(r.Orders)},
		Row{Left: tr("report.average", "Average ticket"), Right: money(AverageTicket(r))},
		Row{Left: tr("report.gross", "Gross sales"), Right: money(r.Gross)},
		Row{Left: tr("report.discounts", "Discounts"), Right: "-" + money(r.Discounts)},
		Row{Left: fmt.Sprintf("%s (%d)", tr("report.refunds", "Refunds"), r.Refunds.Count), Right: "-" + money(r.Refunds.Amount)},
		Row{Left: fmt.Sprintf("%s (%d)", tr("report.voids", "Voids"), r.Voids.Count), Right: money(r.Voids.Amount)},
		Row{Left: tr("report.tax", "Tax included"), Right: money(r.Tax)},
		Row{Rule: true},
		Row{Left: tr("report.takings", "Money taken"), Style: Bold})
	for _, t := range r.Takings.Tenders {
		rows = append(rows, Row{Left: fmt.Sprintf("%s (%d)", TenderName(t.Tender, tr), t.Count), Right: money(t.Amount)})
	}
	for _, s := range r.Schemes {
		rows = append(rows, Row{Left: "  " + SchemeTotalName(s, tr), Right: money(s.Amount)})
	}
	_, taken := r.Takings.Taken()
	rows = append(rows, Row{Left: tr("report.taken_total", "Total taken"), Right: money(taken), Style: Bold},
		Row{Rule: true},
		Row{Left: tr("report.stored_value", "Stored value"), Style: Bold},
		Row{Left: tr("report.top_ups", "Top-ups sold (owed to members)"), Right: money(r.Takings.TopUps.Amount)},
		Row{Left: tr("report.balance_spent", "Paid from balances"), Right: money(r.Takings.BalanceSpent.Amount)},
		Row{Left: tr("report.members_balance", "Members' balances now"), Right: money(r.MembersBalance)})
	if len(r.Products) > 0 {
		rows = append(rows, Row{Rule: true}, Row{Left: tr("report.top_products", "Top products"), Style: Bold})
		for i, p := range r.Products[:min(5, len(r.Products))] {
			rows = append(rows, Row{Left: fmt.Sprintf("%d. %s ×%s", i+1, ItemName(p, shop.Lang), p.Qty), Right: money(p.Amount)})
		}
	}
	if len(r.Cashiers) > 0 {
		rows = append(rows, Row{Rule: true}, Row{Left: tr("report.cashiers", "By cashier"), Style: Bold})
		for _, c := range r.Cashiers {
			rows = append(rows, Row{Left: fmt.Sprintf("%s (%d)", c.Name, c.Orders), Right: money(c.NetSales)})
		}
	}
	return append(rows, Row{Rule: true},
		Row{Left: tr("report.printed", "Printed"), Right: at.Local().Format(time.DateTime)})
}
