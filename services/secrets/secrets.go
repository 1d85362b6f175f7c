// Package secrets keeps the terminal's device key, which keys the card
// tokens and seals the fingerprint templates, out of the data folder and
// its backups: in the platform's key store where there is one (Windows:
// DPAPI), in a key folder of its own that only its owner may open
// (0700, the key file 0600), never inside the data folder. Each database
// has its own key, named by a random key ID kept in its settings, so one
// key folder serves a shop's database, its demo database and any copy
// without mixing their keys. docs/keys.md says what each platform does and
// why.
package secrets

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// deviceKeySize is the length of a device key.
const deviceKeySize = 32

// settingKeyID is the setting that names a database's device key in the
// key store. It is a random name, not key material.
const settingKeyID = "device_key_id"

// LegacyKeyFile is the file an older Till kept the device key in, beside
// the database. Open moves it into the key store.
const LegacyKeyFile = "device.key"

// KeyStore keeps one database's device key outside its data folder.
type KeyStore interface {
	// DeviceKey returns the key kept: ErrNoKey when there is none.
	DeviceKey() ([]byte, error)
	// Keep keeps key as the device key: ErrKeyExists when one is kept
	// already, which it never overwrites.
	Keep(key []byte) error
	// Where says where the key is kept, for messages and tests.
	Where() string
}

// Errors of a KeyStore.
var (
	ErrNoKey     = errors.New("secrets: no device key kept")
	ErrKeyExists = errors.New("secrets: a device key is kept already")
)

// Settings is where a database keeps the ID of its key; *models.Store is
// one.
type Settings interface {
	Setting(ctx context.Context, key, def string) (string, error)
	// InitSetting stores value unless one is stored, and returns the one
	// stored.
	InitSetting(ctx context.Context, key, value string) (string, error)
}

// Config says where the keys are and what Open may do.
type Config struct {
	// Dir is the key folder; empty: DefaultDir().
	Dir string
	// DataDir is the database's folder: it must not hold the key folder,
	// nor the key folder it.
	DataDir string
	// NewKey makes a new key when the one this database had is lost:
	// its sealed fingerprints and linked cards are then of no more use.
	NewKey bool
}

// Open gives the device key of the database whose settings are st, and the
// key store that keeps it. The first time, it makes the key (or moves an
// older Till's device.key from beside the database into the key store:
// written, read back and compared, then the old file overwritten and
// removed). A key the database had that is missing is an error, unless
// cfg.NewKey. The key folder is made owner-only if it is new, and refused
// if it lies inside the data folder or others may open it.
func Open(ctx context.Context, st Settings, cfg Config) ([]byte, KeyStore, error) {
	dir, err := prepareDir(cfg)
	if err != nil {
		return nil, nil, err
	}
	legacy := filepath.Join(cfg.DataDir, LegacyKeyFile)
	old, err := readLegacy(legacy)
	if err != nil {
		return nil, nil, err
	}
	id, err := st.Setting(ctx, settingKeyID, "")
	if err != nil {
		return nil, nil, fmt.Errorf("secrets: key ID: %w", err)
	}
	var key []byte
	var ks KeyStore
	if id == "" {
		key, ks, err = first(ctx, st, dir, old)
	} else {
		key, ks, err = known(dir, id, old, cfg.NewKey)
	}
	if err != nil {
		return nil, nil, err
	}
	if old != nil {
		if err := shred(legacy); err != nil {
			return nil, nil, errUnusable(legacy, err)
		}
	}
	return key, ks, nil
}

// first keeps the first key of a database that has none yet (an older
// Till's, or a new one), and only then names it in the database: a crash
// in between leaves an unused key file, never a database whose key is
// missing.
func first(ctx context.Context, st Settings, dir string, old []byte) ([]byte, KeyStore, error) {
	id, err := newKeyID()
	if err != nil {
		return nil, nil, err
	}
	ks := platformStore(dir, id)
	key := old
	if key == nil {
		if key, err = newKey(); err != nil {
			return nil, nil, err
		}
	}
	if err := keepChecked(ks, key); err != nil {
		return nil, nil, err
	}
	stored, err := st.InitSetting(ctx, settingKeyID, id)
	if err != nil {
		return nil, nil, fmt.Errorf("secrets: key ID: %w", err)
	}
	if stored == id {
		return key, ks, nil
	}
	// Another till of this database named its key first: that one is it.
	return known(dir, stored, old, false)
}

// known reads the key of a database that has a key ID.
func known(dir, id string, old []byte, renew bool) ([]byte, KeyStore, error) {
	if !validKeyID(id) {
		return nil, nil, errBadID(id)
	}
	ks := platformStore(dir, id)
	key, err := ks.DeviceKey()
	switch {
	case errors.Is(err, ErrNoKey) && old != nil:
		return old, ks, keepChecked(ks, old)
	case errors.Is(err, ErrNoKey) && renew:
		if key, err = newKey(); err != nil {
			return nil, nil, err
		}
		return key, ks, keepChecked(ks, key)
	case errors.Is(err, ErrNoKey):
		return nil, nil, errMissing(dir)
	case err != nil:
		return nil, nil, err
	case old != nil && subtle.ConstantTimeCompare(old, key) != 1:
		return nil, nil, errConflict(ks.Where())
	}
	return key, ks, nil
}

// keepChecked keeps key in ks and reads it back.
func keepChecked(ks KeyStore, key []byte) error {
	if err := ks.Keep(key); err != nil {
		return err
	}
	got, err := ks.DeviceKey()
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return errUnusable(ks.Where(), errors.New("the key read back differs from the key written"))
	}
	return nil
}

func newKey() ([]byte, error) {
	key := make([]byte, deviceKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secrets: new device key: %w", err)
	}
	return key, nil
}

// newKeyID is a random name for a database's key (128 bits, hex).
func newKeyID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("secrets: new key ID: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// validKeyID accepts what newKeyID makes only, so that a key ID read from
// a database never names a file outside the key folder.
func validKeyID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// DefaultDir is the key folder when none is given: till-keys in the user's
// configuration folder (~/.config/till-keys on Linux) or, for a systemd
// service with ConfigurationDirectory=till, keys in it (/etc/till/keys);
// on Windows, till-keys in the user's local application data (the DPAPI
// sealed key files). Demo mode uses the same folder: its databases have
// keys of their own there, as every database does, and a database seeded
// in demo mode and then run without it (the same default database) finds
// its key.
func DefaultDir() (string, error) {
	dir, err := baseDir()
	if err != nil {
		return "", errUnusable("", fmt.Errorf("no folder for the keys: %w", err))
	}
	return dir, nil
}

// prepareDir chooses the key folder, refuses one inside the data folder (or
// holding it), makes it owner-only if it is new and refuses it if others
// may open it.
func prepareDir(cfg Config) (string, error) {
	dir := cfg.Dir
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return "", err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", errUnusable(dir, err)
	}
	data, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return "", errUnusable(cfg.DataDir, err)
	}
	// As written, and with links followed: a link must not lead the keys
	// into the data folder. Checked before the folder is made.
	if overlap(dir, data) || overlap(resolve(dir), resolve(data)) {
		return "", errInDataFolder(dir, data)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", errUnusable(dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", errUnusable(dir, err)
	}
	if !fi.IsDir() {
		return "", errUnusable(dir, errors.New("not a folder"))
	}
	if err := checkPrivate(dir, fi); err != nil {
		return "", err
	}
	return dir, nil
}

// resolve follows the links in path as far as it exists; the rest, not
// there yet, is joined as it is.
func resolve(path string) string {
	rest := ""
	for p := path; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		if filepath.Dir(p) == p {
			return path
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// overlap reports whether a and b are the same folder or one holds the
// other.
func overlap(a, b string) bool { return within(a, b) || within(b, a) }

// within reports whether path is dir or lies beneath it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !filepath.IsAbs(rel) && !startsWithDotDot(rel))
}

func startsWithDotDot(rel string) bool {
	return len(rel) >= 3 && rel[:2] == ".." && os.IsPathSeparator(rel[2])
}
