package receipt

import (
	"testing"
	"time"
)

func TestChangeTextRoundsHalfAwayFromZero(t *testing.T) {
	for _, c := range []struct {
		now, before int64
		want        string
	}{
		{45000, 40000, "+13%"}, // 12.5
		{35000, 40000, "-13%"}, // -12.5
		{40100, 40000, "±0%"},  // 0.25
		{40000, 40000, "±0%"},
		{0, 40000, "-100%"},
		{30000, 0, ""}, // nothing to compare with
		{-500, 1000, "-150%"},
		{500, -1000, "+150%"}, // refunds only the week before
	} {
		if got := ChangeText(c.now, c.before); got != c.want {
			t.Errorf("ChangeText(%d, %d) = %q, want %q", c.now, c.before, got, c.want)
		}
	}
}

func TestPeriodText(t *testing.T) {
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.Local)
	if got := PeriodText(day, day.AddDate(0, 0, 1)); got != "2026-12-02" {
		t.Errorf("a day: %q", got)
	}
	if got := PeriodText(day.AddDate(0, 0, -6), day.AddDate(0, 0, 1)); got != "2026-11-26 – 2026-12-02" {
		t.Errorf("a week: %q", got)
	}
	// Part of a day, as a shift is: with the times.
	if got := PeriodText(day.Add(8*time.Hour+30*time.Minute), day.Add(14*time.Hour+5*time.Minute)); got != "2026-12-02 08:30 – 14:05" {
		t.Errorf("a shift: %q", got)
	}
	if got := PeriodText(day.Add(-2*time.Hour), day.Add(time.Hour)); got != "2026-12-01 22:00 – 2026-12-02 01:00" {
		t.Errorf("a shift over midnight: %q", got)
	}
}
