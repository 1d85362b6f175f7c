package backup_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/backup"
	"github.com/till-pos/till/services/demo"
)

const pass = "correct horse battery"

// shop is a store with n cash sales at T01; it returns the store and its
// orders as stored.
func shop(t *testing.T, n int) (*models.Store, []models.Order) {
	t.Helper()
	s := storetest.Open(t)
	ctx := context.Background()
	op, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		o := models.NewOrder(models.CNY, models.TaxInclusive)
		if _, err := o.AddProduct(*p, models.Units(int64(i%5+1))); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitSale(ctx, o, []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved,
			Amount: o.Total, Tendered: o.Total}}, models.SaleContext{TerminalID: "T01", Operator: op}); err != nil {
			t.Fatal(err)
		}
	}
	orders, err := s.OrdersBetween(ctx, "T01", time.Time{}, time.Now().Add(time.Hour))
	if err != nil || len(orders) != n {
		t.Fatalf("orders: %d %v", len(orders), err)
	}
	return s, orders
}

func key(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// TestBackupThenRestoreGivesEveryOrderBack: a backup of a store with sales
// holds no plain SQLite bytes; restored over a new path it passes the
// integrity check and every order comes back whole; the database it
// replaced is kept aside.
func TestBackupThenRestoreGivesEveryOrderBack(t *testing.T) {
	s, orders := shop(t, 40)
	ctx := context.Background()
	dir := t.TempDir()
	var steps []string
	path, err := backup.Backup(ctx, s, backup.Options{Dir: dir, Passphrase: pass, Terminal: "T01", Shop: "示范店",
		Progress: func(step string, done, total int64) {
			if len(steps) == 0 || steps[len(steps)-1] != step {
				steps = append(steps, step)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if got := filepath.Dir(path); got != dir || filepath.Ext(path) != backup.Ext {
		t.Fatalf("backup at %s", path)
	}
	if len(steps) != 3 || steps[0] != "snapshot" || steps[1] != "seal" || steps[2] != "verify" {
		t.Fatalf("progress steps %v", steps)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, plain := range [][]byte{[]byte("SQLite format 3"), []byte("T01-00000001"), []byte("Coca-Cola")} {
		if bytes.Contains(raw, plain) {
			t.Errorf("the backup holds %q in clear", plain)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), ".backup-*"))
	if len(leftovers) != 0 {
		t.Fatalf("plain snapshots left behind: %v", leftovers)
	}

	target := filepath.Join(t.TempDir(), "till.db")
	if err := os.WriteFile(target, []byte("the database it replaces"), 0o600); err != nil {
		t.Fatal(err)
	}
	kept, err := backup.Restore(ctx, path, pass, target, "T01", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != "the database it replaces" {
		t.Fatalf("the replaced database was not kept: %q %v", b, err)
	}
	if err := models.IntegrityCheckFile(ctx, target); err != nil {
		t.Fatal(err)
	}
	r, err := models.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	back, err := r.OrdersBetween(ctx, "T01", time.Time{}, time.Now().Add(time.Hour))
	if err != nil || len(back) != len(orders) {
		t.Fatalf("restored %d orders of %d: %v", len(back), len(orders), err)
	}
	for i := range orders {
		o, err := r.OrderByID(ctx, orders[i].ID)
		if err != nil || o.Number != orders[i].Number || o.Total != orders[i].Total || len(o.Lines) != 1 ||
			len(o.Payments) != 1 || o.Payments[0].Amount != orders[i].Payments[0].Amount {
			t.Fatalf("order %s came back as %+v (%v)", orders[i].Number, o, err)
		}
	}
	if c, err := r.VerifyAudit(ctx, nil); err != nil || c.Break != nil || c.Entries == 0 {
		t.Fatalf("the restored audit trail: %+v %v", c, err)
	}
}

// TestABackupRefusesWhatItShould: a short passphrase makes none; a wrong
// passphrase, a changed byte, a cut-off end and a file that is not a
// backup are each refused with their own message; another terminal's
// backup is restored only when the owner insists; nothing replaces the
// database on a refusal.
func TestABackupRefusesWhatItShould(t *testing.T) {
	s, _ := shop(t, 5)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := backup.Backup(ctx, s, backup.Options{Dir: dir, Passphrase: "short", Terminal: "T01"}); key(err) != "error.backup.short_passphrase" {
		t.Fatalf("short passphrase: %v", err)
	}
	path, err := backup.Backup(ctx, s, backup.Options{Dir: dir, Passphrase: pass, Terminal: "T01"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	write := func(name string, b []byte) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	changed := bytes.Clone(raw)
	changed[len(changed)-100] ^= 0x01
	for _, c := range []struct {
		name, file, pass, want string
	}{
		{"wrong passphrase", path, "not the passphrase", "error.backup.passphrase"},
		{"changed byte", write("changed"+backup.Ext, changed), pass, "error.backup.damaged"},
		{"cut short", write("cut"+backup.Ext, raw[:len(raw)-5000]), pass, "error.backup.damaged"},
		{"not a backup", write("x"+backup.Ext, []byte("SQLite format 3\x00 or anything else")), pass, "error.backup.not_backup"},
	} {
		if _, err := backup.Verify(ctx, c.file, c.pass, nil); key(err) != c.want {
			t.Errorf("%s: verify %v, want %s", c.name, err, c.want)
		}
		target := write("till.db", []byte("kept"))
		if _, err := backup.Restore(ctx, c.file, c.pass, target, "T01", false, nil); key(err) != c.want {
			t.Errorf("%s: restore %v, want %s", c.name, err, c.want)
		}
		if b, _ := os.ReadFile(target); string(b) != "kept" {
			t.Errorf("%s: the database was replaced", c.name)
		}
	}
	target := write("till.db", []byte("kept"))
	if _, err := backup.Restore(ctx, path, pass, target, "T02", false, nil); key(err) != "error.backup.terminal" {
		t.Fatalf("another terminal's backup: %v", err)
	}
	if _, err := backup.Restore(ctx, path, pass, target, "T02", true, nil); err != nil {
		t.Fatalf("insisted: %v", err)
	}
	if err := models.IntegrityCheckFile(ctx, target); err != nil {
		t.Fatal(err)
	}
}

// TestTheTerminalsBackupNeedsAManagerAndIsAudited: a cashier may not back
// up; a manager's backup is remembered (its folder) and audited.
func TestTheTerminalsBackupNeedsAManagerAndIsAudited(t *testing.T) {
	s, _ := shop(t, 2)
	ctx := context.Background()
	cashier, err := demo.Stored(ctx, s, demo.Operator)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := demo.Stored(ctx, s, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	svc := backup.NewService(s, "T01", func() string { return "示范店" }, nil)
	dir := t.TempDir()
	if _, err := svc.Backup(ctx, dir, pass, cashier, nil); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a cashier's backup: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Fatalf("a refused backup wrote %v", files)
	}
	path, err := svc.Backup(ctx, dir, pass, manager, func(string, int64, int64) {})
	if err != nil {
		t.Fatal(err)
	}
	if svc.Dir(ctx) != dir {
		t.Fatalf("folder remembered: %q", svc.Dir(ctx))
	}
	entries, err := s.AuditEntries(ctx, "backup")
	if err != nil || len(entries) != 1 || entries[0].Subject != filepath.Base(path) || entries[0].OperatorID != manager.ID {
		t.Fatalf("audited: %+v %v", entries, err)
	}
}

// TestDailyBackupRunsOnceADayWithoutThePassphrase: a manager turns the
// daily backup on with a passphrase; it then runs with no one there, once
// a day, into files the passphrase alone opens; the eighth removes the
// oldest; the key is not in the database in clear, nor the passphrase.
func TestDailyBackupRunsOnceADayWithoutThePassphrase(t *testing.T) {
	s, orders := shop(t, 3)
	ctx := context.Background()
	cashier, _ := demo.Stored(ctx, s, demo.Operator)
	manager, _ := demo.Stored(ctx, s, demo.Manager)
	deviceKey := bytes.Repeat([]byte{9}, 32)
	svc := backup.NewService(s, "T01", func() string { return "示范店" }, deviceKey)
	dir := t.TempDir()
	if err := svc.SetDaily(ctx, dir, pass, cashier); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a cashier set the daily backup up: %v", err)
	}
	if err := svc.SetDaily(ctx, dir, "short", manager); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a short passphrase: %v", err)
	}
	if err := svc.SetDaily(ctx, filepath.Join(dir, "nowhere"), pass, manager); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a folder that is not there: %v", err)
	}
	if err := svc.SetDaily(ctx, dir, pass, manager); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 1, 3, 0, 0, 0, time.Local)
	var made []string
	for i := range 9 {
		now := day.AddDate(0, 0, i)
		path, err := svc.RunDaily(ctx, now, nil)
		if err != nil || path == "" {
			t.Fatalf("day %d: %q %v", i+1, path, err)
		}
		made = append(made, path)
		// Again an hour later: not due.
		if again, err := svc.RunDaily(ctx, now.Add(time.Hour), nil); err != nil || again != "" {
			t.Fatalf("day %d, an hour later: %q %v", i+1, again, err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != backup.KeepDaily || files[0] != made[2] {
		t.Fatalf("kept %d files, the oldest %q", len(files), files[0])
	}
	// The passphrase opens the newest whole, with every sale.
	restored := filepath.Join(t.TempDir(), "till.db")
	if _, err := backup.Restore(ctx, made[8], pass, restored, "T01", false, nil); err != nil {
		t.Fatal(err)
	}
	r, err := models.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, err := r.OrderByID(ctx, orders[2].ID); err != nil || got.Number != orders[2].Number {
		t.Fatalf("restored order: %+v %v", got, err)
	}
	entries, _ := s.AuditEntries(ctx, "backup")
	if len(entries) != 9 {
		t.Fatalf("%d daily backups audited", len(entries))
	}
	// Neither the passphrase nor the key (derived again from the salt in
	// a backup's header) lies in the database in clear.
	f, err := os.Open(made[8])
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := backup.ReadHeader(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	key := argon2.IDKey([]byte(pass), h.KDF.Salt, h.KDF.Time, h.KDF.MemKiB, h.KDF.Threads, 32)
	s.Close()
	db, _ := os.ReadFile(s.Path())
	if bytes.Contains(db, []byte(pass)) || bytes.Contains(db, key) || bytes.Contains(db, []byte(hex.EncodeToString(key))) {
		t.Fatal("the passphrase or the key is in the database")
	}
}
