package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Member is a customer of the shop's stored-value programme: they pay from
// their balance with a finger, and may link a bank card (by its keyed
// token, never its number) to verify it by finger above the no-PIN limit.
// The phone number is kept masked only ("138****5678").
type Member struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:64;not null"`
	Phone     string `gorm:"size:16;not null"` // masked
	Balance   int64  `gorm:"not null;default:0"`
	CardToken string `gorm:"size:64;index"` // payments.CardToken of a linked card; empty: none
	Active    bool   `gorm:"not null;default:true"`
	CreatedAt time.Time
}

// MemberEntry is one move of a member's balance: a top-up, a payment,
// money given back by a void, refund or cancelled order, an opening
// balance, or the balance paid out in cash. Amount is signed (positive:
// into the balance); Balance is what was left after it.
type MemberEntry struct {
	ID         uint      `gorm:"primaryKey"`
	MemberID   uint      `gorm:"not null;index;index:idx_member_entries_member_at,priority:1"`
	Kind       string    `gorm:"size:12;not null"` // topup, payment, void, refund, cancel, opening, payout
	Amount     int64     `gorm:"not null"`
	Balance    int64     `gorm:"not null"`
	OrderID    uint      `gorm:"not null;default:0"`
	PaymentID  uint      `gorm:"not null;default:0"`
	OperatorID uint      `gorm:"not null;default:0"`
	At         time.Time `gorm:"index;index:idx_member_entries_member_at,priority:2"`
}

// MaskPhone checks a mainland mobile number (11 digits starting with 1,
// spaces and dashes allowed) and masks it: 138****5678.
func MaskPhone(phone string) (string, error) {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimPrefix(strings.TrimSpace(phone), "+86"))
	bad := len(digits) != 11 || digits[0] != '1'
	for _, r := range digits {
		bad = bad || r < '0' || r > '9'
	}
	if bad {
		return "", invalid("error.member.phone", "{{.Input}} is not a mobile number (11 digits starting with 1)",
			map[string]any{"Input": phone})
	}
	return digits[:3] + "****" + digits[7:], nil
}

// MaskName masks a member's name for a receipt: its first character and
// a star ("王*"); nothing for no name (or the "-" of an ended membership).
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" || name == "-" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + "*"
}

// Masked is the member as a receipt shows them: the name masked and the
// (stored masked) phone number, "王* 139****5678".
func (m Member) Masked() string {
	name, phone := MaskName(m.Name), strings.TrimSpace(m.Phone)
	if phone == "-" {
		phone = ""
	}
	return strings.TrimSpace(name + " " + phone)
}

// AddMember stores a new member with a masked phone number, audited; by
// must be allowed to enrol members (PermMemberEnrol).
func (s *Store) AddMember(ctx context.Context, name, phone string, by Operator, terminalID string) (Member, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 32 {
		return Member{}, invalid("error.member.name", "Enter the member's name (at most 32 characters)", nil)
	}
	masked, err := MaskPhone(phone)
	if err != nil {
		return Member{}, err
	}
	m := Member{Name: name, Phone: masked, Active: true, CreatedAt: time.Now()}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if _, err := allowedIn(tx, by, PermMemberEnrol); err != nil {
			return err
		}
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: m.CreatedAt, TerminalID: terminalID, OperatorID: by.ID,
			Action: "member_add", Subject: fmt.Sprint(m.ID), Detail: masked}).Error
	})
	if err != nil {
		return Member{}, dbError(s.path, fmt.Errorf("store: add member: %w", err))
	}
	return m, nil
}

// Members lists the active members whose name or masked phone contains
// text (all of them for ""), by name.
func (s *Store) Members(ctx context.Context, text string) ([]Member, error) {
	var ms []Member
	err := s.read(ctx, func(db *gorm.DB) error {
		q := db.Where("active")
		if text = strings.TrimSpace(text); text != "" {
			like := "%" + strings.NewReplacer("%", `\%`, "_", `\_`).Replace(text) + "%"
			q = q.Where(`name LIKE ? ESCAPE '\' OR phone LIKE ? ESCAPE '\'`, like, like)
		}
		return q.Order("name").Limit(500).Find(&ms).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: members: %w", err)
	}
	return ms, nil
}

// MemberByID returns a member, active or not.
func (s *Store) MemberByID(ctx context.Context, id uint) (Member, error) {
	var m Member
	err := s.read(ctx, func(db *gorm.DB) error { return db.First(&m, id).Error })
	if err != nil {
		return Member{}, errMemberNotFound(err)
	}
	return m, nil
}

// MemberEntries lists a member's balance moves, newest first.
func (s *Store) MemberEntries(ctx context.Context, id uint) ([]MemberEntry, error) {
	var es []MemberEntry
	err := s.read(ctx, func(db *gorm.DB) error {
		return db.Where("member_id = ?", id).Order("id DESC").Limit(200).Find(&es).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: member entries: %w", err)
	}
	return es, nil
}

// LinkCard links a bank card, by its keyed token, to a member, so the
// member's finger verifies it; one card belongs to one member. by must be
// allowed to link cards (PermMemberLinkCard).
func (s *Store) LinkCard(ctx context.Context, memberID uint, token string, by Operator, terminalID string) error {
	if token == "" {
		return invalid("error.member.no_card", "No card was read", nil)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if _, err := allowedIn(tx, by, PermMemberLinkCard); err != nil {
			return err
		}
		if err := tx.Model(&Member{}).Where("card_token = ? AND id <> ?", token, memberID).
			Update("card_token", "").Error; err != nil {
			return err
		}
		res := tx.Model(&Member{}).Where("id = ? AND active", memberID).Update("card_token", token)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errMemberNotFound(nil)
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID,
			Action: "member_card", Subject: fmt.Sprint(memberID)}).Error
	})
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return dbError(s.path, fmt.Errorf("store: link card: %w", err))
	}
	return err
}

// MemberByCardToken is the active member who linked the card with this
// token; ENOTFOUND when none did.
func (s *Store) MemberByCardToken(ctx context.Context, token string) (Member, error) {
	var m Member
	err := s.read(ctx, func(db *gorm.DB) error {
		if token == "" {
			return gorm.ErrRecordNotFound
		}
		return db.Where("card_token = ? AND active", token).First(&m).Error
	})
	if err != nil {
		return Member{}, notFound(err, "error.member.card_not_linked", "This card is not linked to a member", nil)
	}
	return m, nil
}

// RemoveMember ends a membership, by someone allowed to (PermMemberRemove): the member is kept (their balance moves
// stay for the books) but made inactive with name and phone erased (from
// their payments' receipts too), and
// their fingerprints are deleted; it returns the module slots to clear. A
// member with money left cannot be removed: it is spent, or paid out
// first (PayOutMember).
func (s *Store) RemoveMember(ctx context.Context, id uint, by Operator, terminalID string) ([]int, error) {
	var pages []int
	err := s.write(ctx, func(tx *gorm.DB) error {
		if _, err := allowedIn(tx, by, PermMemberRemove); err != nil {
			return err
		}
		var m Member
		if err := tx.First(&m, id).Error; err != nil {
			return errMemberNotFound(err)
		}
		if m.Balance != 0 {
			return &Error{Code: ECONFLICT, Key: "error.member.has_balance",
				Fallback: "{{.Name}} still has {{.Balance}} on their balance: it must be spent or paid out before the membership ends",
				Args:     map[string]any{"Name": m.Name, "Balance": AmountText(m.Balance)}}
		}
		if err := tx.Model(&Member{}).Where("id = ?", id).
			Updates(map[string]any{"active": false, "name": "-", "phone": "-", "card_token": ""}).Error; err != nil {
			return err
		}
		// Their payments' receipts no longer name them, even masked.
		if err := tx.Model(&Payment{}).Where("member_id = ?", id).Update("member_masked", "").Error; err != nil {
			return err
		}
		var err error
		if pages, err = deleteFingerprints(tx, "member", id); err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: by.ID,
			Action: "member_remove", Subject: fmt.Sprint(id), Detail: fmt.Sprintf("fingerprints=%d", len(pages))}).Error
	})
	if err != nil {
		if c := ErrorCode(err); c == ECONFLICT || c == ENOTFOUND {
			return nil, err
		}
		return nil, dbError(s.path, fmt.Errorf("store: remove member %d: %w", id, err))
	}
	return pages, nil
}

// errShortBalance means a member's balance does not cover a payment.
func errShortBalance(m Member, amount int64) error {
	return &Error{Code: ECONFLICT, Key: "error.member.short",
		Fallback: "{{.Name}}'s balance is {{.Balance}}, short of {{.Amount}}",
		Args:     map[string]any{"Name": m.Name, "Balance": AmountText(m.Balance), "Amount": AmountText(amount)}}
}

// moveBalance adds amount (negative: takes it) to a member's balance inside
// tx, refusing to go below zero, and writes the balance entry.
func moveBalance(tx *gorm.DB, memberID uint, amount int64, kind string, orderID, paymentID, operatorID uint, now time.Time) error {
	// Money given back reaches a member even after the membership ended.
	res := tx.Exec("UPDATE members SET balance = balance + ? WHERE id = ? AND (active OR ? > 0) AND balance + ? >= 0",
		amount, memberID, amount, amount)
	if res.Error != nil {
		return fmt.Errorf("member %d balance: %w", memberID, res.Error)
	}
	var m Member
	if err := tx.First(&m, memberID).Error; err != nil {
		return errMemberNotFound(err)
	}
	if res.RowsAffected == 0 {
		if !m.Active {
			return errMemberNotFound(nil)
		}
		return errShortBalance(m, -amount)
	}
	return tx.Create(&MemberEntry{MemberID: memberID, Kind: kind, Amount: amount, Balance: m.Balance,
		OrderID: orderID, PaymentID: paymentID, OperatorID: operatorID, At: now}).Error
}

// TopUpSKU marks the line of a top-up order.
const TopUpSKU = "MEMBER-TOPUP"

// NewTopUpOrder is an order that puts amount on member m's balance once
// paid, by cash, card or QR code like any sale. It carries no VAT: stored
// value is not a sale of goods.
func NewTopUpOrder(c Currency, m Member, amount int64) (*Order, error) {
	if amount <= 0 || amount > MaxAmount {
		return nil, errNotAmount(input(FormatMinor(amount)))
	}
	o := NewOrder(c, TaxInclusive)
	o.TopUpMemberID = m.ID
	o.Lines = []OrderLine{{SKU: TopUpSKU, Name: "会员充值 " + m.Name, NameEN: "Member top-up " + m.Name,
		UnitPrice: amount, Qty: Units(1)}}
	if err := o.Recalc(); err != nil {
		return nil, err
	}
	return o, nil
}

// Due is what is still to pay on the order: its total less the payments
// already taken (a member's balance paying part of it, say).
func (o *Order) Due() int64 {
	due := o.Total
	for _, p := range o.Payments {
		if p.Status.Taken() && p.Amount > 0 {
			due -= p.Amount
		}
	}
	return due
}

// PayFromBalance pays amount of o from member m's balance, in one
// transaction that also stores the order: paid when amount is all that is
// due, else awaiting the rest by another tender (o carries its ID and
// number afterwards). The balance never goes below zero.
func (s *Store) PayFromBalance(ctx context.Context, o *Order, memberID uint, amount int64, sc SaleContext) error {
	if o.TopUpMemberID != 0 {
		return invalid("error.member.topup_by_balance", "A top-up cannot be paid from a balance", nil)
	}
	if o.ID == 0 {
		if err := validateOrder(o); err != nil {
			return err
		}
	}
	if sc.TerminalID == "" {
		return errNoTerminal()
	}
	now := sc.Now
	if now.IsZero() {
		now = time.Now()
	}
	var stored Order
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		stored, err = payFromBalanceTx(tx, o, memberID, amount, sc, now)
		return err
	})
	if err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ECONFLICT || c == ENOTFOUND {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: pay from balance: %w", err))
	}
	*o = stored
	return nil
}

// payFromBalanceTx is PayFromBalance inside tx: it stores o (or loads it,
// stored awaiting payment), records an approved member payment of amount,
// takes amount off member memberID's balance, and then queues the payment
// for the acquirer while more is due, or completes the sale. It returns the
// order as stored. amount must be more than 0 and at most what is due.
func payFromBalanceTx(tx *gorm.DB, o *Order, memberID uint, amount int64, sc SaleContext, now time.Time) (Order, error) {
	stored, err := orderToPay(tx, o, sc, now)
	if err != nil {
		return stored, err
	}
	due := stored.Due()
	if amount <= 0 || amount > due {
		return stored, errPaidMismatch(amount, due)
	}
	p := Payment{OrderID: stored.ID, Tender: TenderFingerprint, Status: PaymentApproved, Currency: stored.Currency,
		Amount: amount, Tendered: amount, MemberID: memberID, CreatedAt: now}
	if p.Currency == "" {
		p.Currency = stored.Currency
	}
	if err := tx.Create(&p).Error; err != nil {
		return stored, fmt.Errorf("insert payment: %w", err)
	}
	if err := moveBalance(tx, memberID, -amount, "payment", stored.ID, p.ID, sc.Operator.ID, now); err != nil {
		return stored, err
	}
	// The receipt names the member, masked, and the balance left now; a
	// reprint shows the same.
	var m Member
	if err := tx.First(&m, memberID).Error; err != nil {
		return stored, errMemberNotFound(err)
	}
	p.MemberMasked, p.BalanceLeft = m.Masked(), &m.Balance
	if err := tx.Model(&Payment{}).Where("id = ?", p.ID).
		Updates(map[string]any{"member_masked": p.MemberMasked, "balance_left": p.BalanceLeft}).Error; err != nil {
		return stored, fmt.Errorf("payment %d: member: %w", p.ID, err)
	}
	if amount < due {
		stored.Payments = append(stored.Payments, p)
		err = queueOutbox(tx, "sale", &stored, p, p.Amount, now)
	} else {
		err = completeSale(tx, &stored, []Payment{p}, now)
	}
	return stored, err
}

// giveBackBalance returns a member payment's money to the balance (a void,
// refund or cancelled order), inside tx.
func giveBackBalance(tx *gorm.DB, p Payment, amount int64, kind string, operatorID uint, now time.Time) error {
	if p.Tender != TenderFingerprint || p.MemberID == 0 || amount <= 0 {
		return nil
	}
	return moveBalance(tx, p.MemberID, amount, kind, p.OrderID, p.ID, operatorID, now)
}

// topUpBack takes amount of a voided or refunded top-up off the member's
// balance again; it is refused when the member has spent it already, or
// the membership ended (CanTakeBackTopUp, which the services ask before
// the bank is asked).
func topUpBack(tx *gorm.DB, o *Order, amount int64, kind string, operatorID uint, now time.Time) error {
	if o.TopUpMemberID == 0 {
		return nil
	}
	m, err := topUpMemberIn(tx, o)
	if err != nil {
		return err
	}
	if err := CanTakeBackTopUp(o, m, amount); err != nil {
		return err
	}
	return moveBalance(tx, o.TopUpMemberID, -amount, kind, o.ID, 0, operatorID, now)
}

// OpeningBalance gives a member who has no balance moves yet the balance
// they bring from elsewhere (a previous system's, say), audited.
func (s *Store) OpeningBalance(ctx context.Context, memberID uint, amount int64, by Operator, terminalID string) error {
	if amount <= 0 || amount > MaxAmount {
		return errNotAmount(input(FormatMinor(amount)))
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&MemberEntry{}).Where("member_id = ?", memberID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &Error{Code: ECONFLICT, Key: "error.member.opening", Fallback: "This member's balance has moved already"}
		}
		now := time.Now()
		if err := moveBalance(tx, memberID, amount, "opening", 0, 0, by.ID, now); err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: by.ID,
			Action: "member_opening", Subject: fmt.Sprint(memberID), Detail: fmt.Sprintf("amount=%d", amount)}).Error
	})
	if err != nil && ErrorCode(err) != ECONFLICT && ErrorCode(err) != ENOTFOUND {
		return dbError(s.path, fmt.Errorf("store: opening balance: %w", err))
	}
	return err
}
