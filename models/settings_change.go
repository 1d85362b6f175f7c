package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ChangeSettings stores values, a change of the settings that p covers
// (PermSettingsShop, PermSettingsPayments, PermSettingsDevices or
// PermSettingsSelling) made by by. Once the first-run setup has ended, by
// must be allowed p by the shop's matrix, read in the same transaction;
// while it runs nobody is signed in yet, and the setup itself makes the
// change (by is then the zero Operator). The change is audited by the names
// of the settings changed, never their values: a key or a secret may be
// among them. All the values are stored, or none.
func (s *Store) ChangeSettings(ctx context.Context, p Permission, values map[string]string, by Operator) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	err := s.write(ctx, func(tx *gorm.DB) error {
		inSetup, err := setupRunning(tx)
		if err != nil {
			return err
		}
		if !inSetup || by.ID != 0 {
			if _, err := allowedIn(tx, by, p); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Setting{Key: k, Value: values[k]}).Error; err != nil {
				return err
			}
		}
		var tid Setting
		if err := tx.Where("key = ?", SettingTerminalID).Limit(1).Find(&tid).Error; err != nil {
			return err
		}
		if tid.Value == "" {
			tid.Value = DefaultTerminalID
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: tid.Value, OperatorID: by.ID,
			Action: "settings", Subject: string(p), Detail: truncateUTF8(strings.Join(keys, ","), 512)}).Error
	})
	if err != nil {
		if IsDenied(err) {
			return err
		}
		return dbError(s.path, fmt.Errorf("store: change settings: %w", err))
	}
	return nil
}

// setupRunning reports whether the first-run setup has not ended yet.
func setupRunning(tx *gorm.DB) (bool, error) {
	var st Setting
	err := tx.Where("key = ?", SettingSetupDone).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return st.Value == "", nil
}
