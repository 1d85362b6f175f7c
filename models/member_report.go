package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// MemberReportRow is one member's balance over a period: what they had at
// its start, what moved in it by kind, and what they had at its end.
// Opening + TopUps − Spent − PaidOut + Other = Closing.
type MemberReportRow struct {
	MemberID uint
	Name     string // "-" once the membership ended
	Phone    string // masked; "-" once the membership ended
	Active   bool
	Opening  int64 // the balance at the period's start
	TopUps   int64 // top-ups, less top-ups taken back by a void or refund
	Spent    int64 // balance payments, less what voids, refunds and cancels gave back
	PaidOut  int64 // balances paid out in cash
	Other    int64 // opening balances brought in from elsewhere
	Closing  int64 // the balance at the period's end
}

// add adds the figures of o to r.
func (r *MemberReportRow) add(o MemberReportRow) {
	r.Opening += o.Opening
	r.TopUps += o.TopUps
	r.Spent += o.Spent
	r.PaidOut += o.PaidOut
	r.Other += o.Other
	r.Closing += o.Closing
}

// AddMove counts a balance move of kind and signed amount in the column it
// belongs to: the one rule of the members' report. Money given back by a
// void, refund or cancel (positive) lessens what was spent; a top-up taken
// back by one (negative) lessens the top-ups.
func (r *MemberReportRow) AddMove(kind string, amount int64) {
	switch kind {
	case "topup":
		r.TopUps += amount
	case "payment":
		r.Spent -= amount
	case "void", "refund", "cancel":
		if amount < 0 {
			r.TopUps += amount
		} else {
			r.Spent -= amount
		}
	case EntryPayout:
		r.PaidOut -= amount
	default: // "opening", and any kind a later Till adds
		r.Other += amount
	}
}

// Balanced reports whether the row's figures add up: Opening + TopUps −
// Spent − PaidOut + Other = Closing.
func (r MemberReportRow) Balanced() bool {
	return r.Opening+r.TopUps-r.Spent-r.PaidOut+r.Other == r.Closing
}

// MemberReport is the members' balances over [From, To): a row for each
// member whose balance moved in it or was not zero at its start or end,
// by closing balance (largest first) then name, and their totals.
type MemberReport struct {
	From, To time.Time
	Rows     []MemberReportRow
	Total    MemberReportRow
}

// MemberReport reads the members' balances over [from, to). It reads the
// period's balance moves and, for each member, the one move before from
// and before to that gives their balance then (by the index on member and
// time), never a member's whole history.
func (s *Store) MemberReport(ctx context.Context, from, to time.Time) (MemberReport, error) {
	rep := MemberReport{From: from, To: to}
	if !from.Before(to) {
		return rep, invalid("error.report.period", "The period's end must come after its start", nil)
	}
	err := s.read(ctx, func(db *gorm.DB) error {
		// The balance after a member's last move before t.
		last := func(col string) string {
			return `(SELECT e.balance FROM member_entries e WHERE e.member_id = members.id AND e.at < ?
				ORDER BY e.at DESC, e.id DESC LIMIT 1) AS ` + col
		}
		var heads []struct {
			ID               uint
			Name, Phone      string
			Active           bool
			Opening, Closing *int64
		}
		if err := db.Table("members").Select("id, name, phone, active, "+last("opening")+", "+last("closing"), from, to).
			Find(&heads).Error; err != nil {
			return fmt.Errorf("balances: %w", err)
		}
		var moves []struct {
			MemberID uint
			Kind     string
			Credit   int
			Amount   int64
		}
		credit := "CASE WHEN amount > 0 THEN 1 ELSE 0 END"
		if err := db.Model(&MemberEntry{}).Select("member_id, kind, "+credit+" AS credit, SUM(amount) AS amount").
			Where("at >= ? AND at < ?", from, to).Group("member_id, kind, " + credit).Find(&moves).Error; err != nil {
			return fmt.Errorf("moves: %w", err)
		}
		rows := map[uint]*MemberReportRow{}
		for _, h := range heads {
			r := &MemberReportRow{MemberID: h.ID, Name: h.Name, Phone: h.Phone, Active: h.Active}
			if h.Opening != nil {
				r.Opening = *h.Opening
			}
			if h.Closing != nil {
				r.Closing = *h.Closing
			}
			rows[h.ID] = r
		}
		moved := map[uint]bool{}
		for _, m := range moves {
			r := rows[m.MemberID]
			if r == nil { // a move of a member not (or no longer) stored
				r = &MemberReportRow{MemberID: m.MemberID, Name: "-", Phone: "-"}
				rows[m.MemberID] = r
			}
			r.AddMove(m.Kind, m.Amount)
			moved[m.MemberID] = true
		}
		for id, r := range rows {
			if moved[id] || r.Opening != 0 || r.Closing != 0 {
				rep.Rows = append(rep.Rows, *r)
				rep.Total.add(*r)
			}
		}
		return nil
	})
	if err != nil {
		return MemberReport{}, dbError(s.path, fmt.Errorf("store: members' report: %w", err))
	}
	slices.SortFunc(rep.Rows, func(a, b MemberReportRow) int {
		return cmp.Or(cmp.Compare(b.Closing, a.Closing), cmp.Compare(a.Name, b.Name), cmp.Compare(a.MemberID, b.MemberID))
	})
	return rep, nil
}
