package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/devices/fingerprint/fpsim"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens"
)

// Fingerprint settings.
const (
	settingFingerPort = "fingerprint_port" // /dev/ttyUSB0, COM4; empty: none (demo: simulated)
	settingFingerBaud = "fingerprint_baud"
)

// Lock-out after failed matches, as the issue of password-free login asks.
const (
	maxFingerFailures = 5
	fingerLockout     = time.Minute
)

// fingers identifies and enrols staff by fingerprint on the serial module
// (a simulated one in demo mode). Templates are kept sealed in the
// database too, so a replaced module is reloaded from it.
type fingers struct {
	t   *Till
	m   *fingerprint.Module
	sim *fpsim.Sim // demo mode only
	key []byte     // the device key: seals templates

	stop        func()
	mu          sync.Mutex
	failures    int
	lockedUntil time.Time
	now         func() time.Time
}

// newFingers opens the fingerprint module named by the settings, or, in
// demo mode without one, a simulated module on a pseudo-terminal with the
// demo staff's fingers enrolled. It returns nil when there is no module.
func newFingers(ctx context.Context, t *Till, key []byte) (*fingers, error) {
	f := &fingers{t: t, key: key, now: time.Now, stop: func() {}}
	port, err := t.store.Setting(ctx, settingFingerPort, "")
	if err != nil {
		return nil, err
	}
	if port == "" && t.opts.Demo {
		f.sim = fpsim.New(1000)
		if port, f.stop, err = f.sim.StartPTY(); err != nil {
			fyne.LogError("app: simulated fingerprint module", err) // sign in by code
			return nil, nil
		}
	}
	if port == "" {
		return nil, nil
	}
	baudText, _ := t.store.Setting(ctx, settingFingerBaud, "57600")
	baud, err := strconv.Atoi(baudText)
	if err != nil {
		baud = 57600
	}
	if f.m, err = fingerprint.Open(port, baud); err != nil {
		f.stop()
		fyne.LogError("app: fingerprint module "+port, err)
		return nil, nil // log in by code meanwhile
	}
	if err := f.reload(ctx); err != nil {
		fyne.LogError("app: fingerprint module reload", err)
	}
	if f.sim != nil {
		if err := f.enrolDemoStaff(ctx); err != nil {
			f.close()
			return nil, err
		}
	}
	return f, nil
}

func (f *fingers) close() {
	if f.m != nil {
		f.m.Close()
	}
	f.stop()
}

// reload gives the module back every template the database keeps that the
// module lacks (a new or replaced module).
func (f *fingers) reload(ctx context.Context) error {
	n, err := f.m.TemplateCount()
	if err != nil {
		return err
	}
	all, err := f.t.store.Fingerprints(ctx)
	if err != nil || n >= len(all) {
		return err
	}
	for _, fp := range all {
		tpl, err := models.OpenTemplate(f.key, fp.Sealed, fp.PageID)
		if err != nil {
			return fmt.Errorf("app: fingerprint %d: %w", fp.PageID, err)
		}
		if err := f.m.DownChar(1, tpl); err != nil {
			return err
		}
		if err := f.m.Store(1, fp.PageID); err != nil {
			return err
		}
	}
	return nil
}

// demoFingers are the fingers demo mode can place on its simulated module.
var demoFingers = []string{demoManager.Name, demoOperator.Name, demoStranger}

// demoStranger's finger is never enrolled.
const demoStranger = "访客"

// enrolDemoStaff enrols the demo manager's and cashier's fingers once (the
// stranger's is never enrolled).
func (f *fingers) enrolDemoStaff(ctx context.Context) error {
	for _, op := range []models.Operator{demoManager, demoOperator} {
		stored, err := f.t.store.OperatorByCode(ctx, op.Code)
		if err != nil {
			return err
		}
		var enrolled bool
		all, err := f.t.store.Fingerprints(ctx)
		if err != nil {
			return err
		}
		for _, fp := range all {
			enrolled = enrolled || (fp.OwnerKind == "operator" && fp.OwnerID == stored.ID)
		}
		if enrolled {
			continue
		}
		if err := f.enrolDemo(ctx, "operator", stored.ID, stored.Name, stored, purposeStaff); err != nil {
			return err
		}
	}
	return nil
}

// enrolDemo enrols a demo person's simulated finger at once: it "is
// placed" three times by preloading it, then its template is read back as
// an enrolment would.
func (f *fingers) enrolDemo(ctx context.Context, kind string, id uint, name string, by models.Operator, purpose string) error {
	page, err := f.t.store.NextFingerprintPage(ctx)
	if err != nil {
		return err
	}
	if err := f.sim.Preload(page, name); err != nil {
		return err
	}
	if err := f.m.LoadChar(1, page); err != nil {
		return err
	}
	tpl, err := f.m.UpChar(1)
	if err != nil {
		return err
	}
	return f.save(ctx, kind, id, by, name, purpose, page, tpl)
}

// What an enrolled finger may be used for, recorded with the consent.
const (
	purposeStaff  = "staff login and approvals"
	purposeMember = "member payments and card verification"
)

// save seals and stores an enrolled template of owner kind/id with the
// owner's consent.
func (f *fingers) save(ctx context.Context, kind string, id uint, by models.Operator, consentBy, purpose string, page int, tpl []byte) error {
	sealed, err := models.SealTemplate(f.key, tpl, page)
	for i := range tpl {
		tpl[i] = 0
	}
	if err != nil {
		return err
	}
	return f.t.store.SaveFingerprint(ctx, &models.Fingerprint{OwnerKind: kind, OwnerID: id, PageID: page,
		Sealed: sealed, ConsentAt: time.Now(), ConsentBy: consentBy, Purpose: purpose,
		EnrolledBy: by.ID}, f.t.env.Shop.TerminalID)
}

// Fingerprint errors, in the user's language.
var (
	errFingerNoMatch = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.no_match",
		Fallback: "This finger is not recognised; try again, or type your code"}
	errFingerLocked = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.locked",
		Fallback: "Too many fingers not recognised: fingerprints are locked for a minute; type your code"}
	errFingerDevice = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.device",
		Fallback: "The fingerprint reader does not answer; try again, or type your code"}
	errFingerTimeout = &models.Error{Code: models.EINVALID, Key: "error.fingerprint.no_finger",
		Fallback: "No finger was placed on the reader; try again"}
)

// Identify waits (until ctx is done) for a finger and returns the operator
// it belongs to. Five fingers not recognised in a row lock fingerprints
// for a minute, audited.
func (f *fingers) Identify(ctx context.Context) (models.Operator, error) {
	fp, err := f.identify(ctx, "operator")
	if err != nil {
		return models.Operator{}, err
	}
	op, err := f.t.store.OperatorByID(ctx, fp.OwnerID)
	if err != nil || !op.Active {
		return models.Operator{}, f.failed()
	}
	f.succeeded()
	return op, nil
}

// IdentifyMember waits (until ctx is done) for a finger and returns the
// member it belongs to; the same lock-out applies.
func (f *fingers) IdentifyMember(ctx context.Context) (models.Member, error) {
	fp, err := f.identify(ctx, "member")
	if err != nil {
		return models.Member{}, err
	}
	m, err := f.t.store.MemberByID(ctx, fp.OwnerID)
	if err != nil || !m.Active {
		return models.Member{}, f.failed()
	}
	f.succeeded()
	return m, nil
}

// identify waits for a finger and finds its enrolment, which must belong
// to an owner of kind ("operator" or "member"): a member's finger never
// signs in, a cashier's never pays.
func (f *fingers) identify(ctx context.Context, kind string) (models.Fingerprint, error) {
	f.mu.Lock()
	if f.now().Before(f.lockedUntil) {
		f.mu.Unlock()
		return models.Fingerprint{}, errFingerLocked
	}
	f.mu.Unlock()
	page, _, err := fingerprint.Identify(ctx, f.m)
	if f.sim != nil {
		f.sim.LiftFinger()
	}
	switch {
	case errors.Is(err, fingerprint.ErrNoMatch):
		return models.Fingerprint{}, f.failed()
	case ctx.Err() != nil:
		return models.Fingerprint{}, fmt.Errorf("%w: %w", errFingerTimeout, err)
	case err != nil:
		return models.Fingerprint{}, fmt.Errorf("%w: %w", errFingerDevice, err)
	}
	fp, err := f.t.store.FingerprintByPage(ctx, page)
	if err != nil || fp.OwnerKind != kind {
		return models.Fingerprint{}, f.failed()
	}
	return *fp, nil
}

// succeeded ends a run of failures.
func (f *fingers) succeeded() {
	f.mu.Lock()
	f.failures = 0
	f.mu.Unlock()
}

// failed counts a finger not recognised and locks after too many.
func (f *fingers) failed() error {
	f.mu.Lock()
	f.failures++
	lock := f.failures >= maxFingerFailures
	if lock {
		f.failures = 0
		f.lockedUntil = f.now().Add(fingerLockout)
	}
	f.mu.Unlock()
	if !lock {
		return errFingerNoMatch
	}
	if err := f.t.store.AuditOverride(context.Background(), f.t.env.Shop.TerminalID, models.Operator{},
		"fingerprint_lock", "", fmt.Sprintf("%d fingers not recognised", maxFingerFailures)); err != nil {
		fyne.LogError("app: fingerprint lock", err)
	}
	return errFingerLocked
}

// Enroll takes op's finger, with op's consent, authorized by manager: the
// module reads it three times (step is told 1, 2, 3) and keeps it; the
// database keeps it sealed.
func (f *fingers) Enroll(ctx context.Context, op, manager models.Operator, step func(int)) error {
	if !manager.IsManager() {
		return models.ErrManagerNeeded
	}
	return f.enroll(ctx, "operator", op.ID, op.Name, manager, purposeStaff, step)
}

// enroll reads the finger of owner kind/id (named name) three times and
// keeps it, with the owner's consent for purpose, enrolled by by.
func (f *fingers) enroll(ctx context.Context, kind string, id uint, name string, by models.Operator, purpose string, step func(int)) error {
	page, err := f.t.store.NextFingerprintPage(ctx)
	if err != nil {
		return err
	}
	// The consent is on record before the first capture.
	if err := f.t.store.AuditOverride(ctx, f.t.env.Shop.TerminalID, by, "consent",
		fmt.Sprintf("%s:%d", kind, id), name+": "+purpose); err != nil {
		return err
	}
	if f.sim != nil {
		// Demo: the simulated finger is placed, lifted after each reading
		// and placed again, as a person would.
		step = f.demoPlacements(ctx, name, step)
	}
	tpl, err := fingerprint.Enroll(ctx, f.m, page, 3, step)
	if f.sim != nil {
		f.sim.LiftFinger()
	}
	if err != nil {
		if errors.Is(err, fingerprint.ErrNoMatch) {
			return errFingerNoMatch
		}
		return fmt.Errorf("%w: %w", errFingerDevice, err)
	}
	return f.save(ctx, kind, id, by, name, purpose, page, tpl)
}

// forget deletes templates from the module, once the database no longer
// keeps them.
func (f *fingers) forget(pages []int) error {
	for _, p := range pages {
		if err := f.m.DeleteChar(p, 1); err != nil {
			return fmt.Errorf("%w: %w", errFingerDevice, err)
		}
	}
	return nil
}

// RemoveOperator closes sign-in for op, a member of staff who leaves, and
// deletes their fingers from the module and the database, authorized by
// manager.
func (f *fingers) RemoveOperator(ctx context.Context, op, manager models.Operator) error {
	if op.ID == f.t.env.Shop.Operator.ID {
		return &models.Error{Code: models.EINVALID, Key: "error.operator.signed_in",
			Fallback: "{{.Name}} is signed in: sign out before removing them", Args: map[string]any{"Name": op.Name}}
	}
	pages, err := f.t.store.RemoveOperator(ctx, op.ID, manager, f.t.env.Shop.TerminalID)
	if err != nil {
		return err
	}
	return f.forget(pages)
}

// Staff lists the active operators and how many fingers each enrolled.
func (f *fingers) Staff(ctx context.Context) ([]screens.StaffFingers, error) {
	ops, err := f.t.store.Operators(ctx)
	if err != nil {
		return nil, err
	}
	all, err := f.t.store.Fingerprints(ctx)
	if err != nil {
		return nil, err
	}
	count := map[uint]int{}
	for _, fp := range all {
		if fp.OwnerKind == "operator" {
			count[fp.OwnerID]++
		}
	}
	out := make([]screens.StaffFingers, len(ops))
	for i, op := range ops {
		out[i] = screens.StaffFingers{Operator: op, Fingers: count[op.ID]}
	}
	return out, nil
}

// DemoFingers names the fingers a demo can place (demo mode only).
func (f *fingers) DemoFingers() []string {
	if f.sim == nil {
		return nil
	}
	return demoFingers
}

// PlaceDemo puts a demo finger on the simulated reader.
func (f *fingers) PlaceDemo(name string) {
	if f.sim != nil {
		f.sim.PlaceFinger(name)
	}
}

// demoPlacements places op's simulated finger and returns a progress
// function that lifts it after each reading and places it again once the
// module has seen the sensor empty.
func (f *fingers) demoPlacements(ctx context.Context, finger string, step func(int)) func(int) {
	f.sim.PlaceFinger(finger)
	return func(n int) {
		if step != nil {
			step(n)
		}
		f.sim.LiftFinger()
		seen := f.sim.Commands()
		go func() {
			for f.sim.Commands() < seen+2 && ctx.Err() == nil {
				time.Sleep(5 * time.Millisecond) // the module polls the sensor; wait for it to look
			}
			f.sim.PlaceFinger(finger)
		}()
	}
}
