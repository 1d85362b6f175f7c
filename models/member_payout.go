package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Audit action and balance-move kind of a member's balance paid out.
const (
	ActionMemberPayout = "member_payout"
	EntryPayout        = "payout"
)

// MemberPayout is a member's balance paid out in cash from the drawer, as
// its slip shows it.
type MemberPayout struct {
	MemberID uint
	Member   string // Member.Masked at the payout
	Amount   int64  // minor units paid out: the whole balance
	// EntryID is the balance move's ID, CashMoveID the drawer's cash out.
	EntryID      uint
	CashMoveID   uint
	ShiftID      uint
	At           time.Time
	OperatorName string
	TerminalID   string
}

// errNoBalance: a member with nothing on their balance has nothing to pay
// out.
func errNoBalance(m Member) error {
	return &Error{Code: ECONFLICT, Key: "error.member.no_balance",
		Fallback: "{{.Name}} has nothing on their balance to pay out",
		Args:     map[string]any{"Name": m.Name}}
}

// PayOutMember pays an active member's whole balance out in cash from the
// drawer of terminalID's open shift (ErrNoShift when none is open), by
// someone allowed to (PermMemberPayout), in one transaction: the balance
// is taken to zero (a payout entry), the cash out is recorded in the shift
// and counted in its and the day's running totals, and the payout is
// audited. The membership itself goes on until RemoveMember ends it.
func (s *Store) PayOutMember(ctx context.Context, memberID uint, by Operator, terminalID string, now time.Time) (MemberPayout, error) {
	if terminalID == "" {
		return MemberPayout{}, errNoTerminal()
	}
	if now.IsZero() {
		now = time.Now()
	}
	p := MemberPayout{MemberID: memberID, At: now, TerminalID: terminalID}
	err := s.write(ctx, func(tx *gorm.DB) error {
		op, err := allowedIn(tx, by, PermMemberPayout)
		if err != nil {
			return err
		}
		p.OperatorName = op.Name
		var m Member
		if err := tx.First(&m, memberID).Error; err != nil {
			return errMemberNotFound(err)
		}
		if !m.Active {
			return errMemberNotFound(nil)
		}
		if m.Balance <= 0 {
			return errNoBalance(m)
		}
		p.Member, p.Amount = m.Masked(), m.Balance
		// The reason names the payout, not the member: their name is
		// erased when the membership ends, and a cash move is kept.
		cash := CashMove{TerminalID: terminalID, Kind: CashOut, Amount: m.Balance,
			Reason: fmt.Sprintf("member payout #%d", memberID), OperatorID: op.ID, At: now}
		if err := recordCashMove(tx, &cash); err != nil {
			return err
		}
		p.CashMoveID, p.ShiftID = cash.ID, cash.ShiftID
		if err := moveBalance(tx, memberID, -m.Balance, EntryPayout, 0, 0, op.ID, now); err != nil {
			return err
		}
		var e MemberEntry
		if err := tx.Where("member_id = ? AND kind = ?", memberID, EntryPayout).Order("id DESC").First(&e).Error; err != nil {
			return fmt.Errorf("payout entry: %w", err)
		}
		p.EntryID = e.ID
		return tx.Create(&AuditEntry{At: now, TerminalID: terminalID, OperatorID: op.ID, Action: ActionMemberPayout,
			Subject: fmt.Sprint(memberID), Detail: fmt.Sprintf("amount=%d shift=%d cash_move=%d", m.Balance, cash.ShiftID, cash.ID)}).Error
	})
	if err != nil {
		return MemberPayout{}, ruleOrDBError(s.path, fmt.Sprintf("store: pay out member %d: %%w", memberID), err)
	}
	return p, nil
}
