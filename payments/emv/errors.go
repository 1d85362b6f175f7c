package emv

import "github.com/till-pos/till/models"

// Translation keys of the errors Read returns for the cashier.
const (
	KeyExpired         = "error.card.expired"
	KeyNotAccepted     = "error.card.not_accepted"
	KeyOverLimit       = "error.card.over_limit"
	KeyRead            = "error.card.read"
	KeyNoApp           = "error.card.no_app"
	KeyDeclinedOffline = "error.card.declined_offline"
)

// fallbacks are the English texts of the keys.
var fallbacks = map[string]string{
	KeyExpired:         "The card has expired",
	KeyNotAccepted:     "This card is not accepted here",
	KeyOverLimit:       "The amount is above the contactless limit; use another tender",
	KeyRead:            "The card could not be read; tap again",
	KeyNoApp:           "No payment application this terminal accepts was found on the card",
	KeyDeclinedOffline: "The card declined the payment",
}

// cardError returns the *models.Error for key with cause (which may be nil).
func cardError(key string, cause error) *models.Error {
	return &models.Error{Code: models.EINVALID, Key: key, Fallback: fallbacks[key], Err: cause}
}
