package models

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// reportPart is what a report reads of a stretch of time before it sums
// it up: the grouped payments, the grouped orders, the VAT of the refunds
// and the lines by product. Parts of consecutive stretches add up to the
// part of the whole (merge), so a report of 30 days sums 30 stored days.
type reportPart struct {
	Pays      []reportPayment `json:"p,omitempty"`
	Orders    []reportOrder   `json:"o,omitempty"`
	RefundTax int64           `json:"t,omitempty"`
	Lines     []ItemTotal     `json:"l,omitempty"` // ID, Qty and Amount by product
}

// merge adds q to p: lines of one product summed, the other groups kept
// side by side (fill sums them).
func (p *reportPart) merge(q reportPart) {
	p.Pays = append(p.Pays, q.Pays...)
	p.Orders = append(p.Orders, q.Orders...)
	p.RefundTax += q.RefundTax
	if len(q.Lines) == 0 {
		return
	}
	at := make(map[uint]int, len(p.Lines))
	for i, l := range p.Lines {
		at[l.ID] = i
	}
	for _, l := range q.Lines {
		if i, ok := at[l.ID]; ok {
			p.Lines[i].Qty += l.Qty
			p.Lines[i].Amount += l.Amount
			continue
		}
		at[l.ID] = len(p.Lines)
		p.Lines = append(p.Lines, l)
	}
}

// readReportPart reads terminalID's part of [from, to), hours told in loc.
func readReportPart(db *gorm.DB, terminalID string, from, to time.Time, loc *time.Location) (reportPart, error) {
	var p reportPart
	var err error
	if p.Pays, err = reportPayments(db, terminalID, from, to, loc); err != nil {
		return p, err
	}
	if p.Orders, err = reportOrders(db, terminalID, from, to); err != nil {
		return p, err
	}
	if p.RefundTax, err = reportRefundTax(db, p.Pays); err != nil {
		return p, err
	}
	p.Lines, err = reportLines(db, terminalID, from, to)
	return p, err
}

// ReportDay is a terminal's reportPart of one whole local day that is over,
// kept so that a report of many days reads a row a day. A day's row is
// forgotten (forgetReportDays) in the transaction of anything that changes
// what the day's report says: a sale completed, a payment voided or
// reversed, a refund; the next report reads the day afresh.
type ReportDay struct {
	TerminalID string `gorm:"size:16;primaryKey"`
	DayStart   int64  `gorm:"primaryKey;autoIncrement:false"` // Unix seconds of the day's local midnight
	Zone       string `gorm:"size:48;primaryKey"`             // the zone's name and offset the hours are told in
	DayEnd     int64  `gorm:"not null"`
	Version    int    `gorm:"not null"`
	Data       []byte `gorm:"not null"` // reportPart as JSON
}

// reportDayVersion changes whenever reportPart or what a report reads
// does: rows of another version are read afresh.
const reportDayVersion = 1

// dayZone names the zone a day starting at start is told in.
func dayZone(start time.Time) string {
	name, off := start.Zone()
	return fmt.Sprintf("%s%+d", name, off)
}

// reportSpan is a stretch of a period: a whole local day that is over
// (day), which a ReportDay may hold, or a piece that is not.
type reportSpan struct {
	from, to time.Time
	day      bool
}

// reportSpans cuts [from, to) into whole local days (in from's location)
// that ended by now, and the pieces before, between and after them.
func reportSpans(from, to, now time.Time) []reportSpan {
	var out []reportSpan
	loc := from.Location()
	start := from
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	if d.Before(from) {
		d = d.AddDate(0, 0, 1)
	}
	for {
		end := d.AddDate(0, 0, 1)
		if end.After(to) || end.After(now) {
			break
		}
		if start.Before(d) {
			out = append(out, reportSpan{from: start, to: d})
		}
		out = append(out, reportSpan{from: d, to: end, day: true})
		start, d = end, end
	}
	if start.Before(to) {
		out = append(out, reportSpan{from: start, to: to})
	}
	return out
}

// storedReportDays are the ReportDay rows of terminalID's whole days in
// spans, by their start.
func storedReportDays(db *gorm.DB, terminalID string, spans []reportSpan) (map[int64]ReportDay, error) {
	var first, last int64 = -1, -1
	for _, sp := range spans {
		if sp.day {
			if first < 0 {
				first = sp.from.Unix()
			}
			last = sp.from.Unix()
		}
	}
	out := map[int64]ReportDay{}
	if first < 0 {
		return out, nil
	}
	var rows []ReportDay
	if err := db.Where("terminal_id = ? AND day_start >= ? AND day_start <= ? AND version = ?",
		terminalID, first, last, reportDayVersion).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("stored days: %w", err)
	}
	for _, r := range rows {
		out[r.DayStart] = r
	}
	return out, nil
}

// usable says whether row holds span's day as told in its zone.
func (r ReportDay) usable(sp reportSpan) bool {
	return r.Zone == dayZone(sp.from) && r.DayEnd == sp.to.Unix()
}

// readSpans reads terminalID's part of spans: a whole day from its stored
// row when one is usable, the rest from the history.
func readSpans(db *gorm.DB, terminalID string, spans []reportSpan, loc *time.Location) (reportPart, error) {
	var all reportPart
	days, err := storedReportDays(db, terminalID, spans)
	if err != nil {
		return all, err
	}
	for _, sp := range spans {
		if row, ok := days[sp.from.Unix()]; ok && sp.day && row.usable(sp) {
			var p reportPart
			if err := json.Unmarshal(row.Data, &p); err == nil {
				all.merge(p)
				continue
			}
		}
		p, err := readReportPart(db, terminalID, sp.from, sp.to, loc)
		if err != nil {
			return all, err
		}
		all.merge(p)
	}
	return all, nil
}

// keepReportDays stores, inside tx, the part of each whole day of spans
// that has no usable row yet. It runs in a write transaction, so nothing
// that would forget a day can come between its reading and its keeping.
func keepReportDays(tx *gorm.DB, terminalID string, spans []reportSpan, loc *time.Location) error {
	days, err := storedReportDays(tx, terminalID, spans)
	if err != nil {
		return err
	}
	for _, sp := range spans {
		if row, ok := days[sp.from.Unix()]; !sp.day || (ok && row.usable(sp)) {
			continue
		}
		p, err := readReportPart(tx, terminalID, sp.from, sp.to, loc)
		if err != nil {
			return err
		}
		data, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("day %s: %w", sp.from.Format(time.DateOnly), err)
		}
		row := ReportDay{TerminalID: terminalID, DayStart: sp.from.Unix(), Zone: dayZone(sp.from),
			DayEnd: sp.to.Unix(), Version: reportDayVersion, Data: data}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("keep day %s: %w", sp.from.Format(time.DateOnly), err)
		}
	}
	return nil
}

// maxDaySeconds is the longest a local day lasts (25 hours, the day
// clocks go back).
const maxDaySeconds = 25 * 3600

// forgetReportDays forgets, inside tx, terminalID's stored days that hold
// any of times (zero times hold none): what their reports say has changed.
func forgetReportDays(tx *gorm.DB, terminalID string, times ...time.Time) error {
	for _, t := range times {
		if t.IsZero() {
			continue
		}
		// A day is at most 25 hours long: the lower bound keeps the search
		// to a day or two of the index.
		if err := tx.Where("terminal_id = ? AND day_start > ? AND day_start <= ? AND day_end > ?",
			terminalID, t.Unix()-maxDaySeconds, t.Unix(), t.Unix()).Delete(&ReportDay{}).Error; err != nil {
			return fmt.Errorf("forget report days: %w", err)
		}
	}
	return nil
}

// orderPaidAt is when o was paid; zero when it was not.
func orderPaidAt(o *Order) time.Time {
	if o.PaidAt == nil {
		return time.Time{}
	}
	return *o.PaidAt
}
