package models

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// One-time codes (动态口令): an owner away from the shop approves with the
// code of an authenticator app, RFC 6238 with SHA-1, 30-second steps and 6
// digits. A code is accepted one step early or late, and each owner's codes
// are used once, in the order of their steps.
const (
	OTPIssuer = "Till"
	OTPDigits = 6
	OTPPeriod = 30 // seconds a code lasts
	OTPSkew   = 1  // steps accepted either side of now
)

// TryOTP is a one-time code that no enrolled owner's authenticator shows
// now, or one already used: counted toward a lock-out like a wrong code.
const TryOTP = "otp"

// otpOpts are the code's parameters, for pquerna/otp.
var otpOpts = totp.ValidateOpts{Period: OTPPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// OTPSecret is an owner's authenticator: its secret sealed with the device
// key (never in clear in the database), and the latest time step whose code
// was used, so that no code is used twice nor one older than it.
type OTPSecret struct {
	OperatorID uint   `gorm:"primaryKey;autoIncrement:false"`
	Sealed     []byte `gorm:"not null"`
	LastStep   int64  `gorm:"not null;default:0"`
	EnrolledAt time.Time
}

// OTPEnrolment is an authenticator being set up, kept in memory until its
// first code confirms it (ConfirmOTP): an enrolment left half-done stores
// nothing. Secret (base32) and URL (otpauth://) are shown to the owner
// alone and never logged.
type OTPEnrolment struct {
	OperatorID uint
	Name       string
	Secret     string
	URL        string
}

// String names the enrolment without its secret, should one reach a log.
func (e OTPEnrolment) String() string {
	return fmt.Sprintf("one-time code enrolment of operator %d", e.OperatorID)
}

// SecretGroups is the secret in groups of four, for typing into an
// authenticator by hand.
func (e OTPEnrolment) SecretGroups() string {
	var out []byte
	for i := 0; i < len(e.Secret); i++ {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, e.Secret[i])
	}
	return string(out)
}

// Errors of the one-time codes.
var (
	errOTPFormat = &Error{Code: EINVALID, Key: "error.otp.format", Fallback: "A one-time code is 6 digits"}
	errOTPWrong  = &Error{Code: EINVALID, Key: "error.otp.wrong",
		Fallback: "That one-time code is wrong or has expired: type the code the authenticator shows now"}
	errOTPUsed = &Error{Code: EINVALID, Key: "error.otp.used",
		Fallback: "That one-time code was used already: wait for the next one"}
	errOTPNone = &Error{Code: ENOTFOUND, Key: "error.otp.none",
		Fallback: "No owner has set up an authenticator for one-time codes"}
	errOTPOwnerOnly = &Error{Code: EINVALID, Key: "error.otp.owner_only",
		Fallback: "Only an owner can set up one-time codes: managers and cashiers approve with their code or finger"}
	errOTPNotEnrolled = &Error{Code: ENOTFOUND, Key: "error.otp.not_enrolled",
		Fallback: "No authenticator is set up for this owner"}
)

// errOTPSelf refuses to set up op's authenticator for anyone but op: its
// secret is theirs alone to see.
func errOTPSelf(op Operator) error {
	return &Error{Code: EINVALID, Key: "error.otp.self_only",
		Fallback: "Only {{.Name}} can set up their own authenticator: they enter their code first",
		Args:     map[string]any{"Name": op.Name}}
}

// errOTPLocked refuses one-time codes while they are locked out, for wait
// more.
func errOTPLocked(wait time.Duration) error {
	return &Error{Code: EINVALID, Key: "error.otp.locked", Fallback: "Too many wrong one-time codes: try again in {{.Wait}}",
		Args: map[string]any{"Wait": WaitArg(wait)}}
}

// CheckOTPCode is nil when code has the form of a one-time code: 6 digits.
func CheckOTPCode(code string) error {
	if len(code) != OTPDigits {
		return errOTPFormat
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return errOTPFormat
		}
	}
	return nil
}

// OTPStep is the time step of t: Unix seconds over OTPPeriod.
func OTPStep(t time.Time) int64 { return t.Unix() / OTPPeriod }

// OTPCode is the code secret (base32) gives at step.
func OTPCode(secret string, step int64) (string, error) {
	return totp.GenerateCodeCustom(secret, time.Unix(step*OTPPeriod, 0).UTC(), otpOpts)
}

// matchOTP is the one rule of what code a secret accepts at now: the code
// of now's step or one step either side. It returns the latest step whose
// code it is.
func matchOTP(secret, code string, now time.Time) (int64, bool) {
	step := OTPStep(now)
	for s := step + OTPSkew; s >= step-OTPSkew; s-- {
		want, err := OTPCode(secret, s)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// otpSealName binds a sealed secret to its owner: moved to another, it does
// not open.
func otpSealName(opID uint) string { return fmt.Sprintf("otp:%d", opID) }

// CanEnrolOTP is the rule of who sets up an authenticator: op must be an
// owner, and by op themself, since its secret is shown.
func CanEnrolOTP(op, by Operator) error {
	if op.Role != RoleOwner {
		return errOTPOwnerOnly
	}
	if by.ID != op.ID {
		return errOTPSelf(op)
	}
	return nil
}

// otpEnrolRule is CanEnrolOTP inside a read or a transaction, with the
// active operator opID and by as stored now. It returns the owner.
func otpEnrolRule(db *gorm.DB, opID uint, by Operator) (Operator, error) {
	op, err := activeOperator(db, opID)
	if err != nil {
		return Operator{}, err
	}
	if op.Role != RoleOwner {
		return Operator{}, errOTPOwnerOnly
	}
	now, err := operatorNow(db, by)
	if err != nil {
		return Operator{}, err
	}
	return op, CanEnrolOTP(op, now)
}

// EnrolOTP begins setting up owner opID's authenticator, by the owner
// themself: a new secret, and the otpauth:// URL (issuer Till, account the
// owner's name and the shop's) the authenticator scans. Nothing is stored
// until ConfirmOTP.
func (s *Store) EnrolOTP(ctx context.Context, opID uint, by Operator) (OTPEnrolment, error) {
	var op Operator
	var shop string
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		if op, err = otpEnrolRule(db, opID, by); err != nil {
			return err
		}
		var st Setting
		if err := db.Where("key = ?", SettingStoreName).Limit(1).Find(&st).Error; err != nil {
			return err
		}
		shop = st.Value
		return nil
	})
	if err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ENOTFOUND {
			return OTPEnrolment{}, err
		}
		return OTPEnrolment{}, fmt.Errorf("store: enrol one-time codes: %w", err)
	}
	account := op.Name
	if shop != "" {
		account += " @ " + shop
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: OTPIssuer, AccountName: account, Period: OTPPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return OTPEnrolment{}, fmt.Errorf("store: enrol one-time codes: %w", err)
	}
	return OTPEnrolment{OperatorID: op.ID, Name: op.Name, Secret: key.Secret(), URL: key.URL()}, nil
}

// ConfirmOTP stores the authenticator of enrolment e once code is the one
// it shows at now, sealed with deviceKey, by the owner themself; the code
// is then used. The enrolment is audited, never its secret. A new
// enrolment replaces the owner's old one.
func (s *Store) ConfirmOTP(ctx context.Context, deviceKey []byte, e OTPEnrolment, code string, by Operator, terminalID string, now time.Time) error {
	if err := CheckOTPCode(code); err != nil {
		return err
	}
	step, ok := matchOTP(e.Secret, code, now)
	if !ok {
		return errOTPWrong
	}
	sealed, err := SealSecret(deviceKey, []byte(e.Secret), otpSealName(e.OperatorID))
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		op, err := otpEnrolRule(tx, e.OperatorID, by)
		if err != nil {
			return err
		}
		row := OTPSecret{OperatorID: op.ID, Sealed: sealed, LastStep: step, EnrolledAt: now}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: op.ID,
			Action: "otp_enrol", Subject: fmt.Sprint(op.ID), Detail: op.Name + " set up an authenticator for one-time codes"}).Error
	})
	if err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ENOTFOUND {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: confirm one-time codes: %w", err))
	}
	return nil
}

// RemoveOTP deletes owner opID's authenticator, audited: by the owner, or
// by someone who may manage staff (a lost phone).
func (s *Store) RemoveOTP(ctx context.Context, opID uint, by Operator, terminalID string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		now, err := operatorNow(tx, by)
		if err != nil {
			return err
		}
		if now.ID != opID {
			if _, err := allowedIn(tx, by, PermStaff); err != nil {
				return err
			}
		}
		res := tx.Where("operator_id = ?", opID).Delete(&OTPSecret{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errOTPNotEnrolled
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID,
			Action: "otp_remove", Subject: fmt.Sprint(opID), Detail: "authenticator for one-time codes removed"}).Error
	})
	if err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ENOTFOUND {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: remove one-time codes: %w", err))
	}
	return nil
}

// OTPOwners lists the active owners with an authenticator set up.
func (s *Store) OTPOwners(ctx context.Context) ([]uint, error) {
	var ids []uint
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Model(&OTPSecret{}).
			Joins("JOIN operators ON operators.id = otp_secrets.operator_id").
			Where("operators.active = ? AND operators.role = ?", true, RoleOwner).
			Order("otp_secrets.operator_id").Pluck("otp_secrets.operator_id", &ids).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: one-time code owners: %w", err)
	}
	return ids, nil
}

// ApproveByOTP finds the active owner whose authenticator shows code at now
// (secrets opened with deviceKey) and returns them: the code's step is
// written as their latest, and the approval audited, in one transaction. A
// code is refused when its step is not later than the owner's latest used
// (used already, or older than one used). A wrong or used code counts
// toward terminalID's lock-out (TryOTP); while one lasts, codes are
// refused with how long to wait.
func (s *Store) ApproveByOTP(ctx context.Context, deviceKey []byte, code, terminalID string, now time.Time) (Operator, error) {
	if err := CheckOTPCode(code); err != nil {
		return Operator{}, err // a slip of the finger: not a try
	}
	try := Try{Kind: TryOTP, TerminalID: terminalID}
	until, err := s.LockedUntil(ctx, try, now)
	if err != nil {
		return Operator{}, err
	}
	if until.After(now) {
		return Operator{}, errOTPLocked(until.Sub(now))
	}
	var owner Operator
	var wrong error
	err = s.write(ctx, func(tx *gorm.DB) error {
		var rows []OTPSecret
		if err := tx.Order("operator_id").Find(&rows).Error; err != nil {
			return err
		}
		enrolled := false
		wrong = errOTPWrong
		for _, r := range rows {
			op, err := activeOperator(tx, r.OperatorID)
			if ErrorCode(err) == ENOTFOUND || (err == nil && op.Role != RoleOwner) {
				continue // left, or no longer an owner
			}
			if err != nil {
				return err
			}
			secret, err := OpenSecret(deviceKey, r.Sealed, otpSealName(r.OperatorID))
			if err != nil {
				continue // sealed by another terminal's key: not this one's to use
			}
			enrolled = true
			step, ok := matchOTP(string(secret), code, now)
			if !ok {
				continue
			}
			if step <= r.LastStep {
				wrong, try.OperatorID = errOTPUsed, op.ID
				continue
			}
			res := tx.Model(&OTPSecret{}).Where("operator_id = ? AND last_step < ?", r.OperatorID, step).
				Update("last_step", step)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				wrong, try.OperatorID = errOTPUsed, op.ID // used meanwhile at another till
				continue
			}
			if err := tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: op.ID,
				Action: "otp_approval", Subject: fmt.Sprint(op.ID),
				Detail: op.Ref() + " approved with a one-time code"}).Error; err != nil {
				return err
			}
			owner, wrong = op, nil
			return nil
		}
		if !enrolled {
			wrong = errOTPNone
		}
		return nil
	})
	if err != nil {
		return Operator{}, dbError(s.path, fmt.Errorf("store: approve by one-time code: %w", err))
	}
	if wrong == errOTPNone {
		return Operator{}, wrong // nobody could have typed a right one: not a try
	}
	if wrong != nil {
		until, err := s.CountFailure(context.WithoutCancel(ctx), try, now)
		if err != nil {
			return Operator{}, err
		}
		if until.After(now) {
			return Operator{}, errOTPLocked(until.Sub(now))
		}
		return Operator{}, wrong
	}
	// Approved and audited: a failure to start the count afresh leaves it
	// to the next success, and does not undo the approval.
	_ = s.ResetFailures(ctx, Try{Kind: TryOTP, TerminalID: terminalID, OperatorID: owner.ID})
	return owner, nil
}
