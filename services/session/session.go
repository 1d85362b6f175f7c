// Package session is who is signed in at this terminal. The staff service
// owns it (it alone signs people in and out); every other service and the
// screens read it, from any goroutine.
package session

import (
	"sync/atomic"

	"github.com/till-pos/till/models"
)

// Session is the terminal and the operator signed in at it. Its methods are
// safe to call from any goroutine.
type Session struct {
	terminalID string
	op         atomic.Pointer[models.Operator]
}

// New is a session of terminal terminalID with nobody signed in.
func New(terminalID string) *Session { return &Session{terminalID: terminalID} }

// TerminalID is the terminal's ID ("T01").
func (s *Session) TerminalID() string { return s.terminalID }

// Operator is who is signed in; the zero Operator when nobody is.
func (s *Session) Operator() models.Operator {
	if op := s.op.Load(); op != nil {
		return *op
	}
	return models.Operator{}
}

// SignedIn reports whether somebody is signed in.
func (s *Session) SignedIn() bool { return s.op.Load() != nil }

// SetOperator signs op in, in place of whoever was; the staff service calls
// it after checking op's code or finger.
func (s *Session) SetOperator(op models.Operator) { s.op.Store(&op) }

// SignOut leaves nobody signed in.
func (s *Session) SignOut() { s.op.Store(nil) }

// SaleContext is what the store records of who sells where.
func (s *Session) SaleContext() models.SaleContext {
	return models.SaleContext{TerminalID: s.terminalID, Operator: s.Operator()}
}
