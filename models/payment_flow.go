package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PaymentKey is the terminal-unique key of the n-th payment taken against
// an order ("T01-00000042-P1"); it is the key of the payment's requests to
// the acquirer.
func PaymentKey(orderNumber string, n int) string { return fmt.Sprintf("%s-P%d", orderNumber, n) }

// StartPayment records a card or wallet payment about to be sent to the
// acquirer: the order is stored awaiting payment (on its first attempt; o
// carries its ID and number afterwards) and the payment as pending, with its
// key. The host's answer moves the payment, and completes the order, in the
// same transaction that journals the answer. The stock rule (CheckStock) is
// asked here, before the customer pays: an approval is never refused after.
func (s *Store) StartPayment(ctx context.Context, o *Order, p Payment, sc SaleContext) (Payment, error) {
	if p.Tender == TenderCash {
		return Payment{}, errBadPayment()
	}
	if o.ID == 0 {
		if err := validateOrder(o); err != nil {
			return Payment{}, err
		}
	}
	if p.Tender == TenderFingerprint {
		return Payment{}, errBadPayment()
	}
	if sc.TerminalID == "" {
		return Payment{}, errNoTerminal()
	}
	now := sc.Now
	if now.IsZero() {
		now = time.Now()
	}
	var stored Order
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if stored, err = orderToPay(tx, o, sc, now); err != nil {
			return err
		}
		if due := stored.Due(); p.Amount != due {
			return errPaidMismatch(p.Amount, due)
		}
		p.ID = 0
		p.OrderID = stored.ID
		p.Status = PaymentPending
		p.Tendered, p.Change = p.Amount, 0
		p.Key = PaymentKey(stored.Number, len(stored.Payments)+1)
		p.CreatedAt = now
		if p.Currency == "" {
			p.Currency = stored.Currency
		}
		if err := tx.Create(&p).Error; err != nil {
			return fmt.Errorf("insert payment: %w", err)
		}
		stored.Payments = append(stored.Payments, p)
		return tx.Create(&AuditEntry{At: now, TerminalID: stored.TerminalID, OperatorID: sc.Operator.ID,
			Action: "payment", Subject: stored.Number, Detail: fmt.Sprintf("%s %s %d", p.Key, p.Tender, p.Amount)}).Error
	})
	if err != nil {
		return Payment{}, dbError(s.path, fmt.Errorf("store: start payment: %w", err))
	}
	*o = stored
	return p, nil
}

// orderToPay is the order a payment is about to be taken for, inside tx:
// as stored awaiting payment (refused while one of its payments waits for
// the bank), or, on its first payment, stored now awaiting it.
func orderToPay(tx *gorm.DB, o *Order, sc SaleContext, now time.Time) (Order, error) {
	var stored Order
	if o.ID == 0 {
		stored = *o.Clone()
		stored.Payments = nil
		err := insertOrder(tx, &stored, sc, now, OrderAwaiting)
		return stored, err
	}
	if err := loadAwaiting(tx, o.ID, &stored); err != nil {
		return stored, err
	}
	for _, q := range stored.Payments {
		if q.Status == PaymentPending {
			return stored, errPaymentUnderWay()
		}
	}
	return stored, checkStock(tx, &stored)
}

// validateOrder checks that an order about to be stored is whole.
func validateOrder(o *Order) error {
	if o == nil || len(o.Lines) == 0 {
		return errSaleEmpty()
	}
	check := o.Clone()
	if err := check.Recalc(); err != nil {
		return err
	}
	if check.Total != o.Total {
		return errSaleStale()
	}
	return nil
}

// CancelAwaiting gives up an order stored awaiting payment whose payments
// all failed or were declined: it is kept, numbered, as cancelled.
func (s *Store) CancelAwaiting(ctx context.Context, id uint, op Operator) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var o Order
		if err := loadAwaiting(tx, id, &o); err != nil {
			return err
		}
		for _, p := range o.Payments {
			if p.Status == PaymentPending {
				return errPaymentUnderWay()
			}
		}
		// A member's balance that paid part of it is given back.
		now := time.Now()
		for _, p := range o.Payments {
			if p.Tender != TenderFingerprint || !p.Status.Taken() {
				continue
			}
			if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Update("status", PaymentVoided).Error; err != nil {
				return err
			}
			if err := giveBackBalance(tx, p, p.Amount, "cancel", op.ID, now); err != nil {
				return err
			}
			if err := queueOutbox(tx, "void", &o, p, p.Amount, now); err != nil {
				return err
			}
		}
		if err := tx.Model(&Order{}).Where("id = ?", id).Update("status", OrderCancelled).Error; err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: o.TerminalID, OperatorID: op.ID,
			Action: "cancel", Subject: o.Number}).Error
	})
	if err != nil && ErrorCode(err) != ECONFLICT && ErrorCode(err) != ENOTFOUND {
		return dbError(s.path, fmt.Errorf("store: cancel order %d: %w", id, err))
	}
	return err
}

// FailStrandedPayments marks failed the pending payments that never got as
// far as a request to the host (the terminal stopped in between), and
// returns how many. Run at start-up, before the acquirer link.
func (s *Store) FailStrandedPayments(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Payment{}).Where("status = ? AND key <> '' AND NOT EXISTS "+
			"(SELECT 1 FROM host_requests h WHERE h.key = payments.key)", PaymentPending).
			Update("status", PaymentFailed)
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, dbError(s.path, fmt.Errorf("store: fail stranded payments: %w", err))
	}
	return int(n), nil
}

// paymentOutcome is the status a purchase's payment takes when its request
// reaches state with code; ok is false while the outcome is not known.
func paymentOutcome(state HostRequestState, code string) (PaymentStatus, bool) {
	switch state {
	case RequestAnswered:
		if code == "00" {
			return PaymentApproved, true
		}
		return PaymentDeclined, true
	case RequestOffline:
		return PaymentOfflineApproved, true
	case RequestAdvised:
		return PaymentAdvised, true
	case RequestNotSent:
		return PaymentFailed, true
	case RequestReversed:
		return PaymentReversed, true
	}
	return "", false
}

// applyHostOutcome moves the payment a journalled request is about, inside
// the transaction that moved the request: a purchase's payment takes its
// outcome (completing its order when approved); an approved void voids the
// order; an approved refund gives the money back. Requests with no payment
// (status queries, or requests made outside a sale) change nothing.
func applyHostOutcome(tx *gorm.DB, id uint) error {
	var r HostRequest
	if err := tx.First(&r, id).Error; err != nil {
		return err
	}
	now := time.Now()
	switch r.ProcCode {
	case "000000":
		return applyPurchaseOutcome(tx, &r, now)
	case "020000", "200000":
		return applyUndoOutcome(tx, &r, now)
	}
	return nil
}

// applyPurchaseOutcome moves the payment of purchase request r to the
// outcome of its state, keeping the host's reference and authorization code
// (and the wallet that paid a QR the customer scanned),
// and completes the payment's order when the payment was approved (online or
// offline) and the order still awaits it. A request whose outcome is not yet
// known, or that has no payment, changes nothing.
func applyPurchaseOutcome(tx *gorm.DB, r *HostRequest, now time.Time) error {
	to, ok := paymentOutcome(r.State, r.Code)
	if !ok {
		return nil
	}
	var p Payment
	if err := tx.Where("key = ?", r.Key).Limit(1).Find(&p).Error; err != nil || p.ID == 0 {
		return err
	}
	if !CanMovePayment(p.Status, to) {
		return PaymentMoveError(p.Status, to)
	}
	set := map[string]any{"status": to}
	if r.RRN != "" {
		set["reference"] = r.RRN
		p.Reference = r.RRN
	}
	if r.AuthCode != "" {
		set["auth_code"] = r.AuthCode
		p.AuthCode = r.AuthCode
	}
	if r.Wallet != "" && p.Tender == TenderQR && p.Scheme == "" {
		// Our QR, scanned: only the host knows which wallet paid it.
		set["scheme"] = r.Wallet
		p.Scheme = r.Wallet
	}
	if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Updates(set).Error; err != nil {
		return err
	}
	if p.Status.Taken() && !to.Taken() {
		// Reversed after it took money: out of the running totals again,
		// if its order had counted it.
		var o Order
		if err := tx.First(&o, p.OrderID).Error; err != nil {
			return err
		}
		if o.Status == OrderPaid || o.Status == OrderRefunded {
			if err := tallyUntaken(tx, &o, p, now, false); err != nil {
				return err
			}
		}
	}
	p.Status = to
	if to != PaymentApproved && to != PaymentOfflineApproved {
		return nil
	}
	var o Order
	if err := tx.Preload("Lines").First(&o, p.OrderID).Error; err != nil {
		return err
	}
	if o.Status != OrderAwaiting {
		return nil
	}
	return completeSale(tx, &o, []Payment{p}, now)
}

// applyUndoOutcome applies an approved void (020000) or refund (200000)
// request r to the order of the payment it names as its original. A request
// not approved, or whose original payment is unknown, changes nothing.
func applyUndoOutcome(tx *gorm.DB, r *HostRequest, now time.Time) error {
	if r.State != RequestAnswered || r.Code != "00" {
		return nil
	}
	var p Payment
	if err := tx.Where("key = ?", r.Original).Limit(1).Find(&p).Error; err != nil || p.ID == 0 {
		return err
	}
	var o Order
	if err := tx.Preload("Lines").Preload("Payments").First(&o, p.OrderID).Error; err != nil {
		return err
	}
	if r.ProcCode == "020000" {
		return applyHostVoid(tx, &o, p, now, r.Key)
	}
	return applyRefund(tx, &o, p, r.Amount, r.Key, r.RRN, now, 0)
}

// applyHostVoid applies the host's approved void of payment p of o. While
// another of o's payments through the host still awaits its own void, p
// alone is voided (and its void queued); the last one voids the order
// whole (applyVoid), its cash and balance payments with it.
func applyHostVoid(tx *gorm.DB, o *Order, p Payment, now time.Time, ref string) error {
	for _, q := range o.Payments {
		if q.ID == p.ID || !takenOriginal(q) || !q.ViaHost() {
			continue
		}
		if err := CanVoid(o, 0); err != nil {
			return err
		}
		if !CanMovePayment(p.Status, PaymentVoided) {
			return PaymentMoveError(p.Status, PaymentVoided)
		}
		if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Update("status", PaymentVoided).Error; err != nil {
			return err
		}
		if err := queueOutbox(tx, "void", o, p, p.Amount, now); err != nil {
			return err
		}
		if err := tallyUntaken(tx, o, p, now, true); err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: now, TerminalID: o.TerminalID, Action: "void", Subject: o.Number,
			Detail: fmt.Sprintf("payment=%s amount=%d %s", p.Key, p.Amount, ref)}).Error
	}
	return applyVoid(tx, o, now, 0, ref)
}

// topUpMemberIn is, for a top-up order, the member it filled as stored now
// inside tx (whatever their standing); a zero Member for any other order.
func topUpMemberIn(tx *gorm.DB, o *Order) (Member, error) {
	var m Member
	if o.TopUpMemberID == 0 {
		return m, nil
	}
	if err := tx.Where("id = ?", o.TopUpMemberID).Limit(1).Find(&m).Error; err != nil {
		return m, fmt.Errorf("member %d: %w", o.TopUpMemberID, err)
	}
	return m, nil
}

// applyVoid cancels a paid order of the open batch: its payments voided,
// its stock back on the shelf, a void queued for the acquirer per payment,
// and an audit entry naming who authorized it. Every rule of it is
// VoidRules, which the services ask before the bank is asked.
func applyVoid(tx *gorm.DB, o *Order, now time.Time, managerID uint, ref string) error {
	topUp, err := topUpMemberIn(tx, o)
	if err != nil {
		return err
	}
	if err := VoidRules(o, 0, topUp); err != nil {
		return err
	}
	for _, p := range o.Payments {
		if !p.Status.Taken() {
			continue
		}
		if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Update("status", PaymentVoided).Error; err != nil {
			return err
		}
		if err := queueOutbox(tx, "void", o, p, p.Amount, now); err != nil {
			return err
		}
		if err := giveBackBalance(tx, p, p.Amount, "void", managerID, now); err != nil {
			return err
		}
		if err := tallyUntaken(tx, o, p, now, true); err != nil {
			return err
		}
	}
	if err := topUpBack(tx, o, o.Total, "void", managerID, now); err != nil {
		return err
	}
	for _, l := range o.Lines {
		if !l.Stocked() {
			continue
		}
		if err := tx.Exec("UPDATE products SET stock = stock + ? WHERE id = ?", int64(l.Qty), l.ProductID).Error; err != nil {
			return fmt.Errorf("stock of %s: %w", l.SKU, err)
		}
	}
	if err := tx.Model(&Order{}).Where("id = ?", o.ID).Update("status", OrderVoided).Error; err != nil {
		return err
	}
	o.Status = OrderVoided
	return tx.Create(&AuditEntry{At: now, TerminalID: o.TerminalID, OperatorID: managerID,
		Action: "void", Subject: o.Number, Detail: fmt.Sprintf("total=%d %s", o.Total, ref)}).Error
}

// applyRefund gives amount of payment p back to the same tender: a negative
// payment row, the original marked refunded, the order's refunded sum
// raised, a refund queued for the acquirer and an audit entry.
func applyRefund(tx *gorm.DB, o *Order, p Payment, amount int64, key, ref string, now time.Time, managerID uint) error {
	if err := CanRefund(o, amount, PaymentRefundable(o, p)); err != nil {
		return err
	}
	if !CanMovePayment(p.Status, PaymentRefunded) {
		return PaymentMoveError(p.Status, PaymentRefunded)
	}
	if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Update("status", PaymentRefunded).Error; err != nil {
		return err
	}
	back := Payment{OrderID: o.ID, Tender: p.Tender, Status: PaymentApproved, Currency: p.Currency,
		Amount: -amount, Tendered: -amount, Key: key, OriginalID: p.ID, Reference: ref,
		MaskedPAN: p.MaskedPAN, MemberID: p.MemberID, CreatedAt: now}
	if err := tx.Create(&back).Error; err != nil {
		return fmt.Errorf("insert refund: %w", err)
	}
	if err := giveBackBalance(tx, p, amount, "refund", managerID, now); err != nil {
		return err
	}
	if err := tallyRefund(tx, o, p, amount, now); err != nil {
		return err
	}
	if err := topUpBack(tx, o, amount, "refund", managerID, now); err != nil {
		return err
	}
	o.Refunded += amount
	if err := tx.Model(&Order{}).Where("id = ?", o.ID).
		Updates(map[string]any{"status": OrderRefunded, "refunded": o.Refunded}).Error; err != nil {
		return err
	}
	o.Status = OrderRefunded
	o.Payments = append(o.Payments, back)
	if err := queueOutbox(tx, "refund", o, back, amount, now); err != nil {
		return err
	}
	return tx.Create(&AuditEntry{At: now, TerminalID: o.TerminalID, OperatorID: managerID,
		Action: "refund", Subject: o.Number, Detail: fmt.Sprintf("amount=%d %s", amount, key)}).Error
}

// UndoKey is the terminal-unique key of the next void ('V') or refund ('R')
// of an order: "T01-00000042-V1", "-R2", ... Each attempt has its own key,
// so a new try after a refusal is not taken for a resend of the first.
func (s *Store) UndoKey(ctx context.Context, o *Order, kind byte) (string, error) {
	var key string
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		key, err = undoKeyIn(db, o, kind)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: undo key of %s: %w", o.Number, err)
	}
	return key, nil
}

// undoKeyIn is UndoKey inside a read or a transaction: it counts the
// order's journalled requests and payments of that kind.
func undoKeyIn(db *gorm.DB, o *Order, kind byte) (string, error) {
	prefix := fmt.Sprintf("%s-%c", o.Number, kind)
	var reqs, pays int64
	if err := db.Model(&HostRequest{}).Where("terminal_id = ? AND key LIKE ?", o.TerminalID, prefix+"%").
		Count(&reqs).Error; err != nil {
		return "", err
	}
	if err := db.Model(&Payment{}).Where("order_id = ? AND key LIKE ?", o.ID, prefix+"%").
		Count(&pays).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%d", prefix, max(reqs, pays)+1), nil
}

// Undo says who authorized a void or refund, and of what.
type Undo struct {
	OrderID uint
	// For a refund: the payment to give back from (PaymentID) and how much
	// (Amount, minor units); or, with no PaymentID, Amount alone, shared
	// out by RefundShares; or Shares, each payment's share as RefundShares
	// gave it (what is left of a refund once its host shares are done).
	PaymentID uint
	Amount    int64
	Shares    []RefundShare
	Manager   Operator
	Now       time.Time // zero means time.Now()
}

// VoidOrder voids a paid order whose payments need no host (cash, a
// member's balance), while its batch is open: payments voided, stock back,
// voids queued, audited.
func (s *Store) VoidOrder(ctx context.Context, u Undo) (*Order, error) {
	return s.undo(ctx, u, PermVoid, func(tx *gorm.DB, o *Order, now time.Time) error {
		batch, err := openBatch(tx, o.TerminalID)
		if err != nil {
			return err
		}
		if err := CanVoid(o, batch); err != nil {
			return err
		}
		for _, p := range o.Payments {
			if p.Status.Taken() && !givesBackLocally(p) {
				return errNeedsHost(o)
			}
		}
		return applyVoid(tx, o, now, u.Manager.ID, u.Manager.Ref())
	})
}

// RefundOrder gives money of a paid order back to tenders that need no
// host: cash from the drawer, a member's balance to the balance. What goes
// back from which payment is u's (Undo); all of it is given back in one
// transaction, or none. A share of a card or QR payment is refused: the
// host must approve it.
func (s *Store) RefundOrder(ctx context.Context, u Undo) (*Order, error) {
	return s.undo(ctx, u, PermRefund, func(tx *gorm.DB, o *Order, now time.Time) error {
		shares := u.Shares
		switch {
		case len(shares) > 0:
		case u.PaymentID != 0:
			shares = []RefundShare{{Payment: Payment{ID: u.PaymentID}, Amount: u.Amount}}
		default:
			var err error
			if shares, err = RefundShares(o, u.Amount); err != nil {
				return err
			}
		}
		for _, sh := range shares {
			if err := refundLocally(tx, o, sh.Payment.ID, sh.Amount, now, u.Manager); err != nil {
				return err
			}
		}
		return nil
	})
}

// refundLocally gives amount of o's payment paymentID back to its tender
// (cash or a member's balance), inside tx, under the next refund key.
func refundLocally(tx *gorm.DB, o *Order, paymentID uint, amount int64, now time.Time, manager Operator) error {
	for _, p := range o.Payments {
		if p.ID != paymentID {
			continue
		}
		if !givesBackLocally(p) {
			return errNeedsHost(o)
		}
		key, err := undoKeyIn(tx, o, 'R')
		if err != nil {
			return err
		}
		return applyRefund(tx, o, p, amount, key, manager.Ref(), now, manager.ID)
	}
	return &Error{Code: ENOTFOUND, Key: "error.payment.not_found", Fallback: "That payment is not on this order"}
}

func errNeedsHost(o *Order) error {
	return &Error{Code: EINVALID, Key: "error.undo.needs_host",
		Fallback: "Order {{.Number}} was paid by card or QR code: the bank must approve this", Args: map[string]any{"Number": o.Number}}
}

// undo runs a void or refund of order u.OrderID in one transaction, after
// checking in it that u.Manager, as stored now, may authorize it: a manager
// demoted or gone since their code was read approves nothing.
func (s *Store) undo(ctx context.Context, u Undo, perm Permission, fn func(tx *gorm.DB, o *Order, now time.Time) error) (*Order, error) {
	now := u.Now
	if now.IsZero() {
		now = time.Now()
	}
	var o Order
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := undoAuthorized(tx, u.Manager, perm); err != nil {
			return err
		}
		if err := tx.Preload("Lines").Preload("Payments").First(&o, u.OrderID).Error; err != nil {
			return notFoundAs(err, msgNoOrder)
		}
		return fn(tx, &o, now)
	})
	if err != nil {
		return nil, undoError(s.path, u.OrderID, err)
	}
	return &o, nil
}

// CheckVoid asks every local rule of a void of order orderID authorized by
// manager, as the store has them now, before the bank is asked: that
// manager may void (as stored now, under the shop's matrix), and VoidRules
// with the order's open batch and, for a top-up, its member's balance. It
// changes nothing, and returns the order as stored.
func (s *Store) CheckVoid(ctx context.Context, orderID uint, manager Operator) (*Order, error) {
	var o Order
	err := s.read(ctx, func(db *gorm.DB) error {
		topUp, err := undoable(db, orderID, manager, PermVoid, &o)
		if err != nil {
			return err
		}
		batch, err := openBatch(db, o.TerminalID)
		if err != nil {
			return err
		}
		return VoidRules(&o, batch, topUp)
	})
	if err != nil {
		return nil, undoError(s.path, orderID, err)
	}
	return &o, nil
}

// CheckRefund asks every local rule of a refund of amount of order orderID
// authorized by manager, as the store has them now, before the bank is
// asked: that manager may refund (as stored now, under the shop's matrix;
// for a refund with cash or balance shares, as RefundOrder asks it too),
// and RefundRules with, for a top-up, its member's balance. It changes
// nothing, and returns the order as stored and how the refund is shared
// out between its payments (RefundShares).
func (s *Store) CheckRefund(ctx context.Context, orderID uint, amount int64, manager Operator) (*Order, []RefundShare, error) {
	var o Order
	var shares []RefundShare
	err := s.read(ctx, func(db *gorm.DB) error {
		topUp, err := undoable(db, orderID, manager, PermRefund, &o)
		if err != nil {
			return err
		}
		if shares, err = RefundRules(&o, amount, topUp); err != nil {
			return err
		}
		for _, sh := range shares {
			if !sh.Payment.ViaHost() {
				// Its local shares are given back by RefundOrder, which
				// asks this of whoever authorizes it.
				return undoAuthorized(db, manager, PermRefund)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, undoError(s.path, orderID, err)
	}
	return &o, shares, nil
}

// undoAuthorized checks, inside a read or a transaction, that manager may
// authorize a void or refund the store does alone (VoidOrder, RefundOrder):
// a manager or owner as stored now (one demoted or gone since their code
// was read approves nothing) whom the shop's matrix allows perm.
func undoAuthorized(db *gorm.DB, manager Operator, perm Permission) error {
	by, err := operatorNow(db, manager)
	if err != nil {
		return err
	}
	if !by.IsManager() {
		return ErrManagerNeeded
	}
	_, err = allowedIn(db, by, perm)
	return err
}

// undoable checks, inside a read, that manager may do perm, then loads
// order orderID into o and returns, for a top-up, the member it filled.
func undoable(db *gorm.DB, orderID uint, manager Operator, perm Permission, o *Order) (Member, error) {
	if _, err := allowedIn(db, manager, perm); err != nil {
		return Member{}, err
	}
	if err := db.Preload("Lines").Preload("Payments").First(o, orderID).Error; err != nil {
		return Member{}, notFoundAs(err, msgNoOrder)
	}
	return topUpMemberIn(db, o)
}

// undoError is err of a void or refund of order id, as its caller gets it:
// a rule's refusal as it is, any other failure as a database error.
func undoError(path string, id uint, err error) error {
	if c := ErrorCode(err); c == EINVALID || c == ECONFLICT || c == ENOTFOUND {
		return err
	}
	return dbError(path, fmt.Errorf("store: undo order %d: %w", id, err))
}

// openBatch is the terminal's open batch number.
func openBatch(tx *gorm.DB, terminalID string) (int, error) {
	var batch Sequence
	if err := tx.Where("name = ?", "batch:"+terminalID).Limit(1).Find(&batch).Error; err != nil {
		return 0, fmt.Errorf("batch: %w", err)
	}
	return max(int(batch.Next), 1), nil
}

// AuditOverride records that manager authorized action on subject (an order
// number) before it is sent to the host.
func (s *Store) AuditOverride(ctx context.Context, terminalID string, manager Operator, action, subject, detail string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: manager.ID,
			Action: action, Subject: subject, Detail: detail}).Error
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: audit %s: %w", action, err))
	}
	return nil
}
