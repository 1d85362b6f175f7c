package models

// paymentMoves lists, for each payment status, the statuses it may move to.
// A status with no entry is final. The store refuses any other move, inside
// the transaction that would make it.
var paymentMoves = map[PaymentStatus][]PaymentStatus{
	PaymentPending: {PaymentApproved, PaymentDeclined, PaymentFailed,
		PaymentReversed, PaymentOfflineApproved},
	PaymentApproved:        {PaymentVoided, PaymentRefunded, PaymentReversed},
	PaymentOfflineApproved: {PaymentAdvised, PaymentVoided},
	PaymentAdvised:         {PaymentVoided, PaymentRefunded},
	PaymentRefunded:        {PaymentRefunded}, // a further partial refund
}

// CanMovePayment reports whether a payment may move from one status to another.
func CanMovePayment(from, to PaymentStatus) bool {
	for _, s := range paymentMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// PaymentFinal reports whether nothing may follow status.
func PaymentFinal(status PaymentStatus) bool { return len(paymentMoves[status]) == 0 }

// PaymentMoveError is the refusal of an illegal move, for the cashier.
func PaymentMoveError(from, to PaymentStatus) *Error {
	return &Error{Code: ECONFLICT, Key: "error.payment.transition",
		Fallback: "A payment that is {{.From}} cannot become {{.To}}",
		Args:     map[string]any{"From": string(from), "To": string(to)}}
}
