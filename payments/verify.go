package payments

import "github.com/till-pos/till/models"

// CVM is how the cardholder was verified for a card payment (the
// cardholder verification method), stored with the payment and printed on
// the receipt.
type CVM string

// Verification methods.
const (
	CVMNone        CVM = "no_cvm"      // small amount: no PIN, no signature (小额免密免签)
	CVMFingerprint CVM = "fingerprint" // the cardholder's enrolled fingerprint
	CVMDevice      CVM = "cdcvm"       // verified on the customer's phone or watch
)

// VerificationPolicy says which card payments need the cardholder verified.
type VerificationPolicy struct {
	// NoCVMLimit: at or under it a contactless payment needs no
	// verification (UnionPay QuickPass: ¥1,000).
	NoCVMLimit int64
	// ContactlessLimit: at or above it a card may not be tapped at all (0:
	// no limit).
	ContactlessLimit int64
	// Fingerprint says whether a fingerprint reader can verify the
	// cardholder above the no-CVM limit.
	Fingerprint bool
}

// DefaultVerificationPolicy is UnionPay QuickPass's ¥1,000 no-PIN limit and
// a ¥50,000 contactless transaction limit, without a fingerprint reader.
var DefaultVerificationPolicy = VerificationPolicy{NoCVMLimit: 100000, ContactlessLimit: 5000000}

// Verification is the policy's decision for one payment, and why.
type Verification struct {
	CVM    CVM
	Reason string // a translation key: why this method
}

// ErrVerificationNeeded means the amount is above the no-PIN limit and the
// cardholder cannot be verified here; the cashier takes another tender.
var ErrVerificationNeeded = &models.Error{Code: models.EINVALID, Key: "error.card.cvm_needed",
	Fallback: "Above {{.Limit}} the cardholder must be verified, which this terminal cannot do yet; take another tender"}

// ErrOverContactlessLimit means the amount is too large for a tap.
var ErrOverContactlessLimit = &models.Error{Code: models.EINVALID, Key: "error.card.over_limit",
	Fallback: "The amount is above the contactless limit; use another tender"}

// Decide chooses the verification for a contactless payment of amount. A
// card that verified its holder itself (consumer device CVM, CTQ byte 2 bit
// 8) needs nothing more.
func (p VerificationPolicy) Decide(amount int64, deviceVerified bool) (Verification, error) {
	if p.ContactlessLimit > 0 && amount >= p.ContactlessLimit {
		return Verification{}, ErrOverContactlessLimit
	}
	if amount <= p.NoCVMLimit {
		return Verification{CVM: CVMNone, Reason: "cvm.reason.small_amount"}, nil
	}
	if deviceVerified {
		return Verification{CVM: CVMDevice, Reason: "cvm.reason.device"}, nil
	}
	if p.Fingerprint {
		return Verification{CVM: CVMFingerprint, Reason: "cvm.reason.over_limit"}, nil
	}
	e := *ErrVerificationNeeded
	e.Args = map[string]any{"Limit": models.Yuan(p.NoCVMLimit).String()}
	return Verification{}, &e
}
