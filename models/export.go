package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ExportSummary is what an export wrote: its files, and the rows of
// orders, lines and payments in them.
type ExportSummary struct {
	Files                   []string
	Orders, Lines, Payments int
}

// exportBatch is how many orders or payments an export reads at a time.
const exportBatch = 500

// eachByID calls fn with each row fetch reads, a batch at a time: fetch
// reads into its slice at most exportBatch rows whose ID (idOf) comes
// after the one given, in the order of their IDs. Memory stays flat over
// any range. It returns how many it read.
func eachByID[T any](ctx context.Context, s *Store, what string, fetch func(db *gorm.DB, after uint, into *[]T) error,
	idOf func(*T) uint, fn func(*T) error) (int, error) {
	n := 0
	var last uint
	for {
		var batch []T
		if err := s.read(ctx, func(db *gorm.DB) error { return fetch(db, last, &batch) }); err != nil {
			return n, fmt.Errorf("store: %s after %d: %w", what, last, err)
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return n, err
			}
			n++
			last = idOf(&batch[i])
		}
		if len(batch) < exportBatch {
			return n, nil
		}
	}
}

// EachOrder calls fn with each order of terminal terminalID created in
// [from, to), oldest first, with its lines and payments, a batch at a time.
// It returns how many it read.
func (s *Store) EachOrder(ctx context.Context, terminalID string, from, to time.Time, fn func(*Order) error) (int, error) {
	return eachByID(ctx, s, "orders of "+terminalID, func(db *gorm.DB, after uint, into *[]Order) error {
		return db.Preload("Lines", func(db *gorm.DB) *gorm.DB { return db.Order("line_no") }).Preload("Payments").
			Where("terminal_id = ? AND created_at >= ? AND created_at < ? AND id > ?", terminalID, from, to, after).
			Order("id").Limit(exportBatch).Find(into).Error
	}, func(o *Order) uint { return o.ID }, fn)
}

// PaymentRow is a payment with the order it belongs to.
type PaymentRow struct {
	Payment
	OrderNumber string
	TopUp       bool // paid for a member's top-up
}

// EachPayment calls fn with each payment of terminal terminalID made (or,
// for a refund, given back) in [from, to), oldest first, a batch at a time.
func (s *Store) EachPayment(ctx context.Context, terminalID string, from, to time.Time, fn func(*PaymentRow) error) (int, error) {
	return eachByID(ctx, s, "payments of "+terminalID, func(db *gorm.DB, after uint, into *[]PaymentRow) error {
		return db.Table("payments").
			Select("payments.*, orders.number AS order_number, orders.top_up_member_id <> 0 AS top_up").
			Joins("JOIN orders ON orders.id = payments.order_id").
			Where("orders.terminal_id = ? AND payments.created_at >= ? AND payments.created_at < ? AND payments.id > ?",
				terminalID, from, to, after).
			Order("payments.id").Limit(exportBatch).Scan(into).Error
	}, func(p *PaymentRow) uint { return p.ID }, fn)
}
