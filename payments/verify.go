package payments

import "github.com/till-pos/till/models"

// CVM is how the cardholder was verified for a card payment (the
// cardholder verification method), stored with the payment and printed on
// the receipt.
type CVM string

// Verification methods.
const (
	CVMNone      CVM = "no_cvm"    // small amount: no PIN, no signature (小额免密免签)
	CVMSignature CVM = "signature" // the cardholder signs on the screen (电子签名)
	CVMDevice    CVM = "cdcvm"     // verified on the customer's phone or watch
	// CVMFingerprint was a member's fingerprint taken as the verification;
	// the bank never saw it. Payments taken before signatures keep it.
	CVMFingerprint CVM = "fingerprint"
)

// Results returns the CVM Results (9F34) the bank is told: method, condition
// and result per EMV Book 3 Annex C3. No CVM is 1F 00 02 (no CVM required,
// successful); a signature is 1E 03 00 (signature, if the terminal supports
// it, result unknown: the merchant judges it); a consumer device CVM is
// 01 00 02 as kernels report it (verified by the card's device). Anything
// else is 3F 00 01 (no CVM performed, failed).
func (c CVM) Results() [3]byte {
	switch c {
	case CVMNone:
		return [3]byte{0x1F, 0x00, 0x02}
	case CVMSignature:
		return [3]byte{0x1E, 0x03, 0x00}
	case CVMDevice:
		return [3]byte{0x01, 0x00, 0x02}
	}
	return [3]byte{0x3F, 0x00, 0x01}
}

// VerificationPolicy says which card payments need the cardholder verified.
type VerificationPolicy struct {
	// NoCVMLimit: at or under it a contactless payment needs no
	// verification (UnionPay QuickPass: ¥1,000).
	NoCVMLimit int64
	// ContactlessLimit: at or above it a card may not be tapped at all (0:
	// no limit).
	ContactlessLimit int64
}

// DefaultVerificationPolicy is UnionPay QuickPass's ¥1,000 no-PIN limit and
// a ¥50,000 contactless transaction limit.
var DefaultVerificationPolicy = VerificationPolicy{NoCVMLimit: 100000, ContactlessLimit: 5000000}

// Verification is the policy's decision for one payment, and why.
type Verification struct {
	CVM    CVM
	Reason string // a translation key: why this method
}

// ErrOverContactlessLimit means the amount is too large for a tap.
var ErrOverContactlessLimit = &models.Error{Code: models.EINVALID, Key: "error.card.over_limit",
	Fallback: "The amount is above the contactless limit; use another tender"}

// Decide chooses the verification for a contactless payment of amount: none
// at or under the no-CVM limit; above it nothing more for a card that
// verified its holder itself (consumer device CVM, CTQ byte 2 bit 8), else
// the cardholder's signature on the screen, as 电签 terminals take it.
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
	return Verification{CVM: CVMSignature, Reason: "cvm.reason.over_limit"}, nil
}
