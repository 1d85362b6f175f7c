package screens

import (
	"testing"

	"github.com/till-pos/till/models"
)

func TestPayCashTakesCashAndGivesChange(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	sales := &fakeCash{}
	o := orderOf(t, cola, 2) // ¥7.00
	p := NewPayCash(ui, sales, o)
	var paid *models.Order
	p.OnPaid = func(o *models.Order) { paid = o }
	showOn(ui, p.Content())

	mustShow(t, w, "¥7.00")
	if !button(t, w, "Take cash").Disabled() {
		t.Fatal("Take cash is enabled before any cash is received")
	}
	button(t, w, "Exact ¥7.00")
	button(t, w, "¥100.00")
	tap(t, w, "¥50.00")
	if p.ChangeText() != "¥43.00" {
		t.Fatalf("change shown = %q", p.ChangeText())
	}
	tap(t, w, "Take cash")
	if len(sales.commits) != 1 {
		t.Fatalf("commits: %d", len(sales.commits))
	}
	c := sales.commits[0]
	if len(c.order.Lines) != 1 || c.order.Total != 700 || len(c.payments) != 1 {
		t.Fatalf("committed %+v with %+v", c.order, c.payments)
	}
	if pay := c.payments[0]; pay.Tender != models.TenderCash || pay.Status != models.PaymentApproved ||
		pay.Amount != 700 || pay.Tendered != 5000 || pay.Change != 4300 {
		t.Fatalf("payment = %+v", pay)
	}
	if paid == nil || paid.ID == 0 || paid.Status != models.OrderPaid {
		t.Fatalf("OnPaid got %+v", paid)
	}
}

func TestPayCashRefusesTooLittleAndKeepsTheOrderWhenTheCommitFails(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	sales := &fakeCash{}
	p := NewPayCash(ui, sales, orderOf(t, cola, 2))
	paid := 0
	p.OnPaid = func(*models.Order) { paid++ }
	cancelled := 0
	p.OnCancel = func() { cancelled++ }
	var card *models.Order
	p.OnCard = func(o *models.Order) { card = o }
	showOn(ui, p.Content())

	keys(t, w, "5")
	mustShow(t, w, "¥2.00 more is needed")
	if !button(t, w, "Take cash").Disabled() || p.ChangeText() != "" {
		t.Fatalf("too little: Take cash enabled or change %q shown", p.ChangeText())
	}
	p.Confirm() // even if it were tapped
	if len(sales.commits) != 0 || paid != 0 {
		t.Fatal("too little cash was committed")
	}

	// Enough now; the store fails: the screen stays, ready to try again.
	keys(t, w, "0")
	if p.ChangeText() != "¥43.00" || shown(w, "more is needed") {
		t.Fatalf("¥50: change %q", p.ChangeText())
	}
	sales.err = &models.Error{Code: models.EDATABASE, Key: "error.db.locked", Fallback: "The database is busy"}
	tap(t, w, "Take cash")
	mustShow(t, w, "The database is busy")
	if paid != 0 || button(t, w, "OK") == nil {
		t.Fatal("a failed commit went on to the receipt")
	}
	tap(t, w, "OK")
	tap(t, w, "Take cash")
	if len(sales.commits) != 2 || paid != 1 {
		t.Fatalf("retry: commits %d, paid %d", len(sales.commits), paid)
	}

	tap(t, w, "Card")
	if card == nil || card.Total != 700 {
		t.Fatalf("Card handed on %+v", card)
	}
	tap(t, w, "Back to order")
	if cancelled != 1 {
		t.Fatal("Back to order did not go back")
	}
}
