package payments

import (
	"github.com/till-pos/till/models"
)

// QuickCashAmounts are the banknote amounts offered as one-tap tenders, in fen.
var QuickCashAmounts = []int64{5000, 10000}

// MaxCashTendered is the most cash Till accepts for one payment (¥100,000):
// more is surely a keying error.
const MaxCashTendered = 10_000_000

// Cash returns the approved cash payment for an amount due when the customer
// hands over tendered, with the change to give back. Handing over less than
// is due, or an implausible sum, is refused with a message for the cashier.
func Cash(due models.Money, tendered int64) (models.Payment, error) {
	if due.Minor <= 0 {
		return models.Payment{}, &models.Error{Code: models.EINVALID, Key: "error.cash.nothing_due", Fallback: "Nothing is due"}
	}
	if tendered > MaxCashTendered {
		return models.Payment{}, &models.Error{Code: models.EINVALID, Key: "error.cash.too_much",
			Fallback: "{{.Tendered}} is more cash than one sale accepts", Args: map[string]any{"Tendered": models.AmountText(tendered)}}
	}
	if tendered < due.Minor {
		return models.Payment{}, &models.Error{Code: models.EINVALID, Key: "error.cash.short",
			Fallback: "{{.Short}} more is needed", Args: map[string]any{"Short": models.Money{Minor: due.Minor - tendered, Currency: due.Currency}.String()}}
	}
	return models.Payment{
		Tender:   models.TenderCash,
		Status:   models.PaymentApproved,
		Currency: due.Currency,
		Amount:   due.Minor,
		Tendered: tendered,
		Change:   tendered - due.Minor,
	}, nil
}

// QuickTenders returns the one-tap amounts to offer for a sale of due: the
// exact amount first, then each banknote amount that covers it.
func QuickTenders(due int64) []int64 {
	out := []int64{due}
	for _, a := range QuickCashAmounts {
		if a > due {
			out = append(out, a)
		}
	}
	return out
}
