// Package qrpayment takes QR payments: the dynamic merchant QR the customer
// scans (C扫B), and the customer's payment code the cashier scans (B扫C),
// both through the acquirer and followed until final.
package qrpayment

import (
	"context"
	"fmt"
	"strings"
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

// Settings keeps the merchant's names for the QR codes; *models.Store is one.
type Settings interface {
	Setting(ctx context.Context, key, def string) (string, error)
	ChangeSettings(ctx context.Context, p models.Permission, values map[string]string, by models.Operator) error
}

// QR takes QR payments.
type QR struct {
	sales      Sales
	settings   Settings
	shopName   string
	terminalID string
	// Clock paces the loop that follows a payment; tests pass one that
	// needs no waiting.
	Clock acquirer.Clock
	// MerchantWait and CodeWait are the QR loop's timings.
	MerchantWait, CodeWait acquirer.QRWait

	mu    sync.Mutex
	keys  map[string]string   // order number → the payment key of the QR shown
	names qrpay.MerchantNames // as set: empty Latin names are made on each code
}

// New takes QR payments for the shop named shopName at terminalID; its city
// and the Latin forms of its name and city are read from settings (a value
// that cannot be read, or breaks a rule, is taken as not set).
func New(sl Sales, settings Settings, shopName, terminalID string) *QR {
	q := &QR{sales: sl, settings: settings, shopName: shopName, terminalID: terminalID, Clock: acquirer.RealClock{},
		keys: map[string]string{}, MerchantWait: acquirer.MerchantQRWait, CodeWait: acquirer.PayCodeWait}
	ctx := context.Background()
	read := func(key, def string) string {
		v, err := settings.Setting(ctx, key, def)
		if err != nil {
			return def
		}
		return v
	}
	n := qrpay.MerchantNames{
		LocalName: shopName,
		LocalCity: read(models.SettingMerchantCity, ""),
		Name:      read(models.SettingMerchantNameLatin, ""),
		City:      read(models.SettingMerchantCityLatin, ""),
	}
	if n.Filled().Check() != nil {
		n.Name, n.City = "", ""
		if n.Filled().Check() != nil {
			n.LocalCity = ""
		}
	}
	q.names = n
	return q
}

// MerchantNames are the shop's name and city as set for its QR codes: in
// Chinese (the name is the store's), and in Latin letters as the owner set
// them, empty when the pinyin of the Chinese is used (see
// qrpay.MerchantNames.Filled for what a code carries).
func (q *QR) MerchantNames() qrpay.MerchantNames {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.names
}

// SetMerchantNames checks and stores the shop's city in Chinese and its
// name and city in Latin letters (pinyin or English; empty: the pinyin of
// the Chinese); the name in Chinese stays the store's. The Latin ones must
// keep to qrpay.CheckLatin. A refused value leaves the settings as they were.
func (q *QR) SetMerchantNames(ctx context.Context, n qrpay.MerchantNames, by models.Operator) error {
	n = qrpay.MerchantNames{LocalName: q.shopName, LocalCity: strings.TrimSpace(n.LocalCity),
		Name: strings.TrimSpace(n.Name), City: strings.TrimSpace(n.City)}
	if err := n.Filled().Check(); err != nil {
		return err
	}
	values := map[string]string{models.SettingMerchantCity: n.LocalCity,
		models.SettingMerchantNameLatin: n.Name, models.SettingMerchantCityLatin: n.City}
	if err := q.settings.ChangeSettings(ctx, models.PermSettingsPayments, values, by); err != nil {
		return fmt.Errorf("qrpayment: merchant names: %w", err)
	}
	q.mu.Lock()
	q.names = n
	q.mu.Unlock()
	return nil
}

// ErrMerchantNotSetUp means the shop's QR merchant account (the GUID,
// merchant ID and category code the acquirer gave it) is not set.
var ErrMerchantNotSetUp = &models.Error{Code: models.EINVALID, Key: "error.qr.merchant_not_set_up",
	Fallback: "The shop's QR merchant account is not set up: enter the merchant ID and category code the acquirer gave the shop"}

// merchant is the shop as its QR codes name it: its merchant account as
// set (never a default), its name and city in Latin letters in objects 59
// and 60, in Chinese in the language template 64.
func (q *QR) merchant(ctx context.Context) (qrpay.MerchantConfig, error) {
	var m qrpay.MerchantConfig
	for _, f := range []struct {
		key string
		v   *string
	}{{models.SettingQRGUID, &m.GUID}, {models.SettingQRMerchantID, &m.MerchantID}, {models.SettingQRMCC, &m.MCC}} {
		v, err := q.settings.Setting(ctx, f.key, "")
		if err != nil {
			return m, fmt.Errorf("qrpayment: merchant account: %w", err)
		}
		if v == "" {
			return m, ErrMerchantNotSetUp
		}
		*f.v = v
	}
	m.MerchantNames = q.MerchantNames().Filled()
	return m, nil
}

// Show stores o awaiting payment, opens a QR order for its total at the
// acquirer, and returns the payload to show.
func (q *QR) Show(ctx context.Context, o *models.Order) (string, error) {
	auth, err := q.sales.Authorizer(ctx)
	if err != nil {
		return "", err
	}
	m, err := q.merchant(ctx)
	if err != nil {
		return "", err
	}
	pay, err := q.sales.StartPayment(ctx, o, models.Payment{Tender: models.TenderQR, Amount: o.Due()})
	if err != nil {
		return "", err
	}
	payload, err := qrpay.DynamicOrder(m, pay.Amount, o.Number, q.terminalID)
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
	if res.Wallet == "" {
		res.Wallet = string(wallet)
	}
	return res, err
}

// result reloads o and says how its QR payment ended.
func (q *QR) result(o *models.Order, resp acquirer.Response, err error) (payments.QRResult, error) {
	q.sales.Reload(context.Background(), o)
	res := payments.QRResult{Code: resp.Code, AuthCode: resp.AuthCode, Wallet: resp.Wallet}
	if err != nil {
		return res, err
	}
	res.Approved = resp.Approved()
	return res, resp.Err()
}
