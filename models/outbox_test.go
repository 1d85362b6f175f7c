package models

import (
	"testing"
	"time"
)

func TestOutboxDrainBookkeeping(t *testing.T) {
	s := newTestStore(t)
	for i := 0; i < 3; i++ {
		sellCola(t, s, "T01", 1)
	}
	pending, err := s.PendingOutbox(bg, 2)
	if err != nil || len(pending) != 2 || pending[0].ID > pending[1].ID {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	if n, last, _ := s.OutboxStatus(bg); n != 3 || !last.IsZero() {
		t.Fatalf("status = %d, %v", n, last)
	}
	at := time.Now().Truncate(time.Second)
	if err := s.MarkOutboxSent(bg, []uint{pending[0].ID, pending[1].ID}, at); err != nil {
		t.Fatal(err)
	}
	// Marking again keeps the first time.
	s.MarkOutboxSent(bg, []uint{pending[0].ID}, at.Add(time.Hour))
	n, last, _ := s.OutboxStatus(bg)
	if n != 1 || !last.Equal(at) {
		t.Fatalf("status after marking = %d, %v", n, last)
	}
	// STANs reserved in bulk continue the sequence NextSTAN uses.
	first := sellSTAN(t, s)
	seq, err := s.ReserveSTANs(bg, "T01", 10)
	if err != nil || STANOf(seq) != first+1 {
		t.Fatalf("reserved from %d (STAN %d), last single STAN %d, %v", seq, STANOf(seq), first, err)
	}
	if next, _ := s.NextSTAN(bg, "T01"); next != first+11 {
		t.Fatalf("after reserving 10: %d, want %d", next, first+11)
	}
}

func sellSTAN(t *testing.T, s *Store) int {
	t.Helper()
	n, err := s.NextSTAN(bg, "T01")
	if err != nil {
		t.Fatal(err)
	}
	return n
}
