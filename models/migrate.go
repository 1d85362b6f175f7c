package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// schemaMigration records that a numbered migration ran.
type schemaMigration struct {
	Version   int `gorm:"primaryKey"`
	AppliedAt time.Time
}

// migration is one step of the schema's history. Steps are never edited
// once shipped: a change is a new step.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

// vacuumAfter lists the steps after which an SQLite file is rewritten
// (VACUUM), so that what they changed or removed leaves no copy in the
// file's free space.
var vacuumAfter = map[int]bool{10: true, 12: true}

var migrations = []migration{
	{1, "initial schema", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Category{}, &Product{}, &Barcode{}, &Operator{}, &Setting{},
			&Order{}, &OrderLine{}, &Payment{}, &OutboxEntry{}, &AuditEntry{}, &AuditHead{}, &Sequence{}, &HeldOrder{})
	}},
	{2, "journal of requests to the acquirer", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&HostRequest{})
	}},
	{3, "payments under way, voids and refunds", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Order{}, &Payment{})
	}},
	{4, "card details of a payment; QR payments awaiting the customer", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Payment{}, &HostRequest{})
	}},
	{5, "enrolled fingerprints, sealed", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Fingerprint{})
	}},
	{6, "members: stored-value balances and linked cards", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Member{}, &MemberEntry{}, &Order{}, &Payment{})
	}},
	{7, "the wallet a QR payment was paid with, as the host says", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&HostRequest{})
	}},
	{8, "a member payment's masked member and balance left, for its receipt", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Payment{})
	}},
	{9, "products whose stock is not tracked", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Product{})
	}},
	{10, "card payments keep the last four digits only, never the first six beside the token", remaskCardNumbers},
	{11, "staff codes kept as slow hashes, never in clear; failed tries counted", hashStaffCodes},
	{12, "outbox entries quarantined; an offline approval's card data sealed until advised; the clear MAC key removed",
		quarantineSealAndDropMACKey},
	{13, "the CA public key table for offline data authentication; a card payment's ODA outcome and TVR", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&CAPublicKey{}, &RevokedIssuer{}, &Payment{})
	}},
	{14, "a card payment's electronic signature, kept with its upload to the acquirer", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&PaymentSignature{})
	}},
	{15, "the audit trail chained by hashes and append-only", chainAudit},
	{16, "payments found by when they were taken, for the takings", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Payment{})
	}},
	{22, "orders found by day and by amount, card payments by their last four digits, through indexes", indexHistory},
	{23, "orders found by when they were paid, for the reports", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Order{})
	}},
	{24, "owners' authenticators for one-time codes, their secrets sealed", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&OTPSecret{})
	}},
	{25, "shifts, running totals of shifts and days, cash moves, Z reports append-only", migrateShifts},
	{26, "members' balance moves found by when they were made, for the members' report", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&MemberEntry{})
	}},
	{27, "each whole day's report kept, so that a report of many days reads a row a day", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&ReportDay{})
	}},
}

// indexHistory adds the indexes that keep the transaction query's cost
// independent of the history's length, and fills a card payment's last
// four digits from its masked number.
func indexHistory(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&Order{}, &Payment{}); err != nil {
		return err
	}
	var rows []Payment
	return tx.Model(&Payment{}).Select("id", "masked_pan").
		Where("tender = ? AND masked_pan <> '' AND last_four = ''", TenderCard).
		FindInBatches(&rows, 1000, func(*gorm.DB, int) error {
			for _, p := range rows {
				last := CardLastFour(p.MaskedPAN)
				if last == "" {
					continue
				}
				if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Update("last_four", last).Error; err != nil {
					return fmt.Errorf("payment %d: %w", p.ID, err)
				}
			}
			return nil
		}).Error
}

// settingClearMACKey is the setting that kept the acquirer's MAC key in
// clear, before the master key was kept sealed (SettingMasterKey).
const settingClearMACKey = "acquirer_mac_key"

// quarantineSealAndDropMACKey adds the outbox's quarantine and the journal's
// sealed card data, and deletes the MAC key kept in clear; the file is
// rewritten after (vacuumAfter), so that the key leaves no copy in it.
func quarantineSealAndDropMACKey(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&OutboxEntry{}, &HostRequest{}); err != nil {
		return err
	}
	if err := tx.Where("key = ?", settingClearMACKey).Delete(&Setting{}).Error; err != nil {
		return fmt.Errorf("delete the clear MAC key: %w", err)
	}
	return nil
}

// remaskCardNumbers rewrites every card payment's masked number
// ("621234******1232") to its last four digits ("**** **** **** 1232"), in
// batches, so that no first six lie beside a card token.
func remaskCardNumbers(tx *gorm.DB) error {
	// A database whose payments already have their last four digits apart
	// (indexHistory) keeps them beside the new mask.
	withLastFour := tx.Migrator().HasColumn(&Payment{}, "last_four")
	var rows []Payment
	return tx.Model(&Payment{}).Select("id", "masked_pan").
		Where("tender = ? AND masked_pan <> ''", TenderCard).
		FindInBatches(&rows, 500, func(batch *gorm.DB, _ int) error {
			for _, p := range rows {
				masked := RemaskCardNumber(p.MaskedPAN)
				if masked == p.MaskedPAN {
					continue
				}
				set := map[string]any{"masked_pan": masked}
				if withLastFour {
					set["last_four"] = CardLastFour(masked)
				}
				if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Updates(set).Error; err != nil {
					return fmt.Errorf("payment %d: %w", p.ID, err)
				}
			}
			return nil
		}).Error
}

// hashStaffCodes moves every operator's code, kept in clear before, to a
// hash in StaffCode, then overwrites and drops the clear column (and its
// unique index); it makes the table of failed tries. On SQLite the
// overwritten pages are zeroed (secure_delete) so the codes do not linger
// in the file; the write-ahead log is truncated once the migrations ran.
func hashStaffCodes(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&StaffCode{}, &Lockout{}); err != nil {
		return err
	}
	m := tx.Migrator()
	if !m.HasColumn(&Operator{}, "code") {
		return nil // a database made after codes were hashed
	}
	if tx.Dialector.Name() == "sqlite" {
		var was int
		if err := tx.Raw("PRAGMA secure_delete").Scan(&was).Error; err != nil {
			return fmt.Errorf("secure delete: %w", err)
		}
		// A PRAGMA that sets answers with a row: read it, so that no
		// statement is left running.
		var now int
		if err := tx.Raw("PRAGMA secure_delete = ON").Scan(&now).Error; err != nil {
			return fmt.Errorf("secure delete: %w", err)
		}
		defer tx.Raw(fmt.Sprintf("PRAGMA secure_delete = %d", was)).Scan(&now)
	}
	var rows []struct {
		ID   uint
		Code string
	}
	if err := tx.Table("operators").Select("id, code").Find(&rows).Error; err != nil {
		return fmt.Errorf("read codes: %w", err)
	}
	at := time.Now()
	for _, r := range rows {
		if r.Code == "" {
			continue
		}
		hash, err := HashStaffCode(r.Code)
		if err != nil {
			return err
		}
		if err := tx.Create(&StaffCode{OperatorID: r.ID, Hash: hash, SetAt: at}).Error; err != nil {
			return fmt.Errorf("operator %d: %w", r.ID, err)
		}
	}
	if m.HasIndex(&Operator{}, "idx_operators_code") {
		if err := m.DropIndex(&Operator{}, "idx_operators_code"); err != nil {
			return fmt.Errorf("drop the codes' index: %w", err)
		}
	}
	// Overwritten first, so that no copy of a code is left behind the drop.
	if err := tx.Table("operators").Where("1 = 1").Update("code", "").Error; err != nil {
		return fmt.Errorf("clear codes: %w", err)
	}
	if err := m.DropColumn(&Operator{}, "code"); err != nil {
		return fmt.Errorf("drop the codes' column: %w", err)
	}
	return nil
}

// SchemaVersion is the newest migration this build knows.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate runs, each in its own transaction, the migrations not yet applied.
func (s *Store) migrate() error {
	if err := s.db.AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var applied []int
	if err := s.db.Model(&schemaMigration{}).Pluck("version", &applied).Error; err != nil {
		return fmt.Errorf("migrate: read versions: %w", err)
	}
	done := map[int]bool{}
	newest := 0
	for _, v := range applied {
		done[v] = true
		newest = max(newest, v)
	}
	if newest > SchemaVersion() {
		return &Error{Code: EDATABASE, Key: "error.db.too_new",
			Fallback: "The database was written by a newer Till (schema {{.Version}}); update Till",
			Args:     map[string]any{"Version": newest}}
	}
	vacuum, ran := false, false
	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		vacuum = vacuum || vacuumAfter[m.version]
		ran = true
		err := s.db.Transaction(func(tx *gorm.DB) error {
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{Version: m.version, AppliedAt: time.Now()}).Error
		})
		if err != nil {
			return fmt.Errorf("migrate %d (%s): %w", m.version, m.name, err)
		}
	}
	if vacuum && s.db.Dialector.Name() == "sqlite" {
		if err := s.db.Exec("VACUUM").Error; err != nil {
			return fmt.Errorf("migrate: vacuum: %w", err)
		}
	}
	if ran && s.db.Dialector.Name() == "sqlite" {
		// What the migrations overwrote is gone from the log too.
		var res struct{ Busy, Log, Checkpointed int }
		if err := s.db.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&res).Error; err != nil {
			return fmt.Errorf("migrate: checkpoint: %w", err)
		}
	}
	return nil
}
