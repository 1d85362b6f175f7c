package screens

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
)

func TestPayQRShowsTheCodeAndIsPaid(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	qr := &fakeQR{payload: "https://qr.example.com/pay?o=T01-00000051", left: 90 * time.Second, await: payments.QRResult{Approved: true, Code: "00"}}
	p := NewPayQR(ui, qr, orderOf(t, cola, 2))
	var paid *models.Order
	p.OnPaid = func(o *models.Order) { paid = o }
	showOn(ui, p.Content())

	if !button(t, w, "Cancel").Disabled() {
		t.Fatal("Cancel is enabled before a payment")
	}
	var payload, countdown string
	var codeShown, cancelOn, showOff bool
	qr.seen = func() {
		payload, countdown = p.Payload(), p.countdown.Text
		codeShown = len(p.qrBox.Objects) == 2
		cancelOn, showOff = !p.cancel.Disabled(), p.show.Disabled()
	}
	tap(t, w, "Show QR code")
	if !slices.Equal(qr.shown, []int64{700}) {
		t.Fatalf("QR orders opened: %v", qr.shown)
	}
	if payload != qr.payload || !codeShown || countdown != "Valid for 1:30" || !cancelOn || !showOff {
		t.Fatalf("while waiting: payload %q, code shown %v, countdown %q, cancel %v, show disabled %v",
			payload, codeShown, countdown, cancelOn, showOff)
	}
	if paid == nil || paid.ID != 51 || paid.Status != models.OrderPaid || p.Status() != "Approved" {
		t.Fatalf("OnPaid got %+v, status %q", paid, p.Status())
	}
}

func TestPayQRChargesAPaymentCode(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	qr := &fakeQR{left: 45 * time.Second, results: []payments.QRResult{{Code: "05"}, {Approved: true, Code: "00", Wallet: "wechat"}}}
	p := NewPayQR(ui, qr, orderOf(t, crisps, 1))
	var paid *models.Order
	p.OnPaid = func(o *models.Order) { paid = o }
	showOn(ui, p.Content())

	// Nothing typed: nothing charged.
	tap(t, w, "Charge payment code")
	if len(qr.codes) != 0 {
		t.Fatal("an empty code was charged")
	}
	var status, countdown string
	qr.seen = func() { status, countdown = p.Status(), p.countdown.Text }
	keys(t, w, "134567890123456789")
	tap(t, w, "Charge payment code")
	if !slices.Equal(qr.codes, []string{"134567890123456789"}) {
		t.Fatalf("codes charged: %q", qr.codes)
	}
	if status != "The customer is confirming in their app…" || countdown != "Valid for 0:45" {
		t.Fatalf("while confirming: %q, %q", status, countdown)
	}
	if paid != nil || p.Status() != "Not paid" || p.Message() != "Do not honour" || p.keypad.Text() != "" {
		t.Fatalf("declined: paid %v, status %q, message %q, keypad %q", paid, p.Status(), p.Message(), p.keypad.Text())
	}
	if button(t, w, "Charge payment code").Disabled() || button(t, w, "Other tender").Disabled() {
		t.Fatal("after a decline the cashier cannot charge again or take another tender")
	}

	// A scanner types the next code and Enter.
	for _, r := range "281234567890123456" {
		p.TypedRune(r)
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(qr.codes) != 2 || qr.codes[1] != "281234567890123456" {
		t.Fatalf("scanned code: %q", qr.codes)
	}
	if paid == nil || paid.ID != 52 || paid.Status != models.OrderPaid {
		t.Fatalf("OnPaid got %+v", paid)
	}
}
