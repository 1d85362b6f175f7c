package receipt

import (
	"fmt"
	"strconv"
	"time"

	"github.com/till-pos/till/models"
)

// figureRows are a shift's or a day's figures: takings by tender (through
// models.Figures.Takings), top-ups and balance spent, net sales, voids,
// refunds, cash in and out.
func figureRows(f models.Figures, money func(int64) string, tr Translate) []Row {
	t := f.Takings()
	var rows []Row
	for _, x := range t.Tenders {
		rows = append(rows, Row{Left: TenderName(x.Tender, tr) + " " + strconv.Itoa(x.Count), Right: money(x.Amount)})
	}
	count, sum := t.Taken()
	rows = append(rows,
		Row{Left: tr("slip.taken", "Taken") + " " + strconv.Itoa(count), Right: money(sum), Style: Bold},
		Row{Left: tr("slip.top_ups", "of which top-ups") + " " + strconv.Itoa(t.TopUps.Count), Right: money(t.TopUps.Amount)},
		Row{Left: tr("slip.balance_spent", "Paid from balances") + " " + strconv.Itoa(t.BalanceSpent.Count), Right: money(t.BalanceSpent.Amount)},
		Row{Left: tr("slip.net_sales", "Net sales") + " " + strconv.FormatInt(f.Sales, 10), Right: money(t.NetSales()), Style: Bold},
		Row{Rule: true},
		Row{Left: tr("slip.voids", "Voids") + " " + strconv.FormatInt(f.VoidCount, 10), Right: money(f.VoidAmount)},
		Row{Left: tr("slip.refunds", "Refunds") + " " + strconv.FormatInt(f.RefundCount, 10), Right: money(f.RefundAmount)},
		Row{Left: tr("slip.cash_in", "Cash in") + " " + strconv.FormatInt(f.CashInCount, 10), Right: money(f.CashInAmount)},
		Row{Left: tr("slip.cash_out", "Cash out") + " " + strconv.FormatInt(f.CashOutCount, 10), Right: money(f.CashOutAmount)},
	)
	return rows
}

// BuildZSlip lays out Z report z: its number and period, the day's
// figures, what was left open, the day's settlement and the audit chain's
// head. A reprint (copy) is marked COPY at the top and the bottom.
func BuildZSlip(z models.ZReport, copy bool, c models.Currency, shop Shop, tr Translate) []Row {
	money := func(v int64) string { return models.Money{Minor: v, Currency: c}.String() }
	rows := []Row{{Left: shop.Name, Center: true, Style: Large},
		{Left: tr("slip.z_report", "Z REPORT"), Center: true, Style: Bold}}
	mark := Row{Left: tr("slip.copy", "COPY"), Center: true, Style: Large}
	if copy {
		rows = append(rows, mark)
	}
	since := "—"
	if !z.Since.IsZero() {
		since = z.Since.Local().Format(time.DateTime)
	}
	rows = append(rows, Row{Rule: true},
		Row{Left: tr("slip.z_number", "Z no."), Right: fmt.Sprintf("%s-Z%04d", z.TerminalID, z.Number), Style: Bold},
		Row{Left: tr("slip.from", "From"), Right: since},
		Row{Left: tr("slip.to", "To"), Right: z.TakenAt.Local().Format(time.DateTime)},
		Row{Left: tr("slip.closed_by", "Closed by"), Right: z.TakenByName},
		Row{Rule: true})
	rows = append(rows, figureRows(z.Figures, money, tr)...)
	rows = append(rows, Row{Rule: true},
		Row{Left: tr("slip.open_orders", "Orders awaiting payment"), Right: strconv.FormatInt(z.OpenOrders, 10)},
		Row{Left: tr("slip.unreported", "Payments not yet reported"), Right: strconv.FormatInt(z.PendingOutbox, 10)})
	if z.SettledBatch != 0 && z.SettledAt != nil {
		rows = append(rows,
			Row{Left: tr("slip.batch", "Batch"), Right: fmt.Sprintf("%06d", z.SettledBatch)},
			Row{Left: tr("slip.settled_at", "Settled"), Right: z.SettledAt.Local().Format(time.DateTime)},
			Row{Left: "  " + z.SettledDetail})
	} else {
		rows = append(rows, Row{Left: tr("slip.settled_at", "Settled"), Right: tr("slip.not_settled", "Not settled today")})
	}
	rows = append(rows, Row{Rule: true},
		Row{Left: tr("slip.audit_head", "Audit trail"), Right: "#" + strconv.FormatInt(z.AuditSeq, 10)})
	for h := z.AuditHash; h != ""; {
		n := min(len(h), 32)
		rows = append(rows, Row{Left: h[:n], Center: true})
		h = h[n:]
	}
	rows = append(rows, Row{Rule: true})
	if copy {
		rows = append(rows, mark)
	}
	return rows
}

// BuildShiftSlip lays out a shift's report: the X report of an open shift
// (nothing reset), or a closed shift's count against what was expected.
func BuildShiftSlip(r models.ShiftReport, c models.Currency, shop Shop, tr Translate) []Row {
	money := func(v int64) string { return models.Money{Minor: v, Currency: c}.String() }
	sh := r.Shift
	title := tr("slip.x_report", "X REPORT")
	if !sh.Open() {
		title = tr("slip.shift_close", "SHIFT CLOSE")
	}
	rows := []Row{{Left: shop.Name, Center: true, Style: Large}, {Left: title, Center: true, Style: Bold}, {Rule: true},
		{Left: tr("slip.shift", "Shift"), Right: fmt.Sprintf("%s-%d", sh.TerminalID, sh.ID)},
		{Left: tr("slip.opened", "Opened"), Right: sh.OpenedAt.Local().Format(time.DateTime) + " " + sh.OpenedByName}}
	if sh.ClosedAt != nil {
		rows = append(rows, Row{Left: tr("slip.closed", "Closed"), Right: sh.ClosedAt.Local().Format(time.DateTime) + " " + sh.ClosedByName})
	}
	rows = append(rows, Row{Rule: true})
	rows = append(rows, figureRows(r.Figures, money, tr)...)
	rows = append(rows, Row{Rule: true},
		Row{Left: tr("slip.float", "Float"), Right: money(sh.Float)},
		Row{Left: tr("slip.expected", "Expected cash"), Right: money(r.Expected), Style: Bold})
	if sh.ClosedAt != nil {
		rows = append(rows,
			Row{Left: tr("slip.counted", "Counted"), Right: money(sh.Counted)},
			Row{Left: tr("slip.variance", "Variance"), Right: money(sh.Variance), Style: Bold})
		if count, err := models.ParseCashCount(sh.CountedCash); err == nil {
			for i, n := range count {
				if n > 0 {
					d := models.Denominations[i]
					rows = append(rows, Row{Left: "  " + DenominationName(d, tr) + " × " + strconv.Itoa(n), Right: money(int64(n) * d.Value)})
				}
			}
		}
	}
	return append(rows, Row{Rule: true})
}

// DenominationName is a note's or coin's name: "¥1", or "¥1 coin".
func DenominationName(d models.Denomination, tr Translate) string {
	if d.Coin {
		return d.Label() + " " + tr("slip.coin", "coin")
	}
	return d.Label()
}
