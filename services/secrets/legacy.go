package secrets

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// readLegacy reads an older Till's device key from path; nil when there is
// none.
func readLegacy(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, errUnusable(path, err)
	}
	if len(key) != deviceKeySize {
		return nil, errDamaged(path, fmt.Errorf("%d bytes, want %d", len(key), deviceKeySize))
	}
	return key, nil
}

// shred overwrites the file at path with random bytes, flushes them to the
// disk, and removes it. On a journalling or copy-on-write file system or
// flash storage the old blocks may live on; docs/keys.md says so.
func shred(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("secrets: shred: %w", err)
	}
	fi, err := f.Stat()
	if err == nil {
		noise := make([]byte, fi.Size())
		if _, err = rand.Read(noise); err == nil {
			_, err = f.WriteAt(noise, 0)
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if err := errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("secrets: shred: %w", err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("secrets: shred: %w", err)
	}
	return syncDir(filepath.Dir(path))
}
