// Package demotest gives a service's test the demo's shop: a store of the
// test's own with the demo catalog and staff, the demo cashier signed in.
package demotest

import (
	"context"
	"testing"

	"github.com/till-pos/till/internal/stafftest"
	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/staff"
)

// Shop is a store seeded with the demo catalog and staff, and the session
// of T01 with the demo cashier signed in.
func Shop(t testing.TB) (*models.Store, *staff.Session) {
	t.Helper()
	s := storetest.Open(t)
	op, err := demo.Seed(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return s, stafftest.SignedIn(t, s, op)
}
