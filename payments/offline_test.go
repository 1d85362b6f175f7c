package payments

import "testing"

func TestOfflinePolicy(t *testing.T) {
	p := OfflinePolicy{FloorLimit: 30000, MaxCount: 2, MaxTotal: 50000}
	cases := []struct {
		amount int64
		count  int
		total  int64
		ok     bool
	}{
		{30000, 0, 0, true},      // at the floor limit
		{30001, 0, 0, false},     // above it
		{100, 1, 100, true},      // second held approval
		{100, 2, 200, false},     // a third would exceed the count
		{25000, 1, 25000, true},  // total exactly at the cap
		{25001, 1, 25000, false}, // total over the cap
		{0, 0, 0, false},         // nothing to approve
	}
	for _, c := range cases {
		if got := p.Allows(c.amount, c.count, c.total); got != c.ok {
			t.Errorf("Allows(%d, %d, %d) = %v", c.amount, c.count, c.total, got)
		}
	}
	if !DefaultOfflinePolicy.Allows(30000, 0, 0) || DefaultOfflinePolicy.Allows(30001, 0, 0) {
		t.Error("the default floor limit is not ¥300")
	}
}
