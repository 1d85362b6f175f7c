package staff

import (
	"sync/atomic"

	"github.com/till-pos/till/models"
)

// Session is the terminal and the operator signed in at it. The staff
// service owns it: it alone signs people in and out. Every other service
// and the screens read it, from any goroutine.
type Session struct {
	terminalID string
	op         atomic.Pointer[models.Operator]
}

// newSession is a session of terminal terminalID with nobody signed in.
func newSession(terminalID string) *Session { return &Session{terminalID: terminalID} }

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

// setOperator signs op in, in place of whoever was, once the staff service
// has checked op's code or finger.
func (s *Session) setOperator(op models.Operator) { s.op.Store(&op) }

// refresh takes op's new name and role when op is the one signed in.
func (s *Session) refresh(op models.Operator) {
	for {
		cur := s.op.Load()
		if cur == nil || cur.ID != op.ID || s.op.CompareAndSwap(cur, &op) {
			return
		}
	}
}

// signOut leaves nobody signed in.
func (s *Session) signOut() { s.op.Store(nil) }

// SaleContext is what the store records of who sells where.
func (s *Session) SaleContext() models.SaleContext {
	return models.SaleContext{TerminalID: s.terminalID, Operator: s.Operator()}
}
