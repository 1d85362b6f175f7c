package qrpayment_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/internal/demotest"
	"github.com/till-pos/till/internal/stafftest"
	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/qrpay"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/qrpayment"
	"github.com/till-pos/till/services/sales"
)

type rig struct {
	store *models.Store
	link  *hostlink.Link
	qr    *qrpayment.QR
	clock *acquirer.StepClock
}

// newRig takes QR payments at T01 through the simulated host, on a new
// store with the demo catalog, the demo cashier signed in.
func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	s, sess := demotest.Shop(t)
	link := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY})
	t.Cleanup(link.Close)
	if err := link.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	sl, err := sales.New(ctx, s, sess, link, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := qrpayment.New(sl, s, "测试店", "T01")
	clk := &acquirer.StepClock{At: time.Now()}
	q.Clock = clk
	return &rig{store: s, link: link, qr: q, clock: clk}
}

// order is a new order of n colas (¥3.50 each).
func (r *rig) order(t *testing.T, n int64) *models.Order {
	t.Helper()
	p, err := r.store.ProductByBarcode(context.Background(), "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(*p, models.Units(n)); err != nil {
		t.Fatal(err)
	}
	return o
}

func (r *rig) charged() int {
	n, _ := r.link.Simulator().Charged()
	return n
}

func TestOurQRScannedAndPaid(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	o := r.order(t, 2)
	payload, err := r.qr.Show(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	p, err := qrpay.Parse(payload)
	if err != nil {
		t.Fatalf("payload %q: %v", payload, err)
	}
	if p.Amount != 700 || p.AdditionalData.BillNumber != o.Number || p.Currency != "156" || p.MerchantName != "CESHIDIAN" ||
		p.MerchantCity != "SHANGHAI" || p.Language.Language != "ZH" || p.Language.Name != "测试店" || p.Language.City != "上海" {
		t.Fatalf("QR payload: %+v", p)
	}
	if o.ID == 0 || o.Status != models.OrderAwaiting || r.charged() != 0 {
		t.Fatalf("shown: order %d %s, charged %d", o.ID, o.Status, r.charged())
	}
	// The customer scans it and pays while the till waits.
	var scanErr error
	r.clock.OnWait = func(n int) {
		if n == 1 {
			scanErr = r.link.SimulateQRScan(ctx, payload)
		}
	}
	var left []time.Duration
	res, err := r.qr.Await(ctx, o, func(d time.Duration) { left = append(left, d) })
	if scanErr != nil {
		t.Fatalf("the customer's scan: %v", scanErr)
	}
	if err != nil || !res.Approved || res.Wallet != "wechat" {
		t.Fatalf("await: %+v %v", res, err)
	}
	// The host named the wallet the customer paid with: it is kept on the
	// payment, for the receipt and the settlement.
	if o.Status != models.OrderPaid || o.Payments[0].Tender != models.TenderQR || o.Payments[0].Status != models.PaymentApproved ||
		o.Payments[0].Scheme != "wechat" {
		t.Fatalf("paid by QR: %s %+v", o.Status, o.Payments)
	}
	if r.charged() != 1 {
		t.Fatalf("the host charged %d payments", r.charged())
	}
	// Once ended, the QR is no longer awaited.
	if _, err := r.qr.Await(ctx, o, nil); err == nil {
		t.Fatal("awaited a QR that was already paid")
	}
}

func TestPaymentCodeFromAWallet(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	o := r.order(t, 1)
	const code = "134567890123456780" // WeChat, approved at once by the simulated host
	res, err := r.qr.PayCode(ctx, o, code, nil)
	if err != nil || !res.Approved || res.Wallet != "wechat" || res.AuthCode == "" {
		t.Fatalf("payment code: %+v %v", res, err)
	}
	pay := o.Payments[0]
	if o.Status != models.OrderPaid || pay.Scheme != "wechat" || pay.MaskedPAN != qrpay.Mask(code) || pay.MaskedPAN == code {
		t.Fatalf("stored payment: %s %+v", o.Status, pay)
	}
	if r.charged() != 1 {
		t.Fatalf("the host charged %d payments", r.charged())
	}
	// Declined: the order waits for another tender.
	declined := r.order(t, 1)
	res, err = r.qr.PayCode(ctx, declined, "134567890123456783", nil)
	if res.Approved || err == nil || declined.Status != models.OrderAwaiting {
		t.Fatalf("declined code: %+v %v, order %s", res, err, declined.Status)
	}
}

func TestNotAPaymentCodeIsRefusedBeforeTheHost(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, code := range []string{"12345", "https://example.com/pay", "", "99999999999999999999"} {
		o := r.order(t, 1)
		res, err := r.qr.PayCode(ctx, o, code, nil)
		var me *models.Error
		if !errors.As(err, &me) || me.Code != models.EINVALID || res.Approved {
			t.Fatalf("code %q: %+v %v", code, res, err)
		}
		if o.ID != 0 {
			t.Fatalf("code %q stored the order", code)
		}
	}
	if n := len(r.link.Simulator().Ledger()); n != 0 {
		t.Fatalf("codes that are not payment codes reached the host: %d entries", n)
	}
	// Without a host nothing is shown.
	s := storetest.Open(t)
	sl, err := sales.New(ctx, s, stafftest.SignedIn(t, s, models.Operator{}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qrpayment.New(sl, s, "测试店", "T01").Show(ctx, r.order(t, 1)); !errors.Is(err, acquirer.ErrNotConfigured) {
		t.Fatalf("QR without a host: %v", err)
	}
}

func TestMerchantNamesSetForTheQR(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	// Nothing set: the store name, the default city, both in pinyin too.
	if got, want := r.qr.MerchantNames(), (qrpay.MerchantNames{LocalName: "测试店", LocalCity: "上海"}); got != want {
		t.Fatalf("names before any setting: %+v, want %+v", got, want)
	}
	set := qrpay.MerchantNames{Name: " Test Shop ", City: "Hangzhou", LocalCity: "杭州", LocalName: "ignored"}
	owner, err := demo.Stored(ctx, r.store, demo.Owner)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.qr.SetMerchantNames(ctx, set, owner); err != nil {
		t.Fatal(err)
	}
	want := qrpay.MerchantNames{Name: "Test Shop", City: "Hangzhou", LocalName: "测试店", LocalCity: "杭州"}
	if got := r.qr.MerchantNames(); got != want {
		t.Fatalf("names set: %+v, want %+v", got, want)
	}
	payload, err := r.qr.Show(ctx, r.order(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	p, err := qrpay.Parse(payload)
	if err != nil {
		t.Fatal(err)
	}
	if p.MerchantName != "Test Shop" || p.MerchantCity != "Hangzhou" || p.Language.Name != "测试店" || p.Language.City != "杭州" {
		t.Fatalf("QR after setting the names: %+v", p)
	}
	// Kept in the store: a new service over it reads them.
	sl, err := sales.New(ctx, r.store, stafftest.SignedIn(t, r.store, models.Operator{}), r.link, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := qrpayment.New(sl, r.store, "测试店", "T01").MerchantNames(); got != want {
		t.Fatalf("names read back: %+v, want %+v", got, want)
	}

	// Chinese, or too long, in the Latin fields is refused and nothing changes.
	for _, bad := range []struct {
		n   qrpay.MerchantNames
		key string
	}{
		{qrpay.MerchantNames{Name: "测试店", City: "Hangzhou", LocalCity: "杭州"}, qrpay.KeyLatinName},
		{qrpay.MerchantNames{Name: "Test Shop", City: "杭州", LocalCity: "杭州"}, qrpay.KeyLatinCity},
		{qrpay.MerchantNames{Name: strings.Repeat("N", 26), LocalCity: "杭州"}, qrpay.KeyLatinName},
		{qrpay.MerchantNames{LocalCity: strings.Repeat("杭", 16)}, qrpay.KeyLocalCity},
	} {
		err := r.qr.SetMerchantNames(ctx, bad.n, owner)
		var me *models.Error
		if !errors.As(err, &me) || me.Key != bad.key {
			t.Fatalf("SetMerchantNames(%+v) = %v, want %s", bad.n, err, bad.key)
		}
	}
	if got := r.qr.MerchantNames(); got != want {
		t.Fatalf("names after refused input: %+v", got)
	}
	if v, _ := r.store.Setting(ctx, models.SettingMerchantNameLatin, ""); v != "Test Shop" {
		t.Fatalf("stored Latin name after refused input: %q", v)
	}

	// Cleared: the pinyin of the Chinese is used again.
	if err := r.qr.SetMerchantNames(ctx, qrpay.MerchantNames{LocalCity: "重庆"}, owner); err != nil {
		t.Fatal(err)
	}
	payload, err = r.qr.Show(ctx, r.order(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	if p, err = qrpay.Parse(payload); err != nil || p.MerchantName != "CESHIDIAN" || p.MerchantCity != "CHONGQING" || p.Language.City != "重庆" {
		t.Fatalf("QR with names cleared: %+v, %v", p, err)
	}
}

func TestMerchantNamesStoredBadAreNotUsed(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for key, v := range map[string]string{models.SettingMerchantNameLatin: "测试店", models.SettingMerchantCity: strings.Repeat("杭", 20)} {
		if err := r.store.SetSetting(ctx, key, v); err != nil {
			t.Fatal(err)
		}
	}
	sl, err := sales.New(ctx, r.store, stafftest.SignedIn(t, r.store, models.Operator{}), r.link, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := qrpayment.New(sl, r.store, "测试店", "T01")
	if got := q.MerchantNames(); got != (qrpay.MerchantNames{LocalName: "测试店"}) {
		t.Fatalf("names from bad settings: %+v", got)
	}
	payload, err := q.Show(ctx, r.order(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := qrpay.Parse(payload); err != nil || p.MerchantName != "CESHIDIAN" || p.MerchantCity != "NA" {
		t.Fatalf("QR from bad settings: %+v, %v", p, err)
	}
}

// TestMerchantNamesOnlyBySomeoneAllowed: the store refuses a change of the
// QR names by a role the matrix does not allow, whatever the screen does.
func TestMerchantNamesOnlyBySomeoneAllowed(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	manager, err := demo.Stored(ctx, r.store, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	err = r.qr.SetMerchantNames(ctx, qrpay.MerchantNames{Name: "Test Shop", LocalCity: "杭州"}, manager)
	if !models.IsDenied(err) {
		t.Fatalf("a manager changed the QR names: %v", err)
	}
	if v, _ := r.store.Setting(ctx, models.SettingMerchantNameLatin, ""); v != "" {
		t.Fatalf("a refused change stored %q", v)
	}
}
