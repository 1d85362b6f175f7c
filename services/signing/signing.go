// Package signing keeps the cardholder's electronic signature (电签) of a
// card payment verified by signature: what the signature screen shows
// beside the pad (the amount, the masked card, the transaction feature
// code), and the signature itself, its strokes and the compact image that
// the merchant copy prints and the acquirer is sent.
package signing

import (
	"context"
	"errors"
	"fmt"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/esign"
)

// ImageWidths are the widths, in printer dots, tried in turn for a
// signature's image: the widest whose PNG an upload can carry is kept
// (384 fills 58 mm paper).
var ImageWidths = []int{384, 320, 256, 192, 128}

// Signing keeps the signatures of one terminal's payments.
type Signing struct {
	store      *models.Store
	terminalID string
}

// New keeps signatures in s for the payments of terminal terminalID.
func New(s *models.Store, terminalID string) *Signing {
	return &Signing{store: s, terminalID: terminalID}
}

// Slip is what the signature screen shows for payment paymentID, which
// must take a signature (models.CanSign).
func (g *Signing) Slip(ctx context.Context, paymentID uint) (esign.Slip, error) {
	p, err := g.store.PaymentToSign(ctx, paymentID)
	if err != nil {
		return esign.Slip{}, err
	}
	sl := esign.Slip{PaymentID: p.ID, Amount: models.Money{Minor: p.Amount, Currency: p.Currency},
		MaskedPAN: p.MaskedPAN, Scheme: p.Scheme}
	if p.Key == "" {
		return sl, nil
	}
	req, err := g.store.RequestByKey(ctx, g.terminalID, p.Key)
	if err != nil {
		return esign.Slip{}, fmt.Errorf("signing: the bank's reference of payment %d: %w", p.ID, err)
	}
	if req.RRN != "" {
		// The settlement date (field 15) is not kept: the code starts 0000,
		// as terminals print it when the host gave none.
		sl.FeatureCode = esign.FeatureCode("", req.RRN)
	}
	return sl, nil
}

// Sign keeps sig as the signature of payment paymentID: it must be a
// signature (esign.Signature.Valid), the payment must take one and not be
// signed yet. The image kept is the widest of ImageWidths that an upload
// carries (acquirer.MaxSignatureImage).
func (g *Signing) Sign(ctx context.Context, paymentID uint, sig esign.Signature) error {
	if err := sig.Valid(); err != nil {
		return err
	}
	sl, err := g.Slip(ctx, paymentID)
	if err != nil {
		return err
	}
	img, _, err := sig.PNGWithin(acquirer.MaxSignatureImage+1, ImageWidths...)
	if errors.Is(err, esign.ErrTooLarge) {
		return esign.ErrTooMuch // too dense to send even small: sign again
	}
	if err != nil {
		return fmt.Errorf("signing: image of the signature of payment %d: %w", paymentID, err)
	}
	return g.store.SaveSignature(ctx, &models.PaymentSignature{PaymentID: paymentID, Strokes: sig.Encode(),
		Image: img, FeatureCode: sl.FeatureCode})
}
