package models

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"testing"
)

// approveCard is o paid by a card the host approved, through the journal.
func approveCard(t *testing.T, s *Store, o *Order, rrn string) {
	t.Helper()
	_, r := startCard(t, s, o)
	if err := s.RecordAnswer(bg, r.ID, HostAnswer{Code: "00", RRN: rrn, AuthCode: "123456"}); err != nil {
		t.Fatal(err)
	}
}

func TestCloseBatchRefusesTotalsThatChanged(t *testing.T) {
	s := newTestStore(t)
	approveCard(t, s, colaOrder(t, s, 1), "000000000001")
	sent, err := s.OpenBatch(bg, "T01")
	if err != nil || sent.Totals.DebitCount != 1 {
		t.Fatalf("open batch: %+v %v", sent, err)
	}
	// A payment arrives while the host is asked to agree to sent.
	approveCard(t, s, colaOrder(t, s, 2), "000000000002")

	if _, err := s.CloseBatch(bg, "T01", sent.Batch, sent.Totals); errKey(err) != "error.batch.changed" || ErrorCode(err) != ECONFLICT {
		t.Fatalf("closed with totals that changed: %v", err)
	}
	if n, _ := s.BatchNumber(bg, "T01"); n != 1 {
		t.Fatalf("the batch was closed anyway: open batch %d", n)
	}
	if n, _ := s.CountAudit(bg, ActionBatchClose); n != 0 {
		t.Fatalf("%d batch closes audited", n)
	}

	now, err := s.OpenBatch(bg, "T01")
	if err != nil || now.Totals.DebitCount != 2 {
		t.Fatalf("open batch now: %+v %v", now, err)
	}
	next, err := s.CloseBatch(bg, "T01", now.Batch, now.Totals)
	if err != nil || next != 2 {
		t.Fatalf("close with the totals as they are: %d %v", next, err)
	}
	if n, _ := s.BatchNumber(bg, "T01"); n != 2 {
		t.Fatalf("open batch after the close: %d", n)
	}
	// The same settlement again closes nothing: batch 1 is no longer open.
	if _, err := s.CloseBatch(bg, "T01", now.Batch, now.Totals); errKey(err) != "error.batch.changed" {
		t.Fatalf("batch 1 closed twice: %v", err)
	}
	if n, _ := s.BatchNumber(bg, "T01"); n != 2 {
		t.Fatalf("open batch after closing twice: %d", n)
	}
}

func TestQuarantinedOutboxEntriesAreSetAside(t *testing.T) {
	s := newTestStore(t)
	for i := 0; i < 3; i++ {
		sellCola(t, s, "T01", 1)
	}
	all, err := s.PendingOutbox(bg, 10)
	if err != nil || len(all) != 3 {
		t.Fatalf("pending: %+v %v", all, err)
	}
	bad := all[1]
	problem := "the host answered 30 (format error) " + strings.Repeat("x", 300)
	if err := s.QuarantineOutbox(bg, bad.ID, problem); err != nil {
		t.Fatal(err)
	}
	pending, err := s.PendingOutbox(bg, 10)
	if err != nil || len(pending) != 2 || pending[0].ID != all[0].ID || pending[1].ID != all[2].ID {
		t.Fatalf("pending after the quarantine: %+v %v", pending, err)
	}
	if n, _, err := s.OutboxStatus(bg); err != nil || n != 2 {
		t.Fatalf("pending count %d %v, want 2", n, err)
	}
	q, err := s.QuarantinedOutbox(bg)
	if err != nil || len(q) != 1 || q[0].ID != bad.ID || q[0].QuarantinedAt == nil {
		t.Fatalf("quarantined: %+v %v", q, err)
	}
	if len(q[0].Problem) != MaxOutboxProblem || !strings.HasPrefix(q[0].Problem, "the host answered 30") {
		t.Fatalf("problem kept: %d characters, %q", len(q[0].Problem), q[0].Problem)
	}
	audit, err := s.AuditEntries(bg, ActionOutboxQuarantine)
	if err != nil || len(audit) != 1 || audit[0].TerminalID != "T01" ||
		audit[0].Subject != fmt.Sprintf("outbox %d", bad.ID) || !strings.Contains(audit[0].Detail, "the host answered 30") {
		t.Fatalf("audit: %+v %v", audit, err)
	}
	// Sending the rest leaves nothing pending; the quarantined one stays
	// listed.
	if err := s.MarkOutboxSent(bg, []uint{all[0].ID, all[2].ID}, bad.CreatedAt); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := s.OutboxStatus(bg); n != 0 {
		t.Fatalf("%d pending after sending the rest", n)
	}
	if q, _ := s.QuarantinedOutbox(bg); len(q) != 1 {
		t.Fatalf("quarantined after sending the rest: %+v", q)
	}
	// A sent entry, or an unknown one, is not quarantined.
	if err := s.QuarantineOutbox(bg, all[0].ID, "late"); ErrorCode(err) != ECONFLICT {
		t.Fatalf("quarantine of a sent entry: %v", err)
	}
	if err := s.QuarantineOutbox(bg, 9999, "none"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("quarantine of no entry: %v", err)
	}
	if q, _ := s.QuarantinedOutbox(bg); len(q) != 1 {
		t.Fatalf("quarantined after refusals: %+v", q)
	}
}

// fileHasPiece reports whether the database at path, or its -wal or -shm
// file, holds any 16-byte piece of data (data long enough to span pages is
// not kept in one piece).
func fileHasPiece(t *testing.T, path string, data []byte) bool {
	t.Helper()
	var files [][]byte
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	for i := 0; i+16 <= len(data); i += 16 {
		for _, f := range files {
			if bytes.Contains(f, data[i:i+16]) {
				return true
			}
		}
	}
	return false
}

// checkpoint copies the write-ahead log into the database file and
// empties it.
func checkpoint(t *testing.T, s *Store) {
	t.Helper()
	var res struct{ Busy, Log, Checkpointed int }
	if err := s.db.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&res).Error; err != nil || res.Busy != 0 {
		t.Fatalf("checkpoint: %+v %v", res, err)
	}
}

func TestOfflineCardDataSealedUntilAdvised(t *testing.T) {
	s := newTestStore(t)
	var secureDelete int
	if err := s.db.Raw("PRAGMA secure_delete").Scan(&secureDelete).Error; err != nil || secureDelete != 1 {
		t.Fatalf("the store's connection has secure_delete %d %v", secureDelete, err)
	}
	// A card's sealed data as an approval keeps it, and one large enough
	// to need overflow pages, which SQLite frees whole.
	for _, size := range []int{96, 6000} {
		o := colaOrder(t, s, 1)
		_, r := startCard(t, s, o)
		sealed := make([]byte, size)
		if _, err := rand.Read(sealed); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordOffline(bg, r.ID, sealed); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SealedCard(bg, r.ID); err != nil || !bytes.Equal(got, sealed) {
			t.Fatalf("%d bytes: sealed card kept: %x %v", size, got, err)
		}
		if p := paymentByKey(t, s, r.Key); p.Status != PaymentOfflineApproved {
			t.Fatalf("payment %s", p.Status)
		}
		checkpoint(t, s)
		if !fileHasPiece(t, s.Path(), sealed) {
			t.Fatalf("%d bytes: the sealed bytes are not in the database file: the test proves nothing", size)
		}

		if err := s.RecordAdvised(bg, r.ID, "000000000077"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SealedCard(bg, r.ID); err != nil || got != nil {
			t.Fatalf("%d bytes: sealed card after the advice: %x %v", size, got, err)
		}
		var isNull bool
		if err := s.db.Raw("SELECT sealed_card IS NULL FROM host_requests WHERE id = ?", r.ID).Scan(&isNull).Error; err != nil || !isNull {
			t.Fatalf("%d bytes: sealed_card is not NULL after the advice (%v)", size, err)
		}
		checkpoint(t, s)
		if fileHasPiece(t, s.Path(), sealed) {
			t.Fatalf("%d bytes: the erased sealed bytes are still in the database's files", size)
		}
	}
	if _, err := s.SealedCard(bg, 9999); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("sealed card of no request: %v", err)
	}
}

func TestMigrationDeletesTheClearMACKey(t *testing.T) {
	s := newTestStore(t)
	const key = "0A1B2C3D4E5F60718293A4B5C6D7E8F9"
	if err := s.SetSetting(bg, settingClearMACKey, key); err != nil {
		t.Fatal(err)
	}
	// As a database before migration 12 holds it.
	if err := s.db.Where("version = ?", 12).Delete(&schemaMigration{}).Error; err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	if !fileHas(t, path, key) {
		t.Fatal("the clear key is not in the file to begin with: the test proves nothing")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Setting(bg, settingClearMACKey, "gone"); err != nil || v != "gone" {
		t.Fatalf("the clear MAC key after migrating: %q %v", v, err)
	}
	if !s.db.Migrator().HasColumn(&OutboxEntry{}, "quarantined_at") || !s.db.Migrator().HasColumn(&HostRequest{}, "sealed_card") {
		t.Fatal("migration 12's columns are missing")
	}
	s.Close()
	if fileHas(t, path, key) {
		t.Fatal("the clear MAC key is still in the database's files")
	}
}
