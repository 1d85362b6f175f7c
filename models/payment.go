package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Tender is how a payment was made.
type Tender string

// Tenders Till takes.
const (
	TenderCash        Tender = "cash"
	TenderCard        Tender = "card"
	TenderQR          Tender = "qr"
	TenderFingerprint Tender = "fingerprint"
)

// PaymentStatus is where a payment is in its life.
type PaymentStatus string

// Payment statuses; payments.Transition says which may follow which.
const (
	PaymentPending         PaymentStatus = "pending"          // sent to the host, no answer yet
	PaymentApproved        PaymentStatus = "approved"         // approved online (or cash taken)
	PaymentDeclined        PaymentStatus = "declined"         // the host said no
	PaymentFailed          PaymentStatus = "failed"           // never reached a decision
	PaymentVoided          PaymentStatus = "voided"           // cancelled in the open batch
	PaymentRefunded        PaymentStatus = "refunded"         // money given back, in part or whole
	PaymentReversed        PaymentStatus = "reversed"         // undone after a lost or late answer
	PaymentOfflineApproved PaymentStatus = "offline_approved" // approved under the floor limit, host unreachable
	PaymentAdvised         PaymentStatus = "advised"          // an offline approval the host has acknowledged
)

// Payment is one tender taken against an order.
type Payment struct {
	ID       uint          `gorm:"primaryKey"`
	OrderID  uint          `gorm:"not null;index;constraint:OnDelete:CASCADE"`
	Tender   Tender        `gorm:"size:16;not null"`
	Status   PaymentStatus `gorm:"size:12;not null"`
	Currency Currency      `gorm:"size:3;not null"`
	Amount   int64         `gorm:"not null"` // applied to the order
	Tendered int64         `gorm:"not null"` // handed over (cash)
	Change   int64         `gorm:"not null"` // handed back (cash)
	// Reference is the acquirer's or wallet's reference, empty for cash.
	Reference string `gorm:"size:64"`
	// MaskedPAN is, for a card, its last four digits only, as receipts
	// show them (MaskCardNumber: "**** **** **** 1232"), never the first
	// six beside the token; for a customer's QR payment code, the code
	// masked (qrpay.Mask).
	MaskedPAN string `gorm:"size:19"`
	// LastFour is a card's last four digits, kept apart from MaskedPAN so
	// that the transaction query finds a card's payments by an index.
	LastFour string `gorm:"size:4;not null;default:'';index"`
	// Card details, never the full number: the scheme ("unionpay", "visa",
	// "mastercard"), the expiry (YYMM), a keyed hash of the PAN (to find a
	// card's payments again), how the cardholder was verified ("no_cvm",
	// "fingerprint", ...) and the issuer's authorization code.
	Scheme     string `gorm:"size:16"`
	CardExpiry string `gorm:"size:4"`
	CardToken  string `gorm:"size:64;index"`
	CVM        string `gorm:"size:16"`
	CVMReason  string `gorm:"size:32"` // why that method: "cvm.reason.small_amount", ...
	AuthCode   string `gorm:"size:6"`
	// ODA is, for a card payment, how offline data authentication ended:
	// "passed", or the reason it did not ("oda.reason.signature", …); only
	// a card that passed may be approved offline. TVR is the Terminal
	// Verification Results sent to the bank, hex.
	ODA string `gorm:"size:32"`
	TVR string `gorm:"size:10"`
	// Key is the payment's terminal-unique key (order number + "-P1"), the
	// key of its requests to the acquirer; empty for cash.
	Key string `gorm:"size:64;index"`
	// OriginalID is, for a refund, the payment it gives money back from;
	// a refund's Amount is negative.
	OriginalID uint `gorm:"not null;default:0"`
	// MemberID is, for a payment from a member's balance, the member.
	MemberID uint `gorm:"not null;default:0"`
	// MemberMasked and BalanceLeft are, for a payment from a member's
	// balance, the member as the receipt names them (Member.Masked,
	// "王* 139****5678") and their balance right after this payment, kept
	// so that a reprint says what the customer was told then. BalanceLeft
	// is nil for any other payment, and for one taken before it was kept.
	MemberMasked string `gorm:"size:48"`
	BalanceLeft  *int64
	// CreatedAt is when the payment was taken (a refund: given back); the
	// takings are dated by it.
	CreatedAt time.Time `gorm:"index"`
}

// BeforeSave keeps a card payment's masked number to its last four digits
// (RemaskCardNumber), whatever the caller gave: the store never keeps the
// first six beside a card token. It sets LastFour from it.
func (p *Payment) BeforeSave(*gorm.DB) error {
	if p.Tender == TenderCard {
		p.MaskedPAN = RemaskCardNumber(p.MaskedPAN)
		p.LastFour = CardLastFour(p.MaskedPAN)
	}
	return nil
}

// Operator is a member of staff who can log in to a terminal. Their code
// is not here: only its hash is kept, in StaffCode.
type Operator struct {
	ID     uint   `gorm:"primaryKey"`
	Name   string `gorm:"size:64;not null"`
	Role   Role   `gorm:"size:16;not null"`
	Active bool   `gorm:"not null;default:true"`
}

// Role is what an operator may do.
type Role string

// Roles.
const (
	RoleCashier Role = "cashier"
	RoleWaiter  Role = "waiter"
	RoleManager Role = "manager"
	RoleOwner   Role = "owner"
)

// Setting is one stored configuration value.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"size:1024;not null"`
}

// OutboxEntry is a record waiting to be sent to the acquirer; it is written in
// the same transaction as the sale it describes, so none is ever lost.
type OutboxEntry struct {
	ID        uint   `gorm:"primaryKey"`
	Kind      string `gorm:"size:16;not null"` // "sale"
	OrderID   uint   `gorm:"not null;index"`
	PaymentID uint   `gorm:"not null;index"`
	Payload   string `gorm:"not null"` // JSON, no card data
	CreatedAt time.Time
	SentAt    *time.Time `gorm:"index"`
	Attempts  int        `gorm:"not null;default:0"`
	// QuarantinedAt is when the entry was set aside as one the host cannot
	// take (QuarantineOutbox), nil while it is still to be sent; Problem
	// says why. A quarantined entry is no longer pending.
	QuarantinedAt *time.Time
	Problem       string `gorm:"size:200"`
}

// AuditEntry is an append-only record of a state change that matters.
type AuditEntry struct {
	ID         uint      `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	TerminalID string    `gorm:"size:16;not null"`
	OperatorID uint
	Action     string `gorm:"size:32;not null"` // "sale", "hold", "recall", ...
	Subject    string `gorm:"size:64"`          // e.g. the order number
	Detail     string `gorm:"size:512"`
	// Seq, PrevHash and Hash chain the entries (audit_chain.go): Seq counts
	// them from 1 without gaps, PrevHash is the Hash of entry Seq-1 ("" for
	// the first), and Hash covers PrevHash and everything above. Set when
	// the entry is created; never written by hand.
	Seq      int64  `gorm:"not null;default:0"` // unique: idx_audit_entries_seq
	PrevHash string `gorm:"size:64;not null;default:''"`
	Hash     string `gorm:"size:64;not null;default:''"`
}

// Sequence is a gapless counter, advanced only inside the transaction that
// uses the number it hands out.
type Sequence struct {
	Name string `gorm:"primaryKey;size:64"`
	Next int64  `gorm:"not null"`
}

// HeldOrder is an order parked by the cashier, to be recalled later.
type HeldOrder struct {
	ID         uint     `gorm:"primaryKey"`
	TerminalID string   `gorm:"size:16;not null;index"`
	Label      string   `gorm:"size:64"`
	Lines      int      `gorm:"not null"`
	Total      int64    `gorm:"not null"`
	Currency   Currency `gorm:"size:3;not null"`
	Payload    string   `gorm:"not null"` // the order as JSON
	OperatorID uint
	CreatedAt  time.Time
}

// Ref names a manager who authorized something in an audit entry or a
// payment's reference: by ID and name, never by their code.
func (op Operator) Ref() string { return fmt.Sprintf("manager=%d:%s", op.ID, op.Name) }

// StaffMember is an operator, how many fingers they have enrolled, and
// whether they set up an authenticator.
type StaffMember struct {
	Operator Operator
	Fingers  int
	OTP      bool // an owner's authenticator for one-time codes is set up
}
