package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/till-pos/till/models"
)

// SettingDir is the folder the last backup went to.
const SettingDir = "backup_dir"

// Service makes the backups a manager asks for on the terminal.
type Service struct {
	store    *models.Store
	terminal string
	shop     func() string // the shop's name as the header names it
	// deviceKey seals the daily backup's key; nil: no daily backup.
	deviceKey []byte
}

// NewService backs up s, the database of terminal terminal; deviceKey
// (kept outside the data folder) seals the daily backup's key.
func NewService(s *models.Store, terminal string, shop func() string, deviceKey []byte) *Service {
	return &Service{store: s, terminal: terminal, shop: shop, deviceKey: deviceKey}
}

// Dir is the folder the last backup went to, else the user's home.
func (b *Service) Dir(ctx context.Context) string {
	home, _ := os.UserHomeDir()
	dir, err := b.store.Setting(ctx, SettingDir, home)
	if err != nil || dir == "" {
		return home
	}
	return dir
}

// Backup backs the database up into dir, for by (the close-of-day
// permission, checked by the store before anything is read), remembers
// dir, and records the backup in the audit trail. It returns the file.
func (b *Service) Backup(ctx context.Context, dir, passphrase string, by models.Operator, progress func(step string, done, total int64)) (string, error) {
	if err := b.store.Allowed(ctx, by, models.PermDayClose); err != nil {
		return "", err
	}
	dir = filepath.Clean(dir)
	shop := ""
	if b.shop != nil {
		shop = b.shop()
	}
	path, err := Backup(ctx, b.store, Options{Dir: dir, Passphrase: passphrase, Terminal: b.terminal, Shop: shop, Progress: progress})
	if err != nil {
		return "", err
	}
	if err := b.store.ChangeSettings(ctx, models.PermDayClose, map[string]string{SettingDir: dir}, by); err != nil {
		return path, err
	}
	if err := b.store.AuditOverride(ctx, b.terminal, by, "backup", filepath.Base(path), fmt.Sprintf("dir=%s", dir)); err != nil {
		return path, fmt.Errorf("backup: audit: %w", err)
	}
	return path, nil
}
