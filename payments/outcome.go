package payments

import "github.com/till-pos/till/models"

// CardStep is where a card payment is, as the card screen shows it.
type CardStep string

// Card payment steps.
const (
	StepNoReader    CardStep = "no_reader"   // waiting for a reader to be plugged in
	StepWaiting     CardStep = "waiting"     // waiting for a tap
	StepReading     CardStep = "reading"     // reading the card
	StepAuthorizing CardStep = "authorizing" // asking the bank
	StepFinger      CardStep = "finger"      // waiting for the cardholder's finger
)

// CardResult is how a card payment ended.
type CardResult struct {
	Approved  bool
	Code      string // the host's response code ("00", "51", "Y1" offline)
	MaskedPAN string
	Scheme    string // "unionpay", "visa", …; "" if not known
	AuthCode  string
	CVM       string
	// PaymentID is the stored payment this attempt made (0 when none
	// was stored): the one a cardholder signs when CVM is "signature".
	PaymentID uint
}

// QRResult is how a QR payment ended.
type QRResult struct {
	Approved bool
	Code     string // the host's response code
	Wallet   string // "wechat", "alipay" or "unionpay": the payment code's, or as the host says
	AuthCode string
}

// CardLimits are the amounts, in minor units, that decide how a card is
// taken: at or under NoCVM no PIN or signature; at or above Contactless no
// tap (0: no limit); at or under Floor an approval offline while the bank
// is unreachable.
type CardLimits struct {
	NoCVM, Contactless, Floor int64
}

// DefaultCardLimits are the default verification and offline policies' limits.
var DefaultCardLimits = CardLimits{NoCVM: DefaultVerificationPolicy.NoCVMLimit,
	Contactless: DefaultVerificationPolicy.ContactlessLimit, Floor: DefaultOfflinePolicy.FloorLimit}

var errCardLimits = &models.Error{Code: models.EINVALID, Key: "error.card.limits",
	Fallback: "The no-PIN limit must be under the contactless limit, and no limit can be negative"}

// Check refuses limits that contradict each other or are negative.
func (l CardLimits) Check() error {
	if l.NoCVM < 0 || l.Contactless < 0 || l.Floor < 0 || (l.Contactless > 0 && l.NoCVM >= l.Contactless) {
		return errCardLimits
	}
	return nil
}

// Offline is the offline policy with these limits' floor.
func (l CardLimits) Offline() OfflinePolicy {
	p := DefaultOfflinePolicy
	p.FloorLimit = l.Floor
	return p
}
