package esign

import "github.com/till-pos/till/models"

// Slip is what the cardholder sees beside the signature pad: the payment
// being signed, its masked card and its transaction feature code.
type Slip struct {
	PaymentID uint
	Amount    models.Money
	MaskedPAN string
	Scheme    string
	// FeatureCode is the approval's transaction feature code
	// (FeatureCode); "" when the payment has no reference from the host.
	FeatureCode string
}
