package screens

// This file holds the stock on the sell screen: each product's stock is
// read when it first comes on the order, and every change that adds to a
// product asks the stock rule (models.CheckStock) before it is made. The
// store asks the rule again when the order is stored.

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/models"
)

// stockWait is a change waiting for the stock of product id to be read;
// id 0, which no product has (an open item has no stock), waits only for
// the changes before it.
type stockWait struct {
	id   uint
	then func()
}

// useOrder makes o the order being built; the stock read for the last
// one is read again as o's products come on.
func (s *Sell) useOrder(o *models.Order) {
	s.order = o
	s.stock = map[uint]models.StockLevel{}
	s.waiting = nil
	seen := map[uint]bool{}
	for _, l := range o.Lines {
		if !seen[l.ProductID] {
			seen[l.ProductID] = true
			s.withStock(l.ProductID, s.refreshCart) // marks the lines beyond their stock
		}
	}
}

// withStock runs then once the stock of product id is known: at once when
// it was read for this order already, else after reading it off Fyne's
// goroutine. Changes wait their turn, so goods reach the cart in the order
// they were scanned or tapped.
func (s *Sell) withStock(id uint, then func()) {
	s.waiting = append(s.waiting, stockWait{id, then})
	if len(s.waiting) == 1 {
		s.nextWaiting()
	}
}

// afterChanges runs f once the changes waiting for a stock are made: the
// order is paid or held as the cashier saw it built.
func (s *Sell) afterChanges(f func()) {
	if len(s.waiting) == 0 {
		f()
		return
	}
	s.waiting = append(s.waiting, stockWait{0, f})
}

// nextWaiting runs the waiting changes whose stock is known, and reads
// the stock the first of the others needs.
func (s *Sell) nextWaiting() {
	for len(s.waiting) > 0 {
		w := s.waiting[0]
		if _, known := s.stock[w.id]; !known && w.id != 0 {
			order := s.order
			var l models.StockLevel
			var err error
			s.ui.Async(func() {
				l, err = s.svc.StockLevel(context.Background(), w.id)
			}, func() {
				if s.order != order {
					return // another order meanwhile: its own changes wait
				}
				if err != nil {
					// The sale goes on; the store asks the rule again
					// when the order is stored.
					fyne.LogError("screens: stock", err)
					l = models.StockLevel{ProductID: w.id, Untracked: true}
				}
				s.stock[w.id] = l
				s.nextWaiting()
			})
			return
		}
		s.waiting = s.waiting[1:]
		w.then()
	}
}

// tryChange makes change on a copy of the order and keeps it unless it
// breaks a rule of the order or adds more of product id (named name, as
// the screen shows it) than the stock rule lets; then nothing changes and
// err says why. warning is the rule's word on a change it lets beyond the
// stock.
func (s *Sell) tryChange(id uint, name string, change func(o *models.Order) error) (warning, err error) {
	trial := s.order.Clone()
	if err := change(trial); err != nil {
		return nil, err
	}
	if more := trial.QtyOf(id); more > s.order.QtyOf(id) {
		if l, known := s.stock[id]; known {
			l.Name = name
			if warning, err = models.CheckStock(l, more, s.svc.AllowBelowZero()); err != nil {
				return nil, err
			}
		}
	}
	*s.order = *trial
	return warning, nil
}

// warn tells a stock warning in the notice over the products.
func (s *Sell) warn(warning error) {
	if warning != nil {
		s.notice.Tell(noticeWarning, Message(warning))
	}
}

// lineStock is what the cart line of product id says of its stock: the
// stock left when the order holds more, else "".
func (s *Sell) lineStock(id uint) string {
	l, known := s.stock[id]
	if !known || l.Untracked || s.order.QtyOf(id) <= l.Stock {
		return ""
	}
	return lang.X("sell.line_stock", "Stock {{.Left}}", map[string]any{"Left": max(l.Stock, 0).String()})
}
