package payments

import (
	"github.com/till-pos/till/models"
)

// transitions lists, for each payment status, the statuses it may move to.
// A status with no entry is final.
var transitions = map[models.PaymentStatus][]models.PaymentStatus{
	models.PaymentPending: {models.PaymentApproved, models.PaymentDeclined, models.PaymentFailed,
		models.PaymentReversed, models.PaymentOfflineApproved},
	models.PaymentApproved:        {models.PaymentVoided, models.PaymentRefunded, models.PaymentReversed},
	models.PaymentOfflineApproved: {models.PaymentAdvised, models.PaymentVoided},
	models.PaymentAdvised:         {models.PaymentVoided, models.PaymentRefunded},
	models.PaymentRefunded:        {models.PaymentRefunded}, // a further partial refund
}

// CanTransition reports whether a payment may move from one status to another.
func CanTransition(from, to models.PaymentStatus) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Transition checks a move of a payment's status and returns the new status,
// or an error for the cashier when the move is not allowed (voiding a
// declined payment, approving a reversed one, …).
func Transition(from, to models.PaymentStatus) (models.PaymentStatus, error) {
	if !CanTransition(from, to) {
		return from, &models.Error{Code: models.ECONFLICT, Key: "error.payment.transition",
			Fallback: "A payment that is {{.From}} cannot become {{.To}}",
			Args:     map[string]any{"From": string(from), "To": string(to)}}
	}
	return to, nil
}

// Final reports whether nothing may follow status.
func Final(status models.PaymentStatus) bool { return len(transitions[status]) == 0 }
