// Package staff is who works the till: signing in by code or finger, the
// change of operator at an unlock, managers' approvals, the staff and their
// codes, the lock-out after wrong codes, enrolling and removing staff
// fingers, owners' authenticators for one-time codes, and the auto-lock
// setting. It owns the session.
//
// A staff code is checked against the hashes the store keeps and is never
// kept, shown, logged or audited. Wrong codes are counted in the store, per
// terminal and, when the code showed who typed it, per person: five in a
// row lock code entry for 30 s, each further one twice as long (at most
// 15 min), across restarts, until a success.
package staff

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services"
	"github.com/till-pos/till/services/fingers"
)

// Staff signs people in and approves what needs a manager.
type Staff struct {
	store   *models.Store
	session *Session
	fingers *fingers.Reader // nil without a reader
	log     func(string, error)
	// onAutoLock is told a new auto-lock time, in minutes.
	onAutoLock func(minutes int)
	autoLock   atomic.Int64
	// Now is the clock of the lock-outs and the one-time codes.
	Now func() time.Time
	// otpKey seals the owners' authenticator secrets; nil: none is used.
	otpKey []byte
}

// LockoutsShown is how far back Lockouts looks.
const LockoutsShown = 7 * 24 * time.Hour

// New is the staff service of terminal terminalID, with its session,
// nobody signed in; r is nil without a fingerprint reader; logf reports
// errors no one is shown (nil: the log).
func New(ctx context.Context, store *models.Store, terminalID string, r *fingers.Reader, logf func(string, error)) (*Staff, error) {
	logf = services.LogOr(logf)
	st := &Staff{store: store, session: newSession(terminalID), fingers: r, log: logf, Now: time.Now}
	v, err := store.Setting(ctx, models.SettingAutoLock, strconv.Itoa(models.DefaultAutoLock))
	if err != nil {
		return nil, err
	}
	m, err := models.ParseAutoLock(v)
	if err != nil {
		m = models.DefaultAutoLock
	}
	st.autoLock.Store(int64(m))
	return st, nil
}

// Session is who is signed in.
func (s *Staff) Session() *Session { return s.session }

// HasFingers reports whether a fingerprint reader is there.
func (s *Staff) HasFingers() bool { return s.fingers != nil }

// OperatorByCode finds the active operator whose code this is, to sign in
// or unlock. A code that is nobody's counts toward the terminal's
// lock-out; while it lasts, codes are refused with how long to wait.
func (s *Staff) OperatorByCode(ctx context.Context, code string) (models.Operator, error) {
	return s.byCode(ctx, code, false)
}

// ManagerByCode checks a manager's authorization code. A code that is
// nobody's counts toward the terminal's lock-out, and another operator's
// toward theirs as well.
func (s *Staff) ManagerByCode(ctx context.Context, code string) (models.Operator, error) {
	return s.byCode(ctx, code, true)
}

// byCode finds whose code this is (a manager's, when manager), counting a
// failure and refusing while locked out.
func (s *Staff) byCode(ctx context.Context, code string, manager bool) (models.Operator, error) {
	wrong := error(models.ErrNoOperatorCode)
	if manager {
		wrong = models.ErrNotManagerCode
	}
	if code == "" {
		return models.Operator{}, wrong // a key pressed by mistake: not a try
	}
	try := models.Try{Kind: models.TryCode, TerminalID: s.session.TerminalID()}
	if err := s.locked(ctx, try); err != nil {
		return models.Operator{}, err
	}
	var op models.Operator
	var err error
	if manager {
		op, err = s.store.ManagerOrOperatorByCode(ctx, code)
	} else {
		op, err = s.store.OperatorByCode(ctx, code)
	}
	if models.ErrorCode(err) == models.EINVALID {
		return models.Operator{}, s.failed(ctx, try, wrong)
	}
	if err != nil {
		return models.Operator{}, err
	}
	try.OperatorID = op.ID
	if err := s.locked(ctx, try); err != nil {
		return models.Operator{}, err
	}
	if manager && !op.IsManager() {
		return models.Operator{}, s.failed(ctx, try, wrong)
	}
	if err := s.store.ResetFailures(ctx, try); err != nil {
		s.log("staff: reset failed tries", err)
	}
	return op, nil
}

// locked refuses a try while its terminal (or operator) is locked out.
func (s *Staff) locked(ctx context.Context, try models.Try) error {
	now := s.Now()
	until, err := s.store.LockedUntil(ctx, try, now)
	if err != nil {
		return err
	}
	if until.After(now) {
		return models.ErrCodesLocked(until.Sub(now))
	}
	return nil
}

// failed counts a failed try and returns wrong, or the lock-out it began.
func (s *Staff) failed(ctx context.Context, try models.Try, wrong error) error {
	now := s.Now()
	until, err := s.store.CountFailure(context.WithoutCancel(ctx), try, now)
	if err != nil {
		return err
	}
	if until.After(now) {
		return models.ErrCodesLocked(until.Sub(now))
	}
	return wrong
}

// Lockouts lists the lock-outs of the last LockoutsShown, the latest
// first, each operator named, for the owner or a manager to see.
func (s *Staff) Lockouts(ctx context.Context) ([]models.Lockout, error) {
	list, err := s.store.Lockouts(ctx, s.Now().Add(-LockoutsShown))
	if err != nil {
		return nil, err
	}
	for i, l := range list {
		if l.OperatorID == 0 {
			continue
		}
		if op, err := s.store.OperatorByID(ctx, l.OperatorID); err == nil {
			list[i].Name = op.Name
		}
	}
	return list, nil
}

// AddOperator adds a member of staff with their code, authorized by
// manager; the code must pass models.CheckStaffCode and be no one else's.
func (s *Staff) AddOperator(ctx context.Context, op models.Operator, code string, manager models.Operator) (models.Operator, error) {
	if err := models.CheckStaffCode(code); err != nil {
		return models.Operator{}, err
	}
	return s.store.AddOperator(ctx, op, code, manager, s.session.TerminalID())
}

// SetCode gives op a new code, authorized by manager; the code must pass
// models.CheckStaffCode and be no one else's.
func (s *Staff) SetCode(ctx context.Context, op models.Operator, code string, manager models.Operator) error {
	if err := models.CheckStaffCode(code); err != nil {
		return err
	}
	return s.store.SetStaffCode(ctx, op.ID, code, manager, s.session.TerminalID())
}

// EditOperator changes op's name and role, authorized by by (who may
// manage staff; models.Store.EditOperator holds the rules), and returns
// op as stored. When op is the one signed in here, the session takes the
// new name and role at once.
func (s *Staff) EditOperator(ctx context.Context, op models.Operator, name string, role models.Role, by models.Operator) (models.Operator, error) {
	edited, err := s.store.EditOperator(ctx, op.ID, name, role, by, s.session.TerminalID())
	if err != nil {
		return models.Operator{}, err
	}
	s.session.refresh(edited)
	return edited, nil
}

// Identify waits (until ctx is done) for a finger and returns the active
// operator it belongs to.
func (s *Staff) Identify(ctx context.Context) (models.Operator, error) {
	if s.fingers == nil {
		return models.Operator{}, fingers.ErrDevice
	}
	var op models.Operator
	_, err := s.fingers.Identify(ctx, fingers.KindOperator, func(fp models.Fingerprint) bool {
		got, err := s.store.OperatorByID(ctx, fp.OwnerID)
		op = got
		return err == nil && got.Active
	})
	return op, err
}

// SignIn starts op's shift at the till, audited.
func (s *Staff) SignIn(ctx context.Context, op models.Operator) {
	s.session.setOperator(op)
	if err := s.store.AuditOverride(ctx, s.session.TerminalID(), op, "sign_in", "",
		fmt.Sprintf("%s (#%d) signed in", op.Name, op.ID)); err != nil {
		s.log("staff: audit sign-in", err)
	}
}

// SignOut ends the shift of whoever is signed in: nobody is, until the
// next sign-in.
func (s *Staff) SignOut() { s.session.signOut() }

// Start signs op in without an audit entry: the operator of a start in
// demo mode, or before sign-in exists.
func (s *Staff) Start(op models.Operator) { s.session.setOperator(op) }

// Unlock gives the till to op, whose finger or code unlocked it. When op is
// not who was signed in, op takes over, audited, and it reports true.
func (s *Staff) Unlock(ctx context.Context, op models.Operator) bool {
	prev := s.session.Operator()
	if op.ID == prev.ID {
		return false
	}
	s.session.setOperator(op)
	// Named by ID: a staff code is never audited.
	detail := fmt.Sprintf("unlocked by %s (#%d), taking over from %s (#%d)", op.Name, op.ID, prev.Name, prev.ID)
	if err := s.store.AuditOverride(ctx, s.session.TerminalID(), op, "operator_switch", "", detail); err != nil {
		s.log("staff: audit operator switch", err)
	}
	return true
}

// Enroll takes op's finger, with op's consent, authorized by manager: the
// module reads it three times (step is told 1, 2, 3) and keeps it.
func (s *Staff) Enroll(ctx context.Context, op, manager models.Operator, step func(int)) error {
	if err := s.store.Allowed(ctx, manager, models.PermStaff); err != nil {
		return err
	}
	if s.fingers == nil {
		return fingers.ErrDevice
	}
	return s.fingers.Enroll(ctx, fingers.KindOperator, op.ID, op.Name, manager, fingers.PurposeStaff, step)
}

// RemoveOperator closes sign-in for op, a member of staff who leaves, and
// deletes their fingers from the module and the database, authorized by
// manager.
func (s *Staff) RemoveOperator(ctx context.Context, op, manager models.Operator) error {
	// The store's rules first: the last owner is told that the shop keeps
	// them, not that they are signed in.
	if err := s.store.CheckRemoveOperator(ctx, op.ID, manager); err != nil {
		return err
	}
	if op.ID == s.session.Operator().ID {
		return &models.Error{Code: models.EINVALID, Key: "error.operator.signed_in",
			Fallback: "{{.Name}} is signed in: sign out before removing them", Args: map[string]any{"Name": op.Name}}
	}
	pages, err := s.store.RemoveOperator(ctx, op.ID, manager, s.session.TerminalID())
	if err != nil || s.fingers == nil {
		return err
	}
	return s.fingers.Forget(pages)
}

// Staff lists the active operators and how many fingers each enrolled.
func (s *Staff) Staff(ctx context.Context) ([]models.StaffMember, error) {
	ops, err := s.store.Operators(ctx)
	if err != nil {
		return nil, err
	}
	count := map[uint]int{}
	if s.fingers != nil {
		if count, err = s.fingers.Counts(ctx, fingers.KindOperator); err != nil {
			return nil, err
		}
	}
	otp, err := s.store.OTPOwners(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]models.StaffMember, len(ops))
	for i, op := range ops {
		out[i] = models.StaffMember{Operator: op, Fingers: count[op.ID], OTP: slices.Contains(otp, op.ID)}
	}
	return out, nil
}

// OnAutoLock makes f hear of each new auto-lock time.
func (s *Staff) OnAutoLock(f func(minutes int)) { s.onAutoLock = f }

// AutoLockMinutes is the idle time before the till locks; 0 never locks.
func (s *Staff) AutoLockMinutes() int { return int(s.autoLock.Load()) }

// SetAutoLockMinutes checks and stores the idle time before the till
// locks, and applies it at once.
func (s *Staff) SetAutoLockMinutes(ctx context.Context, minutes int, by models.Operator) error {
	if err := models.CheckAutoLock(minutes); err != nil {
		return err
	}
	values := map[string]string{models.SettingAutoLock: strconv.Itoa(minutes)}
	if err := s.store.ChangeSettings(ctx, models.PermSettingsSelling, values, by); err != nil {
		return err
	}
	s.autoLock.Store(int64(minutes))
	if s.onAutoLock != nil {
		s.onAutoLock(minutes)
	}
	return nil
}

// Allowed is nil when op may do p under the shop's matrix, else why not.
func (s *Staff) Allowed(ctx context.Context, op models.Operator, p models.Permission) error {
	return s.store.Allowed(ctx, op, p)
}

// Permissions is the shop's matrix of who may do what.
func (s *Staff) Permissions(ctx context.Context) (models.Permissions, error) {
	return s.store.Permissions(ctx)
}

// SetPermissions stores the shop's matrix, changed by by (an owner).
func (s *Staff) SetPermissions(ctx context.Context, m models.Permissions, by models.Operator) error {
	return s.store.SetPermissions(ctx, m, by, s.session.TerminalID())
}
