package screens

import (
	"image"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

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
		MaskedPAN: "**** **** **** 1234", AuthCode: "123456"}}
	r := NewReceipt(ui, o)
	showOn(ui, r.Content())
	mustShow(t, w, "Card **** **** **** 1234 · Auth code 123456")
	if !bigTextShown(w, "Approved") || shown(w, "Change") {
		t.Fatal("a card receipt shows change instead of the approval")
	}
}

func TestReceiptScreenNamesTheSchemeAndTheWallet(t *testing.T) {
	for _, c := range []struct {
		pay  models.Payment
		want string
	}{
		{models.Payment{Tender: models.TenderCard, Scheme: "unionpay", MaskedPAN: "**** **** **** 1234", AuthCode: "123456"},
			"Card UnionPay **** **** **** 1234 · Auth code 123456"},
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

// The preview draws the order number's barcode as the printer's Code 128
// bars, readable by a scanner off the screen, with the number under them.
func TestReceiptPreviewDrawsTheBarcode(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	o := orderOf(t, cola, 1)
	o.ID, o.Number, o.Status, o.CreatedAt = 12, "T01-00000012", models.OrderPaid, testNow
	o.Payments = []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: 350, Tendered: 350}}
	r := NewReceipt(ui, o)
	showOn(ui, r.Content())

	var bars *canvas.Image
	var under bool
	walk(w.Canvas().Content(), func(obj fyne.CanvasObject) bool {
		switch obj := obj.(type) {
		case *canvas.Image:
			if obj.Image != nil && bars == nil && decodeCode128(t, obj.Image) == o.Number {
				bars = obj
			}
		case *canvas.Text:
			// The number itself, centred under the bars (the order row has it
			// on the right).
			under = under || (bars != nil && obj.Text == o.Number && obj.Alignment == fyne.TextAlignCenter)
		}
		return false
	})
	if bars == nil {
		t.Fatal("no barcode image of the order number on the receipt")
	}
	if !under {
		t.Error("the order number is not written under its barcode")
	}
	if shown(w, "|| ||| | "+o.Number+" | ||| ||") {
		t.Error("the barcode is still drawn as text")
	}
	if bars.Size().Width < float32(bars.Image.Bounds().Dx()) || bars.ScaleMode != canvas.ImageScalePixels {
		t.Errorf("barcode drawn %v for an image %v, scale mode %v", bars.Size(), bars.Image.Bounds(), bars.ScaleMode)
	}
	// As drawn on the window, a scanner reads it.
	if got := decodeCode128(t, w.Canvas().Capture()); got != o.Number {
		t.Errorf("the barcode on screen reads %q", got)
	}
	// Data no barcode can hold shows as text.
	showOn(ui, Paper([]receipt.Row{{Barcode: "单号"}}))
	mustShow(t, w, "单号")
}

// decodeCode128 reads a Code 128 barcode in img with ZXing's reader, ""
// when there is none.
func decodeCode128(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return ""
	}
	return res.GetText()
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
