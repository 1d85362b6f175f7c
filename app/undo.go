package app

import (
	"context"
	"fmt"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
)

// FindOrders serves the transaction query.
func (s *sales) FindOrders(ctx context.Context, from, to time.Time, text string) ([]models.Order, error) {
	return s.store.FindOrders(ctx, s.terminalID, from, to, text, 200)
}

// CancelOrder gives up an order stored awaiting payment.
func (s *sales) CancelOrder(ctx context.Context, id uint) error {
	return s.store.CancelAwaiting(ctx, id, s.operator)
}

// OperatorByCode finds an operator signing in.
func (s *sales) OperatorByCode(ctx context.Context, code string) (models.Operator, error) {
	return s.store.OperatorByCode(ctx, code)
}

// ManagerByCode checks a manager's authorization code.
func (s *sales) ManagerByCode(ctx context.Context, code string) (models.Operator, error) {
	return s.store.ManagerByCode(ctx, code)
}

// errNoAcquirer means a card or QR payment must be undone at the bank and
// no acquirer is configured.
var errNoAcquirer = &models.Error{Code: models.EINVALID, Key: "error.acquirer.none",
	Fallback: "No link to the bank is set up: card and QR payments cannot be voided or refunded here"}

// hostPayment is the taken card or QR payment of o and its approved request
// to the host, or ok false when o was paid with no host involved (cash).
func (s *sales) hostPayment(ctx context.Context, o *models.Order) (models.Payment, *models.HostRequest, bool, error) {
	for _, p := range o.Payments {
		taken := p.Status == models.PaymentApproved || p.Status == models.PaymentOfflineApproved ||
			p.Status == models.PaymentAdvised || p.Status == models.PaymentRefunded
		if !taken || p.Key == "" || p.Amount < 0 {
			continue
		}
		r, err := s.store.RequestByKey(ctx, s.terminalID, p.Key)
		if err != nil {
			return p, nil, true, err
		}
		return p, r, true, nil
	}
	return models.Payment{}, nil, false, nil
}

// undoLink is the authorizer for a void or refund, after any offline
// approvals have been reported (the host must know a payment to undo it).
func (s *sales) undoLink(ctx context.Context) (*acquirer.Authorizer, error) {
	if s.link == nil {
		return nil, errNoAcquirer
	}
	sl, err := s.link(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", acquirer.ErrOnlineNeeded, err)
	}
	if _, err := sl.auth.ForwardAdvices(ctx); err != nil {
		return nil, fmt.Errorf("%w: %w", acquirer.ErrOnlineNeeded, err)
	}
	return sl.auth, nil
}

// Void cancels a paid order of the open batch, authorized by manager: at
// the bank for a card or QR payment, locally for cash.
func (s *sales) Void(ctx context.Context, orderID uint, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p, req, viaHost, err := s.hostPayment(ctx, o)
	if err != nil {
		return nil, err
	}
	if !viaHost {
		return s.store.VoidOrder(ctx, models.Undo{OrderID: orderID, Manager: manager})
	}
	if !manager.IsManager() {
		return nil, models.ErrManagerNeeded
	}
	if o.Status != models.OrderPaid || p.Status == models.PaymentRefunded {
		return nil, &models.Error{Code: models.ECONFLICT, Key: "error.void.not_paid",
			Fallback: "Order {{.Number}} cannot be voided: it is not a paid order", Args: map[string]any{"Number": o.Number}}
	}
	open, err := s.store.BatchNumber(ctx, s.terminalID)
	if err != nil {
		return nil, err
	}
	if req.Batch != open {
		return nil, &models.Error{Code: models.ECONFLICT, Key: "error.void.closed_batch",
			Fallback: "Order {{.Number}} was settled already: refund it instead", Args: map[string]any{"Number": o.Number}}
	}
	auth, err := s.undoLink(ctx)
	if err != nil {
		return nil, err
	}
	if req, err = s.store.RequestByKey(ctx, s.terminalID, p.Key); err != nil { // with the advice's RRN
		return nil, err
	}
	key, err := s.store.UndoKey(ctx, o, 'V')
	if err != nil {
		return nil, err
	}
	if err := s.store.AuditOverride(ctx, s.terminalID, manager, "authorize", o.Number, "void "+key); err != nil {
		return nil, err
	}
	resp, err := auth.Void(ctx, key, *req)
	if err != nil {
		return nil, err
	}
	if !resp.Approved() {
		return nil, resp.Err()
	}
	return s.store.OrderByID(ctx, orderID)
}

// Refund gives amount of a paid order back to its tender, authorized by
// manager: at the bank for a card or QR payment, from the drawer for cash.
func (s *sales) Refund(ctx context.Context, orderID uint, amount int64, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	_, req, viaHost, err := s.hostPayment(ctx, o)
	if err != nil {
		return nil, err
	}
	if !viaHost {
		for _, q := range o.Payments {
			if q.Tender == models.TenderCash && q.Amount > 0 {
				return s.store.RefundOrder(ctx, models.Undo{OrderID: orderID, PaymentID: q.ID, Amount: amount, Manager: manager})
			}
		}
		return nil, &models.Error{Code: models.ECONFLICT, Key: "error.refund.not_paid",
			Fallback: "Order {{.Number}} cannot be refunded: it is not a paid order", Args: map[string]any{"Number": o.Number}}
	}
	if !manager.IsManager() {
		return nil, models.ErrManagerNeeded
	}
	if left := o.Total - o.Refunded; amount <= 0 || amount > left {
		return nil, &models.Error{Code: models.EINVALID, Key: "error.refund.amount",
			Fallback: "A refund must be more than 0 and at most {{.Left}}", Args: map[string]any{"Left": models.FormatMinor(left)}}
	}
	auth, err := s.undoLink(ctx)
	if err != nil {
		return nil, err
	}
	if req, err = s.store.RequestByKey(ctx, s.terminalID, req.Key); err != nil {
		return nil, err
	}
	key, err := s.store.UndoKey(ctx, o, 'R')
	if err != nil {
		return nil, err
	}
	if err := s.store.AuditOverride(ctx, s.terminalID, manager, "authorize", o.Number,
		fmt.Sprintf("refund %s amount=%d", key, amount)); err != nil {
		return nil, err
	}
	resp, err := auth.Refund(ctx, key, *req, amount)
	if err != nil {
		return nil, err
	}
	if !resp.Approved() {
		return nil, resp.Err()
	}
	return s.store.OrderByID(ctx, orderID)
}

// payOnline takes a card or QR payment for o through the acquirer: the order
// is stored awaiting payment, the request journalled and sent, and the
// answer moves the payment (completing the order) in one transaction. On a
// decline o stays stored awaiting another tender.
func (s *sales) payOnline(ctx context.Context, o *models.Order, pay models.Payment, entryMode, track2, icc string) (acquirer.Response, error) {
	if s.link == nil {
		return acquirer.Response{}, errNoAcquirer
	}
	started, err := s.store.StartPayment(ctx, o, pay, models.SaleContext{TerminalID: s.terminalID, Operator: s.operator})
	if err != nil {
		return acquirer.Response{}, err
	}
	sl, err := s.link(ctx)
	if err != nil {
		// Unreachable: the authorizer decides offline on its own.
		sl = &syncLink{auth: &acquirer.Authorizer{Journal: s.store, TerminalID: s.terminalID,
			Currency: o.Currency, Offline: payments.DefaultOfflinePolicy}}
	}
	resp, err := sl.auth.Sale(ctx, started.Key, started.Amount, entryMode, track2, icc)
	if got, gerr := s.store.OrderByID(ctx, o.ID); gerr == nil {
		*o = *got
	}
	return resp, err
}
