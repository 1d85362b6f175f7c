package screens

// This file holds the cart's actions: quantities, discounts, removing lines
// and clearing the order.

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// refreshCart redraws the cart lines and totals.
func (s *Sell) refreshCart() {
	s.ui.Touch()
	o := s.order
	s.cart.Refresh()
	s.subtotal.SetText(s.money(o.Subtotal))
	disc := s.money(o.DiscountTotal)
	if o.DiscountTotal > 0 {
		disc = "-" + disc
	}
	s.discount.SetText(disc)
	s.tax.SetText(s.money(o.TaxTotal))
	s.total.Text = s.money(o.Total)
	s.total.Refresh()
	s.payBtn.SetText(lang.X("sell.pay", "Pay {{.Total}}", map[string]any{"Total": s.money(o.Total)}))
	if o.IsEmpty() {
		s.payBtn.Disable()
		s.holdBtn.Disable()
	} else {
		s.payBtn.Enable()
		s.holdBtn.Enable()
	}
}

func (s *Sell) pay() {
	s.afterChanges(func() {
		if s.order.IsEmpty() || s.OnPay == nil {
			return
		}
		s.OnPay(s.order)
	})
}

// ChangeQty adds delta whole units to line i, removing the line at zero.
// More waits for the product's stock to be known, and is held to it where
// the shop does not sell below zero stock.
func (s *Sell) ChangeQty(i int, delta int64) {
	if i >= len(s.order.Lines) {
		return
	}
	if delta > 0 {
		id := s.order.Lines[i].ProductID
		s.withStock(id, func() {
			if i >= len(s.order.Lines) || s.order.Lines[i].ProductID != id {
				return // the line went meanwhile
			}
			warning, err := s.tryChange(id, s.order.Lines[i].DisplayName(s.ui.Shop.Lang), func(o *models.Order) error {
				return o.SetQty(i, o.Lines[i].Qty+models.Units(delta))
			})
			if err != nil {
				s.setStatus(Message(err), true)
			}
			s.warn(warning)
			s.refreshCart()
		})
		return
	}
	q := s.order.Lines[i].Qty + models.Units(delta)
	var err error
	if q <= 0 {
		err = s.order.RemoveLine(i)
	} else {
		err = s.order.SetQty(i, q)
	}
	if err != nil {
		s.setStatus(Message(err), true)
	}
	s.refreshCart()
}

// RemoveLine takes line i off the order.
func (s *Sell) RemoveLine(i int) {
	if err := s.order.RemoveLine(i); err != nil {
		s.setStatus(Message(err), true)
	}
	s.refreshCart()
}

// askQty asks line i's quantity on the keypad, once the product's stock is
// known; a quantity beyond it is warned of, or refused in the dialog where
// the shop does not sell below zero stock.
func (s *Sell) askQty(i int) {
	l := s.order.Lines[i]
	dec := 0
	if l.Weighed {
		dec = 3
	}
	name := l.DisplayName(s.ui.Shop.Lang)
	s.withStock(l.ProductID, func() {
		newNumberDialog(s.ui, lang.X("sell.qty_title", "Quantity of {{.Name}}", map[string]any{"Name": name}),
			dec, l.Qty.String(), func(text string) error {
				q, err := models.ParseQuantity(text)
				if err != nil {
					return err
				}
				if i >= len(s.order.Lines) || s.order.Lines[i].ProductID != l.ProductID {
					return models.ErrNoLine()
				}
				warning, err := s.tryChange(l.ProductID, name, func(o *models.Order) error { return o.SetQty(i, q) })
				if err != nil {
					return err
				}
				s.warn(warning)
				s.refreshCart()
				return nil
			}).Show()
	})
}

// askDiscount asks for a percent or amount discount, for a line (i ≥ 0) or
// the whole order (i < 0). A cashier's discount above the cashier discount
// limit is held until a manager approves it.
func (s *Sell) askDiscount(i int) {
	title := lang.X("sell.order_discount", "Order discount")
	current := s.order.Discount
	if i >= 0 {
		title = lang.X("sell.line_discount_title", "Discount on {{.Name}}", map[string]any{"Name": s.order.Lines[i].DisplayName(s.ui.Shop.Lang)})
		current = s.order.Lines[i].Discount
	}
	kind := models.DiscountPercent
	if current.Kind == models.DiscountAmount {
		kind = models.DiscountAmount
	}
	var percent, amount *widget.Button
	setKind := func(k models.DiscountKind) {
		kind = k
		percent.Importance, amount.Importance = widget.MediumImportance, widget.MediumImportance
		if k == models.DiscountPercent {
			percent.Importance = widget.HighImportance
		} else {
			amount.Importance = widget.HighImportance
		}
		percent.Refresh()
		amount.Refresh()
	}
	percent = widget.NewButton(lang.X("sell.discount_percent", "Percent %"), func() { setKind(models.DiscountPercent) })
	amount = widget.NewButton(lang.X("sell.discount_amount", "Amount ¥"), func() { setKind(models.DiscountAmount) })
	initial := ""
	if !current.IsZero() {
		initial = models.FormatMinor(current.Value)
	}
	var nd *numberDialog
	remove := widget.NewButton(lang.X("sell.discount_remove", "No discount"), func() {
		_ = s.setDiscount(i, models.Discount{}, nil)
		nd.d.Hide()
	})
	nd = newNumberDialog(s.ui, title, 2, initial, func(text string) error {
		v, err := models.ParseMinor(text)
		if err != nil {
			return err
		}
		// Percent is typed as 10 or 12.5 and kept in basis points, like amounts in fen.
		d := models.Discount{Kind: kind, Value: v}
		over, err := s.discountOverLimit(i, d)
		if err != nil {
			return err
		}
		op := s.ui.Operator()
		switch {
		case !over:
			return s.setDiscount(i, d, nil)
		case op.IsManager():
			return s.setDiscount(i, d, &op) // recorded as the manager's own approval
		}
		// Above the cashier's limit: held until a manager approves.
		nd.next = func() {
			askManager(s.ui, s.staff, lang.X("sell.discount_approve", "Approve a discount above {{.Limit}}",
				map[string]any{"Limit": percentText(s.svc.DiscountLimit())}), func(m models.Operator) {
				if err := s.setDiscount(i, d, &m); err != nil {
					ShowError(s.ui.Window, err)
				}
			})
		}
		return nil
	}, container.NewGridWithColumns(3, percent, amount, remove))
	setKind(kind)
	nd.Show()
}

func (s *Sell) askOrderDiscount() {
	if s.order.IsEmpty() {
		return
	}
	s.askDiscount(-1)
}

func (s *Sell) askClear() {
	if s.order.IsEmpty() {
		return
	}
	s.ui.confirm(lang.X("sell.clear_title", "Clear the order?"),
		lang.X("sell.clear_body", "All items on the current order will be removed."),
		func(ok bool) {
			if ok {
				s.NewSale()
			}
		})
}

// SetOrder replaces the order being built, e.g. after the UI is rebuilt in
// another language.
func (s *Sell) SetOrder(o *models.Order) {
	s.useOrder(o)
	s.refreshCart()
}
