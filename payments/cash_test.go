package payments

import (
	"slices"
	"testing"

	"github.com/till-pos/till/models"
)

func TestCash(t *testing.T) {
	cases := map[string]struct {
		due, tendered int64
		change        int64
		errKey        string
	}{
		"exact":         {due: 1250, tendered: 1250, change: 0},
		"change":        {due: 1250, tendered: 5000, change: 3750},
		"short":         {due: 1250, tendered: 1000, errKey: "error.cash.short"},
		"nothing due":   {due: 0, tendered: 100, errKey: "error.cash.nothing_due"},
		"absurd amount": {due: 100, tendered: MaxCashTendered + 1, errKey: "error.cash.too_much"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Cash(models.Yuan(c.due), c.tendered)
			if c.errKey != "" {
				var e *models.Error
				if err == nil || !asError(err, &e) || e.Key != c.errKey {
					t.Fatalf("err = %v, want key %s", err, c.errKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Change != c.change || p.Amount != c.due || p.Tendered != c.tendered || p.Tender != models.TenderCash || p.Status != models.PaymentApproved {
				t.Fatalf("payment = %+v", p)
			}
		})
	}
}

func asError(err error, e **models.Error) bool {
	v, ok := err.(*models.Error)
	*e = v
	return ok
}

func TestQuickTenders(t *testing.T) {
	if got := QuickTenders(1250); !slices.Equal(got, []int64{1250, 5000, 10000}) {
		t.Fatalf("QuickTenders(1250) = %v", got)
	}
	if got := QuickTenders(8000); !slices.Equal(got, []int64{8000, 10000}) {
		t.Fatalf("QuickTenders(8000) = %v", got)
	}
}
