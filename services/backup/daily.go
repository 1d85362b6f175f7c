package backup

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/till-pos/till/models"
)

// The settings of the daily backup: its folder, its key (sealed with the
// device key, which is kept outside the data folder, so neither the data
// folder nor a backup holds it in clear) and when it last ran.
const (
	SettingDailyDir  = "backup_daily_dir"
	SettingDailyKey  = "backup_daily_key"
	SettingDailyLast = "backup_daily_last"
)

// DailyTag marks the daily backups' file names; KeepDaily of them are kept
// in the folder, the older ones removed.
const (
	DailyTag  = "daily"
	KeepDaily = 7
)

// dailyEvery is how long after the last daily backup the next one is due.
const dailyEvery = 24 * time.Hour

// Daily is the daily backup as set up.
type Daily struct {
	On   bool
	Dir  string
	Last time.Time // zero: never ran
}

// Daily says whether the daily backup is on, where it goes and when it
// last ran.
func (b *Service) Daily(ctx context.Context) (Daily, error) {
	var d Daily
	for _, s := range []struct {
		key string
		v   *string
	}{{SettingDailyDir, &d.Dir}} {
		v, err := b.store.Setting(ctx, s.key, "")
		if err != nil {
			return d, err
		}
		*s.v = v
	}
	sealed, err := b.store.Setting(ctx, SettingDailyKey, "")
	if err != nil {
		return d, err
	}
	d.On = sealed != "" && d.Dir != ""
	last, err := b.store.Setting(ctx, SettingDailyLast, "")
	if err != nil {
		return d, err
	}
	if t, err := time.Parse(time.RFC3339, last); err == nil {
		d.Last = t
	}
	return d, nil
}

// DailyState is Daily for the settings screen.
func (b *Service) DailyState(ctx context.Context) (on bool, dir string, last time.Time, err error) {
	d, err := b.Daily(ctx)
	return d.On, d.Dir, d.Last, err
}

// SetDaily turns the daily backup on into dir, sealed under a key derived
// from passphrase (which opens every backup it makes), for by (the
// close-of-day permission, checked by the store, which audits the change).
// The passphrase itself is kept nowhere.
func (b *Service) SetDaily(ctx context.Context, dir, passphrase string, by models.Operator) error {
	if len(b.deviceKey) == 0 {
		return fmt.Errorf("backup: daily: no device key to keep its key under")
	}
	dir = filepath.Clean(dir)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return &models.Error{Code: models.EINVALID, Key: "error.backup.no_folder",
			Fallback: "{{.Dir}} is not a folder this till can write to", Args: map[string]any{"Dir": dir}, Err: err}
	}
	key, err := DeriveKey(passphrase)
	if err != nil {
		return err
	}
	plain, err := json.Marshal(key)
	if err != nil {
		return err
	}
	sealed, err := models.SealSecret(b.deviceKey, plain, SettingDailyKey)
	if err != nil {
		return err
	}
	return b.store.ChangeSettings(ctx, models.PermDayClose,
		map[string]string{SettingDailyDir: dir, SettingDailyKey: hex.EncodeToString(sealed)}, by)
}

// StopDaily turns the daily backup off and forgets its key, for by (the
// close-of-day permission).
func (b *Service) StopDaily(ctx context.Context, by models.Operator) error {
	return b.store.ChangeSettings(ctx, models.PermDayClose, map[string]string{SettingDailyKey: ""}, by)
}

// dailyKey opens the daily backup's key.
func (b *Service) dailyKey(ctx context.Context) (Key, error) {
	v, err := b.store.Setting(ctx, SettingDailyKey, "")
	if err != nil {
		return Key{}, err
	}
	sealed, err := hex.DecodeString(v)
	if err != nil || v == "" {
		return Key{}, fmt.Errorf("backup: daily key: %w", models.ErrSecretSealed)
	}
	plain, err := models.OpenSecret(b.deviceKey, sealed, SettingDailyKey)
	if err != nil {
		return Key{}, fmt.Errorf("backup: daily key: %w", err)
	}
	var k Key
	if err := json.Unmarshal(plain, &k); err != nil || len(k.Key) != 32 {
		return Key{}, fmt.Errorf("backup: daily key: %w", models.ErrSecretSealed)
	}
	return k, nil
}

// RunDaily makes the daily backup when it is on and due (a day after the
// last one), removes the daily backups beyond KeepDaily in its folder,
// and records it: the time, and an entry in the audit trail. It returns
// the file made, "" when none was due.
func (b *Service) RunDaily(ctx context.Context, now time.Time, progress Progress) (string, error) {
	d, err := b.Daily(ctx)
	if err != nil || !d.On || (!d.Last.IsZero() && now.Sub(d.Last) < dailyEvery) {
		return "", err
	}
	key, err := b.dailyKey(ctx)
	if err != nil {
		return "", err
	}
	shop := ""
	if b.shop != nil {
		shop = b.shop()
	}
	path, err := Backup(ctx, b.store, Options{Dir: d.Dir, Key: &key, Tag: DailyTag, Terminal: b.terminal, Shop: shop,
		Progress: progress, Now: func() time.Time { return now }})
	if err != nil {
		return "", err
	}
	if err := b.store.SetSetting(ctx, SettingDailyLast, now.UTC().Format(time.RFC3339)); err != nil {
		return path, err
	}
	if err := b.store.AuditOverride(ctx, b.terminal, models.Operator{}, "backup", filepath.Base(path),
		fmt.Sprintf("daily dir=%s", d.Dir)); err != nil {
		return path, fmt.Errorf("backup: audit: %w", err)
	}
	return path, b.pruneDaily(d.Dir)
}

// pruneDaily removes this terminal's daily backups in dir beyond the
// newest KeepDaily; backups made on demand are never removed.
func (b *Service) pruneDaily(dir string) error {
	found, err := filepath.Glob(filepath.Join(dir, fmt.Sprintf("till-%s-%s-*%s", b.terminal, DailyTag, Ext)))
	if err != nil {
		return err
	}
	// Their names end in the time, so they sort oldest first.
	sort.Strings(found)
	for len(found) > KeepDaily {
		if !strings.HasSuffix(found[0], Ext) {
			break
		}
		if err := os.Remove(found[0]); err != nil {
			return fmt.Errorf("backup: remove an old daily backup: %w", err)
		}
		found = found[1:]
	}
	return nil
}
