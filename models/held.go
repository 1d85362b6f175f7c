package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// HoldOrder parks an open order so the cashier can serve someone else; it
// stays in the database until recalled, so a restart loses nothing.
func (s *Store) HoldOrder(ctx context.Context, o *Order, terminalID string, op Operator, label string) (*HeldOrder, error) {
	if o == nil || o.IsEmpty() {
		return nil, invalid("error.hold.empty", "There is nothing to hold", nil)
	}
	payload, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("store: hold order: %w", err)
	}
	h := &HeldOrder{TerminalID: terminalID, Label: label, Lines: len(o.Lines), Total: o.Total,
		Currency: o.Currency, Payload: string(payload), OperatorID: op.ID, CreatedAt: time.Now()}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(h).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: h.CreatedAt, TerminalID: terminalID, OperatorID: op.ID,
			Action: "hold", Subject: fmt.Sprint(h.ID), Detail: fmt.Sprintf("total=%d lines=%d", h.Total, h.Lines)}).Error
	})
	if err != nil {
		return nil, dbError(s.path, fmt.Errorf("store: hold order: %w", err))
	}
	return h, nil
}

// HeldOrders lists the terminal's parked orders, oldest first.
func (s *Store) HeldOrders(ctx context.Context, terminalID string) ([]HeldOrder, error) {
	var hs []HeldOrder
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Omit("payload").Where("terminal_id = ?", terminalID).Order("id").Find(&hs).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: held orders: %w", err)
	}
	return hs, nil
}

// RecallOrder takes a parked order back out; it is removed from the held list
// in the same transaction that reads it, so two cashiers cannot both recall it.
func (s *Store) RecallOrder(ctx context.Context, id uint, op Operator) (*Order, error) {
	var o Order
	err := s.write(ctx, func(tx *gorm.DB) error {
		var h HeldOrder
		if err := tx.First(&h, id).Error; err != nil {
			return notFound(err, "error.hold.not_found", "That held order was already recalled", nil)
		}
		if err := json.Unmarshal([]byte(h.Payload), &o); err != nil {
			return fmt.Errorf("decode held order %d: %w", id, err)
		}
		if err := tx.Delete(&h).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: h.TerminalID, OperatorID: op.ID,
			Action: "recall", Subject: fmt.Sprint(h.ID)}).Error
	})
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return nil, err
		}
		return nil, dbError(s.path, fmt.Errorf("store: recall order: %w", err))
	}
	o.ID = 0
	o.Status = OrderOpen
	if err := o.Recalc(); err != nil {
		return nil, err
	}
	return &o, nil
}
