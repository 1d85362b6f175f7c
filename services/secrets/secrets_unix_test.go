//go:build !windows

package secrets

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestLoosePermissionsAreRefused(t *testing.T) {
	data, keys := folders(t)
	st := settings{}
	_, ks, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(keys, 0o750)
	if _, _, err := Open(context.Background(), st, Config{Dir: keys, DataDir: data}); errKey(err) != "error.keys.loose" {
		t.Fatalf("a folder others may open: %v", err)
	}
	os.Chmod(keys, 0o700)
	os.Chmod(ks.Where(), 0o644)
	_, _, err = Open(context.Background(), st, Config{Dir: keys, DataDir: data})
	if errKey(err) != "error.keys.loose" || !bytes.Contains([]byte(err.Error()), []byte("chmod 600")) {
		t.Fatalf("a key file others may read: %v", err)
	}
}

func TestDefaultKeyFolders(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("CONFIGURATION_DIRECTORY", "")
	shop, err := DefaultDir()
	if err != nil || shop != filepath.Join(config, "till-keys") {
		t.Fatalf("default %s: %v", shop, err)
	}
	t.Setenv("CONFIGURATION_DIRECTORY", "/etc/till")
	if service, err := DefaultDir(); err != nil || service != "/etc/till/keys" {
		t.Fatalf("service %s %v", service, err)
	}
	// The default data folder (~/.config/till) and the key folder are apart.
	t.Setenv("CONFIGURATION_DIRECTORY", "")
	data := filepath.Join(config, "till")
	os.Mkdir(data, 0o700)
	_, ks, err := Open(context.Background(), settings{}, Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(ks.Where()) != shop {
		t.Fatalf("the key is in %s", ks.Where())
	}
}
