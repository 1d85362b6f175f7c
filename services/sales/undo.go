package sales

import (
	"context"
	"fmt"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// hostPayment is the card or QR payment of o that took money through the
// host and its approved request, or ok false when o was paid with no host
// involved (cash, a member's balance).
func (s *Sales) hostPayment(ctx context.Context, o *models.Order) (models.Payment, *models.HostRequest, bool, error) {
	for _, p := range o.Payments {
		if !p.Status.Taken() || p.Key == "" || p.Amount < 0 {
			continue
		}
		r, err := s.store.RequestByKey(ctx, s.terminal(), p.Key)
		return p, r, true, err
	}
	return models.Payment{}, nil, false, nil
}

// Void cancels a paid order of the open batch, authorized by manager: at
// the bank for a card or QR payment, locally for cash. Every local rule is
// checked before the bank is asked.
func (s *Sales) Void(ctx context.Context, orderID uint, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p, _, viaHost, err := s.hostPayment(ctx, o)
	if err != nil {
		return nil, err
	}
	if !viaHost {
		return s.store.VoidOrder(ctx, models.Undo{OrderID: orderID, Manager: manager})
	}
	if !manager.IsManager() {
		return nil, models.ErrManagerNeeded
	}
	open, err := s.store.BatchNumber(ctx, s.terminal())
	if err != nil {
		return nil, err
	}
	if err := models.CanVoid(o, open); err != nil {
		return nil, err
	}
	if s.host == nil {
		return nil, acquirer.ErrNotConfigured
	}
	auth, err := s.host.Online(ctx)
	if err != nil {
		return nil, err
	}
	req, err := s.store.RequestByKey(ctx, s.terminal(), p.Key) // with the advice's RRN
	if err != nil {
		return nil, err
	}
	key, err := s.store.UndoKey(ctx, o, 'V')
	if err != nil {
		return nil, err
	}
	if err := s.store.AuditOverride(ctx, s.terminal(), manager, "authorize", o.Number, "void "+key); err != nil {
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
// Every local rule is checked before the bank is asked.
func (s *Sales) Refund(ctx context.Context, orderID uint, amount int64, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p, _, viaHost, err := s.hostPayment(ctx, o)
	if err != nil {
		return nil, err
	}
	if !viaHost {
		for _, q := range o.Payments {
			if (q.Tender == models.TenderCash || q.Tender == models.TenderFingerprint) && q.Status.Taken() && q.Amount > 0 {
				return s.store.RefundOrder(ctx, models.Undo{OrderID: orderID, PaymentID: q.ID, Amount: amount, Manager: manager})
			}
		}
		return nil, models.CanRefund(o, amount, 0)
	}
	if !manager.IsManager() {
		return nil, models.ErrManagerNeeded
	}
	if err := models.CanRefund(o, amount, models.PaymentRefundable(o, p)); err != nil {
		return nil, err
	}
	if s.host == nil {
		return nil, acquirer.ErrNotConfigured
	}
	auth, err := s.host.Online(ctx)
	if err != nil {
		return nil, err
	}
	req, err := s.store.RequestByKey(ctx, s.terminal(), p.Key)
	if err != nil {
		return nil, err
	}
	key, err := s.store.UndoKey(ctx, o, 'R')
	if err != nil {
		return nil, err
	}
	if err := s.store.AuditOverride(ctx, s.terminal(), manager, "authorize", o.Number,
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
