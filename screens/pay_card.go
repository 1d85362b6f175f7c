package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/screens/widgets"
)

// CardPayments takes contactless card payments; *cardpay.Cards is one.
type CardPayments interface {
	// Reader names the reader used, or "" when none is connected.
	Reader(ctx context.Context) (string, error)
	// Pay waits for a tap, reads the card, checks it, and has the acquirer
	// authorize o's total; step is told each step. o is stored awaiting
	// payment on the first attempt and comes back as stored: paid when
	// approved.
	Pay(ctx context.Context, o *models.Order, step func(payments.CardStep)) (payments.CardResult, error)
}

// PayCard takes a contactless card payment: the amount large, "tap a card"
// with the reader's state, each step as it happens, cancel while waiting or
// reading, then approved or declined with what to do next.
type PayCard struct {
	ui    *UI
	cards CardPayments
	order *models.Order
	// OnPaid is called with the stored order once the payment is approved.
	OnPaid func(o *models.Order)
	// OnSign, when set, is called instead of OnPaid for a payment the
	// cardholder verifies by signing: the stored order and the payment to
	// sign.
	OnSign func(o *models.Order, paymentID uint)
	// OnOtherTender is called to take another tender for the order (as
	// stored, when a declined attempt stored it).
	OnOtherTender func(o *models.Order)

	status  *canvas.Text
	detail  *widget.Label
	msg     *canvas.Text
	retry   *widget.Button
	cancel  *widget.Button
	other   *widget.Button
	demos   []*widget.Button
	fingers *fyne.Container // the cardholder's demo fingers, while one is awaited
	left    *fyne.Container
	stop    context.CancelFunc
	busy    bool
	content fyne.CanvasObject
}

// NewPayCard builds the card screen for o; Start begins waiting for a tap.
func NewPayCard(ui *UI, cards CardPayments, o *models.Order) *PayCard {
	p := &PayCard{ui: ui, cards: cards, order: o}
	p.content = p.build()
	return p
}

// Content is the screen's root object.
func (p *PayCard) Content() fyne.CanvasObject { return p.content }

// Status is the large status line, for tests.
func (p *PayCard) Status() string { return p.status.Text }

// Message is the error or advice shown, for tests.
func (p *PayCard) Message() string { return p.msg.Text }

func (p *PayCard) build() fyne.CanvasObject {
	due := bigText(models.Money{Minor: p.order.Due(), Currency: p.order.Currency}.String(), 64, theme.ColorNameForeground)
	p.status = bigText("", 36, theme.ColorNamePrimary)
	p.detail = widget.NewLabel("")
	p.detail.Wrapping = fyne.TextWrapWord
	p.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	p.msg.TextSize = theme.TextSize() * 1.2

	p.cancel = widget.NewButtonWithIcon(lang.X("card.cancel", "Cancel"), theme.CancelIcon(), p.Cancel)
	p.retry = widget.NewButtonWithIcon(lang.X("card.retry", "Tap again"), theme.ViewRefreshIcon(), func() { p.Start("") })
	p.retry.Importance = widget.HighImportance
	p.other = widget.NewButtonWithIcon(lang.X("card.other", "Other tender"), theme.NavigateBackIcon(), func() {
		if !p.busy && p.OnOtherTender != nil {
			p.OnOtherTender(p.order)
		}
	})
	buttons := widgets.NewActions(72, p.other, p.cancel, p.retry)
	p.fingers = container.NewVBox()
	left := container.NewVBox(
		widget.NewLabelWithStyle(lang.X("pay.due", "Amount due"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		due, widget.NewSeparator(), p.status, p.detail, p.msg, p.fingers, layout.NewSpacer())
	p.left = left
	var demoBox fyne.CanvasObject = layout.NewSpacer()
	{
		if names := p.ui.demoCards(); len(names) > 0 {
			grid := container.NewGridWithColumns(1)
			for _, name := range names {
				b := widget.NewButtonWithIcon(lang.X("card.demo", "Tap demo card: {{.Name}}", map[string]any{"Name": demoCardName(name)}),
					theme.MediaPlayIcon(), func() { p.Start(name) })
				p.demos = append(p.demos, b)
				grid.Add(tall(b, 64))
			}
			demoBox = container.NewVBox(widget.NewLabelWithStyle(lang.X("card.demo_title", "Demo mode: no reader needed"),
				fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), grid)
		}
	}
	if p.ui.Demo != nil {
		for _, name := range p.ui.Demo.MemberFingers() {
			b := widget.NewButtonWithIcon(lang.X("finger.demo", "Demo finger: {{.Name}}", map[string]any{"Name": name}),
				theme.AccountIcon(), func() { p.ui.Demo.PlaceFinger(name) })
			p.fingers.Add(tall(b, 56))
		}
	}
	p.fingers.Hide()
	title := widget.NewLabelWithStyle(lang.XN("card.title", "Card payment · {{.Lines}} items", len(p.order.Lines),
		map[string]any{"Lines": len(p.order.Lines)}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.setIdle()
	return container.NewBorder(title, buttons, nil, nil,
		container.NewPadded(container.NewGridWithColumns(2, container.NewPadded(left), container.NewCenter(demoBox))))
}

// setIdle shows the screen ready for a tap that has not started.
func (p *PayCard) setIdle() {
	p.status.Text = lang.X("card.ready", "Ready for a card")
	p.status.Color = theme.Color(theme.ColorNamePrimary)
	p.status.Refresh()
	p.cancel.Disable()
	p.retry.Enable()
	p.other.Enable()
	p.fingers.Hide()
	for _, b := range p.demos {
		b.Enable()
	}
}

func (p *PayCard) showStep(s payments.CardStep) {
	p.ui.Touch()
	p.status.Color = theme.Color(theme.ColorNamePrimary)
	switch s {
	case payments.StepNoReader:
		p.status.Text = lang.X("card.no_reader", "Connect a card reader…")
	case payments.StepWaiting:
		p.status.Text = lang.X("card.tap", "Tap a card on the reader")
	case payments.StepReading:
		p.status.Text = lang.X("card.reading", "Reading the card… keep it on the reader")
		p.cancel.Enable()
	case payments.StepFinger:
		p.status.Text = lang.X("card.finger", "Cardholder: place a finger")
		p.detail.SetText(lang.X("card.finger_why", "Above the no-PIN limit the cardholder verifies the payment with the finger enrolled with this card"))
		p.cancel.Enable()
		p.fingers.Show()
		p.left.Refresh()
	case payments.StepAuthorizing:
		p.status.Text = lang.X("card.authorizing", "Asking the bank… the card can be taken away")
		p.cancel.Disable() // a request on the wire is reversed if lost, not abandoned
	}
	if s != payments.StepFinger && p.fingers.Visible() {
		p.fingers.Hide()
		p.left.Refresh()
	}
	p.status.Refresh()
}

// Start waits for a tap on the reader, or plays demo card demo, and pays.
func (p *PayCard) Start(demo string) {
	if p.busy {
		return
	}
	p.busy = true
	ctx, stop := context.WithCancel(context.Background())
	p.stop = stop
	p.msg.Text = ""
	p.msg.Refresh()
	p.detail.SetText("")
	p.retry.Disable()
	p.other.Disable()
	p.cancel.Enable()
	for _, b := range p.demos {
		b.Disable()
	}
	p.showStep(payments.StepWaiting)
	if demo == "" {
		if reader, err := p.cards.Reader(ctx); err == nil && reader != "" {
			p.detail.SetText(lang.X("card.reader", "Reader: {{.Name}}", map[string]any{"Name": reader}))
		}
	}
	o := p.order.Clone()
	var res payments.CardResult
	var err error
	p.ui.Async(func() {
		step := func(s payments.CardStep) { p.ui.Do(func() { p.showStep(s) }) }
		if demo != "" {
			res, err = p.ui.Demo.PayCard(ctx, o, demo, step)
		} else {
			res, err = p.cards.Pay(ctx, o, step)
		}
	}, func() {
		stop()
		p.busy = false
		p.ui.Touch() // the wait for a lock starts when the payment ends
		if o.ID != 0 {
			p.order = o // stored: a new attempt or another tender continues it
		}
		if err == nil && res.Approved {
			p.status.Text = lang.X("card.approved", "Approved")
			p.status.Refresh()
			if res.CVM == string(payments.CVMSignature) && res.PaymentID != 0 && p.OnSign != nil {
				p.OnSign(o, res.PaymentID)
				return
			}
			if p.OnPaid != nil {
				p.OnPaid(o)
			}
			return
		}
		p.setIdle()
		p.status.Text = lang.X("card.not_paid", "Not paid")
		p.status.Color = theme.Color(theme.ColorNameError)
		p.status.Refresh()
		if err == nil {
			err = acquirer.ResponseError(res.Code)
		}
		p.msg.Text = Message(err)
		p.msg.Refresh()
		if res.MaskedPAN != "" {
			detail := res.MaskedPAN
			if res.Scheme != "" {
				detail = receipt.SchemeName(res.Scheme, lang.X) + " " + detail
			}
			p.detail.SetText(detail)
		}
	})
}

// Cancel stops waiting for (or reading) a card.
func (p *PayCard) Cancel() {
	if p.stop != nil {
		p.stop()
	}
}

// demoCardName is a demo card's name in the language shown.
func demoCardName(name string) string {
	switch name {
	case "UnionPay":
		return lang.X("card.demo_unionpay", "UnionPay")
	case "Expired":
		return lang.X("card.demo_expired", "Expired")
	case "Forged":
		return lang.X("card.demo_forged", "Forged signature")
	}
	return name // Visa and Mastercard read the same in every language
}
