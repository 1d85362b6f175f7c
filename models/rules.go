package models

import (
	"strconv"
)

// This file holds the rules that the store, the services and the screens all
// ask: whether an order can be voided or refunded and how much, which
// payment statuses mean money was taken, and the valid ranges of the
// settings that bound what staff may do.

// Taken reports whether a payment in this status took the customer's money
// (all of it, or what a partial refund left): approved online or offline,
// advised to the host, or refunded in part.
func (st PaymentStatus) Taken() bool {
	return st == PaymentApproved || st == PaymentOfflineApproved || st == PaymentAdvised || st == PaymentRefunded
}

// Errors of the void and refund rules, in the user's language.
var (
	errVoidNotPaid = &Error{Code: ECONFLICT, Key: "error.void.not_paid",
		Fallback: "Order {{.Number}} cannot be voided: it is not a paid order"}
	errVoidAlready = &Error{Code: ECONFLICT, Key: "error.void.already",
		Fallback: "Order {{.Number}} is voided already"}
	errVoidClosedBatch = &Error{Code: ECONFLICT, Key: "error.void.closed_batch",
		Fallback: "Order {{.Number}} is in a settled batch: refund it instead"}
	errRefundNotPaid = &Error{Code: ECONFLICT, Key: "error.refund.not_paid",
		Fallback: "Order {{.Number}} cannot be refunded: it is not a paid order"}
	errRefundVoided = &Error{Code: ECONFLICT, Key: "error.refund.voided",
		Fallback: "Order {{.Number}} was voided: there is nothing to refund"}
	errRefundNothingLeft = &Error{Code: ECONFLICT, Key: "error.refund.nothing_left",
		Fallback: "Order {{.Number}} has been refunded in full"}
	errRefundAmount = &Error{Code: EINVALID, Key: "error.refund.amount",
		Fallback: "A refund must be more than 0 and at most {{.Left}}"}
	errReprintNotPaid = &Error{Code: ECONFLICT, Key: "error.reprint.not_paid",
		Fallback: "Order {{.Number}} was not paid: it has no receipt to print"}
)

// withArgs is a copy of e with its message arguments.
func withArgs(e *Error, args map[string]any) *Error {
	c := *e
	c.Args = args
	return &c
}

// CanVoid says whether o may be voided: it must be paid, with nothing
// refunded, and stored in the terminal's open batch (openBatch; 0 when the
// caller does not know it, which skips that check). nil means it may.
func CanVoid(o *Order, openBatch int) error {
	if o.Status == OrderVoided {
		return withArgs(errVoidAlready, map[string]any{"Number": o.Number})
	}
	if o.Status != OrderPaid {
		return withArgs(errVoidNotPaid, map[string]any{"Number": o.Number})
	}
	for _, p := range o.Payments {
		if p.Status == PaymentRefunded {
			return withArgs(errVoidNotPaid, map[string]any{"Number": o.Number})
		}
	}
	if openBatch != 0 && o.Batch != openBatch {
		return withArgs(errVoidClosedBatch, map[string]any{"Number": o.Number})
	}
	return nil
}

// Refundable is how much of o may still be given back, over all its
// tenders: nothing unless it is paid (or refunded in part).
func Refundable(o *Order) int64 {
	if o.Status != OrderPaid && o.Status != OrderRefunded {
		return 0
	}
	return max(o.Total-o.Refunded, 0)
}

// PaymentRefundable is how much of payment p of o may still be given back
// to p's tender.
func PaymentRefundable(o *Order, p Payment) int64 {
	left := p.Amount
	for _, q := range o.Payments {
		if q.OriginalID == p.ID {
			left += q.Amount // refunds are negative
		}
	}
	return left
}

// CanRefund says whether amount of o may be given back, left being the most
// that may (Refundable, or PaymentRefundable for one tender). Asked with
// amount = left = Refundable(o), it says whether any refund may be made.
func CanRefund(o *Order, amount, left int64) error {
	if o.Status == OrderVoided {
		return withArgs(errRefundVoided, map[string]any{"Number": o.Number})
	}
	if o.Status != OrderPaid && o.Status != OrderRefunded {
		return withArgs(errRefundNotPaid, map[string]any{"Number": o.Number})
	}
	if Refundable(o) <= 0 {
		return withArgs(errRefundNothingLeft, map[string]any{"Number": o.Number})
	}
	if amount <= 0 || amount > left {
		return withArgs(errRefundAmount, map[string]any{"Left": AmountText(left)})
	}
	return nil
}

// CanReprint says whether o's receipt may be printed again: only an order
// that was paid has one.
func CanReprint(o *Order) error {
	if o.Status == OrderAwaiting || o.Status == OrderCancelled {
		return withArgs(errReprintNotPaid, map[string]any{"Number": o.Number})
	}
	return nil
}

// Errors of the settlement rules, in the user's language.
var (
	errSettleManager = &Error{Code: EINVALID, Key: "error.settle.manager",
		Fallback: "Only a manager can settle the batch: a manager's approval is needed"}
	errNothingToSettle = &Error{Code: EINVALID, Key: "error.settle.empty",
		Fallback: "Nothing to settle: batch {{.Batch}} has no payments"}
)

// CanSettle says whether op may settle the terminal's batch with the
// acquirer: a manager or owner may; anyone else needs one's approval.
func CanSettle(op Operator) error {
	if !op.IsManager() {
		return errSettleManager
	}
	return nil
}

// CanSettleBatch says whether batch b has anything to settle: a batch with
// no payment of any tender and no card or QR request approved is refused,
// and nothing goes to the host.
func CanSettleBatch(b BatchContents) error {
	if b.Payments == 0 && b.Requests == 0 {
		return withArgs(errNothingToSettle, map[string]any{"Batch": b.Batch})
	}
	return nil
}

// Auto-lock: the idle minutes before the till locks.
const (
	DefaultAutoLock = 2       // minutes, when none is set
	MaxAutoLock     = 24 * 60 // a day
)

var errAutoLock = &Error{Code: EINVALID, Key: "error.auto_lock.range",
	Fallback: "Auto-lock is between 0 (never) and 1440 minutes"}

// CheckAutoLock refuses an auto-lock time outside 0 (never) to a day.
func CheckAutoLock(minutes int) error {
	if minutes < 0 || minutes > MaxAutoLock {
		return errAutoLock
	}
	return nil
}

// ParseAutoLock reads the auto-lock setting as typed or stored.
func ParseAutoLock(text string) (int, error) { return parseChecked(text, errAutoLock, CheckAutoLock) }

// parseChecked reads a whole number as typed or stored and checks it;
// text that is no number is bad.
func parseChecked(text string, bad error, check func(int) error) (int, error) {
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, bad
	}
	return n, check(n)
}

var errDiscountLimit = &Error{Code: EINVALID, Key: "error.discount_limit",
	Fallback: "The discount limit must be between 0% and 100%"}

// CheckDiscountLimit refuses a cashier discount limit outside 0–100%
// (basis points, 0–10000).
func CheckDiscountLimit(bp int64) error {
	if bp < 0 || bp > 10000 {
		return errDiscountLimit
	}
	return nil
}

// ParseDiscountLimit reads the stored discount limit; a value that is not a
// valid number of basis points is taken as the default.
func ParseDiscountLimit(text string) int64 {
	bp, err := strconv.ParseInt(text, 10, 64)
	if err != nil || CheckDiscountLimit(bp) != nil {
		return DefaultDiscountLimit
	}
	return bp
}

// Keyboard-wedge scanners: the longest pause between two keys of one scan,
// in milliseconds, and the key that ends a scan.
const (
	DefaultScanGap  = 50
	MinScanGap      = 5
	MaxScanGap      = 500
	ScanSuffixEnter = "enter"
	ScanSuffixTab   = "tab"
)

var errScanGap = &Error{Code: EINVALID, Key: "error.scan_gap.range",
	Fallback: "The scanner's keys are between 5 and 500 ms apart"}

var errScanSuffix = &Error{Code: EINVALID, Key: "error.scan_suffix",
	Fallback: "A scan ends with Enter or Tab"}

// CheckScanGap refuses a scanner key gap outside 5–500 ms.
func CheckScanGap(ms int) error {
	if ms < MinScanGap || ms > MaxScanGap {
		return errScanGap
	}
	return nil
}

// ParseScanGap reads the scanner key gap as typed or stored.
func ParseScanGap(text string) (int, error) { return parseChecked(text, errScanGap, CheckScanGap) }

// CheckScanSuffix refuses a scan suffix other than Enter or Tab.
func CheckScanSuffix(suffix string) error {
	if suffix != ScanSuffixEnter && suffix != ScanSuffixTab {
		return errScanSuffix
	}
	return nil
}
