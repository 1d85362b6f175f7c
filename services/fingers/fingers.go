// Package fingers drives the fingerprint reader for staff and members: it
// identifies a finger (with the lock-out after failures), enrols one with
// the owner's consent, and keeps every template sealed in the store so a
// replaced module is reloaded from it. Demo mode runs a simulated module on
// a pseudo-terminal.
package fingers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/devices/fingerprint/fpsim"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services"
	"github.com/till-pos/till/services/ports"
)

// Fingerprint settings.
const (
	SettingPort = ports.SettingFingerprint
	settingBaud = "fingerprint_baud"
)

// Owner kinds of an enrolled finger: a member's finger never signs in, a
// cashier's never pays.
const (
	KindOperator = "operator"
	KindMember   = "member"
)

// What an enrolled finger may be used for, recorded with the consent.
const (
	PurposeStaff  = "staff login and approvals"
	PurposeMember = "member payments and card verification"
)

// Fingerprint errors, in the user's language.
var (
	ErrNoMatch = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.no_match",
		Fallback: "This finger is not recognised; try again, or type your code"}
	ErrDevice = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.device",
		Fallback: "The fingerprint reader does not answer; try again, or type your code"}
	errTimeout = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.no_finger",
		Fallback: "No finger was placed on the reader; try again"}
)

// errLocked refuses fingers while the reader is locked out, for wait more.
func errLocked(wait time.Duration) error {
	return &models.Error{Code: models.EINVALID, Key: "error.fingerprint.locked",
		Fallback: "Too many fingers not recognised: try again in {{.Wait}}, or type your code",
		Args:     map[string]any{"Wait": models.WaitArg(wait)}}
}

// Reader is the fingerprint reader.
type Reader struct {
	store      *models.Store
	terminalID string
	m          *fingerprint.Module
	port       string     // the serial port m is on
	sim        *fpsim.Sim // demo mode only
	key        []byte     // seals templates
	stop       func()
	log        func(string, error)

	// Now is the clock of the lock-out.
	Now func() time.Time
}

// Open opens the fingerprint module set in the settings, or, in demo mode
// without one, a simulated module on a pseudo-terminal. It returns nil
// when there is no module (staff then sign in by code). key seals the
// templates.
func Open(ctx context.Context, store *models.Store, terminalID string, key []byte, demo bool, logf func(string, error)) (*Reader, error) {
	logf = services.LogOr(logf)
	r := &Reader{store: store, terminalID: terminalID, key: key, Now: time.Now, stop: func() {}, log: logf}
	port, err := store.Setting(ctx, SettingPort, "")
	if err != nil {
		return nil, err
	}
	if port == "" && demo {
		r.sim = fpsim.New(1000)
		if port, r.stop, err = r.sim.StartPTY(); err != nil {
			logf("fingers: simulated fingerprint module", err) // sign in by code
			return nil, nil
		}
	}
	if port == "" {
		return nil, nil
	}
	r.port = port
	if r.m, err = fingerprint.Open(port, Baud(ctx, store)); err != nil {
		r.stop()
		logf("fingers: fingerprint module "+port, err)
		return nil, nil // sign in by code meanwhile
	}
	if err := r.reload(ctx); err != nil {
		logf("fingers: fingerprint module reload", err)
	}
	return r, nil
}

// Baud is the fingerprint module's baud rate in the settings, 57600
// unless set.
func Baud(ctx context.Context, store *models.Store) int {
	text, _ := store.Setting(ctx, settingBaud, "57600")
	baud, err := strconv.Atoi(text)
	if err != nil || baud <= 0 {
		return fingerprint.DefaultBaud
	}
	return baud
}

// Port is the serial port the module is on (the simulator's, in demo
// mode).
func (r *Reader) Port() string { return r.port }

// Module is the fingerprint module, for a check of it (as `till diag`'s).
func (r *Reader) Module() *fingerprint.Module { return r.m }

// Close closes the module (and the simulator).
func (r *Reader) Close() {
	if r.m != nil {
		r.m.Close()
	}
	r.stop()
}

// Templates is how many templates the module holds.
func (r *Reader) Templates() (int, error) { return r.m.TemplateCount() }

// Simulated is the simulated module of demo mode; nil otherwise.
func (r *Reader) Simulated() *fpsim.Sim { return r.sim }

// reload gives the module back every template the database keeps that the
// module lacks (a new or replaced module).
func (r *Reader) reload(ctx context.Context) error {
	n, err := r.m.TemplateCount()
	if err != nil {
		return err
	}
	all, err := r.store.Fingerprints(ctx)
	if err != nil || n >= len(all) {
		return err
	}
	for _, fp := range all {
		tpl, err := models.OpenTemplate(r.key, fp.Sealed, fp.PageID)
		if err != nil {
			return fmt.Errorf("fingers: fingerprint %d: %w", fp.PageID, err)
		}
		if err := r.m.DownChar(1, tpl); err != nil {
			return err
		}
		if err := r.m.Store(1, fp.PageID); err != nil {
			return err
		}
	}
	return nil
}

// Identify waits (until ctx is done) for a finger and returns its
// enrolment, which must belong to an owner of kind that active says may
// use it. Fingers not recognised are counted in the store for the
// terminal: five in a row lock fingerprints for 30 s, each further one
// twice as long (models.LockoutDelay), audited, across restarts, until a
// finger is recognised.
func (r *Reader) Identify(ctx context.Context, kind string, active func(models.Fingerprint) bool) (models.Fingerprint, error) {
	try := models.Try{Kind: models.TryFinger, TerminalID: r.terminalID}
	now := r.Now()
	until, err := r.store.LockedUntil(ctx, try, now)
	if err != nil {
		return models.Fingerprint{}, err
	}
	if until.After(now) {
		return models.Fingerprint{}, errLocked(until.Sub(now))
	}
	page, _, err := fingerprint.Identify(ctx, r.m)
	if r.sim != nil {
		r.sim.LiftFinger()
	}
	switch {
	case errors.Is(err, fingerprint.ErrNoMatch):
		return models.Fingerprint{}, r.failed(ctx, try)
	case ctx.Err() != nil:
		return models.Fingerprint{}, fmt.Errorf("%w: %w", errTimeout, err)
	case err != nil:
		return models.Fingerprint{}, fmt.Errorf("%w: %w", ErrDevice, err)
	}
	fp, err := r.store.FingerprintByPage(ctx, page)
	if err != nil || fp.OwnerKind != kind || !active(*fp) {
		return models.Fingerprint{}, r.failed(ctx, try)
	}
	if err := r.store.ResetFailures(ctx, try); err != nil {
		r.log("fingers: reset failed tries", err)
	}
	return *fp, nil
}

// failed counts a finger not recognised: ErrNoMatch, or the lock-out it
// began.
func (r *Reader) failed(ctx context.Context, try models.Try) error {
	now := r.Now()
	until, err := r.store.CountFailure(context.WithoutCancel(ctx), try, now)
	if err != nil {
		r.log("fingers: count a finger not recognised", err)
		return ErrNoMatch
	}
	if until.After(now) {
		return errLocked(until.Sub(now))
	}
	return ErrNoMatch
}

// Enroll reads the finger of owner kind/id (named name) three times (step
// told 1, 2, 3) and keeps it, with the owner's consent for purpose,
// enrolled by by. The consent is audited before the first capture.
func (r *Reader) Enroll(ctx context.Context, kind string, id uint, name string, by models.Operator, purpose string, step func(int)) error {
	page, err := r.store.NextFingerprintPage(ctx)
	if err != nil {
		return err
	}
	if err := r.store.AuditOverride(ctx, r.terminalID, by, "consent",
		fmt.Sprintf("%s:%d", kind, id), name+": "+purpose); err != nil {
		return err
	}
	if r.sim != nil {
		// Demo: the simulated finger is placed, lifted after each reading
		// and placed again, as a person would; lifted for good once the
		// enrolment ends.
		placing, stop := context.WithCancel(ctx)
		var placed sync.WaitGroup
		step = r.demoPlacements(placing, &placed, name, step)
		defer func() {
			stop()
			placed.Wait()
			r.sim.LiftFinger()
		}()
	}
	tpl, err := fingerprint.Enroll(ctx, r.m, page, 3, step)
	if err != nil {
		if errors.Is(err, fingerprint.ErrNoMatch) {
			return ErrNoMatch
		}
		return fmt.Errorf("%w: %w", ErrDevice, err)
	}
	return r.save(ctx, kind, id, by, name, purpose, page, tpl)
}

// save seals and stores an enrolled template of owner kind/id with the
// owner's consent.
func (r *Reader) save(ctx context.Context, kind string, id uint, by models.Operator, consentBy, purpose string, page int, tpl []byte) error {
	sealed, err := models.SealTemplate(r.key, tpl, page)
	for i := range tpl {
		tpl[i] = 0
	}
	if err != nil {
		return err
	}
	return r.store.SaveFingerprint(ctx, &models.Fingerprint{OwnerKind: kind, OwnerID: id, PageID: page,
		Sealed: sealed, ConsentAt: time.Now(), ConsentBy: consentBy, Purpose: purpose,
		EnrolledBy: by.ID}, r.terminalID)
}

// Forget deletes templates from the module, once the database no longer
// keeps them.
func (r *Reader) Forget(pages []int) error {
	for _, p := range pages {
		if err := r.m.DeleteChar(p, 1); err != nil {
			return fmt.Errorf("%w: %w", ErrDevice, err)
		}
	}
	return nil
}

// Counts is how many fingers each owner of kind has enrolled.
func (r *Reader) Counts(ctx context.Context, kind string) (map[uint]int, error) {
	all, err := r.store.Fingerprints(ctx)
	if err != nil {
		return nil, err
	}
	count := map[uint]int{}
	for _, fp := range all {
		if fp.OwnerKind == kind {
			count[fp.OwnerID]++
		}
	}
	return count, nil
}
