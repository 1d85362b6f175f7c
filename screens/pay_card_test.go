package screens

import (
	"errors"
	"slices"
	"testing"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
)

func TestPayCardShowsEachStepAndIsApproved(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	cards := &fakeCards{reader: "ACS ACR1252", steps: []payments.CardStep{payments.StepReading, payments.StepAuthorizing},
		result: payments.CardResult{Approved: true, Code: "00", MaskedPAN: "**** **** **** 1234", AuthCode: "123456"}}
	p := NewPayCard(ui, cards, orderOf(t, cola, 2))
	var paid *models.Order
	p.OnPaid = func(o *models.Order) { paid = o }
	showOn(ui, p.Content())

	if p.Status() != "Ready for a card" || !button(t, w, "Cancel").Disabled() {
		t.Fatalf("before a tap: status %q", p.Status())
	}
	type seen struct {
		status           string
		cancel, other    bool // enabled
		reader, retrying bool
	}
	var steps []seen
	cards.seen = func(payments.CardStep) {
		steps = append(steps, seen{p.Status(), !p.cancel.Disabled(), !p.other.Disabled(),
			shown(w, "Reader: ACS ACR1252"), !p.retry.Disabled()})
	}
	tap(t, w, "Tap again")
	want := []seen{
		{"Reading the card… keep it on the reader", true, false, true, false},
		{"Asking the bank… the card can be taken away", false, false, true, false},
	}
	if !slices.Equal(steps, want) {
		t.Fatalf("steps shown:\n%+v\nwant\n%+v", steps, want)
	}
	if !slices.Equal(cards.paid, []int64{700}) {
		t.Fatalf("card payments asked: %v", cards.paid)
	}
	if paid == nil || paid.ID != 41 || paid.Status != models.OrderPaid || p.Status() != "Approved" {
		t.Fatalf("OnPaid got %+v, status %q", paid, p.Status())
	}
}

func TestPayCardDeclinedOffersAnotherTender(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	cards := &fakeCards{steps: []payments.CardStep{payments.StepWaiting, payments.StepReading, payments.StepAuthorizing},
		result: payments.CardResult{Code: "51", MaskedPAN: "**** **** **** 1234", Scheme: "unionpay"}}
	p := NewPayCard(ui, cards, orderOf(t, cola, 2))
	paid := 0
	p.OnPaid = func(*models.Order) { paid++ }
	var other *models.Order
	p.OnOtherTender = func(o *models.Order) { other = o }
	showOn(ui, p.Content())

	tap(t, w, "Tap again")
	if paid != 0 || p.Status() != "Not paid" || p.Message() != "Insufficient funds" {
		t.Fatalf("declined: paid %d, status %q, message %q", paid, p.Status(), p.Message())
	}
	mustShow(t, w, "UnionPay **** **** **** 1234")
	if button(t, w, "Tap again").Disabled() || button(t, w, "Other tender").Disabled() || !button(t, w, "Cancel").Disabled() {
		t.Fatal("after a decline: Tap again and Other tender should be enabled, Cancel disabled")
	}
	tap(t, w, "Other tender")
	// The declined attempt stored the order: another tender continues it.
	if other == nil || other.ID != 41 || other.Status != models.OrderAwaiting {
		t.Fatalf("Other tender got %+v", other)
	}

	// A failure (no decision) says what went wrong, and a new tap retries.
	cards.err = &models.Error{Code: models.EINVALID, Key: "error.card.removed", Fallback: "The card was taken away too soon: tap again"}
	tap(t, w, "Tap again")
	if p.Message() != "The card was taken away too soon: tap again" || len(cards.paid) != 2 {
		t.Fatalf("after a failure: message %q, attempts %d", p.Message(), len(cards.paid))
	}
	cards.err = errors.New("reader gone")
	tap(t, w, "Tap again")
	if p.Message() != "Something went wrong; the data is safe. Please try again" {
		t.Fatalf("an internal error shows %q", p.Message())
	}
}
