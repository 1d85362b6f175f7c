package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/qrpay"
)

// qrTill is demo mode with its host up, an order of one cola on the QR
// screen, and a clock the test drives.
func qrTill(t *testing.T, onWait func(till *Till, n int)) (*Till, *acquirer.StepClock) {
	t.Helper()
	till := startDemoWithHost(t)
	clk := &acquirer.StepClock{At: time.Now()}
	if onWait != nil {
		clk.OnWait = func(n int) { onWait(till, n) }
	}
	till.qr.Clock = clk
	scan(till.Window(), colaCode)
	tapKeys(t, till, "Pay ¥3.50", "QR code")
	return till, clk
}

func hostCharged(till *Till) int {
	n, _ := till.host.Simulator().Charged()
	return n
}

func TestCustomerScansOurQRAndPays(t *testing.T) {
	till, _ := qrTill(t, func(till *Till, n int) {
		if n == 1 {
			till.Shell().QR.Simulate() // the customer scans and pays
		}
	})
	var payload string
	till.ui.Do = func(f func()) {
		f()
		if till.Shell().QR != nil && till.Shell().QR.Payload() != "" {
			payload = till.Shell().QR.Payload()
		}
	}
	tapKeys(t, till, "Show QR code")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after the customer paid: %s, %q", till.Shell().Current(), till.Shell().QR.Message())
	}
	p, err := qrpay.Parse(payload)
	if err != nil {
		t.Fatalf("payload %q: %v", payload, err)
	}
	orders := todaysOrders(t, till)
	if p.Amount != 350 || p.AdditionalData.BillNumber != orders[0].Number || p.Currency != "156" {
		t.Fatalf("QR payload: amount %d bill %q", p.Amount, p.AdditionalData.BillNumber)
	}
	if orders[0].Status != models.OrderPaid || orders[0].Payments[0].Tender != models.TenderQR || hostCharged(till) != 1 {
		t.Fatalf("paid by QR: %+v, host charged %d", orders[0], hostCharged(till))
	}
	// The host said which wallet paid; the payment keeps it and the
	// receipt names it.
	if w := orders[0].Payments[0].Scheme; w != "wechat" || !strings.Contains(receiptText(till), "  WeChat Pay") {
		t.Fatalf("wallet %q, receipt:\n%s", w, receiptText(till))
	}
}

func TestOurQRExpiresThenCash(t *testing.T) {
	till, clk := qrTill(t, nil)
	start := clk.At
	tapKeys(t, till, "Show QR code")
	qr := till.Shell().QR
	if qr.Message() != "The customer did not complete the payment; it was cancelled and nothing was charged" {
		t.Fatalf("expired QR: %q", qr.Message())
	}
	if clk.At.Sub(start) < 2*time.Minute {
		t.Fatalf("closed after %s, before the QR expired", clk.At.Sub(start))
	}
	tapKeys(t, till, "Other tender", "Exact ¥3.50", "Take cash")
	orders := todaysOrders(t, till)
	if len(orders) != 1 || orders[0].Status != models.OrderPaid || orders[0].Payments[0].Status != models.PaymentReversed {
		t.Fatalf("after cash: %+v", orders)
	}
}

func TestQRCancelledThenPaidLateIsRefunded(t *testing.T) {
	till, _ := qrTill(t, func(till *Till, n int) {
		if n == 1 {
			till.Shell().QR.Cancel()   // the cashier cancels
			till.Shell().QR.Simulate() // and the customer pays just then
		}
	})
	tapKeys(t, till, "Show QR code")
	if till.Shell().Current() != "pay" || till.Shell().QR.Message() == "" {
		t.Fatalf("cancelled QR: %s %q", till.Shell().Current(), till.Shell().QR.Message())
	}
	if n := hostCharged(till); n != 0 {
		t.Fatalf("the late payment is still charged (%d)", n)
	}
	paid := false
	for _, e := range till.host.Simulator().Ledger() {
		paid = paid || e.MTI == "QRPAID"
	}
	if !paid {
		t.Fatal("the customer's payment never reached the host")
	}
	if o := todaysOrders(t, till); o[0].Status == models.OrderPaid {
		t.Fatal("a cancelled QR left the order paid")
	}
}

func typeCode(till *Till, code string) {
	c := till.Window().Canvas()
	for _, r := range code {
		c.OnTypedRune()(r)
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestPaymentCodes(t *testing.T) {
	for _, c := range []struct {
		name, code string
		paid       bool
		msg        string
		wallet     string
	}{
		{"approved at once", "134567890123456780", true, "", "wechat"},
		{"user paying then approved", "2845678901234561", true, "", "alipay"},
		{"user paying then revoked", "6212345678901234562", false, "The customer did not complete the payment; it was cancelled and nothing was charged", "unionpay"},
		{"declined", "134567890123456783", false, "Insufficient funds", "wechat"},
		{"malformed", "12345", false, "This is not a payment code from WeChat, Alipay or UnionPay; scan the code in the customer's payment app", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			till, clk := qrTill(t, nil)
			typeCode(till, c.code)
			if c.paid {
				if till.Shell().Current() != "receipt" {
					t.Fatalf("not paid: %q", till.Shell().QR.Message())
				}
				p := todaysOrders(t, till)[0].Payments[0]
				if p.Scheme != c.wallet || p.MaskedPAN != qrpay.Mask(c.code) || p.Status != models.PaymentApproved {
					t.Fatalf("payment: %+v", p)
				}
				return
			}
			if msg := till.Shell().QR.Message(); msg != c.msg {
				t.Fatalf("message %q, want %q", msg, c.msg)
			}
			if c.wallet == "" && len(till.host.Simulator().Ledger()) != 0 {
				t.Fatal("a malformed code reached the host")
			}
			if c.name == "user paying then revoked" {
				r, _ := till.Store().RequestByKey(t.Context(), "T01", todaysOrders(t, till)[0].Number+"-P1")
				if got := clk.At.Sub(r.SentAt); got < 30*time.Second {
					t.Fatalf("revoked after %s", got)
				}
				if r.State != "reversed" || hostCharged(till) != 0 {
					t.Fatalf("revoked request %s, host charged %d", r.State, hostCharged(till))
				}
			}
		})
	}
}
