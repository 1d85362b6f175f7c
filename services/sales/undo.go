package sales

import (
	"context"
	"fmt"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// hostPayments are the payments of o that took money through the host
// (card, QR), in payment order; none when o was paid with no host involved
// (cash, a member's balance).
func hostPayments(o *models.Order) []models.Payment {
	var out []models.Payment
	for _, p := range o.Payments {
		if p.ViaHost() && p.Status.Taken() && p.Amount > 0 && p.OriginalID == 0 {
			out = append(out, p)
		}
	}
	return out
}

// Void cancels a paid order of the open batch, authorized by manager: each
// card or QR payment at the bank, cash and a member's balance locally, with
// the last approval from the bank (models.VoidRules is every rule of it).
// Every local rule is checked before the bank is asked (Store.CheckVoid),
// so a void the bank approves is applied whole.
func (s *Sales) Void(ctx context.Context, orderID uint, manager models.Operator) (*models.Order, error) {
	o, err := s.void(ctx, orderID, manager)
	if err == nil {
		s.checkRisk("a void", func(r Risk) error { return r.AfterUndo(ctx, o, manager, s.session.Operator()) })
	}
	return o, err
}

func (s *Sales) void(ctx context.Context, orderID uint, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if len(hostPayments(o)) == 0 {
		return s.store.VoidOrder(ctx, models.Undo{OrderID: orderID, Manager: manager})
	}
	if o, err = s.store.CheckVoid(ctx, orderID, manager); err != nil {
		return nil, err
	}
	auth, err := s.online(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range hostPayments(o) {
		err := s.undoAtHost(ctx, auth, o, p, 'V', manager, func(key string) string { return "void " + key },
			func(key string, req models.HostRequest) (acquirer.Response, error) {
				return auth.Void(ctx, key, req)
			})
		if err != nil {
			return nil, err
		}
	}
	return s.store.OrderByID(ctx, o.ID)
}

// Refund gives amount of a paid order back, authorized by manager, shared
// out between its payments by models.RefundShares: the card and QR shares
// at the bank first, one refund per payment, then the cash share from the
// drawer and the member's share to their balance, together. Every local
// rule is checked before the bank is asked (Store.CheckRefund): a refund
// above what the payments can give back is refused before any request.
func (s *Sales) Refund(ctx context.Context, orderID uint, amount int64, manager models.Operator) (*models.Order, error) {
	o, err := s.refund(ctx, orderID, amount, manager)
	if err == nil {
		s.checkRisk("a refund", func(r Risk) error { return r.AfterUndo(ctx, o, manager, s.session.Operator()) })
	}
	return o, err
}

func (s *Sales) refund(ctx context.Context, orderID uint, amount int64, manager models.Operator) (*models.Order, error) {
	o, err := s.store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if len(hostPayments(o)) == 0 {
		return s.store.RefundOrder(ctx, models.Undo{OrderID: orderID, Amount: amount, Manager: manager})
	}
	o, shares, err := s.store.CheckRefund(ctx, orderID, amount, manager)
	if err != nil {
		return nil, err
	}
	var local []models.RefundShare
	var atHost []models.RefundShare
	for _, sh := range shares {
		if sh.Payment.ViaHost() {
			atHost = append(atHost, sh)
		} else {
			local = append(local, sh)
		}
	}
	if len(atHost) > 0 {
		auth, err := s.online(ctx)
		if err != nil {
			return nil, err
		}
		for _, sh := range atHost {
			err := s.undoAtHost(ctx, auth, o, sh.Payment, 'R', manager,
				func(key string) string { return fmt.Sprintf("refund %s amount=%d", key, sh.Amount) },
				func(key string, req models.HostRequest) (acquirer.Response, error) {
					return auth.Refund(ctx, key, req, sh.Amount)
				})
			if err != nil {
				return nil, err
			}
		}
	}
	if len(local) == 0 {
		return s.store.OrderByID(ctx, o.ID)
	}
	done, err := s.store.RefundOrder(ctx, models.Undo{OrderID: orderID, Shares: local, Manager: manager})
	if err != nil {
		return nil, fmt.Errorf("sales: refund of order %s: the bank gave back its share, the rest was not: %w", o.Number, err)
	}
	return done, nil
}

// online is the acquirer's authorizer once every offline approval is
// reported to the host.
func (s *Sales) online(ctx context.Context) (*acquirer.Authorizer, error) {
	if s.host == nil {
		return nil, acquirer.ErrNotConfigured
	}
	return s.host.Online(ctx)
}

// undoAtHost has the bank undo payment p of o (a void, kind 'V', or a
// refund, 'R') through auth, authorized by manager and audited first; the
// answer moves the order in the store.
func (s *Sales) undoAtHost(ctx context.Context, auth *acquirer.Authorizer, o *models.Order, p models.Payment, kind byte,
	manager models.Operator, detail func(key string) string, send func(string, models.HostRequest) (acquirer.Response, error)) error {
	req, err := s.store.RequestByKey(ctx, s.terminal(), p.Key) // with the advice's RRN
	if err != nil {
		return err
	}
	key, err := s.store.UndoKey(ctx, o, kind)
	if err != nil {
		return err
	}
	if err := s.store.AuditOverride(ctx, s.terminal(), manager, "authorize", o.Number, detail(key)); err != nil {
		return err
	}
	resp, err := send(key, *req)
	if err != nil {
		return err
	}
	if !resp.Approved() {
		return resp.Err()
	}
	return nil
}
