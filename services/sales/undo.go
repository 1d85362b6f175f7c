package sales

import (
	"context"
	"fmt"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// hostPayment is the card or QR payment of o that took money through the
// host, or ok false when o was paid with no host involved (cash, a
// member's balance).
func hostPayment(o *models.Order) (p models.Payment, ok bool) {
	for _, p := range o.Payments {
		if p.Status.Taken() && p.Key != "" && p.Amount > 0 {
			return p, true
		}
	}
	return models.Payment{}, false
}

// localPayment is the payment of o that took money without the host (cash,
// a member's balance), which a refund gives back to.
func localPayment(o *models.Order) (p models.Payment, ok bool) {
	for _, p := range o.Payments {
		if (p.Tender == models.TenderCash || p.Tender == models.TenderFingerprint) && p.Status.Taken() && p.Amount > 0 {
			return p, true
		}
	}
	return models.Payment{}, false
}

// Void cancels a paid order of the open batch, authorized by manager: at
// the bank for a card or QR payment, locally for cash. Every local rule is
// checked before the bank is asked.
func (s *Sales) Void(ctx context.Context, orderID uint, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p, viaHost := hostPayment(o)
	if !viaHost {
		return s.store.VoidOrder(ctx, models.Undo{OrderID: orderID, Manager: manager})
	}
	if err := s.store.Allowed(ctx, manager, models.PermVoid); err != nil {
		return nil, err
	}
	open, err := s.store.BatchNumber(ctx, s.terminal())
	if err != nil {
		return nil, err
	}
	if err := models.CanVoid(o, open); err != nil {
		return nil, err
	}
	return s.undoAtHost(ctx, o, p, 'V', manager, func(key string) string { return "void " + key },
		func(auth *acquirer.Authorizer, key string, req models.HostRequest) (acquirer.Response, error) {
			return auth.Void(ctx, key, req)
		})
}

// Refund gives amount of a paid order back to its tender, authorized by
// manager: at the bank for a card or QR payment, from the drawer for cash,
// to the balance for a member's. Every local rule is checked before the
// bank is asked.
func (s *Sales) Refund(ctx context.Context, orderID uint, amount int64, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	p, viaHost := hostPayment(o)
	if !viaHost {
		local, ok := localPayment(o)
		if !ok {
			return nil, models.CanRefund(o, amount, 0)
		}
		return s.store.RefundOrder(ctx, models.Undo{OrderID: orderID, PaymentID: local.ID, Amount: amount, Manager: manager})
	}
	if err := s.store.Allowed(ctx, manager, models.PermRefund); err != nil {
		return nil, err
	}
	if err := models.CanRefund(o, amount, models.PaymentRefundable(o, p)); err != nil {
		return nil, err
	}
	return s.undoAtHost(ctx, o, p, 'R', manager, func(key string) string { return fmt.Sprintf("refund %s amount=%d", key, amount) },
		func(auth *acquirer.Authorizer, key string, req models.HostRequest) (acquirer.Response, error) {
			return auth.Refund(ctx, key, req, amount)
		})
}

// undoAtHost has the bank undo payment p of o (a void, kind 'V', or a
// refund, 'R'), authorized by manager and audited first, once every
// offline approval is reported; the answer moves the order, which comes
// back as stored.
func (s *Sales) undoAtHost(ctx context.Context, o *models.Order, p models.Payment, kind byte, manager models.Operator,
	detail func(key string) string, send func(*acquirer.Authorizer, string, models.HostRequest) (acquirer.Response, error)) (*models.Order, error) {
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
	key, err := s.store.UndoKey(ctx, o, kind)
	if err != nil {
		return nil, err
	}
	if err := s.store.AuditOverride(ctx, s.terminal(), manager, "authorize", o.Number, detail(key)); err != nil {
		return nil, err
	}
	resp, err := send(auth, key, *req)
	if err != nil {
		return nil, err
	}
	if !resp.Approved() {
		return nil, resp.Err()
	}
	return s.store.OrderByID(ctx, o.ID)
}
