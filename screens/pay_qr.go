package screens

import (
	"context"
	"fmt"
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/qrpay"
	"github.com/till-pos/till/screens/widgets"
)

// QRMinSize is the least side of the QR code on screen, read by a phone
// from 40 cm; it grows with the room the screen has.
const QRMinSize = 260

// qrPixels is the side of the QR image drawn, scaled to the room shown.
const qrPixels = 512

// QRPayments takes QR payments; *qrpayment.QR is one.
type QRPayments interface {
	// Show stores o awaiting payment, opens a QR order for its total at the
	// acquirer and returns the payload to show as a QR code.
	Show(ctx context.Context, o *models.Order) (string, error)
	// Await waits for the customer to pay the QR shown for o; left is told
	// how long it stays valid. Cancelling ctx closes the order at the host,
	// which refunds a payment that arrives after.
	Await(ctx context.Context, o *models.Order, left func(time.Duration)) (payments.QRResult, error)
	// PayCode charges the customer's payment code for o; while the customer
	// confirms in their app, wait is told how long is left.
	PayCode(ctx context.Context, o *models.Order, code string, wait func(time.Duration)) (payments.QRResult, error)
}

// PayQR takes a QR payment: the shop's dynamic QR for the customer to scan
// (with a countdown), or the customer's payment code scanned by the cashier
// (keyboard-wedge scanner, or typed on the keypad).
type PayQR struct {
	ui    *UI
	qr    QRPayments
	order *models.Order
	// OnPaid is called with the stored order once the payment is approved.
	OnPaid func(o *models.Order)
	// OnOtherTender is called to take another tender for the order.
	OnOtherTender func(o *models.Order)

	qrBox     *fyne.Container
	countdown *canvas.Text
	status    *widget.Label
	msg       *widget.Label
	keypad    *widgets.Keypad
	show      *widget.Button
	charge    *widget.Button
	cancel    *widget.Button
	other     *widget.Button
	simulate  *widget.Button
	payload   string
	stop      context.CancelFunc
	busy      bool
	content   fyne.CanvasObject
}

// NewPayQR builds the QR screen for o.
func NewPayQR(ui *UI, qr QRPayments, o *models.Order) *PayQR {
	p := &PayQR{ui: ui, qr: qr, order: o}
	p.content = p.build()
	return p
}

// Content is the screen's root object.
func (p *PayQR) Content() fyne.CanvasObject { return p.content }

// Payload is the QR shown, for tests.
func (p *PayQR) Payload() string { return p.payload }

// Message is the error or advice shown, for tests.
func (p *PayQR) Message() string { return p.msg.Text }

// Status is the status line, for tests.
func (p *PayQR) Status() string { return p.status.Text }

func (p *PayQR) build() fyne.CanvasObject {
	due := bigText(models.Money{Minor: p.order.Due(), Currency: p.order.Currency}.String(), 48, theme.ColorNameForeground)
	p.status = widget.NewLabelWithStyle(lang.X("qr.ready", "Show the QR, or scan the customer's payment code"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Importance = widget.HighImportance
	p.msg = widget.NewLabel("")
	p.msg.Wrapping = fyne.TextWrapWord
	p.msg.Importance = widget.DangerImportance
	p.countdown = bigText("", 24, theme.ColorNameForeground)
	p.countdown.Alignment = fyne.TextAlignCenter

	placeholder := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	placeholder.SetMinSize(fyne.NewSize(QRMinSize, QRMinSize))
	p.qrBox = container.NewStack(placeholder)
	// The QR takes the height left: large on a big screen, never less
	// than a phone's camera reads at arm's length.
	left := container.NewBorder(due, p.countdown, nil, nil, p.qrBox)

	p.keypad = widgets.NewKeypad(0)
	p.keypad.MaxLen = 24
	p.charge = widget.NewButtonWithIcon(lang.X("qr.charge", "Charge payment code"), theme.ConfirmIcon(), func() { p.ChargeCode(p.keypad.Text()) })
	keysWidth := 4*widgets.KeySize.Width + 3*theme.Padding()
	right := container.NewVBox(
		container.NewStack(strut(keysWidth, 96), container.NewVBox(p.status, p.msg)),
		p.keypad, container.NewStack(strut(keysWidth, 64), p.charge))

	p.show = widget.NewButtonWithIcon(lang.X("qr.show", "Show QR code"), theme.VisibilityIcon(), p.ShowQR)
	p.show.Importance = widget.HighImportance
	p.cancel = widget.NewButtonWithIcon(lang.X("card.cancel", "Cancel"), theme.CancelIcon(), p.Cancel)
	p.cancel.Disable()
	p.other = widget.NewButtonWithIcon(lang.X("card.other", "Other tender"), theme.NavigateBackIcon(), func() {
		if !p.busy && p.OnOtherTender != nil {
			p.OnOtherTender(p.order)
		}
	})
	buttons := widgets.NewActions(64, p.other, p.show, p.cancel)
	if p.ui.Demo != nil && p.ui.Demo.CanScanQR() {
		p.simulate = widget.NewButtonWithIcon(lang.X("qr.simulate", "Demo: customer scans"), theme.MediaPlayIcon(), p.Simulate)
		p.simulate.Disable()
		buttons.Add(p.simulate)
	}
	title := widget.NewLabelWithStyle(lang.XN("qr.title", "QR code payment · {{.Lines}} items", len(p.order.Lines), map[string]any{"Lines": len(p.order.Lines)}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, buttons, nil, nil,
		container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewSeparator(), container.NewPadded(right)), container.NewPadded(left)))
}

// TypedRune takes a keyboard-wedge scanner's digits.
func (p *PayQR) TypedRune(r rune) {
	if r >= '0' && r <= '9' && !p.busy {
		p.keypad.Press(string(r))
	}
}

// TypedKey charges the code when the scanner sends Enter.
func (p *PayQR) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		p.ChargeCode(p.keypad.Text())
	case fyne.KeyBackspace:
		p.keypad.Press("⌫")
	}
}

// begin marks a payment under way, cancellable.
func (p *PayQR) begin() context.Context {
	p.ui.Touch()
	p.busy = true
	p.status.Importance = widget.HighImportance
	ctx, stop := context.WithCancel(context.Background())
	p.stop = stop
	p.msg.SetText("")
	p.show.Disable()
	p.charge.Disable()
	p.other.Disable()
	p.cancel.Enable()
	return ctx
}

// end shows how the payment ended: on to the receipt, or the reason.
func (p *PayQR) end(o *models.Order, res payments.QRResult, err error) {
	p.stop()
	p.busy = false
	p.ui.Touch() // the wait for a lock starts when the payment ends
	if o.ID != 0 {
		p.order = o
	}
	p.payload = ""
	if p.simulate != nil {
		p.simulate.Disable()
	}
	p.cancel.Disable()
	if err == nil && res.Approved {
		p.status.SetText(lang.X("card.approved", "Approved"))
		if p.OnPaid != nil {
			p.OnPaid(o)
		}
		return
	}
	if err == nil {
		err = acquirer.ResponseError(res.Code)
	}
	p.status.Importance = widget.DangerImportance
	p.status.SetText(lang.X("card.not_paid", "Not paid"))
	p.msg.SetText(Message(err))
	p.countdown.Text = ""
	p.countdown.Refresh()
	p.qrBox.Objects = p.qrBox.Objects[:1]
	p.qrBox.Refresh()
	p.keypad.SetText("")
	p.show.Enable()
	p.charge.Enable()
	p.other.Enable()
}

// ShowQR opens a QR order at the acquirer, shows its code and waits for the
// customer to pay, counting down.
func (p *PayQR) ShowQR() {
	if p.busy {
		return
	}
	ctx := p.begin()
	p.status.SetText(lang.X("qr.opening", "Preparing the QR code…"))
	o := p.order.Clone()
	var res payments.QRResult
	var err error
	p.ui.Async(func() {
		var payload string
		if payload, err = p.qr.Show(ctx, o); err != nil {
			return
		}
		img, ierr := qrpay.Image(payload, qrPixels)
		p.ui.Do(func() { p.showCode(payload, img, ierr) })
		res, err = p.qr.Await(ctx, o, func(left time.Duration) {
			p.ui.Do(func() { p.setCountdown(left) })
		})
	}, func() { p.end(o, res, err) })
}

// showCode puts the QR on screen.
func (p *PayQR) showCode(payload string, img image.Image, err error) {
	p.payload = payload
	if err != nil {
		p.msg.SetText(Message(err))
		return
	}
	code := canvas.NewImageFromImage(img)
	code.FillMode = canvas.ImageFillContain
	code.ScaleMode = canvas.ImageScalePixels // crisp modules for the phone's camera
	p.qrBox.Objects = append(p.qrBox.Objects[:1], code)
	p.qrBox.Refresh()
	p.status.SetText(lang.X("qr.scan_now", "Ask the customer to scan this code with WeChat, Alipay or UnionPay"))
	if p.simulate != nil {
		p.simulate.Enable()
	}
}

func (p *PayQR) setCountdown(left time.Duration) {
	s := int(left.Round(time.Second) / time.Second)
	p.countdown.Text = lang.X("qr.left", "Valid for {{.Time}}", map[string]any{"Time": fmt.Sprintf("%d:%02d", s/60, s%60)})
	p.countdown.Refresh()
}

// ChargeCode charges the customer's payment code; while the customer
// confirms in their app, the time left is shown.
func (p *PayQR) ChargeCode(code string) {
	if p.busy || code == "" {
		return
	}
	ctx := p.begin()
	p.status.SetText(lang.X("qr.charging", "Charging the payment code…"))
	o := p.order.Clone()
	var res payments.QRResult
	var err error
	p.ui.Async(func() {
		res, err = p.qr.PayCode(ctx, o, code, func(left time.Duration) {
			p.ui.Do(func() {
				p.status.SetText(lang.X("qr.confirming", "The customer is confirming in their app…"))
				p.setCountdown(left)
			})
		})
	}, func() { p.end(o, res, err) })
}

// Cancel gives up the payment under way: the QR order is closed at the
// host (a payment arriving later is refunded); a payment code is revoked.
func (p *PayQR) Cancel() {
	if p.stop != nil {
		p.stop()
	}
}

// Simulate pays the QR shown as a customer's phone would (demo mode).
func (p *PayQR) Simulate() {
	if p.payload == "" {
		return
	}
	if err := p.ui.Demo.ScanQR(context.Background(), p.payload); err != nil {
		ShowError(p.ui.Window, err)
	}
}
