package screens

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/models/receipt/barcode"
	"github.com/till-pos/till/payments/qrpay"
)

// Receipt previews what the printer will print for a sale.
type Receipt struct {
	ui    *UI
	order *models.Order
	rows  []receipt.Row
	// OnNewSale is called when the cashier starts the next sale.
	OnNewSale func()
	content   fyne.CanvasObject
}

// NewReceipt builds the preview of o's receipt.
func NewReceipt(ui *UI, o *models.Order) *Receipt {
	r := &Receipt{ui: ui, order: o}
	r.rows = receipt.Build(o, ui.receiptShop(), lang.X)
	r.content = r.build()
	return r
}

// Content is the screen's root object.
func (r *Receipt) Content() fyne.CanvasObject { return r.content }

// Rows are the receipt's rows, for tests.
func (r *Receipt) Rows() []receipt.Row { return r.rows }

// Paper renders rows on a white slip, as the printer would lay them out:
// the barcode as the printer's Code 128 bars with the text under them, the
// QR code as a QR code.
func Paper(rows []receipt.Row) fyne.CanvasObject {
	ink := theme.Color(theme.ColorNameForeground)
	box := container.NewVBox()
	for _, row := range rows {
		if row.Rule {
			box.Add(widget.NewSeparator())
			continue
		}
		if row.QR != "" {
			if img, err := qrpay.Image(row.QR, 140); err == nil {
				code := canvas.NewImageFromImage(img)
				code.FillMode = canvas.ImageFillContain
				code.ScaleMode = canvas.ImageScalePixels
				code.SetMinSize(fyne.NewSize(140, 140))
				box.Add(container.NewCenter(code))
			}
			continue
		}
		if row.Barcode != "" {
			box.Add(barcodeOf(row.Barcode, ink))
			continue
		}
		left := canvas.NewText(row.Left, ink)
		left.TextSize = theme.TextSize()
		switch row.Style {
		case receipt.Bold:
			left.TextStyle.Bold = true
		case receipt.Large:
			left.TextStyle.Bold = true
			left.TextSize = theme.TextSize() * 1.5
		}
		if row.Center {
			left.Alignment = fyne.TextAlignCenter
			box.Add(left)
			continue
		}
		right := canvas.NewText(row.Right, ink)
		right.TextSize = left.TextSize
		right.TextStyle = left.TextStyle
		right.Alignment = fyne.TextAlignTrailing
		box.Add(container.NewBorder(nil, nil, left, right))
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	return container.NewStack(bg, container.NewPadded(box))
}

// The preview's barcode: at most this wide, this tall (before the text).
const (
	barcodeMaxWidth = 380
	barcodeHeight   = 56
)

// barcodeOf draws data as the Code 128 barcode the printer prints, with
// its text under it; data no barcode can hold shows as the text alone.
func barcodeOf(data string, ink color.Color) fyne.CanvasObject {
	text := canvas.NewText(data, ink)
	text.TextStyle.Monospace = true
	text.Alignment = fyne.TextAlignCenter
	code, err := barcode.EncodeCode128(data)
	if err != nil {
		return text
	}
	module := max(1, min(3, barcodeMaxWidth/code.Modules()))
	img := code.Image(module, barcodeHeight)
	bars := canvas.NewImageFromImage(img)
	bars.FillMode = canvas.ImageFillContain
	bars.ScaleMode = canvas.ImageScalePixels // crisp bars for a scanner
	bars.SetMinSize(fyne.NewSize(float32(img.Bounds().Dx()), float32(img.Bounds().Dy())))
	return container.NewVBox(container.NewCenter(bars), text)
}

func (r *Receipt) build() fyne.CanvasObject {
	slip := Paper(r.rows)
	paper := container.NewVScroll(container.NewGridWrap(fyne.NewSize(420, slip.MinSize().Height), slip))
	var change int64
	cash := false
	for _, p := range r.order.Payments {
		change += p.Change
		cash = cash || p.Tender == models.TenderCash
	}
	changeLabel := widget.NewLabel(lang.X("pay.change", "Change"))
	changeText := bigText(models.Money{Minor: change, Currency: r.order.Currency}.String(), 64, theme.ColorNameSuccess)
	if !cash {
		// A card (or wallet) payment: say how it was paid, not the change.
		changeLabel.SetText(paidBy(r.order))
		changeText.Text = lang.X("card.approved", "Approved")
	}
	next := widget.NewButtonWithIcon(lang.X("receipt.new_sale", "New sale"), theme.ContentAddIcon(), func() {
		if r.OnNewSale != nil {
			r.OnNewSale()
		}
	})
	next.Importance = widget.HighImportance
	side := container.NewVBox(
		widget.NewLabelWithStyle(lang.X("receipt.paid", "Paid · order {{.Number}}", map[string]any{"Number": r.order.Number}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		changeLabel,
		changeText,
		container.NewGridWrap(fyne.NewSize(320, 72), next),
	)
	return container.NewCenter(container.NewHBox(
		container.NewGridWrap(fyne.NewSize(440, 700), paper),
		container.NewPadded(side)))
}

// paidBy names how an order was paid: tender with the card scheme, QR
// wallet or member, masked card and auth code, a member's balance left.
func paidBy(o *models.Order) string {
	for _, p := range o.Payments {
		if p.Status != models.PaymentApproved && p.Status != models.PaymentOfflineApproved {
			continue
		}
		text := receipt.PaymentName(p, lang.X)
		if p.MaskedPAN != "" {
			text += " " + p.MaskedPAN
		}
		if p.AuthCode != "" {
			text += " · " + lang.X("receipt.auth_code", "Auth code") + " " + p.AuthCode
		}
		if p.CVM != "" {
			text += " · " + receipt.CVMName(p.CVM, lang.X)
		}
		if p.BalanceLeft != nil {
			text += " · " + lang.X("receipt.balance_left", "Balance left") + " " +
				models.Money{Minor: *p.BalanceLeft, Currency: o.Currency}.String()
		}
		return text
	}
	return ""
}
