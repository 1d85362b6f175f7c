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
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/screens/widgets"
)

// CashSales stores a sale paid in cash; *sales.Sales is one.
type CashSales interface {
	CommitSale(ctx context.Context, o *models.Order, payments []models.Payment) error
}

// PayCash takes cash for an order: the amount due, what the customer hands
// over (keypad or one-tap amounts) and the change, large.
type PayCash struct {
	ui    *UI
	sales CashSales
	order *models.Order
	// OnPaid is called with the stored order after the sale commits.
	OnPaid func(o *models.Order)
	// OnCancel is called when the cashier goes back to the order.
	OnCancel func()
	// OnCard is called to take the payment by card instead; nil hides the
	// button.
	OnCard func(o *models.Order)
	// OnQR is called to take the payment by QR code instead; nil hides the
	// button.
	OnQR func(o *models.Order)
	// OnMember is called to pay from a member's balance by fingerprint; nil
	// hides the button.
	OnMember func(o *models.Order)

	keypad       *widgets.Keypad
	quick        []*widget.Button
	change       *canvas.Text
	msg          *canvas.Text
	confirm      *widget.Button
	tendered     int64
	busy         bool
	cardButton   *widget.Button
	qrButton     *widget.Button
	memberButton *widget.Button
	note         *widget.Label // why card and QR payments are off
	content      fyne.CanvasObject
}

// NewPayCash builds the cash screen for o.
func NewPayCash(ui *UI, sales CashSales, o *models.Order) *PayCash {
	p := &PayCash{ui: ui, sales: sales, order: o}
	p.content = p.build()
	return p
}

// Content is the screen's root object.
func (p *PayCash) Content() fyne.CanvasObject { return p.content }

func (p *PayCash) money(v int64) string {
	return models.Money{Minor: v, Currency: p.order.Currency}.String()
}

func bigText(s string, size float32, c fyne.ThemeColorName) *canvas.Text {
	t := canvas.NewText(s, theme.Color(c))
	t.TextSize = size
	t.TextStyle = fyne.TextStyle{Bold: true}
	return t
}

func (p *PayCash) build() fyne.CanvasObject {
	due := bigText(p.money(p.order.Due()), 56, theme.ColorNameForeground)
	p.change = bigText("", 56, theme.ColorNameSuccess)
	p.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	p.msg.TextSize = theme.TextSize() * 1.2

	p.keypad = widgets.NewKeypad(2)
	p.keypad.OnChanged = func(text string) {
		p.ui.Touch()
		v, err := models.ParseMinor(text)
		if text == "" {
			v, err = 0, nil
		}
		if err != nil {
			p.showMsg(Message(err))
			return
		}
		p.setTendered(v)
	}
	quickRow := container.NewGridWithColumns(3)
	for i, amt := range payments.QuickTenders(p.order.Due()) {
		label := p.money(amt)
		if i == 0 {
			label = lang.X("pay.exact", "Exact {{.Amount}}", map[string]any{"Amount": label})
		}
		b := widget.NewButton(label, func() { p.keypad.SetText(models.FormatMinor(amt)) })
		p.quick = append(p.quick, b)
		quickRow.Add(tall(b, 64))
	}
	back := widget.NewButtonWithIcon(lang.X("pay.back", "Back to order"), theme.NavigateBackIcon(), func() {
		if !p.busy && p.OnCancel != nil {
			p.OnCancel()
		}
	})
	p.confirm = widget.NewButtonWithIcon(lang.X("pay.confirm", "Take cash"), theme.ConfirmIcon(), p.Confirm)
	p.confirm.Importance = widget.HighImportance
	p.confirm.Disable()

	label := func(text string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	p.note = widget.NewLabel("")
	p.note.Wrapping = fyne.TextWrapWord
	p.note.Importance = widget.WarningImportance
	p.note.Hide()
	left := container.NewVBox(
		label(lang.X("pay.due", "Amount due")), due,
		widget.NewSeparator(),
		label(lang.X("pay.change", "Change")), p.change,
		p.msg, p.note,
		layout.NewSpacer(),
		label(lang.X("pay.quick", "Quick amounts")), quickRow,
	)
	right := container.NewVBox(label(lang.X("pay.tendered", "Cash received")), p.keypad)
	card := widget.NewButtonWithIcon(lang.X("pay.card", "Card"), theme.AccountIcon(), func() {
		if !p.busy && p.OnCard != nil {
			p.OnCard(p.order)
		}
	})
	qr := widget.NewButtonWithIcon(lang.X("pay.qr", "QR code"), theme.GridIcon(), func() {
		if !p.busy && p.OnQR != nil {
			p.OnQR(p.order)
		}
	})
	member := widget.NewButtonWithIcon(lang.X("pay.member", "Fingerprint"), theme.AccountIcon(), func() {
		if !p.busy && p.OnMember != nil {
			p.OnMember(p.order)
		}
	})
	buttons := widgets.NewActions(72, back, card, qr, member, p.confirm)
	p.cardButton, p.qrButton, p.memberButton = card, qr, member
	title := widget.NewLabelWithStyle(lang.XN("pay.cash_title", "Cash payment · {{.Lines}} items", len(p.order.Lines),
		map[string]any{"Lines": len(p.order.Lines)}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, buttons, nil, nil,
		container.NewPadded(widgets.NewSplit(0.5, container.NewPadded(left), container.NewCenter(right))))
}

func (p *PayCash) showMsg(s string) {
	p.msg.Text = s
	p.msg.Refresh()
}

// cardsOff shows the card and QR buttons disabled, and why.
func (p *PayCash) cardsOff(why string) {
	p.cardButton.Disable()
	p.qrButton.Disable()
	p.note.SetText(why)
	p.note.Show()
}

// Note is why card and QR payments are off, "" when they are on; for tests.
func (p *PayCash) Note() string {
	if !p.note.Visible() {
		return ""
	}
	return p.note.Text
}

// Tender sets the cash received, as the keypad would.
func (p *PayCash) Tender(minor int64) { p.keypad.SetText(models.FormatMinor(minor)) }

func (p *PayCash) setTendered(v int64) {
	p.tendered = v
	p.showMsg("")
	p.change.Text = ""
	if pay, err := payments.Cash(models.Money{Minor: p.order.Due(), Currency: p.order.Currency}, v); err != nil {
		if v > 0 {
			p.showMsg(Message(err))
		}
		p.confirm.Disable()
	} else {
		p.change.Text = p.money(pay.Change)
		p.confirm.Enable()
	}
	p.change.Refresh()
}

// ChangeText is the change shown, for tests.
func (p *PayCash) ChangeText() string { return p.change.Text }

// Confirm takes the cash and commits the sale; the screen stays, with the
// order intact, if the commit fails.
func (p *PayCash) Confirm() {
	if p.busy {
		return
	}
	pay, err := payments.Cash(models.Money{Minor: p.order.Due(), Currency: p.order.Currency}, p.tendered)
	if err != nil {
		p.showMsg(Message(err))
		return
	}
	p.busy = true
	p.confirm.Disable()
	o := p.order.Clone()
	var cerr error
	p.ui.Async(func() {
		cerr = p.sales.CommitSale(context.Background(), o, []models.Payment{pay})
	}, func() {
		p.busy = false
		p.ui.Touch() // the wait for a lock starts when the payment ends
		if cerr != nil {
			p.confirm.Enable()
			ShowError(p.ui.Window, cerr)
			return
		}
		if p.OnPaid != nil {
			p.OnPaid(o)
		}
	})
}
