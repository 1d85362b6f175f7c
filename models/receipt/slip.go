package receipt

import (
	"time"

	"github.com/till-pos/till/models"
)

// SlipKind is what a slip records.
type SlipKind string

// Slip kinds.
const (
	SlipVoid   SlipKind = "void"
	SlipRefund SlipKind = "refund"
)

// BuildSlip lays out the slip of a void or a refund of order o (as stored
// after it): what was undone, how much went back to which tender, when, and
// which manager authorized it, with a line for the customer's signature.
func BuildSlip(o *models.Order, kind SlipKind, amount int64, manager string, at time.Time, shop Shop, tr Translate) []Row {
	money := func(v int64) string { return models.Money{Minor: v, Currency: o.Currency}.String() }
	title := tr("slip.void", "VOID")
	if kind == SlipRefund {
		title = tr("slip.refund", "REFUND")
	}
	rows := []Row{
		{Left: shop.Name, Center: true, Style: Large},
		{Left: title, Center: true, Style: Bold},
		{Rule: true},
		{Left: tr("receipt.order", "Order"), Right: o.Number},
		{Left: tr("receipt.time", "Time"), Right: at.Local().Format(time.DateTime)},
		{Left: tr("slip.original", "Original total"), Right: money(o.Total)},
	}
	for _, p := range o.Payments {
		if p.Amount <= 0 {
			continue
		}
		name := PaymentName(p, tr)
		if p.MaskedPAN != "" {
			name += " " + p.MaskedPAN
		}
		rows = append(rows, Row{Left: tr("slip.tender", "Paid by"), Right: name})
		if p.Reference != "" && p.Tender != models.TenderCash {
			rows = append(rows, Row{Left: tr("slip.reference", "Reference"), Right: p.Reference})
		}
	}
	label := tr("slip.voided_amount", "Voided")
	if kind == SlipRefund {
		label = tr("slip.refunded_amount", "Refunded")
	}
	rows = append(rows, Row{Rule: true}, Row{Left: label, Right: "-" + money(amount), Style: Bold})
	if kind == SlipRefund && o.Refunded != amount {
		rows = append(rows, Row{Left: tr("slip.refunded_total", "Refunded in all"), Right: money(o.Refunded)})
	}
	rows = append(rows,
		Row{Left: tr("slip.manager", "Authorized by"), Right: manager},
		Row{Rule: true},
		Row{Left: tr("slip.signature", "Customer signature:")},
		Row{Left: " "},
		Row{Rule: true})
	return Marked(rows, shop, tr)
}
