package staff

import (
	"sync"
	"testing"

	"github.com/till-pos/till/models"
)

func TestSessionSwitchesOperatorSafely(t *testing.T) {
	s := newSession("T01")
	if s.SignedIn() || s.Operator().ID != 0 {
		t.Fatal("a new session has somebody signed in")
	}
	var wg sync.WaitGroup
	for i := 1; i <= 50; i++ {
		wg.Add(2)
		go func(id uint) { defer wg.Done(); s.setOperator(models.Operator{ID: id, Name: "x"}) }(uint(i))
		go func() { defer wg.Done(); _ = s.SaleContext() }()
	}
	wg.Wait()
	if !s.SignedIn() || s.Operator().ID == 0 || s.SaleContext().TerminalID != "T01" {
		t.Fatalf("after sign-ins: %+v", s.SaleContext())
	}
	s.signOut()
	if s.SignedIn() {
		t.Fatal("still signed in after SignOut")
	}
}
