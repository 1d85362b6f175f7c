package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SignatureUploadTries is how many times a signature is sent to the
// acquirer before Till gives up on it (the paper merchant copy, which
// carries the signature, then stands as the slip).
const SignatureUploadTries = 3

// PaymentSignature is the cardholder's electronic signature (电签) of a card
// payment: the strokes as drawn (esign encoding), the compact 1-bit image
// the acquirer is sent, the transaction feature code shown beside the pad,
// and how its upload stands. It holds no card data.
type PaymentSignature struct {
	ID          uint   `gorm:"primaryKey"`
	PaymentID   uint   `gorm:"not null;uniqueIndex;constraint:OnDelete:CASCADE"`
	Strokes     []byte `gorm:"not null"`
	Image       []byte `gorm:"not null"`
	FeatureCode string `gorm:"size:8"`
	// UploadedAt is when the acquirer took it; nil while it is owed.
	UploadedAt  *time.Time
	UploadTries int    `gorm:"not null;default:0"`
	UploadError string `gorm:"size:200"`
	CreatedAt   time.Time
}

// Uploaded reports whether the acquirer has the signature.
func (s *PaymentSignature) Uploaded() bool { return s != nil && s.UploadedAt != nil }

// CanSign says whether payment p takes a cardholder signature: an approved
// card payment whose cardholder verification is the signature.
func CanSign(p Payment) error {
	if p.Tender != TenderCard || p.CVM != "signature" {
		return &Error{Code: EINVALID, Key: "error.signature.not_asked",
			Fallback: "This payment does not take a signature"}
	}
	if p.Status != PaymentApproved && p.Status != PaymentOfflineApproved && p.Status != PaymentAdvised {
		return &Error{Code: EINVALID, Key: "error.signature.not_approved",
			Fallback: "Only an approved payment is signed"}
	}
	return nil
}

// SaveSignature keeps the signature of payment sig.PaymentID, once: the
// payment must take one (CanSign) and not have one yet.
func (s *Store) SaveSignature(ctx context.Context, sig *PaymentSignature) error {
	if len(sig.Strokes) == 0 || len(sig.Image) == 0 {
		return fmt.Errorf("models: signature of payment %d has no strokes or no image", sig.PaymentID)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		var p Payment
		if err := tx.First(&p, sig.PaymentID).Error; err != nil {
			return notFound(err, "error.signature.no_payment", "There is no such payment to sign", nil)
		}
		if err := CanSign(p); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&PaymentSignature{}).Where("payment_id = ?", p.ID).Count(&n).Error; err != nil {
			return fmt.Errorf("models: signature of payment %d: %w", p.ID, err)
		}
		if n > 0 {
			return &Error{Code: ECONFLICT, Key: "error.signature.already",
				Fallback: "This payment is signed already"}
		}
		sig.ID, sig.UploadedAt, sig.UploadTries, sig.UploadError = 0, nil, 0, ""
		if err := tx.Create(sig).Error; err != nil {
			return fmt.Errorf("models: keep the signature of payment %d: %w", p.ID, err)
		}
		return nil
	})
}

// SignatureOf returns payment paymentID's signature, or nil when it has
// none.
func (s *Store) SignatureOf(ctx context.Context, paymentID uint) (*PaymentSignature, error) {
	var sig PaymentSignature
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("payment_id = ?", paymentID).First(&sig).Error
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("models: signature of payment %d: %w", paymentID, err)
	}
	return &sig, nil
}

// SignatureToUpload is a signature the acquirer is owed, with its payment.
type SignatureToUpload struct {
	Signature PaymentSignature
	Payment   Payment
}

// SignaturesToUpload lists the signatures not yet uploaded and tried fewer
// than SignatureUploadTries times, oldest first.
func (s *Store) SignaturesToUpload(ctx context.Context) ([]SignatureToUpload, error) {
	var sigs []PaymentSignature
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("uploaded_at IS NULL AND upload_tries < ?", SignatureUploadTries).Order("id").Find(&sigs).Error
	})
	if err != nil {
		return nil, fmt.Errorf("models: signatures to upload: %w", err)
	}
	out := make([]SignatureToUpload, 0, len(sigs))
	for _, sig := range sigs {
		var p Payment
		if err := s.read(ctx, func(db *gorm.DB) error { return db.First(&p, sig.PaymentID).Error }); err != nil {
			return nil, fmt.Errorf("models: payment of signature %d: %w", sig.ID, err)
		}
		out = append(out, SignatureToUpload{Signature: sig, Payment: p})
	}
	return out, nil
}

// SignatureUploaded records one upload try of signature id: nil uploadErr
// means the acquirer took it.
func (s *Store) SignatureUploaded(ctx context.Context, id uint, uploadErr error) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		updates := map[string]any{"upload_tries": gorm.Expr("upload_tries + 1")}
		if uploadErr == nil {
			now := time.Now()
			updates["uploaded_at"] = &now
			updates["upload_error"] = ""
		} else {
			msg := uploadErr.Error()
			if len(msg) > 200 {
				msg = msg[:200]
			}
			updates["upload_error"] = msg
		}
		if err := tx.Model(&PaymentSignature{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return fmt.Errorf("models: signature %d upload: %w", id, err)
		}
		return nil
	})
}

// PaymentToSign returns payment id if it takes a signature (CanSign).
func (s *Store) PaymentToSign(ctx context.Context, id uint) (Payment, error) {
	var p Payment
	if err := s.read(ctx, func(db *gorm.DB) error { return db.First(&p, id).Error }); err != nil {
		return Payment{}, notFound(err, "error.signature.no_payment", "There is no such payment to sign", nil)
	}
	return p, CanSign(p)
}
