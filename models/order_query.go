package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// FindOrders lists the terminal's orders created in [from, to) that match
// text, newest first, at most limit, with their payments. Text is what the
// cashier typed: an order's number, whole ("T01-00000042") or its sequence
// alone ("42"), a total ("12.50"), or the last four digits of a card
// ("1234"); empty matches all. Each kind of match is an index lookup that
// drives the query, so its cost does not grow with the history
// (orderMatch).
func (s *Store) FindOrders(ctx context.Context, terminalID string, from, to time.Time, text string, limit int) ([]Order, error) {
	text = strings.TrimSpace(text)
	var orders []Order
	err := s.read(ctx, func(db *gorm.DB) error {
		q := db.Preload("Payments").Order("created_at DESC, seq DESC")
		if text == "" {
			return q.Where("terminal_id = ? AND created_at >= ? AND created_at < ?", terminalID, from, to).
				Limit(limit).Find(&orders).Error
		}
		match, args := orderMatch(terminalID, text, from, to)
		if match == "" {
			return nil
		}
		// The matches first (CROSS JOIN keeps them the outer loop), then
		// the day's range on each: never a walk of the range itself.
		var ids []uint
		if err := db.Raw(`SELECT o.id FROM (`+match+`) AS m CROSS JOIN orders AS o
			WHERE o.id = m.id AND o.terminal_id = ? AND o.created_at >= ? AND o.created_at < ?
			ORDER BY o.created_at DESC, o.seq DESC LIMIT ?`,
			append(args, terminalID, from, to, limit)...).Scan(&ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		return q.Where("id IN ?", ids).Find(&orders).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: find orders: %w", err)
	}
	return orders, nil
}

// orderMatch is the query of the IDs of terminalID's orders that text may
// mean, one indexed lookup per reading of it, or "" when it can mean none.
// A total is looked up within [from, to) (idx_orders_terminal_total): a
// common amount recurs all through the history.
func orderMatch(terminalID, text string, from, to time.Time) (string, []any) {
	var (
		parts []string
		args  []any
	)
	if seq, ok := orderSeqOf(terminalID, text); ok {
		parts = append(parts, "SELECT id FROM orders WHERE terminal_id = ? AND seq = ?")
		args = append(args, terminalID, seq)
	}
	if amount, err := ParseMinor(text); err == nil && amount > 0 {
		parts = append(parts, "SELECT id FROM orders WHERE terminal_id = ? AND total = ? AND created_at >= ? AND created_at < ?")
		args = append(args, terminalID, amount, from, to)
	}
	if len(text) == 4 && isDigits(text) {
		parts = append(parts, "SELECT order_id AS id FROM payments WHERE last_four = ?")
		args = append(args, text)
	}
	return strings.Join(parts, " UNION "), args
}

// orderSeqOf reads text as one of terminalID's order numbers: the whole
// number (OrderNumber) or its sequence's digits, leading zeros or not.
func orderSeqOf(terminalID, text string) (int64, bool) {
	if rest, ok := strings.CutPrefix(strings.ToUpper(text), strings.ToUpper(terminalID)+"-"); ok {
		text = rest
	}
	if !isDigits(text) || len(text) > 12 {
		return 0, false
	}
	seq, err := strconv.ParseInt(text, 10, 64)
	return seq, err == nil && seq > 0
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
