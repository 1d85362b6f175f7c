package screens

import (
	"testing"
	"time"
)

type manualTimer struct {
	d       time.Duration
	f       func()
	stopped bool
}

func (t *manualTimer) Stop() bool { t.stopped = true; return true }

func TestIdleFiresOnlyForTheLatestTouch(t *testing.T) {
	var timers []*manualTimer
	after := func(d time.Duration, f func()) Timer {
		tm := &manualTimer{d: d, f: f}
		timers = append(timers, tm)
		return tm
	}
	fired := 0
	i := NewIdle(time.Minute, after, func(f func()) { f() }, func() { fired++ })
	i.Touch()
	i.Touch()
	if len(timers) != 2 || !timers[0].stopped || timers[1].d != time.Minute {
		t.Fatalf("timers after two touches: %+v", timers)
	}
	timers[0].f() // a timer already due when Touch stopped it
	if fired != 0 {
		t.Fatal("a stale timer made the till idle")
	}
	timers[1].f()
	if fired != 1 {
		t.Fatal("the latest timer did not make the till idle")
	}
	i.SetTimeout(0)
	if len(timers) != 2 {
		t.Fatal("a timer was started with auto-lock off")
	}
	var none *Idle
	none.Touch() // a nil Idle is no auto-lock
}
