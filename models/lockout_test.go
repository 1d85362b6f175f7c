package models

import (
	"path/filepath"
	"testing"
	"time"
)

func TestLockoutDelayGrowsAndIsCapped(t *testing.T) {
	for failures, want := range map[int]time.Duration{
		0: 0, 1: 0, 4: 0,
		5: 30 * time.Second, 6: time.Minute, 7: 2 * time.Minute, 8: 4 * time.Minute,
		9: 8 * time.Minute, 10: LockoutMax, 11: LockoutMax, 1000: LockoutMax,
	} {
		if got := LockoutDelay(failures); got != want {
			t.Errorf("%d failures: %v, want %v", failures, got, want)
		}
	}
}

func TestFailedTriesSurviveAReopenAndASuccessResetsThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	term := Try{Kind: TryCode, TerminalID: "T01"}
	for i := 1; i <= 4; i++ {
		if until, err := s.CountFailure(bg, term, start); err != nil || !until.IsZero() {
			t.Fatalf("failure %d: locked until %v, %v", i, until, err)
		}
	}
	// A restart forgets nothing: the fifth failure locks.
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	until, err := s.CountFailure(bg, term, start)
	if err != nil || !until.Equal(start.Add(30*time.Second)) {
		t.Fatalf("fifth failure: until %v, %v", until, err)
	}
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LockedUntil(bg, term, start.Add(29*time.Second)); err != nil || !got.Equal(until) {
		t.Fatalf("after a restart, locked until %v, %v", got, err)
	}
	if got, _ := s.LockedUntil(bg, term, start.Add(30*time.Second)); !got.IsZero() {
		t.Fatalf("still locked when the wait is over: %v", got)
	}
	// Fingers are counted apart; so is another terminal.
	for _, other := range []Try{{Kind: TryFinger, TerminalID: "T01"}, {Kind: TryCode, TerminalID: "T02"}} {
		if got, _ := s.LockedUntil(bg, other, start); !got.IsZero() {
			t.Fatalf("%+v locked by T01's codes: %v", other, got)
		}
	}
	// Each further failure doubles the wait.
	at := start.Add(time.Minute)
	if until, _ = s.CountFailure(bg, term, at); !until.Equal(at.Add(time.Minute)) {
		t.Fatalf("sixth failure: until %v", until)
	}
	if until, _ = s.CountFailure(bg, term, at); !until.Equal(at.Add(2 * time.Minute)) {
		t.Fatalf("seventh failure: until %v", until)
	}
	if n, _ := s.CountAudit(bg, "code_lock"); n != 3 {
		t.Fatalf("%d locks audited", n)
	}
	// A success starts afresh: four failures do not lock again.
	if err := s.ResetFailures(bg, term); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LockedUntil(bg, term, at); !got.IsZero() {
		t.Fatalf("locked after a success: %v", got)
	}
	for i := 1; i <= 4; i++ {
		if until, _ := s.CountFailure(bg, term, at); !until.IsZero() {
			t.Fatalf("failure %d after the success locked until %v", i, until)
		}
	}
	// The lock-outs stay listed for a manager, the latest first.
	list, err := s.Lockouts(bg, start.Add(-time.Hour))
	if err != nil || len(list) != 1 || list[0].Subject != "terminal:T01" || !list[0].LockedAt.Equal(at) || list[0].Failures != 4 {
		t.Fatalf("lock-outs %+v %v", list, err)
	}
	if list, _ := s.Lockouts(bg, at.Add(time.Second)); len(list) != 0 {
		t.Fatalf("lock-outs since after the last: %+v", list)
	}
}

func TestAnOperatorsFailuresLockThemEverywhere(t *testing.T) {
	s := newTestStore(t)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	mine := Try{Kind: TryCode, TerminalID: "T01", OperatorID: 7}
	for range 5 {
		if _, err := s.CountFailure(bg, mine, now); err != nil {
			t.Fatal(err)
		}
	}
	// Operator 7 is locked at another terminal too; that terminal is not,
	// for anyone else.
	if got, _ := s.LockedUntil(bg, Try{Kind: TryCode, TerminalID: "T02", OperatorID: 7}, now); !got.Equal(now.Add(30 * time.Second)) {
		t.Fatalf("operator 7 at T02: %v", got)
	}
	if got, _ := s.LockedUntil(bg, Try{Kind: TryCode, TerminalID: "T02", OperatorID: 8}, now); !got.IsZero() {
		t.Fatalf("operator 8 at T02: %v", got)
	}
	list, _ := s.Lockouts(bg, now)
	if len(list) != 2 {
		t.Fatalf("lock-outs %+v", list)
	}
	for _, l := range list {
		if l.Subject == "operator:7" && (l.OperatorID != 7 || l.TerminalID != "T01") || l.Subject == "terminal:T01" && l.OperatorID != 0 {
			t.Fatalf("lock-out %+v", l)
		}
	}
	entries, _ := s.AuditEntries(bg, "code_lock")
	if len(entries) != 2 {
		t.Fatalf("lock audit %+v", entries)
	}
	// Their success at T02 frees them, and leaves T01's count alone.
	if err := s.ResetFailures(bg, Try{Kind: TryCode, TerminalID: "T02", OperatorID: 7}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LockedUntil(bg, Try{Kind: TryCode, TerminalID: "T02", OperatorID: 7}, now); !got.IsZero() {
		t.Fatalf("operator 7 after a success: %v", got)
	}
	if got, _ := s.LockedUntil(bg, Try{Kind: TryCode, TerminalID: "T01"}, now); got.IsZero() {
		t.Fatal("T01 was freed by a success at T02")
	}
}
