package models

import "sort"

// This file holds the rules of a void or refund that need more than the
// order: which payment gives back how much of a refund, and whether a
// top-up may be taken back off the member's balance. The services ask them
// (through Store.CheckVoid and Store.CheckRefund) before the bank is asked,
// and the store asks the same functions again in the transaction that
// applies the bank's approval, so that a void or refund the bank approved
// is not refused locally after.

// ViaHost reports whether p took money through the acquirer's host: a card
// or QR payment with a key, whose void or refund the host must approve.
// Cash and a member's balance are given back locally.
func (p Payment) ViaHost() bool {
	return p.Key != "" && p.Tender != TenderCash && p.Tender != TenderFingerprint
}

// takenOriginal reports whether p is a payment that took money (not a
// refund's negative row).
func takenOriginal(p Payment) bool {
	return p.Status.Taken() && p.Amount > 0 && p.OriginalID == 0
}

// givesBackLocally reports whether p's money is given back without the
// host: cash from the drawer, a member's balance to the balance.
func givesBackLocally(p Payment) bool {
	return p.Tender == TenderCash || p.Tender == TenderFingerprint
}

// refundableTender reports whether Till can give money back to p's
// tender: through the host, or locally. (A card payment taken on another
// terminal and only recorded here has neither.)
func refundableTender(p Payment) bool { return p.ViaHost() || givesBackLocally(p) }

// RefundShare is how much of a refund one of an order's taken payments
// gives back, to its own tender.
type RefundShare struct {
	Payment Payment
	Amount  int64 // minor units, more than 0
}

// refundRank orders tenders as a refund goes back to them: host tenders
// first, then a member's balance, cash last.
func refundRank(p Payment) int {
	switch {
	case p.ViaHost():
		return 0
	case p.Tender == TenderFingerprint:
		return 1
	}
	return 2
}

// RefundLeft is the most that may still be given back of o: what each of
// its taken payments may still give back (PaymentRefundable), summed, and
// never more than the order has left (Refundable). Only tenders Till can
// give back to count: through the host, from the drawer or to a balance.
func RefundLeft(o *Order) int64 {
	var sum int64
	for _, p := range o.Payments {
		if takenOriginal(p) && refundableTender(p) {
			sum += max(PaymentRefundable(o, p), 0)
		}
	}
	return min(sum, Refundable(o))
}

// RefundShares says which of o's taken payments give back how much of a
// refund of amount, in the order they give it back:
//
//  1. host tenders (card, QR: payments with a key that went to the host),
//     the latest payment first: the bank gives it back to the customer's
//     own account;
//  2. then a member's balance, the latest payment first;
//  3. cash last, the latest payment first, from the drawer.
//
// No payment gives back more than its own refundable amount
// (PaymentRefundable: what it took less what was given back from it
// already). The refund is refused as CanRefund refuses it, the most that
// may be given back being RefundLeft (the sum of the payments' refundable
// amounts), not the order's total; a refused refund has no shares.
func RefundShares(o *Order, amount int64) ([]RefundShare, error) {
	if err := CanRefund(o, amount, RefundLeft(o)); err != nil {
		return nil, err
	}
	var pays []Payment
	for _, p := range o.Payments {
		if takenOriginal(p) && refundableTender(p) && PaymentRefundable(o, p) > 0 {
			pays = append(pays, p)
		}
	}
	sort.SliceStable(pays, func(i, j int) bool {
		if a, b := refundRank(pays[i]), refundRank(pays[j]); a != b {
			return a < b
		}
		return pays[i].ID > pays[j].ID
	})
	var shares []RefundShare
	for _, p := range pays {
		if amount == 0 {
			break
		}
		n := min(amount, PaymentRefundable(o, p))
		shares = append(shares, RefundShare{Payment: p, Amount: n})
		amount -= n
	}
	return shares, nil
}

// Errors of the top-up rule, in the user's language.
var (
	errTopUpSpent = &Error{Code: ECONFLICT, Key: "error.topup.spent",
		Fallback: "{{.Name}} has spent this top-up: {{.Balance}} is left on the balance, less than the {{.Amount}} to take back"}
	errTopUpEnded = &Error{Code: ECONFLICT, Key: "error.topup.ended",
		Fallback: "The membership order {{.Number}} topped up has ended: the top-up cannot be taken back"}
)

// CanTakeBackTopUp says whether amount may be taken off the balance of m,
// the member top-up order o filled, by a void or refund of o: the
// membership must not have ended, and the balance must still hold amount (a
// top-up spent already cannot be given back). An order that is no top-up
// passes whatever m is.
func CanTakeBackTopUp(o *Order, m Member, amount int64) error {
	if o.TopUpMemberID == 0 || amount <= 0 {
		return nil
	}
	if m.ID != o.TopUpMemberID || !m.Active {
		return withArgs(errTopUpEnded, map[string]any{"Number": o.Number})
	}
	if m.Balance < amount {
		return withArgs(errTopUpSpent, map[string]any{"Name": m.Name, "Balance": AmountText(m.Balance), "Amount": AmountText(amount)})
	}
	return nil
}

// VoidRules says whether o may be voided now, with every rule its store
// step asks: CanVoid (openBatch as there), each taken payment's move to
// voided, and for a top-up CanTakeBackTopUp of its total, topUp being the
// member it filled as stored now (ignored for any other order).
func VoidRules(o *Order, openBatch int, topUp Member) error {
	if err := CanVoid(o, openBatch); err != nil {
		return err
	}
	for _, p := range o.Payments {
		if p.Status.Taken() && !CanMovePayment(p.Status, PaymentVoided) {
			return PaymentMoveError(p.Status, PaymentVoided)
		}
	}
	return CanTakeBackTopUp(o, topUp, o.Total)
}

// RefundRules says whether amount of o may be given back now, with every
// rule its store steps ask, and how (RefundShares): for a top-up,
// CanTakeBackTopUp of amount too, topUp being the member it filled as
// stored now (ignored for any other order).
func RefundRules(o *Order, amount int64, topUp Member) ([]RefundShare, error) {
	shares, err := RefundShares(o, amount)
	if err != nil {
		return nil, err
	}
	if err := CanTakeBackTopUp(o, topUp, amount); err != nil {
		return nil, err
	}
	return shares, nil
}
