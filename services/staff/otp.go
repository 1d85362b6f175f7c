package staff

import (
	"context"

	"github.com/till-pos/till/models"
)

// errNoOTPKey: the terminal was started without a key to seal the
// authenticators' secrets with.
var errNoOTPKey = &models.Error{Code: models.EINVALID, Key: "error.otp.no_key",
	Fallback: "One-time codes are not available on this terminal: it has no key to keep their secrets"}

// SetOTPKey gives the key that seals the owners' authenticator secrets (a
// subkey of the device key, kept outside the data folder); without one,
// no one-time code is set up or accepted.
func (s *Staff) SetOTPKey(key []byte) { s.otpKey = key }

// EnrolOTP begins setting up op's authenticator, by by: op must be an
// owner and by op themself (models.CanEnrolOTP; the store checks again as
// stored). Nothing is kept until ConfirmOTP.
func (s *Staff) EnrolOTP(ctx context.Context, op, by models.Operator) (models.OTPEnrolment, error) {
	if err := models.CanEnrolOTP(op, by); err != nil {
		return models.OTPEnrolment{}, err
	}
	if s.otpKey == nil {
		return models.OTPEnrolment{}, errNoOTPKey
	}
	return s.store.EnrolOTP(ctx, op.ID, by)
}

// ConfirmOTP keeps enrolment e once code is the one its authenticator
// shows now, by the owner themself.
func (s *Staff) ConfirmOTP(ctx context.Context, e models.OTPEnrolment, code string, by models.Operator) error {
	if s.otpKey == nil {
		return errNoOTPKey
	}
	if err := models.CanEnrolOTP(models.Operator{ID: e.OperatorID, Name: e.Name, Role: models.RoleOwner}, by); err != nil {
		return err
	}
	return s.store.ConfirmOTP(ctx, s.otpKey, e, code, by, s.session.TerminalID(), s.Now())
}

// RemoveOTP deletes op's authenticator: by op, or by someone who may
// manage staff (the store checks, as stored).
func (s *Staff) RemoveOTP(ctx context.Context, op, by models.Operator) error {
	if by.ID != op.ID {
		if err := s.store.Allowed(ctx, by, models.PermStaff); err != nil {
			return err
		}
	}
	return s.store.RemoveOTP(ctx, op.ID, by, s.session.TerminalID())
}

// HasOTP reports whether an owner can approve here with a one-time code:
// one has set up an authenticator, and the terminal has the key.
func (s *Staff) HasOTP(ctx context.Context) (bool, error) {
	if s.otpKey == nil {
		return false, nil
	}
	ids, err := s.store.OTPOwners(ctx)
	return len(ids) > 0, err
}

// ApproveByOTP returns the owner whose authenticator shows code now, for
// an approval. Wrong codes count toward this terminal's lock-out.
func (s *Staff) ApproveByOTP(ctx context.Context, code string) (models.Operator, error) {
	if s.otpKey == nil {
		return models.Operator{}, errNoOTPKey
	}
	return s.store.ApproveByOTP(ctx, s.otpKey, code, s.session.TerminalID(), s.Now())
}
