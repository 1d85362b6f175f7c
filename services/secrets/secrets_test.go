package secrets

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/till-pos/till/models"
)

// settings is a database's settings, in memory.
type settings map[string]string

func (s settings) Setting(_ context.Context, key, def string) (string, error) {
	if v, ok := s[key]; ok {
		return v, nil
	}
	return def, nil
}

func (s settings) InitSetting(_ context.Context, key, value string) (string, error) {
	if v, ok := s[key]; ok {
		return v, nil
	}
	s[key] = value
	return value, nil
}

func errKey(err error) string {
	var me *models.Error
	if errors.As(err, &me) {
		return me.Key
	}
	return ""
}

// folders makes a data folder and a key folder (not yet there) apart.
func folders(t *testing.T) (data, keys string) {
	root := t.TempDir()
	data = filepath.Join(root, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	return data, filepath.Join(root, "keys")
}

func TestTheFirstStartKeepsANewKeyApartFromTheData(t *testing.T) {
	data, keys := folders(t)
	st := settings{}
	key, ks, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != deviceKeySize || bytes.Equal(key, make([]byte, deviceKeySize)) {
		t.Fatalf("key %x", key)
	}
	id := st[settingKeyID]
	if !validKeyID(id) || ks.Where() != filepath.Join(keys, id+".key") {
		t.Fatalf("key ID %q kept in %s", id, ks.Where())
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Fatalf("the data folder holds %v", entries)
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{keys: 0o700, ks.Where(): 0o600} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Fatalf("%s: %v %v, want %v", path, fi.Mode(), err, want)
			}
		}
	}
	// The next start reads the same key; another database gets its own.
	again, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data})
	if err != nil || !bytes.Equal(again, key) {
		t.Fatalf("second start: %x %v", again, err)
	}
	other, _, err := Open(context.Background(), settings{}, Config{Dir: keys, DataDir: data})
	if err != nil || bytes.Equal(other, key) {
		t.Fatalf("another database's key: %x %v", other, err)
	}
	// A key is never overwritten.
	if err := ks.Keep(make([]byte, deviceKeySize)); !errors.Is(err, ErrKeyExists) {
		t.Fatalf("overwrite: %v", err)
	}
}

func TestAKeyFolderInsideTheDataFolderIsRefused(t *testing.T) {
	data, _ := folders(t)
	link := filepath.Join(t.TempDir(), "keys-link")
	if err := os.Symlink(data, link); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{data, filepath.Join(data, "keys"), filepath.Dir(data), link, filepath.Join(link, "keys")} {
		_, _, err := Open(context.Background(), settings{}, Config{Dir: dir, DataDir: data})
		if errKey(err) != "error.keys.in_data_folder" {
			t.Errorf("keys in %s: %v", dir, err)
		}
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Fatalf("the data folder holds %v", entries)
	}
}

func TestAnOldDeviceKeyBesideTheDatabaseMovesToTheKeyStore(t *testing.T) {
	data, keys := folders(t)
	old := bytes.Repeat([]byte{0x5a}, deviceKeySize)
	legacy := filepath.Join(data, LegacyKeyFile)
	if err := os.WriteFile(legacy, old, 0o600); err != nil {
		t.Fatal(err)
	}
	// A second name for the same file shows what became of its bytes.
	peek := filepath.Join(t.TempDir(), "peek")
	if err := os.Link(legacy, peek); err != nil {
		t.Fatal(err)
	}
	st := settings{}
	key, ks, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data})
	if err != nil || !bytes.Equal(key, old) {
		t.Fatalf("moved key %x %v", key, err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Fatalf("the old file is still there: %v", err)
	}
	if left, _ := os.ReadFile(peek); len(left) != deviceKeySize || bytes.Equal(left, old) {
		t.Fatalf("the old file was not overwritten: %x", left)
	}
	if kept, err := ks.DeviceKey(); err != nil || !bytes.Equal(kept, old) {
		t.Fatalf("kept %x %v", kept, err)
	}

	// A database that has a key ID and an old file: a crash after the
	// copy, before the old file went. The same key: the old file goes.
	os.WriteFile(legacy, old, 0o600)
	if key, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data}); err != nil || !bytes.Equal(key, old) {
		t.Fatalf("after a crash: %x %v", key, err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Fatal("the old file is still there")
	}
	// A different old key is a conflict: nothing changes.
	other := bytes.Repeat([]byte{0xa5}, deviceKeySize)
	os.WriteFile(legacy, other, 0o600)
	if _, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data}); errKey(err) != "error.keys.conflict" {
		t.Fatalf("a different old key: %v", err)
	}
	if b, _ := os.ReadFile(legacy); !bytes.Equal(b, other) {
		t.Fatal("the conflicting old key was touched")
	}
	if kept, _ := ks.DeviceKey(); !bytes.Equal(kept, old) {
		t.Fatal("the kept key was touched")
	}
	// A damaged old file is refused.
	os.WriteFile(legacy, []byte("short"), 0o600)
	if _, _, err := Open(context.Background(), settings{}, Config{Dir: keys, DataDir: data}); errKey(err) != "error.keys.damaged" {
		t.Fatalf("a damaged old key: %v", err)
	}
}

func TestAMissingKeyIsRefusedUnlessANewOneIsAskedFor(t *testing.T) {
	data, keys := folders(t)
	st := settings{}
	first, ks, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	// The database restored on a new tablet without its key folder, or
	// started with the wrong -keys.
	if _, _, err := Open(context.Background(), st, Config{Dir: keys + "-elsewhere", DataDir: data}); errKey(err) != "error.keys.missing" {
		t.Fatalf("another key folder: %v", err)
	}
	os.Remove(ks.Where())
	if _, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data}); errKey(err) != "error.keys.missing" {
		t.Fatalf("a lost key: %v", err)
	}
	renewed, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data, NewKey: true})
	if err != nil || len(renewed) != deviceKeySize || bytes.Equal(renewed, first) {
		t.Fatalf("a new key: %x %v", renewed, err)
	}
	if again, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data, NewKey: true}); err != nil || !bytes.Equal(again, renewed) {
		t.Fatalf("-new-key again replaced the key: %v", err)
	}
	// A damaged key file, or a key ID that is no name, is refused.
	if err := os.Truncate(filepath.Join(keys, st[settingKeyID]+".key"), 5); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data}); errKey(err) != "error.keys.damaged" {
		t.Fatalf("a damaged key: %v", err)
	}
	if _, _, err := Open(context.Background(), settings{settingKeyID: "../../etc/passwd"}, Config{Dir: keys, DataDir: data}); errKey(err) != "error.keys.bad_id" {
		t.Fatalf("a bad key ID: %v", err)
	}
}
