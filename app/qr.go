package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/qrpay"
	"github.com/till-pos/till/screens"
)

// qrPayments takes QR payments for the screens: the dynamic merchant QR the
// customer scans (C扫B), and the customer's payment code the cashier scans
// (B扫C), both through the acquirer and followed until final.
type qrPayments struct {
	t     *Till
	sales *sales
	// clock paces the loop that follows a payment; tests pass one that
	// needs no waiting.
	clock acquirer.Clock
	// waits are the QR loop's timings.
	merchantWait, codeWait acquirer.QRWait

	mu   sync.Mutex
	keys map[string]string // order number → the payment key of the QR shown
}

func newQRPayments(t *Till, sl *sales) *qrPayments {
	return &qrPayments{t: t, sales: sl, clock: acquirer.RealClock{}, keys: map[string]string{},
		merchantWait: acquirer.MerchantQRWait, codeWait: acquirer.PayCodeWait}
}

// merchant is the shop as its QR codes name it.
func (q *qrPayments) merchant() qrpay.MerchantConfig {
	m := qrpay.DefaultDemoMerchant()
	if name := q.t.env.Shop.Name; name != "" && len([]rune(name)) <= 25 {
		m.Name = name
	}
	return m
}

func (q *qrPayments) authorizer(ctx context.Context) (*acquirer.Authorizer, error) {
	if q.sales.link == nil {
		return nil, errNoAcquirer
	}
	sl, err := q.sales.link(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", acquirer.ErrOnlineNeeded, err)
	}
	return sl.auth, nil
}

// Show stores o awaiting payment, opens a QR order for its total at the
// acquirer, and returns the payload to show.
func (q *qrPayments) Show(ctx context.Context, o *models.Order) (string, error) {
	auth, err := q.authorizer(ctx)
	if err != nil {
		return "", err
	}
	pay, err := q.sales.store.StartPayment(ctx, o, models.Payment{Tender: models.TenderQR, Amount: o.Due()},
		models.SaleContext{TerminalID: q.sales.terminalID, Operator: q.sales.operator})
	if err != nil {
		return "", err
	}
	payload, err := qrpay.DynamicOrder(q.merchant(), pay.Amount, o.Number, q.sales.terminalID)
	if err != nil {
		return "", err
	}
	resp, err := auth.QRSale(ctx, pay.Key, pay.Amount, "", q.merchantWait.RevokeAfter)
	if err != nil {
		return "", err
	}
	if resp.Code != acquirer.InProgress && !resp.Approved() {
		return "", resp.Err()
	}
	q.mu.Lock()
	q.keys[o.Number] = pay.Key
	q.mu.Unlock()
	return payload, nil
}

func (q *qrPayments) keyOf(o *models.Order) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.keys[o.Number]
}

// Await waits for the customer to pay the QR shown for o; cancelling ctx
// closes the order at the host, which refunds a payment that arrives after.
func (q *qrPayments) Await(ctx context.Context, o *models.Order, left func(time.Duration)) (screens.QRResult, error) {
	auth, err := q.authorizer(ctx)
	if err != nil {
		return screens.QRResult{}, err
	}
	key := q.keyOf(o)
	if key == "" {
		return screens.QRResult{}, fmt.Errorf("app: no QR shown for order %s", o.Number)
	}
	resp, err := auth.AwaitCustomer(ctx, key, q.merchantWait, q.clock, left)
	q.mu.Lock()
	delete(q.keys, o.Number) // ended: paid, declined or closed at the host
	q.mu.Unlock()
	return q.result(o, resp, err)
}

// PayCode charges a customer's payment code for o's total; while the
// customer confirms in their app, wait is told the time left.
func (q *qrPayments) PayCode(ctx context.Context, o *models.Order, code string, wait func(time.Duration)) (screens.QRResult, error) {
	wallet, err := qrpay.Classify(code)
	if err != nil {
		return screens.QRResult{}, err
	}
	auth, err := q.authorizer(ctx)
	if err != nil {
		return screens.QRResult{}, err
	}
	pay, err := q.sales.store.StartPayment(ctx, o, models.Payment{Tender: models.TenderQR, Amount: o.Due(),
		MaskedPAN: qrpay.Mask(code), Scheme: string(wallet)},
		models.SaleContext{TerminalID: q.sales.terminalID, Operator: q.sales.operator})
	if err != nil {
		return screens.QRResult{}, err
	}
	resp, err := auth.QRSale(ctx, pay.Key, pay.Amount, code, q.codeWait.RevokeAfter)
	if err == nil && resp.Code == acquirer.InProgress {
		if wait != nil {
			wait(q.codeWait.RevokeAfter)
		}
		resp, err = auth.AwaitCustomer(ctx, pay.Key, q.codeWait, q.clock, wait)
	}
	res, err := q.result(o, resp, err)
	res.Wallet = string(wallet)
	return res, err
}

// result reloads o and says how its QR payment ended.
func (q *qrPayments) result(o *models.Order, resp acquirer.Response, err error) (screens.QRResult, error) {
	if got, gerr := q.sales.store.OrderByID(context.Background(), o.ID); gerr == nil {
		*o = *got
	}
	res := screens.QRResult{Code: resp.Code, AuthCode: resp.AuthCode}
	if err != nil {
		return res, err
	}
	res.Approved = resp.Approved()
	return res, resp.Err()
}

// CanSimulate reports whether a customer's scan can be simulated: demo
// mode, with its simulated acquirer.
func (q *qrPayments) CanSimulate() bool { return q.t.opts.Demo && q.t.opts.Acquirer == "" }

// SimulateScan pays the QR with payload at the simulated acquirer, as a
// customer's phone would after scanning it.
func (q *qrPayments) SimulateScan(ctx context.Context, payload string) error {
	sl := q.t.sync.Load()
	if sl == nil || sl.host == nil {
		return errNoAcquirer
	}
	return sl.host.PayQRPayload(payload)
}
