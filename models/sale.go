package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SaleContext says who sells where.
type SaleContext struct {
	TerminalID string
	Operator   Operator
	Now        time.Time // zero means time.Now()
}

// OrderNumber formats a terminal's sequence number: "T01-00000042".
func OrderNumber(terminalID string, seq int64) string {
	return fmt.Sprintf("%s-%08d", terminalID, seq)
}

// outboxSale is the payload of a "sale" outbox entry: what the acquirer link
// needs, and never card data.
type outboxSale struct {
	OrderNumber string   `json:"order_number"`
	TerminalID  string   `json:"terminal_id"`
	Tender      Tender   `json:"tender"`
	Amount      int64    `json:"amount"`
	Currency    Currency `json:"currency"`
	Reference   string   `json:"reference,omitempty"`
	At          string   `json:"at"`
}

// CommitSale stores a paid order in ONE transaction: the next gapless order
// number, the order, its lines, its payments, the stock decrements, an outbox
// entry per payment, an audit entry and one per manager's approval. Either
// all of it is stored or none. When the shop does not sell below zero
// stock, an order that would take a product's stock below zero is refused
// (CheckStock), inside the same transaction.
// An order already stored awaiting payment (o.ID set: a card was declined,
// say) is completed with these payments instead. On success o carries its
// ID, number, status and time.
func (s *Store) CommitSale(ctx context.Context, o *Order, payments []Payment, sc SaleContext) error {
	if err := validateSale(o, payments, o.ID == 0); err != nil {
		return err
	}
	now := sc.Now
	if now.IsZero() {
		now = time.Now()
	}
	if sc.TerminalID == "" {
		return errNoTerminal()
	}
	var stored Order
	err := s.write(ctx, func(tx *gorm.DB) error {
		if o.ID != 0 {
			if err := loadAwaiting(tx, o.ID, &stored); err != nil {
				return err
			}
			if stored.Total != o.Total {
				return errSaleStale()
			}
			var paid int64
			for _, p := range payments {
				paid += p.Amount
			}
			if due := stored.Due(); paid != due {
				return errPaidMismatch(paid, due)
			}
			if err := checkStock(tx, &stored); err != nil {
				return err
			}
		} else {
			stored = *o.Clone()
			stored.Payments = nil
			if err := insertOrder(tx, &stored, sc, now, OrderPaid); err != nil {
				return err
			}
		}
		pays := make([]Payment, len(payments))
		for i, p := range payments {
			p.ID = 0
			p.OrderID = stored.ID
			p.CreatedAt = now
			if p.Currency == "" {
				p.Currency = stored.Currency
			}
			pays[i] = p
		}
		if err := tx.Create(&pays).Error; err != nil {
			return fmt.Errorf("insert payments: %w", err)
		}
		return completeSale(tx, &stored, pays, now)
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: commit sale: %w", err))
	}
	*o = stored
	return nil
}

// insertOrder gives an order the terminal's next number and open batch and
// stores it with its lines, in status, and its managers' approvals in the
// audit trail.
func insertOrder(tx *gorm.DB, o *Order, sc SaleContext, now time.Time, status OrderStatus) error {
	seq, err := nextSeq(tx, "order:"+sc.TerminalID)
	if err != nil {
		return err
	}
	batch, err := openBatch(tx, sc.TerminalID)
	if err != nil {
		return err
	}
	o.ID = 0
	o.TerminalID = sc.TerminalID
	o.Seq = seq
	o.Number = OrderNumber(sc.TerminalID, seq)
	o.Status = status
	o.Batch = batch
	o.OperatorID = sc.Operator.ID
	o.OperatorName = sc.Operator.Name
	o.CreatedAt = now
	o.PaidAt = nil
	if status == OrderPaid {
		o.PaidAt = &now
	}
	o.LineCount = len(o.Lines)
	for i := range o.Lines {
		o.Lines[i].ID = 0
		o.Lines[i].OrderID = 0
	}
	if err := tx.Omit(clause.Associations).Create(o).Error; err != nil {
		return fmt.Errorf("insert order: %w", err)
	}
	for i := range o.Lines {
		o.Lines[i].OrderID = o.ID
	}
	if err := tx.Create(&o.Lines).Error; err != nil {
		return fmt.Errorf("insert lines: %w", err)
	}
	if err := checkDiscountLimit(tx, o, sc.Operator); err != nil {
		return err
	}
	if err := checkStock(tx, o); err != nil {
		return err
	}
	return auditApprovals(tx, o, now)
}

// loadAwaiting reads an order stored awaiting payment, with its lines and
// payments.
func loadAwaiting(tx *gorm.DB, id uint, o *Order) error {
	err := tx.Preload("Lines", func(db *gorm.DB) *gorm.DB { return db.Order("line_no") }).
		Preload("Payments").First(o, id).Error
	if err != nil {
		return notFoundAs(err, msgNoOrder)
	}
	if o.Status != OrderAwaiting {
		return &Error{Code: ECONFLICT, Key: "error.order.not_awaiting",
			Fallback: "Order {{.Number}} is not waiting for payment", Args: map[string]any{"Number": o.Number}}
	}
	return nil
}

// completeSale marks a stored order paid by pays (its newly approved
// payments): the stock leaves the shelf, each payment is queued for the
// acquirer, and the sale is audited.
func completeSale(tx *gorm.DB, o *Order, pays []Payment, now time.Time) error {
	if o.Status != OrderPaid {
		o.Status = OrderPaid
		o.PaidAt = &now
		if err := tx.Model(&Order{}).Where("id = ?", o.ID).
			Updates(map[string]any{"status": OrderPaid, "paid_at": now}).Error; err != nil {
			return fmt.Errorf("order paid: %w", err)
		}
	}
	for _, l := range o.Lines {
		if !l.Stocked() {
			continue
		}
		if err := tx.Exec("UPDATE products SET stock = stock - ? WHERE id = ?", int64(l.Qty), l.ProductID).Error; err != nil {
			return fmt.Errorf("stock of %s: %w", l.SKU, err)
		}
	}
	for _, p := range pays {
		if err := queueOutbox(tx, "sale", o, p, p.Amount, now); err != nil {
			return err
		}
	}
	o.Payments = append(o.Payments, pays...)
	if err := tallySale(tx, o, now); err != nil {
		return err
	}
	if o.TopUpMemberID != 0 {
		if err := moveBalance(tx, o.TopUpMemberID, o.Total, "topup", o.ID, 0, o.OperatorID, now); err != nil {
			return err
		}
	}
	return tx.Create(&AuditEntry{At: now, TerminalID: o.TerminalID, OperatorID: o.OperatorID,
		Action: "sale", Subject: o.Number,
		Detail: fmt.Sprintf("total=%d lines=%d", o.Total, o.LineCount)}).Error
}

// queueOutbox queues a record of kind ("sale", "void", "refund") of amount
// (positive) taken by payment p of order o, for the acquirer.
func queueOutbox(tx *gorm.DB, kind string, o *Order, p Payment, amount int64, now time.Time) error {
	payload, err := json.Marshal(outboxSale{
		OrderNumber: o.Number, TerminalID: o.TerminalID, Tender: p.Tender,
		Amount: amount, Currency: p.Currency, Reference: p.Reference, At: now.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return fmt.Errorf("outbox payload: %w", err)
	}
	if err := tx.Create(&OutboxEntry{Kind: kind, OrderID: o.ID, PaymentID: p.ID,
		Payload: string(payload), CreatedAt: now}).Error; err != nil {
		return fmt.Errorf("insert outbox: %w", err)
	}
	return nil
}

// validateSale checks that the order is whole and the payments are
// approved; whole asks them to cover the total exactly (a stored order's
// earlier payments count too, checked when it is loaded).
func validateSale(o *Order, payments []Payment, whole bool) error {
	if o == nil || len(o.Lines) == 0 {
		return errSaleEmpty()
	}
	check := o.Clone()
	if err := check.Recalc(); err != nil {
		return err
	}
	if check.Total != o.Total {
		return errSaleStale()
	}
	if len(payments) == 0 {
		return invalid("error.sale.unpaid", "The order has not been paid", nil)
	}
	var paid int64
	for _, p := range payments {
		if p.Amount <= 0 || p.Status != PaymentApproved || p.Tender == TenderFingerprint {
			return errBadPayment()
		}
		if p.Tender == TenderCash && p.Tendered-p.Change != p.Amount {
			return invalid("error.sale.bad_change", "Cash handed over less change must equal the amount", nil)
		}
		paid += p.Amount
	}
	if whole && paid != o.Total {
		return errPaidMismatch(paid, o.Total)
	}
	return nil
}

// nextSeq advances the named gapless sequence inside tx and returns the
// number handed out; a rolled-back transaction gives the number back.
func nextSeq(tx *gorm.DB, name string) (int64, error) {
	var n int64
	if err := tx.Raw(nextSeqSQL, name).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("sequence %s: %w", name, err)
	}
	if n < 1 {
		return 0, fmt.Errorf("sequence %s: got %d", name, n)
	}
	return n, nil
}

// nextSeqSQL creates the sequence at 1 or advances it, returning the number
// handed out, in one statement.
const nextSeqSQL = `INSERT INTO sequences(name, next) VALUES(?, 2)
	ON CONFLICT(name) DO UPDATE SET next = next + 1 RETURNING next - 1`

// OrdersBetween lists the terminal's orders created in [from, to), newest
// first, with their payments but not their lines.
func (s *Store) OrdersBetween(ctx context.Context, terminalID string, from, to time.Time) ([]Order, error) {
	var orders []Order
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Preload("Payments").
			Where("terminal_id = ? AND created_at >= ? AND created_at < ?", terminalID, from, to).
			Order("seq DESC").Find(&orders).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: list orders: %w", err)
	}
	return orders, nil
}

// OrderByID returns an order with its lines and payments.
func (s *Store) OrderByID(ctx context.Context, id uint) (*Order, error) {
	var o Order
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Preload("Lines", func(db *gorm.DB) *gorm.DB { return db.Order("line_no") }).
			Preload("Payments").First(&o, id).Error
	})
	if err != nil {
		return nil, notFoundAs(err, msgNoOrder)
	}
	return &o, nil
}
