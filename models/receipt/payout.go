package receipt

import (
	"fmt"
	"time"

	"github.com/till-pos/till/models"
)

// BuildPayoutSlip lays out the slip of a member's balance paid out in
// cash: the shop, the masked member, the amount, when, who paid it out at
// which terminal, and a line for the customer to sign that they received
// it.
func BuildPayoutSlip(p models.MemberPayout, currency models.Currency, shop Shop, tr Translate) []Row {
	rows := []Row{
		{Left: shop.Name, Center: true, Style: Large},
		{Left: tr("slip.member_payout", "Member balance paid out"), Center: true, Style: Bold},
		{Rule: true},
		{Left: tr("receipt.member", "Member"), Right: p.Member},
		{Left: tr("slip.payout_number", "Payout no."), Right: fmt.Sprint(p.EntryID)},
		{Left: tr("receipt.time", "Time"), Right: p.At.Local().Format(time.DateTime)},
		{Left: tr("slip.paid_out_by", "Paid out by"), Right: p.OperatorName},
		{Left: tr("receipt.terminal", "Terminal"), Right: p.TerminalID},
		{Rule: true},
		{Left: tr("slip.paid_out_cash", "Paid out in cash"), Right: models.Money{Minor: p.Amount, Currency: currency}.String(), Style: Bold},
		{Left: tr("slip.payout_balance_left", "Balance left"), Right: models.Money{Minor: 0, Currency: currency}.String()},
		{Rule: true},
		{Left: tr("slip.payout_received", "Received the amount above in cash.")},
		{Left: tr("slip.payout_signature", "Customer signature:")},
		{Left: " "},
		{Left: " "},
		{Rule: true},
	}
	return Marked(rows, shop, tr)
}
