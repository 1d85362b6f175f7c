package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// cartButton is the size of the buttons on a cart line.
var cartButton = fyne.NewSize(52, 52)

// cartRow is one line of the cart: name and amount above; under them the
// unit price, the line's discount and, when the order holds more than is
// in stock, the stock left; below, the quantity, discount, price and
// remove buttons. The details have a row of their own, so the buttons never
// squeeze them to "…".
type cartRow struct {
	widget.BaseWidget
	name, amount, detail *widget.Label
	minus, plus, disc    *widget.Button
	price                *widget.Button
	remove               *widget.Button
	qty                  *widget.Button
	box                  fyne.CanvasObject
}

func newCartRow() *cartRow {
	r := &cartRow{
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		amount: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel(""),
		minus:  widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), nil),
		plus:   widget.NewButtonWithIcon("", theme.ContentAddIcon(), nil),
		qty:    widget.NewButton("", nil),
		price:  widget.NewButton("¥", nil),
		disc:   widget.NewButton("%", nil),
		remove: widget.NewButtonWithIcon("", theme.DeleteIcon(), nil),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.detail.Truncation = fyne.TextTruncateEllipsis
	r.detail.SizeName = theme.SizeNameCaptionText
	r.remove.Importance = widget.DangerImportance
	sized := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewGridWrap(cartButton, o) }
	buttons := container.NewHBox(sized(r.minus), container.NewGridWrap(fyne.NewSize(72, 52), r.qty), sized(r.plus), sized(r.disc), sized(r.price), sized(r.remove))
	r.box = container.NewVBox(
		container.NewBorder(nil, nil, nil, r.amount, r.name),
		r.detail,
		container.NewBorder(nil, nil, nil, buttons),
	)
	r.ExtendBaseWidget(r)
	return r
}

func (r *cartRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// set shows line i of s's order and points the buttons at it.
func (r *cartRow) set(s *Sell, i int) {
	l := s.order.Lines[i]
	lng := s.ui.Shop.Lang
	r.name.SetText(l.DisplayName(lng))
	r.amount.SetText(s.money(l.Net))
	detail := s.money(l.UnitPrice)
	if l.Weighed {
		detail += "/" + unitName(l.Unit, l.UnitEN, lng)
	}
	if l.LineDiscount > 0 {
		detail += "  " + lang.X("sell.line_discount", "−{{.Amount}}", map[string]any{"Amount": s.money(l.LineDiscount)})
	}
	r.detail.Importance = widget.MediumImportance
	if stock := s.lineStock(l.ProductID); stock != "" {
		detail += "  ·  " + stock
		r.detail.Importance = widget.WarningImportance
	}
	r.detail.SetText(detail)
	r.qty.SetText(l.Qty.String())
	r.minus.OnTapped = func() { s.ChangeQty(i, -1) }
	r.plus.OnTapped = func() { s.ChangeQty(i, 1) }
	r.qty.OnTapped = func() { s.askQty(i) }
	r.price.SetText(s.order.Currency.Symbol())
	r.price.OnTapped = func() { s.askPrice(i) }
	r.disc.OnTapped = func() { s.askDiscount(i) }
	r.remove.OnTapped = func() { s.RemoveLine(i) }
	if l.Weighed {
		r.minus.Disable()
		r.plus.Disable()
	} else {
		r.minus.Enable()
		r.plus.Enable()
	}
}
