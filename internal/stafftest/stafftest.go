// Package stafftest signs an operator in for a test, through a staff
// service of the test's own: the session is the staff service's to change.
package stafftest

import (
	"context"
	"testing"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/staff"
)

// SignedIn is the session of terminal T01 on s with op signed in.
func SignedIn(t testing.TB, s *models.Store, op models.Operator) *staff.Session {
	t.Helper()
	st, err := staff.New(context.Background(), s, "T01", nil, func(what string, err error) { t.Errorf("%s: %v", what, err) })
	if err != nil {
		t.Fatal(err)
	}
	st.Start(op)
	return st.Session()
}
