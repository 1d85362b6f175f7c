package update

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/till-pos/till/models"
)

// Installer is the update channel as the till uses it: the channel the
// owner sets, a check that remembers the offer for the close of day, and
// the install itself, which the store and this service check again
// whatever the screen showed.
type Installer struct {
	Store      *models.Store
	TerminalID string
	Current    string // the running version (main.version)
	// Target is the binary an install replaces; "": the running one
	// (os.Executable).
	Target string
	// Client fetches the channel; nil: a client with a timeout.
	Client *http.Client
	// SaleInProgress reports whether a sale is under way on this till (an
	// order in the cart); nil: only the orders stored awaiting payment
	// count.
	SaleInProgress func() bool

	mu        sync.Mutex
	offer     *Offer // the last check's offer, nil when none
	installed string // the version installed, waiting for a restart
}

// Version is the running version.
func (i *Installer) Version() string { return i.Current }

// Channel is the stored channel's URL and its key's fingerprint ("" for
// each when unset; "?" for a stored key that is not one).
func (i *Installer) Channel(ctx context.Context) (u, fingerprint string, err error) {
	u, k, err := i.Store.UpdateChannel(ctx)
	if err != nil {
		return "", "", err
	}
	if k != "" {
		fingerprint = "?"
		if pub, err := models.ParseUpdateKey(k); err == nil {
			fingerprint = models.KeyFingerprint(pub)
		}
	}
	return u, fingerprint, nil
}

// SetChannel stores the channel's URL and key (base64) for by, who must be
// an owner (the store checks, and audits); the offer of the channel
// before is forgotten.
func (i *Installer) SetChannel(ctx context.Context, u, key string, by models.Operator) error {
	if err := i.Store.SetUpdateChannel(ctx, u, key, by, i.TerminalID); err != nil {
		return err
	}
	i.mu.Lock()
	i.offer = nil
	i.mu.Unlock()
	return nil
}

// checker is the Checker of the stored channel.
func (i *Installer) checker(ctx context.Context) (*Checker, error) {
	c, err := FromSettings(ctx, i.Store, i.Current)
	if err != nil {
		return nil, err
	}
	c.Client = i.Client
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 5 * time.Minute}
	}
	return c, nil
}

// Check asks the channel for a newer version and remembers the answer for
// the close of day: the offer, or none on any refusal (ErrNoUpdate when
// up to date).
func (i *Installer) Check(ctx context.Context) (Offer, error) {
	c, err := i.checker(ctx)
	var o Offer
	if err == nil {
		o, err = c.Check(ctx)
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if err != nil {
		if ctx.Err() == nil {
			i.offer = nil
		}
		return Offer{}, err
	}
	if i.installed != "" && i.installed == o.Version {
		// Put in place already: it runs from the next start.
		i.offer = nil
		return Offer{}, refuse(ErrNoUpdate, msgRestart, map[string]any{"Version": o.Version}, nil)
	}
	i.offer = &o
	return o, nil
}

// CheckNow is Check as a screen reads it: the version offered and its
// notes in the language l ("zh" or "en").
func (i *Installer) CheckNow(ctx context.Context, l string) (version, notes string, err error) {
	o, err := i.Check(ctx)
	if err != nil {
		return "", "", err
	}
	return o.Version, o.Note(noteLang(l)), nil
}

// Offered is the version the last check offered and its notes in the
// language l; ok is false when none is.
func (i *Installer) Offered(l string) (version, notes string, ok bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.offer == nil {
		return "", "", false
	}
	return i.offer.Version, i.offer.Note(noteLang(l)), true
}

// Installed is the version installed since the start, waiting for Till to
// restart; "" when none.
func (i *Installer) Installed() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.installed
}

// noteLang is the manifest's language of the UI's l.
func noteLang(l string) string {
	if l == "zh" {
		return "zh-CN"
	}
	return l
}

// DayClosed reports whether this till's day is closed, when an update may
// be installed.
func (i *Installer) DayClosed(ctx context.Context) (bool, error) {
	return i.Store.DayClosed(ctx, i.TerminalID)
}

// ready is ReadyToInstall now: no order in the cart nor stored awaiting
// payment on this till, and the day closed.
func (i *Installer) ready(ctx context.Context) error {
	st, err := i.Store.DayStatus(ctx, i.TerminalID)
	if err != nil {
		return err
	}
	sale := st.OpenCount > 0 || (i.SaleInProgress != nil && i.SaleInProgress())
	closed, err := i.DayClosed(ctx)
	if err != nil {
		return err
	}
	return ReadyToInstall(sale, closed)
}

// target is the binary to replace.
func (i *Installer) target() (string, error) {
	if i.Target != "" {
		return i.Target, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", refuse(ErrApply, text{Key: "error.update.no_target", Fallback: "Till cannot find its own program file"}, nil, err)
	}
	if p, err := filepath.EvalSymlinks(exe); err == nil {
		exe = p
	}
	return exe, nil
}

// Install downloads the offered version (which must be the one the last
// check offered), telling progress, and puts it in place of the running
// binary, for by. by must hold PermSettingsShop (the store checks, and
// audits the install with both versions); the day must be closed and no
// sale under way, both checked before the download and again before the
// binary is replaced. Cancelling ctx stops the download and leaves
// nothing. The new version runs from the next start.
func (i *Installer) Install(ctx context.Context, version string, by models.Operator, progress func(done, total int64)) error {
	if err := i.Store.MayInstallUpdate(ctx, by); err != nil {
		return err
	}
	i.mu.Lock()
	o := i.offer
	i.mu.Unlock()
	if o == nil || o.Version != version {
		return refuse(ErrConfig, text{Key: "error.update.not_offered",
			Fallback: "Version {{.Version}} is not offered any more: check again"}, map[string]any{"Version": version}, nil)
	}
	if err := i.ready(ctx); err != nil {
		return err
	}
	target, err := i.target()
	if err != nil {
		return err
	}
	c, err := i.checker(ctx)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(filepath.Dir(target), ".till-update-")
	if err != nil {
		return refuse(ErrApply, msgWrite, map[string]any{"Dir": filepath.Dir(target)}, err)
	}
	defer os.RemoveAll(dir)
	pkg, err := c.Download(ctx, *o, dir, progress)
	if err != nil {
		return err
	}
	if err := i.ready(ctx); err != nil { // a sale may have begun meanwhile
		return err
	}
	if err := Apply(pkg, target); err != nil {
		return err
	}
	if err := i.Store.AuditUpdateInstall(ctx, i.Current, o.Version, by, i.TerminalID); err != nil {
		// Not audited, not installed.
		if rerr := Rollback(target); rerr != nil {
			return fmt.Errorf("update: %w; and rolling back: %w", err, rerr)
		}
		return err
	}
	i.mu.Lock()
	i.offer, i.installed = nil, o.Version
	i.mu.Unlock()
	return nil
}

// msgRestart: an update is in place and runs from the next start.
var msgRestart = text{Key: "update.restart", Fallback: "Version {{.Version}} is installed: restart Till to finish"}
