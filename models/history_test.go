package models

import (
	"strings"
	"testing"
	"time"
)

func TestOrderHistory(t *testing.T) {
	s := newTestStore(t)
	o := sellCola(t, s, "T01", 1)
	got, err := s.OrderByID(bg, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.OrderHistory(bg, got)
	if err != nil || len(ev) != 2 || ev[0].Kind != "audit:sale" || ev[1].Kind != "outbox:pending" {
		t.Fatalf("history = %+v, %v", ev, err)
	}
	pending, _ := s.PendingOutbox(bg, 10)
	s.MarkOutboxSent(bg, []uint{pending[0].ID}, time.Now().Add(time.Second))
	r := &HostRequest{TerminalID: "T01", Key: o.Number + "-1", MTI: "0200", ProcCode: "000000", Amount: 350, Currency: CNY}
	if err := s.RecordRequest(bg, r); err != nil {
		t.Fatal(err)
	}
	s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: "000000000001", AuthCode: "000001"})
	ev, _ = s.OrderHistory(bg, got)
	kinds := []string{}
	for _, e := range ev {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "audit:sale,host:answered,outbox:sent" {
		t.Fatalf("history kinds = %v", kinds)
	}
}
