package screens

// This file holds what a cashier needs a manager for on the sell screen: a
// discount above the cashier's limit, a changed price and opening the
// drawer without a sale.

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/models"
)

// percentText shows basis points as a percentage: 1000 → "10%", 1250 → "12.5%".
func percentText(bp int64) string { return percentNumber(bp) + "%" }

// percentNumber is bp as the number of percent typed on a keypad: "10", "12.5".
func percentNumber(bp int64) string {
	s := strings.TrimSuffix(models.FormatMinor(bp), ".00")
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(s, "0")
	}
	return s
}

// applyDiscount sets d on line i of o, or on the whole order (i < 0).
func applyDiscount(o *models.Order, i int, d models.Discount) error {
	if i >= 0 {
		return o.SetLineDiscount(i, d)
	}
	return o.SetDiscount(d)
}

// discountOverLimit reports whether d on line i (or the order, i < 0) is
// above the cashier discount limit, or why d cannot be set.
func (s *Sell) discountOverLimit(i int, d models.Discount) (bool, error) {
	trial := s.order.Clone()
	if err := applyDiscount(trial, i, d); err != nil {
		return false, err
	}
	return d.ExceedsLimit(trial.DiscountBase(i), s.svc.DiscountLimit()), nil
}

// setDiscount sets d on line i (or the order, i < 0); manager, when not
// nil, authorized it above the limit and is recorded on the order.
func (s *Sell) setDiscount(i int, d models.Discount, manager *models.Operator) error {
	if err := applyDiscount(s.order, i, d); err != nil {
		return err
	}
	if manager != nil {
		s.order.Approve(models.ActionDiscountOverride, *manager, s.ui.Operator(), s.order.DiscountDetail(i), s.ui.now())
		s.setStatus(lang.X("sell.approved_by", "Approved by {{.Name}}", map[string]any{"Name": manager.Name}), false)
	}
	s.refreshCart()
	return nil
}

// askPrice asks for line i's unit price. A cashier needs a manager's
// approval; every price override is recorded on the order for the audit
// trail.
func (s *Sell) askPrice(i int) {
	if i < 0 || i >= len(s.order.Lines) {
		return
	}
	l := s.order.Lines[i]
	name := l.DisplayName(s.ui.Shop.Lang)
	var nd *numberDialog
	nd = newNumberDialog(s.ui, lang.X("sell.price_title", "Price of {{.Name}}", map[string]any{"Name": name}),
		2, models.FormatMinor(l.UnitPrice), func(text string) error {
			price, err := models.ParseMinor(text)
			if err != nil {
				return err
			}
			if i >= len(s.order.Lines) {
				return models.ErrNoLine()
			}
			old := s.order.Lines[i].UnitPrice
			if price == old {
				return nil
			}
			if err := s.order.Clone().SetUnitPrice(i, price); err != nil {
				return err
			}
			set := func(m models.Operator) {
				old := s.order.Lines[i].UnitPrice
				if err := s.order.SetUnitPrice(i, price); err != nil {
					ShowError(s.ui.Window, err)
					return
				}
				s.order.Approve(models.ActionPriceOverride, m, s.ui.Operator(), s.order.PriceDetail(i, old), s.ui.now())
				s.setStatus(lang.X("sell.price_set", "{{.Name}} now {{.Price}}, approved by {{.Manager}}",
					map[string]any{"Name": name, "Price": s.money(price), "Manager": m.Name}), false)
				s.refreshCart()
			}
			if op := s.ui.Operator(); op.IsManager() {
				set(op)
				return nil
			}
			nd.next = func() {
				askManager(s.ui, s.staff, lang.X("sell.price_approve", "Approve the price of {{.Name}}: {{.Price}}",
					map[string]any{"Name": name, "Price": s.money(price)}), set)
			}
			return nil
		})
	nd.Show()
}

// OpenDrawer opens the cash drawer without a sale: a manager authorizes it
// (a manager at the till confirms), it is audited, and the printer kicks
// the drawer.
func (s *Sell) OpenDrawer() {
	if err := s.svc.CanOpenDrawer(); err != nil {
		ShowError(s.ui.Window, err)
		return
	}
	title := lang.X("sell.drawer_title", "Open the cash drawer")
	open := func(m models.Operator) {
		var err error
		s.ui.Async(func() {
			err = s.svc.OpenDrawer(context.Background(), m)
		}, func() {
			if err != nil {
				ShowError(s.ui.Window, err)
				return
			}
			s.setStatus(lang.X("sell.drawer_opened", "Drawer opened, approved by {{.Name}}", map[string]any{"Name": m.Name}), false)
		})
	}
	if op := s.ui.Operator(); op.IsManager() {
		s.ui.confirm(title, lang.X("sell.drawer_confirm", "Open the cash drawer without a sale? It is recorded in your name."),
			func(ok bool) {
				if ok {
					open(op)
				}
			})
		return
	}
	askManager(s.ui, s.staff, title, open)
}
