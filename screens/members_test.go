package screens

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
)

func newTestMembers(t *testing.T) (*MembersScreen, *UI, *fakeMembers) {
	t.Helper()
	ui := newTestUI(t, cashier)
	svc := &fakeMembers{members: []models.Member{
		{ID: 1, Name: "Li Lei", Phone: "138****5678", Balance: 12000, Active: true},
		{ID: 2, Name: "Han Meimei", Phone: "139****0001", Balance: 0, CardToken: "tok", Active: true}}}
	s := NewMembersScreen(ui, svc, &fakeStaff{})
	showOn(ui, s.Content())
	s.Refresh()
	return s, ui, svc
}

func TestMembersFind(t *testing.T) {
	s, ui, svc := newTestMembers(t)
	w := ui.Window
	if !slices.Equal(svc.finds, []string{""}) || len(s.Shown()) != 2 {
		t.Fatalf("finds %q, shown %d", svc.finds, len(s.Shown()))
	}
	mustShow(t, w, "Li Lei")
	mustShow(t, w, "Balance ¥120.00")
	mustShow(t, w, "138****5678 · No card linked")
	mustShow(t, w, "139****0001 · Card linked")

	test.Type(entries(w)[0], "Han")
	if n := len(svc.finds); svc.finds[n-1] != "Han" {
		t.Fatalf("last find %q", svc.finds[n-1])
	}
	if got := s.Shown(); len(got) != 1 || got[0].Name != "Han Meimei" || shown(w, "Li Lei") {
		t.Fatalf("shown %+v", got)
	}
	s.Search("Nobody")
	mustShow(t, w, "No members found")
}

func TestMembersAddAndEnrol(t *testing.T) {
	s, ui, svc := newTestMembers(t)
	w := ui.Window
	tap(t, w, "New member")
	es := entries(w)
	if len(es) != 2 {
		t.Fatalf("%d entries in the new member dialog", len(es))
	}
	test.Type(es[0], "Wang Fang")
	test.Type(es[1], "13812345678")
	tap(t, w, "Customer agrees: enrol finger")
	if !slices.Equal(svc.added, []string{"Wang Fang/13812345678"}) {
		t.Fatalf("added %q", svc.added)
	}
	if !slices.Equal(svc.enrols, []string{"Wang Fang"}) || !slices.Equal(svc.steps, []int{1, 2, 3}) {
		t.Fatalf("enrolled %q with steps %v", svc.enrols, svc.steps)
	}
	mustShow(t, w, "Wang Fang can now pay with this finger")
	tap(t, w, "OK")
	// The list is read again and shows the new member.
	if len(s.Shown()) != 3 {
		t.Fatalf("shown %d members after adding one", len(s.Shown()))
	}
	mustShow(t, w, "Wang Fang")

	// A refused member keeps the dialog open with the reason; no finger is read.
	svc.addErr = &models.Error{Code: models.EINVALID, Key: "error.member.phone", Fallback: "That is not a mobile number"}
	tap(t, w, "New member")
	test.Type(entries(w)[0], "Zhao")
	test.Type(entries(w)[1], "123")
	tap(t, w, "Customer agrees: enrol finger")
	mustShow(t, w, "That is not a mobile number")
	if len(svc.enrols) != 1 {
		t.Fatal("a refused member was enrolled")
	}
	tap(t, w, "Cancel")
	if dialogShown(w) {
		t.Fatal("Cancel left the dialog open")
	}
}

func TestMembersTopUp(t *testing.T) {
	s, ui, _ := newTestMembers(t)
	w := ui.Window
	var topUp *models.Order
	s.OnTopUp = func(o *models.Order) { topUp = o }
	tap(t, w, "Top up") // the first: Li Lei
	keys(t, w, "100")
	tap(t, w, "OK")
	if topUp == nil || topUp.TopUpMemberID != 1 || topUp.Total != 10000 {
		t.Fatalf("top-up order %+v", topUp)
	}
}

// TestMembersRemoveAsksSomeoneAllowed: a cashier may not end a membership;
// the manager's code approves, and the removal is made as the manager.
func TestMembersRemoveAsksSomeoneAllowed(t *testing.T) {
	_, ui, svc := newTestMembers(t)
	w := ui.Window
	test.Tap(uitest.NthButton(t, w, "Remove", 1)) // Han Meimei, with no balance
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "8888")
	tap(t, w, "OK")
	tap(t, w, "Yes")
	if len(svc.removed) != 1 || svc.removed[0] != "Han Meimei by "+manager.Name {
		t.Fatalf("removed: %v", svc.removed)
	}
}
