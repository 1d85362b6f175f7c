package screens

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
)

func TestReceiptOfACashSale(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	o := orderOf(t, cola, 2)
	o.ID, o.Number, o.Status, o.OperatorName, o.CreatedAt = 9, "T01-00000009", models.OrderPaid, cashier.Name, testNow
	o.Payments = []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: 700, Tendered: 1000, Change: 300}}
	r := NewReceipt(ui, o)
	next := 0
	r.OnNewSale = func() { next++ }
	showOn(ui, r.Content())

	text := receipt.PlainText(r.Rows(), 40)
	for _, s := range []string{"Corner Shop", "T01-00000009", "Coca-Cola 330ml", "2 × ¥3.50", "¥7.00", "Cash", "¥10.00", "Change", "¥3.00", "Zhang San", "T01"} {
		if !strings.Contains(text, s) {
			t.Errorf("receipt lacks %q:\n%s", s, text)
		}
	}
	// The slip is on screen, and the change large beside it.
	mustShow(t, w, "Coca-Cola 330ml")
	mustShow(t, w, "Paid · order T01-00000009")
	if !bigTextShown(w, "¥3.00") {
		t.Fatal("the change is not shown large")
	}
	tap(t, w, "New sale")
	if next != 1 {
		t.Fatal("New sale did not start the next sale")
	}
}

func TestReceiptOfACardSaleSaysHowItWasPaid(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	o := orderOf(t, crisps, 1)
	o.ID, o.Number, o.Status, o.CreatedAt = 10, "T01-00000010", models.OrderPaid, testNow
	o.Payments = []models.Payment{{Tender: models.TenderCard, Status: models.PaymentApproved, Amount: 600, Tendered: 600,
		MaskedPAN: "622848******1234", AuthCode: "123456"}}
	r := NewReceipt(ui, o)
	showOn(ui, r.Content())
	mustShow(t, w, "Card 622848******1234 · Auth code 123456")
	if !bigTextShown(w, "Approved") || shown(w, "Change") {
		t.Fatal("a card receipt shows change instead of the approval")
	}
}

func TestReceiptScreenNamesTheSchemeAndTheWallet(t *testing.T) {
	for _, c := range []struct {
		pay  models.Payment
		want string
	}{
		{models.Payment{Tender: models.TenderCard, Scheme: "unionpay", MaskedPAN: "622848******1234", AuthCode: "123456"},
			"Card UnionPay 622848******1234 · Auth code 123456"},
		{models.Payment{Tender: models.TenderQR, Scheme: "alipay", AuthCode: "654321"}, "QR code Alipay · Auth code 654321"},
		{models.Payment{Tender: models.TenderFingerprint, MemberID: 3, MemberMasked: "王* 139****5678", BalanceLeft: ptr[int64](49300)},
			"Member balance 王* 139****5678 · Balance left ¥493.00"},
	} {
		ui := newTestUI(t, cashier)
		o := orderOf(t, crisps, 1)
		o.ID, o.Number, o.Status, o.CreatedAt = 10, "T01-00000010", models.OrderPaid, testNow
		c.pay.Status, c.pay.Amount, c.pay.Tendered = models.PaymentApproved, 600, 600
		o.Payments = []models.Payment{c.pay}
		r := NewReceipt(ui, o)
		showOn(ui, r.Content())
		mustShow(t, ui.Window, c.want)
	}
}

func ptr[T any](v T) *T { return &v }

// bigTextShown reports whether s is shown in large type on w.
func bigTextShown(w fyne.Window, s string) bool {
	found := false
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		tx, ok := o.(*canvas.Text)
		found = ok && tx.Text == s && tx.TextSize >= 36
		return found
	})
	return found
}
