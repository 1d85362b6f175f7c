package payments

import (
	"errors"
	"testing"

	"github.com/till-pos/till/models"
)

var allStatuses = []models.PaymentStatus{models.PaymentPending, models.PaymentApproved, models.PaymentDeclined,
	models.PaymentFailed, models.PaymentVoided, models.PaymentRefunded, models.PaymentReversed,
	models.PaymentOfflineApproved, models.PaymentAdvised}

func TestTransitions(t *testing.T) {
	allowed := map[[2]models.PaymentStatus]bool{}
	for _, p := range [][2]models.PaymentStatus{
		{models.PaymentPending, models.PaymentApproved},
		{models.PaymentPending, models.PaymentDeclined},
		{models.PaymentPending, models.PaymentFailed},
		{models.PaymentPending, models.PaymentReversed},
		{models.PaymentPending, models.PaymentOfflineApproved},
		{models.PaymentApproved, models.PaymentVoided},
		{models.PaymentApproved, models.PaymentRefunded},
		{models.PaymentApproved, models.PaymentReversed},
		{models.PaymentOfflineApproved, models.PaymentAdvised},
		{models.PaymentOfflineApproved, models.PaymentVoided},
		{models.PaymentAdvised, models.PaymentVoided},
		{models.PaymentAdvised, models.PaymentRefunded},
		{models.PaymentRefunded, models.PaymentRefunded},
	} {
		allowed[p] = true
	}
	// Every pair of statuses: exactly the listed moves are allowed.
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			got, err := Transition(from, to)
			if allowed[[2]models.PaymentStatus{from, to}] {
				if err != nil || got != to {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				continue
			}
			var e *models.Error
			if err == nil || got != from || !errors.As(err, &e) || e.Key != "error.payment.transition" {
				t.Errorf("%s → %s allowed (got %s, %v)", from, to, got, err)
			}
		}
	}
	for _, s := range []models.PaymentStatus{models.PaymentDeclined, models.PaymentFailed, models.PaymentVoided, models.PaymentReversed} {
		if !Final(s) {
			t.Errorf("%s is not final", s)
		}
	}
	if Final(models.PaymentPending) || Final(models.PaymentApproved) {
		t.Error("pending or approved is final")
	}
}
