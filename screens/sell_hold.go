package screens

// This file holds parking orders and recalling them.

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// Hold parks the current order and starts an empty one.
func (s *Sell) Hold() {
	if len(s.waiting) > 0 {
		s.afterChanges(s.Hold)
		return
	}
	if s.order.IsEmpty() {
		return
	}
	o := s.order.Clone()
	label := s.ui.now().Format("15:04")
	var err error
	s.ui.Async(func() {
		err = s.svc.HoldOrder(context.Background(), o, label)
	}, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.NewSale()
		s.setStatus(lang.X("sell.held", "Order held at {{.Time}}", map[string]any{"Time": label}), false)
	})
}

// ShowRecall lists the held orders; tapping one brings it back.
func (s *Sell) ShowRecall() {
	var held []models.HeldOrder
	var err error
	s.ui.Async(func() {
		held, err = s.svc.HeldOrders(context.Background())
	}, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		if len(held) == 0 {
			dialog.ShowInformation(lang.X("sell.recall", "Recall"), lang.X("sell.no_held", "No orders are held."), s.ui.Window)
			return
		}
		var d dialog.Dialog
		list := container.NewVBox()
		for _, h := range held {
			text := lang.XN("sell.held_row", "{{.Time}} · {{.Lines}} items · {{.Total}}", h.Lines, map[string]any{
				"Time": h.CreatedAt.Local().Format("15:04"), "Lines": h.Lines,
				"Total": models.Money{Minor: h.Total, Currency: h.Currency}.String()})
			id := h.ID
			list.Add(container.NewGridWrap(fyne.NewSize(420, 56), widget.NewButton(text, func() {
				d.Hide()
				s.Recall(id)
			})))
		}
		d = dialog.NewCustom(lang.X("sell.recall_title", "Held orders"), lang.X("action.close", "Close"),
			container.NewVScroll(list), s.ui.Window)
		d.Resize(fyne.NewSize(480, 480))
		d.Show()
	})
}

// Recall brings back a held order. An order already in the cart is held
// first, so nothing is lost.
func (s *Sell) Recall(id uint) {
	current := s.order.Clone()
	var got *models.Order
	var err error
	s.ui.Async(func() {
		if !current.IsEmpty() {
			if err = s.svc.HoldOrder(context.Background(), current, s.ui.now().Format("15:04")); err != nil {
				return
			}
		}
		got, err = s.svc.RecallOrder(context.Background(), id)
	}, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		if !current.IsEmpty() {
			s.NewSale()
		}
		s.useOrder(got)
		s.refreshCart()
		s.setStatus(lang.X("sell.recalled", "Order recalled"), false)
	})
}
