package screens

import (
	"slices"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

// payByMemberTest opens the fingerprint tender for o (¥7.00) and records
// where it ends.
func payByMemberTest(t *testing.T, bal *fakeBalance) (ui *UI, paid, partly *[]*models.Order) {
	t.Helper()
	ui = newTestUI(t, cashier)
	showOn(ui, NewPayCash(ui, &fakeCash{}, orderOf(t, cola, 2)).Content())
	paid, partly = &[]*models.Order{}, &[]*models.Order{}
	payByMember(ui, bal, orderOf(t, cola, 2),
		func(o *models.Order) { *paid = append(*paid, o) },
		func(o *models.Order) { *partly = append(*partly, o) })
	return ui, paid, partly
}

func TestPayByMemberPaysFromTheBalance(t *testing.T) {
	bal := &fakeBalance{member: models.Member{ID: 5, Name: "Li Lei", Balance: 10000}}
	ui, paid, partly := payByMemberTest(t, bal)
	w := ui.Window
	mustShow(t, w, "Customer: place your finger on the reader to pay ¥7.00 from your balance")
	tap(t, w, "Read finger")
	if !slices.Equal(bal.pays, []balancePay{{5, 700}}) {
		t.Fatalf("paid from the balance: %+v", bal.pays)
	}
	if len(*paid) != 1 || (*paid)[0].Status != models.OrderPaid || len(*partly) != 0 || dialogShown(w) {
		t.Fatalf("paid %d, partly %d, dialog left %v", len(*paid), len(*partly), dialogShown(w))
	}
}

func TestPayByMemberShortBalanceAsksFirst(t *testing.T) {
	bal := &fakeBalance{member: models.Member{ID: 5, Name: "Li Lei", Balance: 500}}
	ui, paid, partly := payByMemberTest(t, bal)
	w := ui.Window
	tap(t, w, "Read finger")
	mustShow(t, w, "Li Lei's balance is ¥5.00, short of ¥7.00. Take ¥5.00 from the balance and the remaining ¥2.00 by another tender?")
	if len(bal.pays) != 0 {
		t.Fatal("a short balance was charged before the cashier agreed")
	}
	tap(t, w, "Yes")
	if !slices.Equal(bal.pays, []balancePay{{5, 500}}) {
		t.Fatalf("paid from the balance: %+v", bal.pays)
	}
	if len(*partly) != 1 || (*partly)[0].Due() != 200 || len(*paid) != 0 {
		t.Fatalf("paid %d, partly %d", len(*paid), len(*partly))
	}
}

func TestPayByMemberShortBalanceDeclined(t *testing.T) {
	bal := &fakeBalance{member: models.Member{ID: 5, Name: "Li Lei", Balance: 500}}
	ui, paid, partly := payByMemberTest(t, bal)
	tap(t, ui.Window, "Read finger")
	tap(t, ui.Window, "No")
	if len(bal.pays) != 0 || len(*paid)+len(*partly) != 0 {
		t.Fatal("declining the short balance still charged it")
	}
}

func TestPayByMemberUnknownFingerOrEmptyBalance(t *testing.T) {
	bal := &fakeBalance{err: &models.Error{Code: models.ENOTFOUND, Key: "error.finger.unknown", Fallback: "That finger is not enrolled"}}
	ui, paid, partly := payByMemberTest(t, bal)
	w := ui.Window
	tap(t, w, "Read finger")
	mustShow(t, w, "That finger is not enrolled")
	button(t, w, "Read finger") // still asking
	mustShow(t, w, "Place a finger on the reader")

	bal.err, bal.member = nil, models.Member{ID: 6, Name: "Han Meimei"}
	tap(t, w, "Read finger")
	mustShow(t, w, "Han Meimei has no balance left; take another tender")
	if len(bal.pays) != 0 || len(*paid)+len(*partly) != 0 {
		t.Fatal("an unknown finger or an empty balance was charged")
	}
}

func TestPayByMemberSpeaksToTheCustomer(t *testing.T) {
	// The reader's lock-out, written for staff ("type your code"), is told
	// to the customer, who has no code and may pay another way.
	bal := &fakeBalance{err: &models.Error{Code: models.EINVALID, Key: "error.fingerprint.locked",
		Fallback: "Too many fingers not recognised: try again in {{.Wait}}, or type your code",
		Args:     map[string]any{"Wait": 30 * time.Second}}}
	ui, _, _ := payByMemberTest(t, bal)
	w := ui.Window
	tap(t, w, "Read finger")
	mustShow(t, w, "Fingerprint payment is paused after several tries. Please pay another way, or try again in 30 seconds.")
	if shown(w, "type your code") {
		t.Fatal("the customer is told to type a code")
	}
	bal.err = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.no_match", Fallback: "This finger is not recognised; try again, or type your code"}
	tap(t, w, "Read finger")
	mustShow(t, w, "Your finger was not recognised. Please place the same finger again, flat on the reader.")
}
