package acquirer_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
	"github.com/till-pos/till/payments/qrpay"
)

func reqState(t *testing.T, j *models.Store, key string) *models.HostRequest {
	t.Helper()
	r, err := j.RequestByKey(context.Background(), "T01", key)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPayCodeApprovedAtOnceOrDeclined(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	r, err := a.QRSale(context.Background(), "qr-1", 1200, "134567890123456780", 30*time.Second)
	if err != nil || r.Code != acquirer.Approved || r.Wallet != "wechat" {
		t.Fatalf("payment code approved at once: %+v %v", r, err)
	}
	if w := reqState(t, j, "qr-1").Wallet; w != "wechat" {
		t.Fatalf("journalled wallet %q", w)
	}
	r, err = a.QRSale(context.Background(), "qr-2", 1200, "134567890123456783", 30*time.Second)
	if err != nil || r.Code != "51" {
		t.Fatalf("declined code: %+v %v", r, err)
	}
	if n, sum := h.Charged(); n != 1 || sum != 1200 {
		t.Fatalf("host charged %d %d", n, sum)
	}
}

func TestPayCodeConfirmedByTheCustomer(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	r, err := a.QRSale(context.Background(), "qr-3", 1500, "134567890123456781", 30*time.Second)
	if err != nil || r.Code != acquirer.InProgress {
		t.Fatalf("user paying: %+v %v", r, err)
	}
	if s := reqState(t, j, "qr-3").State; s != models.RequestAwaiting {
		t.Fatalf("journal state %s", s)
	}
	r, err = a.AwaitCustomer(context.Background(), "qr-3", acquirer.PayCodeWait, &acquirer.StepClock{At: time.Now()}, nil)
	if err != nil || r.Code != acquirer.Approved || r.AuthCode == "" || r.Wallet != "wechat" {
		t.Fatalf("confirmed: %+v %v", r, err)
	}
	if n, _ := h.Charged(); n != 1 {
		t.Fatalf("host charged %d", n)
	}
}

func TestPayCodeNeverConfirmedIsRevokedAtThirtySeconds(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	a.QRSale(context.Background(), "qr-4", 1500, "134567890123456782", 30*time.Second)
	clk := &acquirer.StepClock{At: time.Now()}
	start := reqState(t, j, "qr-4").SentAt
	var looks []time.Duration
	_, err := a.AwaitCustomer(context.Background(), "qr-4", acquirer.PayCodeWait, clk, func(left time.Duration) { looks = append(looks, left) })
	if !errors.Is(err, acquirer.ErrRevoked) {
		t.Fatalf("never confirmed: %v", err)
	}
	if at := clk.At.Sub(start); at < 30*time.Second || at > 31*time.Second {
		t.Fatalf("revoked at %s, want 30 s", at)
	}
	if len(looks) != 6 {
		t.Fatalf("%d looks every 5 s, want 6: %v", len(looks), looks)
	}
	if s := reqState(t, j, "qr-4").State; s != models.RequestReversed {
		t.Fatalf("journal state %s", s)
	}
}

func TestCancelledPayCodeIsNotRevokedBeforeFifteenSeconds(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	a.QRSale(context.Background(), "qr-5", 1500, "134567890123456782", 30*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the cashier cancels at once
	clk := &acquirer.StepClock{At: time.Now()}
	start := reqState(t, j, "qr-5").SentAt
	if _, err := a.AwaitCustomer(ctx, "qr-5", acquirer.PayCodeWait, clk, nil); !errors.Is(err, acquirer.ErrRevoked) {
		t.Fatalf("cancelled: %v", err)
	}
	if at := clk.At.Sub(start); at < 15*time.Second {
		t.Fatalf("revoked at %s, before 15 s", at)
	}
}

func TestMerchantQRPaidCancelledAndPaidLate(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	// Paid: the customer scans and pays, the next look sees it.
	if r, err := a.QRSale(ctx, "mqr-1", 2000, "", 2*time.Minute); err != nil || r.Code != acquirer.InProgress {
		t.Fatalf("QR order: %+v %v", r, err)
	}
	if err := h.PayQR("mqr-1", qrpay.Alipay); err != nil {
		t.Fatal(err)
	}
	// The answer names the wallet the customer paid with; the journal
	// keeps it.
	if r, err := a.AwaitCustomer(ctx, "mqr-1", acquirer.MerchantQRWait, &acquirer.StepClock{At: time.Now()}, nil); err != nil ||
		r.Code != acquirer.Approved || r.Wallet != "alipay" {
		t.Fatalf("paid QR: %+v %v", r, err)
	}
	if w := reqState(t, j, "mqr-1").Wallet; w != "alipay" {
		t.Fatalf("journalled wallet %q", w)
	}
	// Expired: nobody pays; after two minutes the order is closed and a
	// late scan cannot pay it.
	a.QRSale(ctx, "mqr-2", 2000, "", 2*time.Minute)
	if _, err := a.AwaitCustomer(ctx, "mqr-2", acquirer.MerchantQRWait, &acquirer.StepClock{At: time.Now()}, nil); !errors.Is(err, acquirer.ErrRevoked) {
		t.Fatalf("expired QR: %v", err)
	}
	if err := h.PayQR("mqr-2", qrpay.WeChat); !errors.Is(err, simhost.ErrNoQROrder) {
		t.Fatalf("paying a closed QR order: %v", err)
	}
	// Paid just as the cashier cancelled: the revoke refunds it.
	a.QRSale(ctx, "mqr-3", 2000, "", 2*time.Minute)
	if err := h.PayQR("mqr-3", qrpay.WeChat); err != nil {
		t.Fatal(err)
	}
	if err := a.Revoke(ctx, *reqState(t, j, "mqr-3")); err != nil {
		t.Fatal(err)
	}
	if n, sum := h.Charged(); n != 1 || sum != 2000 {
		t.Fatalf("host charges %d (%d): the late payment was not refunded", n, sum)
	}
}

func TestAwaitingQRPaymentsResumeAfterARestart(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	ctx := context.Background()
	a.QRSale(ctx, "qr-6", 1000, "134567890123456781", 30*time.Second) // confirms at the next look
	a.QRSale(ctx, "qr-7", 1000, "134567890123456782", 30*time.Second) // never confirms
	// The terminal restarts 40 s later.
	b := authorizer(t, h, j)
	if err := b.ResolveAwaiting(ctx, time.Now().Add(40*time.Second)); err != nil {
		t.Fatal(err)
	}
	if r := reqState(t, j, "qr-6"); r.State != models.RequestAnswered || r.Code != acquirer.Approved {
		t.Fatalf("confirmed while down: %s %s", r.State, r.Code)
	}
	if r := reqState(t, j, "qr-7"); r.State != models.RequestReversed {
		t.Fatalf("never confirmed, 40 s on: %s", r.State)
	}
	if n, _ := h.Charged(); n != 1 {
		t.Fatalf("host charges %d", n)
	}
}

func TestQRPaymentsAreNotApprovedOffline(t *testing.T) {
	j := newJournal(t)
	a := &acquirer.Authorizer{Journal: j, Terminal: term, TerminalID: "T01", Currency: models.CNY,
		Offline: payments.DefaultOfflinePolicy}
	if _, err := a.QRSale(context.Background(), "qr-8", 100, "134567890123456780", 30*time.Second); !errors.Is(err, acquirer.ErrOnlineNeeded) {
		t.Fatalf("QR with the host down: %v", err)
	}
}

func TestSimulatorCustomersSideOverHTTP(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	ctx := context.Background()
	// A merchant QR paid by POSTing its payload, as a phone would.
	if r, err := a.QRSale(ctx, "T01-00000042-P1", 990, "", 2*time.Minute); err != nil || r.Code != acquirer.InProgress {
		t.Fatalf("QR order: %+v %v", r, err)
	}
	payload, err := qrpay.DynamicOrder(qrpay.DefaultDemoMerchant(), 990, "T01-00000042", "T01")
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := http.PostForm(srv.URL+"/qr/pay", url.Values{"payload": {payload}, "wallet": {"paypal"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a wallet the host does not know: %s", resp.Status)
	}
	resp, err := http.PostForm(srv.URL+"/qr/pay", url.Values{"payload": {payload}, "wallet": {"unionpay"}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /qr/pay: %v %v", resp.Status, err)
	}
	if r, err := a.AwaitCustomer(ctx, "T01-00000042-P1", acquirer.MerchantQRWait, &acquirer.StepClock{At: time.Now()}, nil); err != nil ||
		r.Code != acquirer.Approved || r.Wallet != "unionpay" {
		t.Fatalf("paid over HTTP: %+v %v", r, err)
	}
	// Paying it again, or a QR nobody opened: refused.
	if resp, _ := http.PostForm(srv.URL+"/qr/pay", url.Values{"payload": {payload}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("second payment: %s", resp.Status)
	}
	// A payment code set to decline.
	if resp, _ := http.PostForm(srv.URL+"/paycode", url.Values{"code": {"134567890123456789"}, "behavior": {"decline"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /paycode: %s", resp.Status)
	}
	if r, _ := a.QRSale(ctx, "T01-00000043-P1", 990, "134567890123456789", 30*time.Second); r.Code != "51" {
		t.Fatalf("code set to decline: %+v", r)
	}
	if resp, _ := http.PostForm(srv.URL+"/paycode", url.Values{"code": {"1"}, "behavior": {"maybe"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad behaviour: %s", resp.Status)
	}
}
