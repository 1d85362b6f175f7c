package models

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

const testCatalog = `{
 "categories": [{"code":"drinks","name":"饮料","name_en":"Drinks"},{"code":"fresh","name":"鲜食","name_en":"Fresh"}],
 "products": [
  {"sku":"D1","name":"可口可乐 330ml","name_en":"Coca-Cola 330ml","category":"drinks","price":"3.50","barcode":"6901234567892","tax_rate_bp":1300,"unit":"瓶","stock":"100"},
  {"sku":"D2","name":"农夫山泉 550ml","name_en":"Nongfu Spring 550ml","category":"drinks","price":"2","barcode":"6921168509256","tax_rate_bp":1300,"unit":"瓶","stock":"50"},
  {"sku":"F1","name":"散装苹果","name_en":"Apples","category":"fresh","price":"12.80","tax_rate_bp":900,"weighed":true,"unit":"千克","unit_en":"kg","stock":"20.5"}
 ]}`

// newTestStore opens a store on a fresh file with a small catalog.
func newTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cats, prods, err := ParseCatalogFile([]byte(testCatalog), CNY)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ImportCatalog(context.Background(), cats, prods); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	for i := 0; i < 2; i++ {
		s, err := Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var versions []int
		s.db.Model(&schemaMigration{}).Pluck("version", &versions)
		if len(versions) != len(migrations) || versions[len(versions)-1] != SchemaVersion() {
			t.Fatalf("open %d: migrations recorded %v", i, versions)
		}
		var mode, sync, fk string
		s.db.Raw("PRAGMA journal_mode").Scan(&mode)
		s.db.Raw("PRAGMA synchronous").Scan(&sync)
		s.db.Raw("PRAGMA foreign_keys").Scan(&fk)
		if mode != "wal" || sync != "2" || fk != "1" {
			t.Fatalf("journal %s synchronous %s foreign_keys %s", mode, sync, fk)
		}
		s.Close()
	}
}

func TestOpenBadFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing", "till.db")); errKey(err) != "error.db.no_folder" || ErrorCode(err) != EDATABASE {
		t.Errorf("missing folder: %v", err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	junk := make([]byte, 8192)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	os.WriteFile(garbage, junk, 0o600)
	if _, err := Open(garbage); errKey(err) != "error.db.corrupt" {
		t.Errorf("garbage file: %v", err)
	}

	// A real database whose pages are then overwritten in the middle.
	s := newTestStore(t)
	path := s.Path()
	s.Close()
	data, _ := os.ReadFile(path)
	if len(data) < 3*4096 {
		t.Fatalf("database only %d bytes", len(data))
	}
	for i := 4096 + 100; i < len(data)-100; i += 3 {
		data[i] ^= 0x5A
	}
	os.WriteFile(path, data, 0o600)
	os.Remove(path + "-wal")
	if _, err := Open(path); errKey(err) != "error.db.corrupt" {
		t.Errorf("damaged pages: %v", err)
	}
}

func TestOpenLockedFile(t *testing.T) {
	old := busyTimeoutMS
	busyTimeoutMS = 200
	defer func() { busyTimeoutMS = old }()
	path := filepath.Join(t.TempDir(), "till.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	other, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	if _, err := Open(path); errKey(err) != "error.db.locked" {
		t.Fatalf("locked file: %v", err)
	}
}

func TestLoadCatalogIndex(t *testing.T) {
	s := newTestStore(t)
	idx, cats, err := s.LoadCatalogIndex(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if idx.Len() != 3 || len(cats) != 2 || cats[0].Code != "drinks" {
		t.Fatalf("index of %d, categories %+v", idx.Len(), cats)
	}
	it, ok := idx.Lookup("6921168509256")
	if !ok || it.SKU != "D2" || it.Price != 200 || it.Currency != CNY || it.TaxRateBP != 1300 {
		t.Fatalf("lookup = %+v, %v", it, ok)
	}
	if got := idx.Search("nfsq", 5).Items(); len(got) != 1 || got[0].SKU != "D2" {
		t.Fatalf("pinyin search = %+v", got)
	}
	fresh := idx.InCategory(cats[1].ID).Items()
	if len(fresh) != 1 || !fresh[0].Weighed || fresh[0].UnitEN != "kg" {
		t.Fatalf("fresh = %+v", fresh)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s := newTestStore(t)
	path := s.Path()
	if err := s.db.Create(&schemaMigration{Version: SchemaVersion() + 1}).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); errKey(err) != "error.db.too_new" {
		t.Fatalf("newer schema: %v", err)
	}
}
