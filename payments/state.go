package payments

import (
	"github.com/till-pos/till/models"
)

// CanTransition reports whether a payment may move from one status to
// another. The table lives with the store (models.CanMovePayment), which
// enforces it in the transaction of each move.
func CanTransition(from, to models.PaymentStatus) bool { return models.CanMovePayment(from, to) }

// Transition checks a move of a payment's status and returns the new status,
// or an error for the cashier when the move is not allowed (voiding a
// declined payment, approving a reversed one, …).
func Transition(from, to models.PaymentStatus) (models.PaymentStatus, error) {
	if !CanTransition(from, to) {
		return from, models.PaymentMoveError(from, to)
	}
	return to, nil
}

// Final reports whether nothing may follow status.
func Final(status models.PaymentStatus) bool { return models.PaymentFinal(status) }
