// Package secrets keeps the terminal's secret keys: the device key that
// keys the card tokens and seals the fingerprint templates.
package secrets

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// deviceKeySize is the length of the terminal's secret key.
const deviceKeySize = 32

// DeviceKey reads the terminal's secret key from device.key beside the
// database, making one the first time. It keys the card tokens (a hash of a
// card number that cannot be turned back into it). The file is readable by
// its owner only.
func DeviceKey(dbPath string) ([]byte, error) {
	path := filepath.Join(filepath.Dir(dbPath), "device.key")
	key, err := os.ReadFile(path)
	if err == nil && len(key) == deviceKeySize {
		return key, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("secrets: device key: %w", err)
	}
	if err == nil {
		return nil, fmt.Errorf("secrets: device key %s: %d bytes, want %d", path, len(key), deviceKeySize)
	}
	key = make([]byte, deviceKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secrets: device key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("secrets: device key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("secrets: device key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("secrets: device key: %w", err)
	}
	return key, f.Close()
}
