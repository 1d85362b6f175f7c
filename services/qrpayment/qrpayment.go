// Package qrpayment takes QR payments: the dynamic merchant QR the customer
// scans (C扫B), and the customer's payment code the cashier scans (B扫C),
// both through the acquirer and followed until final.
package qrpayment

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/qrpay"
)

// Sales stores the payment and reaches the acquirer; *sales.Sales is one.
type Sales interface {
	StartPayment(ctx context.Context, o *models.Order, pay models.Payment) (models.Payment, error)
	Authorizer(ctx context.Context) (*acquirer.Authorizer, error)
	Reload(ctx context.Context, o *models.Order)
}

// QR takes QR payments.
type QR struct {
	sales      Sales
	shopName   string
	terminalID string
	// Clock paces the loop that follows a payment; tests pass one that
	// needs no waiting.
	Clock acquirer.Clock
	// MerchantWait and CodeWait are the QR loop's timings.
	MerchantWait, CodeWait acquirer.QRWait

	mu   sync.Mutex
	keys map[string]string // order number → the payment key of the QR shown
}

// New takes QR payments for the shop named shopName at terminalID.
func New(sl Sales, shopName, terminalID string) *QR {
	return &QR{sales: sl, shopName: shopName, terminalID: terminalID, Clock: acquirer.RealClock{},
		keys: map[string]string{}, MerchantWait: acquirer.MerchantQRWait, CodeWait: acquirer.PayCodeWait}
}

// merchant is the shop as its QR codes name it: its name in Chinese in
// the language template, and in pinyin in object 59.
func (q *QR) merchant() qrpay.MerchantConfig {
	m := qrpay.DefaultDemoMerchant()
	if q.shopName != "" {
		m.MerchantNames = qrpay.MerchantNames{LocalName: q.shopName, LocalCity: m.LocalCity}.Filled()
	}
	return m
}

// Show stores o awaiting payment, opens a QR order for its total at the
// acquirer, and returns the payload to show.
func (q *QR) Show(ctx context.Context, o *models.Order) (string, error) {
	auth, err := q.sales.Authorizer(ctx)
	if err != nil {
		return "", err
	}
	pay, err := q.sales.StartPayment(ctx, o, models.Payment{Tender: models.TenderQR, Amount: o.Due()})
	if err != nil {
		return "", err
	}
	payload, err := qrpay.DynamicOrder(q.merchant(), pay.Amount, o.Number, q.terminalID)
	if err != nil {
		return "", err
	}
	resp, err := auth.QRSale(ctx, pay.Key, pay.Amount, "", q.MerchantWait.RevokeAfter)
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

// Await waits for the customer to pay the QR shown for o; cancelling ctx
// closes the order at the host, which refunds a payment that arrives after.
func (q *QR) Await(ctx context.Context, o *models.Order, left func(time.Duration)) (payments.QRResult, error) {
	auth, err := q.sales.Authorizer(ctx)
	if err != nil {
		return payments.QRResult{}, err
	}
	q.mu.Lock()
	key := q.keys[o.Number]
	q.mu.Unlock()
	if key == "" {
		return payments.QRResult{}, fmt.Errorf("qrpayment: no QR shown for order %s", o.Number)
	}
	resp, err := auth.AwaitCustomer(ctx, key, q.MerchantWait, q.Clock, left)
	q.mu.Lock()
	delete(q.keys, o.Number) // ended: paid, declined or closed at the host
	q.mu.Unlock()
	return q.result(o, resp, err)
}

// PayCode charges a customer's payment code for o's total; while the
// customer confirms in their app, wait is told the time left.
func (q *QR) PayCode(ctx context.Context, o *models.Order, code string, wait func(time.Duration)) (payments.QRResult, error) {
	wallet, err := qrpay.Classify(code)
	if err != nil {
		return payments.QRResult{}, err
	}
	auth, err := q.sales.Authorizer(ctx)
	if err != nil {
		return payments.QRResult{}, err
	}
	pay, err := q.sales.StartPayment(ctx, o, models.Payment{Tender: models.TenderQR, Amount: o.Due(),
		MaskedPAN: qrpay.Mask(code), Scheme: string(wallet)})
	if err != nil {
		return payments.QRResult{}, err
	}
	resp, err := auth.QRSale(ctx, pay.Key, pay.Amount, code, q.CodeWait.RevokeAfter)
	if err == nil && resp.Code == acquirer.InProgress {
		if wait != nil {
			wait(q.CodeWait.RevokeAfter)
		}
		resp, err = auth.AwaitCustomer(ctx, pay.Key, q.CodeWait, q.Clock, wait)
	}
	res, err := q.result(o, resp, err)
	res.Wallet = string(wallet)
	return res, err
}

// result reloads o and says how its QR payment ended.
func (q *QR) result(o *models.Order, resp acquirer.Response, err error) (payments.QRResult, error) {
	q.sales.Reload(context.Background(), o)
	res := payments.QRResult{Code: resp.Code, AuthCode: resp.AuthCode}
	if err != nil {
		return res, err
	}
	res.Approved = resp.Approved()
	return res, resp.Err()
}
