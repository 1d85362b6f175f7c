package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// A database is a shop's, a demo's or a training one, for good: demo data
// (the demo staff, members, merchant and keys) never reaches a shop's
// database, a shop's till never starts on a demo's, and what staff do in
// training (a training database: nothing in it is counted) never reaches
// the shop's database, nor the shop's sales a training one.
const (
	// SettingDatabaseMode records whose database it is: DatabaseShop,
	// DatabaseDemo or DatabaseTraining. It is written once, when the
	// database is first claimed.
	SettingDatabaseMode = "database_mode"
	DatabaseShop        = "shop"
	DatabaseDemo        = "demo"
	DatabaseTraining    = "training"
)

// demoStoreName is the store name the demo seeds; a database from before
// SettingDatabaseMode that has it is a demo's.
const demoStoreName = "收银台示范店"

// CheckDatabaseMode is the rule: a till started for mode (DatabaseShop,
// DatabaseDemo or DatabaseTraining) may use a database recorded as stored;
// "" is a database not yet claimed, which any may use.
func CheckDatabaseMode(stored, mode string) error {
	switch {
	case stored == "" || stored == mode:
		return nil
	case stored == DatabaseTraining:
		return &Error{Code: ECONFLICT, Key: "error.db.is_training",
			Fallback: "This is a training database: nothing in it counts, and a shop's till or the demo never starts on it"}
	case mode == DatabaseTraining:
		return &Error{Code: ECONFLICT, Key: "error.db.not_training",
			Fallback: "This database is not a training one: training never writes to a shop's or a demo's database"}
	case stored == DatabaseDemo:
		return &Error{Code: ECONFLICT, Key: "error.db.is_demo",
			Fallback: "This database holds demo data: a shop's till does not start on it. Start without -db to use the shop's own database"}
	default:
		return &Error{Code: ECONFLICT, Key: "error.db.is_shop",
			Fallback: "This is a shop's database: demo mode never writes to it. Start the demo without -db to use its own database"}
	}
}

// ClaimDatabase records the database as mode's (DatabaseShop, DatabaseDemo
// or DatabaseTraining) the first time, and refuses, before anything is written,
// a database that is the other's. A database from before the mode was
// recorded is a demo's when it holds the demo's store, else a shop's when
// it holds any sale or staff, else unclaimed.
func (s *Store) ClaimDatabase(ctx context.Context, mode string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		stored, err := databaseMode(tx)
		if err != nil {
			return err
		}
		if err := CheckDatabaseMode(stored, mode); err != nil {
			return err
		}
		if stored != "" {
			return nil
		}
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Setting{Key: SettingDatabaseMode, Value: mode}).Error
	})
}

// databaseMode reads whose database it is, deciding for one from before
// the mode was recorded.
func databaseMode(tx *gorm.DB) (string, error) {
	var st Setting
	err := tx.Where("key = ?", SettingDatabaseMode).First(&st).Error
	if err == nil {
		return st.Value, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fmt.Errorf("store: database mode: %w", err)
	}
	var name Setting
	if err := tx.Where("key = ? AND value = ?", SettingStoreName, demoStoreName).Limit(1).Find(&name).Error; err != nil {
		return "", fmt.Errorf("store: database mode: %w", err)
	}
	if name.Key != "" {
		return DatabaseDemo, nil
	}
	var orders, staff int64
	if err := tx.Model(&Order{}).Count(&orders).Error; err != nil {
		return "", fmt.Errorf("store: database mode: %w", err)
	}
	if err := tx.Model(&Operator{}).Count(&staff).Error; err != nil {
		return "", fmt.Errorf("store: database mode: %w", err)
	}
	if orders+staff > 0 {
		return DatabaseShop, nil
	}
	return "", nil
}
