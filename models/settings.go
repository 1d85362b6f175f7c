package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting keys Till uses.
const (
	SettingLanguage   = "language"    // "zh" or "en"
	SettingStoreName  = "store_name"  // shown on receipts
	SettingTerminalID = "terminal_id" // prefix of order numbers; DefaultTerminalID unless set
	SettingTaxMode    = "tax_mode"    // "inclusive" or "exclusive"
	SettingCurrency   = "currency"    // ISO 4217
	// SettingDiscountLimit is the largest discount a cashier or waiter may
	// give without a manager, in basis points of what it is taken from
	// (1000 = 10%; 0: none).
	SettingDiscountLimit = "cashier_discount_limit"
	SettingAutoLock      = "auto_lock" // idle minutes before the till locks; 0 never
	// SettingScanGap is the longest pause, in milliseconds, between two keys
	// a keyboard-wedge scanner types for one barcode.
	SettingScanGap = "scan_gap_ms"
	// SettingScanSuffix is the key that ends a keyboard-wedge scan: "enter"
	// or "tab".
	SettingScanSuffix = "scan_suffix"
	// SettingMerchantCity is the shop's city in Chinese, shown with the
	// store name in the language template of its QR codes.
	SettingMerchantCity = "merchant_city"
	// SettingMerchantNameLatin and SettingMerchantCityLatin are the shop's
	// name and city in Latin letters (pinyin or English) for QR codes;
	// empty: made from the Chinese in pinyin.
	SettingMerchantNameLatin = "merchant_name_latin"
	// The shop's merchant account for its dynamic QR codes, as the
	// acquirer gave them: the account template's GUID (the acquirer's AID
	// or reverse domain), the merchant ID, and the merchant category code.
	SettingQRGUID            = "qr_merchant_guid"
	SettingQRMerchantID      = "qr_merchant_id"
	SettingQRMCC             = "qr_mcc"
	SettingMerchantCityLatin = "merchant_city_latin"
	// SettingAllowBelowZero is whether more of a product may be sold than
	// is in stock ("true", with a warning: the default) or not ("false").
	SettingAllowBelowZero = "allow_below_zero_stock"
)

// DefaultTerminalID is the terminal's ID until one is set.
const DefaultTerminalID = "T01"

// Setting returns the stored value of key, or def when none is stored.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	var st Setting
	err := s.read(ctx, func(db *gorm.DB) error { return db.Where("key = ?", key).First(&st).Error })
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return def, nil
	}
	if err != nil {
		return def, fmt.Errorf("store: setting %s: %w", key, err)
	}
	return st.Value, nil
}

// SetSetting stores value under key.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Setting{Key: key, Value: value}).Error
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: set %s: %w", key, err))
	}
	return nil
}

// InitSetting stores value under key unless a value is stored already,
// and returns the value stored: the first writer wins.
func (s *Store) InitSetting(ctx context.Context, key, value string) (string, error) {
	var st Setting
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Setting{Key: key, Value: value}).Error; err != nil {
			return err
		}
		return tx.Where("key = ?", key).First(&st).Error
	})
	if err != nil {
		return "", dbError(s.path, fmt.Errorf("store: init %s: %w", key, err))
	}
	return st.Value, nil
}

// OperatorByID returns an operator.
func (s *Store) OperatorByID(ctx context.Context, id uint) (Operator, error) {
	var op Operator
	err := s.read(ctx, func(db *gorm.DB) error { return db.First(&op, id).Error })
	if err != nil {
		return Operator{}, notFoundAs(err, msgNoOperator)
	}
	return op, nil
}

// Operators lists the active operators, by name.
func (s *Store) Operators(ctx context.Context) ([]Operator, error) {
	var out []Operator
	err := s.read(ctx, func(db *gorm.DB) error { return db.Where("active = ?", true).Order("name").Find(&out).Error })
	if err != nil {
		return nil, fmt.Errorf("store: operators: %w", err)
	}
	return out, nil
}

// SetSettings stores several settings in one transaction: all or none.
func (s *Store) SetSettings(ctx context.Context, values map[string]string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		for k, v := range values {
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Setting{Key: k, Value: v}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return dbError(s.path, fmt.Errorf("store: set settings: %w", err))
	}
	return nil
}
