package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Training mode: staff practise every flow on the shop's own till, against
// a database of its own (DatabaseTraining) in which nothing is counted.
// The training database is made afresh from the shop's each time training
// starts, so that it sells today's catalog and signs in today's staff, and
// the practice of the last session is gone.

// TrainingPath is the training database of the shop whose database is at
// shopPath: training/training.db beside it.
func TrainingPath(shopPath string) string {
	return filepath.Join(filepath.Dir(shopPath), "training", "training.db")
}

// trainingSettings are the shop's settings a training database gets: what
// the shop shows and prints, how it sells, who may do what, and the
// devices it uses (the keys of the printing and ports services' settings
// as they name them). Never the acquirer's address, IDs, keys or CA, the
// QR merchant account, the device key's name or the backup folder.
var trainingSettings = []string{
	SettingStoreName, SettingLanguage, SettingTerminalID, SettingTaxMode, SettingCurrency,
	SettingShopAddress, SettingTaxNumber, SettingMerchantNameLatin, SettingMerchantCity, SettingMerchantCityLatin,
	SettingDiscountLimit, SettingAutoLock, SettingAllowBelowZero, SettingScanGap, SettingScanSuffix,
	SettingPermissions, SettingSetupDone,
	"receipt_header", "receipt_footer", "receipt_logo",
	"printer_url", "printer_paper", "printer_qr", "printer_cut", "printer_chinese",
	"scanner_port", "scanner_baud", "fingerprint_port", "fingerprint_baud",
}

// Audit actions of training, in the shop's audit trail.
const (
	AuditTrainingStart = "training_start"
	AuditTrainingEnd   = "training_end"
)

// trainingCopy is what a training database is made from.
type trainingCopy struct {
	categories []Category
	products   []Product
	barcodes   []Barcode
	operators  []Operator
	codes      []StaffCode
	fingers    []Fingerprint
	settings   []Setting
}

// DatabaseMode is whose database this is (DatabaseShop, DatabaseDemo,
// DatabaseTraining), or "" while unclaimed.
func (s *Store) DatabaseMode(ctx context.Context) (string, error) {
	var mode string
	err := s.read(ctx, func(db *gorm.DB) error {
		var err error
		mode, err = databaseMode(db)
		return err
	})
	return mode, err
}

// StartTraining makes the training database at path afresh from this
// store, the shop's, for by, who must be allowed PermTraining under the
// shop's matrix, and records the start in the shop's audit trail. The
// training database gets the catalog (categories, products with their
// stock, barcodes), the staff with their hashed codes and enrolled
// fingers, and trainingSettings; never an order, payment, member, host
// request, outbox entry, key or secret. The caller closes the store
// returned when training ends (EndTraining).
func (s *Store) StartTraining(ctx context.Context, by Operator, terminalID, path string) (*Store, error) {
	var src trainingCopy
	err := s.read(ctx, func(db *gorm.DB) error {
		mode, err := databaseMode(db)
		if err != nil {
			return err
		}
		if err := CheckDatabaseMode(mode, DatabaseShop); err != nil {
			return err
		}
		if _, err := allowedIn(db, by, PermTraining); err != nil {
			return err
		}
		return readTrainingCopy(db, &src)
	})
	if err != nil {
		return nil, err
	}
	if filepath.Clean(path) == filepath.Clean(s.path) {
		return nil, CheckDatabaseMode(DatabaseShop, DatabaseTraining)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, ErrNoDataFolder(filepath.Dir(path), err)
	}
	if err := removeTraining(ctx, path); err != nil {
		return nil, err
	}
	t, err := Open(path)
	if err != nil {
		return nil, err
	}
	if err := t.ClaimDatabase(ctx, DatabaseTraining); err != nil {
		t.Close()
		return nil, err
	}
	if err := t.write(ctx, func(tx *gorm.DB) error { return writeTrainingCopy(tx, &src) }); err != nil {
		t.Close()
		return nil, dbError(path, fmt.Errorf("store: training copy: %w", err))
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		now, err := allowedIn(tx, by, PermTraining)
		if err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: now.ID,
			Action: AuditTrainingStart, Subject: filepath.Base(path), Detail: now.Name}).Error
	})
	if err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// EndTraining records in the shop's audit trail (this store) that by, who
// must be allowed PermTraining under the shop's matrix as it is now,
// ended training.
func (s *Store) EndTraining(ctx context.Context, by Operator, terminalID string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		mode, err := databaseMode(tx)
		if err != nil {
			return err
		}
		if err := CheckDatabaseMode(mode, DatabaseShop); err != nil {
			return err
		}
		now, err := allowedIn(tx, by, PermTraining)
		if err != nil {
			return err
		}
		return tx.Create(&AuditEntry{At: time.Now(), TerminalID: terminalID, OperatorID: now.ID,
			Action: AuditTrainingEnd, Subject: "training", Detail: now.Name}).Error
	})
}

// removeTraining removes the training database at path before it is made
// again, refusing a file that is not a training database's (a shop's
// database put there by mistake is never removed).
func removeTraining(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	old, err := Open(path)
	if err != nil {
		return err
	}
	mode, err := old.DatabaseMode(ctx)
	old.Close()
	if err != nil {
		return err
	}
	if err := CheckDatabaseMode(mode, DatabaseTraining); err != nil {
		return err
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return dbError(path, fmt.Errorf("remove old training database: %w", err))
		}
	}
	return nil
}

func readTrainingCopy(db *gorm.DB, c *trainingCopy) error {
	for _, q := range []struct {
		what string
		run  func() error
	}{
		{"categories", func() error { return db.Order("id").Find(&c.categories).Error }},
		{"products", func() error { return db.Order("id").Find(&c.products).Error }},
		{"barcodes", func() error { return db.Order("code").Find(&c.barcodes).Error }},
		{"operators", func() error { return db.Order("id").Find(&c.operators).Error }},
		{"staff codes", func() error { return db.Order("operator_id").Find(&c.codes).Error }},
		{"fingers", func() error { return db.Where("owner_kind = ?", "operator").Order("id").Find(&c.fingers).Error }},
		{"settings", func() error { return db.Where("key IN ?", trainingSettings).Find(&c.settings).Error }},
	} {
		if err := q.run(); err != nil {
			return fmt.Errorf("store: training copy: %s: %w", q.what, err)
		}
	}
	return nil
}

// writeTrainingCopy inserts c into a new training database, every field as
// it is (Select("*"): a product or person not active stays so, where gorm
// would otherwise put the column's default in place of false).
func writeTrainingCopy(tx *gorm.DB, c *trainingCopy) error {
	insert := func(rows any, n int) error {
		if n == 0 {
			return nil
		}
		return tx.Select("*").Omit(clause.Associations).CreateInBatches(rows, 200).Error
	}
	for _, step := range []func() error{
		func() error { return insert(&c.categories, len(c.categories)) },
		func() error { return insert(&c.products, len(c.products)) },
		func() error { return insert(&c.barcodes, len(c.barcodes)) },
		func() error { return insert(&c.operators, len(c.operators)) },
		func() error { return insert(&c.codes, len(c.codes)) },
		func() error { return insert(&c.fingers, len(c.fingers)) },
		func() error {
			if len(c.settings) == 0 {
				return nil
			}
			return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&c.settings).Error
		},
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
