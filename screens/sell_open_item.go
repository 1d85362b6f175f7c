package screens

// This file holds the open item on the sell screen: goods with no barcode
// (无码商品), sold for an amount keyed on the keypad, each on a line of its
// own (models.Order.AddOpenItem). A shop with no catalog yet sells with it.

import (
	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/models"
)

// AskOpenItem asks on the keypad for the amount of an item with no barcode
// and adds it to the order, as many times as a "Qty ×" typed before it
// says. An amount the order refuses (nothing, zero, too large) is told in
// the dialog, which stays open.
func (s *Sell) AskOpenItem() {
	newNumberDialog(s.ui, lang.X("sell.open_item_title", "Amount of an item without a barcode"), 2, "", func(text string) error {
		price, err := models.ParseMinor(text)
		if err != nil {
			return err
		}
		qty := s.pendingQty
		if qty == 0 {
			qty = models.Units(1)
		}
		// Tried on a copy first, so the dialog says what is wrong while
		// the cashier can still change it.
		if _, err := s.order.Clone().AddOpenItem(price, qty); err != nil {
			return err
		}
		s.pendingQty = 0
		s.multiplier.SetText("")
		// In turn after the goods still waiting for their stock; an open
		// item has none to wait for.
		s.withStock(0, func() { s.addOpenItem(price, qty) })
		return nil
	}).Show()
}

// addOpenItem adds qty of an open item at price to the order.
func (s *Sell) addOpenItem(price int64, qty models.Quantity) {
	i, err := s.order.AddOpenItem(price, qty)
	if err != nil {
		s.setStatus(Message(err), true)
		return
	}
	name := s.order.Lines[i].DisplayName(s.ui.Shop.Lang)
	s.setStatus(lang.X("sell.added", "Added {{.Name}}", map[string]any{"Name": name}), false)
	s.refreshCart()
	s.cart.ScrollTo(i)
}
