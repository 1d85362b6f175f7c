//go:build unix

package secrets

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// baseDir is the key folder of a systemd service that has
// ConfigurationDirectory=till ($CONFIGURATION_DIRECTORY/keys, so
// /etc/till/keys), else till-keys in the user's configuration folder
// ($XDG_CONFIG_HOME, or ~/.config).
func baseDir() (string, error) {
	if d, _, _ := strings.Cut(os.Getenv("CONFIGURATION_DIRECTORY"), ":"); d != "" {
		return filepath.Join(d, "keys"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "till-keys"), nil
}

// checkPrivate refuses a key folder or key file that another user owns or
// that others may open: a folder must be 0700 at most, a file 0600.
func checkPrivate(path string, fi fs.FileInfo) error {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return errOwner(path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		mode := "600"
		if fi.IsDir() {
			mode = "700"
		}
		return errLoose(path, mode)
	}
	return nil
}

// seal and unseal keep the key as it is: the owner-only key folder keeps
// it here.
func seal(key []byte, _ string) ([]byte, error) { return append([]byte(nil), key...), nil }

func unseal(b []byte, _ string) ([]byte, error) { return b, nil }

// syncDir flushes a folder's entries (a new or removed file) to the disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("secrets: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("secrets: sync %s: %w", dir, err)
	}
	return nil
}
