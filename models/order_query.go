package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// FindOrders lists the terminal's orders created in [from, to) that match
// text, newest first, at most limit, with their payments. Text is what the
// cashier typed: it matches the end of an order number ("42"), a total
// ("12.50"), or the last four digits of a card ("1234"); empty matches all.
func (s *Store) FindOrders(ctx context.Context, terminalID string, from, to time.Time, text string, limit int) ([]Order, error) {
	text = strings.TrimSpace(text)
	var orders []Order
	err := s.read(ctx, func(db *gorm.DB) error {
		q := db.Preload("Payments").
			Where("terminal_id = ? AND created_at >= ? AND created_at < ?", terminalID, from, to)
		if text != "" {
			cond := db.Where(`number LIKE ? ESCAPE '\'`, "%"+likeEscape(text)+"%")
			if amount, err := ParseMinor(text); err == nil && amount > 0 {
				cond = cond.Or("total = ?", amount)
			}
			if len(text) == 4 && isDigits(text) {
				cond = cond.Or("id IN (SELECT order_id FROM payments WHERE masked_pan LIKE ?)", "%"+text)
			}
			q = q.Where(cond)
		}
		return q.Order("seq DESC").Limit(limit).Find(&orders).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: find orders: %w", err)
	}
	return orders, nil
}

// likeEscape escapes the characters LIKE treats as wildcards, for ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
