package models

import "testing"

func TestSTANIsPersistedAndWraps(t *testing.T) {
	s := newTestStore(t)
	for want := 1; want <= 3; want++ {
		if got, err := s.NextSTAN(bg, "T01"); err != nil || got != want {
			t.Fatalf("STAN %d: %d, %v", want, got, err)
		}
	}
	if got, _ := s.NextSTAN(bg, "T02"); got != 1 {
		t.Fatalf("another terminal's first STAN = %d", got)
	}
	path := s.Path()
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, _ := s2.NextSTAN(bg, "T01"); got != 4 {
		t.Fatalf("after reopening: %d, want 4", got)
	}
	s2.db.Model(&Sequence{}).Where("name = ?", "stan:T01").Update("next", MaxSTAN)
	if got, _ := s2.NextSTAN(bg, "T01"); got != MaxSTAN {
		t.Fatalf("last STAN = %d", got)
	}
	if got, _ := s2.NextSTAN(bg, "T01"); got != 1 {
		t.Fatalf("after %d: %d, want 1", MaxSTAN, got)
	}
}

func TestBatchNumbers(t *testing.T) {
	s := newTestStore(t)
	if n, err := s.BatchNumber(bg, "T01"); err != nil || n != 1 {
		t.Fatalf("first batch = %d, %v", n, err)
	}
	for want := 2; want <= 3; want++ {
		if n, err := closeOpenBatch(t, s, "T01"); err != nil || n != want {
			t.Fatalf("close → %d, %v; want %d", n, err, want)
		}
		if n, _ := s.BatchNumber(bg, "T01"); n != want {
			t.Fatalf("open batch = %d, want %d", n, want)
		}
	}
}

// closeOpenBatch closes the terminal's open batch with the totals it has
// now, as a settlement the host agreed to would, and returns the next
// batch's number.
func closeOpenBatch(t *testing.T, s *Store, terminalID string) (int, error) {
	t.Helper()
	b, err := s.OpenBatch(bg, terminalID)
	if err != nil {
		t.Fatal(err)
	}
	return s.CloseBatch(bg, terminalID, b.Batch, b.Totals)
}
