package models

import (
	"time"
)

// TaxMode says whether prices include VAT (China's default) or VAT is added.
type TaxMode string

// Tax modes.
const (
	TaxInclusive TaxMode = "inclusive"
	TaxExclusive TaxMode = "exclusive"
)

// DiscountKind is how a Discount's value is read.
type DiscountKind string

// Discount kinds.
const (
	DiscountNone    DiscountKind = ""
	DiscountPercent DiscountKind = "percent" // Value in basis points: 1000 = 10%
	DiscountAmount  DiscountKind = "amount"  // Value in minor units
)

// Discount is taken off a line or a whole order.
type Discount struct {
	Kind  DiscountKind `gorm:"size:8"`
	Value int64
}

// IsZero reports whether the discount takes nothing off.
func (d Discount) IsZero() bool { return d.Kind == DiscountNone || d.Value == 0 }

// PercentDiscount returns a discount of bp basis points (1000 = 10%).
func PercentDiscount(bp int64) Discount { return Discount{DiscountPercent, bp} }

// AmountDiscount returns a discount of a fixed amount in minor units.
func AmountDiscount(minor int64) Discount { return Discount{DiscountAmount, minor} }

// of returns how much d takes off base, or an error when it takes more than
// base or is otherwise malformed.
func (d Discount) of(base int64) (int64, error) {
	switch d.Kind {
	case DiscountNone:
		return 0, nil
	case DiscountPercent:
		if d.Value < 0 || d.Value > 10000 {
			return 0, invalid("error.discount.percent", "A discount must be between 0% and 100%", nil)
		}
		return mulDivRound(base, d.Value, 10000), nil
	case DiscountAmount:
		if d.Value < 0 {
			return 0, invalid("error.discount.negative", "A discount cannot be negative", nil)
		}
		if d.Value > base {
			return 0, invalid("error.discount.too_large", "The discount {{.Discount}} is more than the total {{.Total}}",
				map[string]any{"Discount": AmountText(d.Value), "Total": AmountText(base)})
		}
		return d.Value, nil
	}
	return 0, invalid("error.discount.kind", "Unknown kind of discount", nil)
}

// OrderStatus is where an order is in its life.
type OrderStatus string

// Order statuses.
const (
	OrderOpen      OrderStatus = "open"      // in the cart, not stored
	OrderAwaiting  OrderStatus = "awaiting"  // stored, a card or wallet payment under way
	OrderPaid      OrderStatus = "paid"      // committed with its payments
	OrderVoided    OrderStatus = "voided"    // cancelled after payment, in the open batch
	OrderRefunded  OrderStatus = "refunded"  // money given back, in part or whole
	OrderCancelled OrderStatus = "cancelled" // stored awaiting payment, then given up unpaid
)

// Order is a sale: in memory while the cashier builds it, then stored whole
// with its lines and payments in one transaction.
type Order struct {
	ID     uint   `gorm:"primaryKey"`
	Number string `gorm:"size:40;not null;uniqueIndex"` // terminal id + gapless sequence: T01-00000042
	// The terminal's orders are found by number (terminal, seq), by day
	// (terminal, created) and by amount (terminal, total, created) through
	// indexes, whatever the history's length; its sales by when they were
	// paid (terminal, paid), for the reports.
	TerminalID   string      `gorm:"size:16;not null;uniqueIndex:idx_orders_terminal_seq;index:idx_orders_terminal_created,priority:1;index:idx_orders_terminal_total,priority:1;index:idx_orders_terminal_paid,priority:1"`
	Seq          int64       `gorm:"not null;uniqueIndex:idx_orders_terminal_seq"`
	Status       OrderStatus `gorm:"size:12;not null;index"`
	OperatorID   uint
	OperatorName string   `gorm:"size:64"`
	Currency     Currency `gorm:"size:3;not null"`
	TaxMode      TaxMode  `gorm:"size:12;not null"`
	Discount     Discount `gorm:"embedded;embeddedPrefix:discount_"`
	// Totals, in minor units, as Recalc computed them.
	Subtotal      int64 `gorm:"not null"`                                            // sum of line gross amounts
	DiscountTotal int64 `gorm:"not null"`                                            // line and order discounts
	TaxTotal      int64 `gorm:"not null"`                                            // VAT contained in (or added to) the total
	Total         int64 `gorm:"not null;index:idx_orders_terminal_total,priority:2"` // what the customer pays
	LineCount     int   `gorm:"not null"`                                            // len(Lines) when stored: a whole-order check
	// Batch is the terminal's open batch when the order was stored: an order
	// may be voided while its batch is open, refunded after.
	Batch    int   `gorm:"not null;default:0"`
	Refunded int64 `gorm:"not null;default:0"` // given back so far, minor units
	// TopUpMemberID is, for a member's top-up, the member whose balance the
	// order's total goes to once paid.
	TopUpMemberID uint `gorm:"not null;default:0"`
	Lines         []OrderLine
	Payments      []Payment
	// Approvals are the managers' authorizations given while the order was
	// built; they are written to the audit trail when it is stored.
	Approvals []Approval `gorm:"-"`
	CreatedAt time.Time  `gorm:"index;index:idx_orders_terminal_created,priority:2;index:idx_orders_terminal_total,priority:3"`
	PaidAt    *time.Time `gorm:"index:idx_orders_terminal_paid,priority:2"`
}

// NewOrder returns an empty open order.
func NewOrder(c Currency, mode TaxMode) *Order {
	return &Order{Status: OrderOpen, Currency: c, TaxMode: mode}
}

// OrderLine is one product on an order, with its quantity and amounts.
type OrderLine struct {
	ID        uint   `gorm:"primaryKey"`
	OrderID   uint   `gorm:"not null;index;constraint:OnDelete:CASCADE"`
	LineNo    int    `gorm:"not null"`
	ProductID uint   `gorm:"not null;index"`
	SKU       string `gorm:"size:64;not null"`
	Name      string `gorm:"size:128;not null"`
	NameEN    string `gorm:"size:128"`
	Unit      string `gorm:"size:16"`
	UnitEN    string `gorm:"size:16"`
	Weighed   bool
	UnitPrice int64    `gorm:"not null"`
	Qty       Quantity `gorm:"not null"`
	TaxRateBP int64    `gorm:"not null"`
	Discount  Discount `gorm:"embedded;embeddedPrefix:discount_"`
	// Amounts in minor units, as Recalc computed them.
	Gross         int64 `gorm:"not null"` // UnitPrice × Qty
	LineDiscount  int64 `gorm:"not null"` // this line's own discount
	OrderDiscount int64 `gorm:"not null"` // this line's share of the order discount
	Net           int64 `gorm:"not null"` // Gross less both discounts
	Tax           int64 `gorm:"not null"` // VAT on Net
}

// DisplayName is the line's product name in the language lang ("en" or "zh").
func (l OrderLine) DisplayName(lang string) string {
	if lang == "en" && l.NameEN != "" {
		return l.NameEN
	}
	return l.Name
}

// Payable is what the customer pays for the line, before any exclusive tax.
func (l OrderLine) Payable() int64 { return l.Net }

// Clone returns a copy of the order that shares nothing mutable with it,
// for handing to background work while the cashier keeps editing.
func (o *Order) Clone() *Order {
	c := *o
	c.Lines = append([]OrderLine(nil), o.Lines...)
	c.Payments = append([]Payment(nil), o.Payments...)
	c.Approvals = append([]Approval(nil), o.Approvals...)
	return &c
}
