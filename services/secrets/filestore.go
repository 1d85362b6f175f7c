package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// fileStore keeps a database's device key in the key folder, in a file
// named by the database's key ID, sealed by the platform (seal, unseal:
// DPAPI on Windows; as it is elsewhere, where the folder's and the file's
// owner-only permissions keep it).
type fileStore struct {
	dir, id string
}

// platformStore is the key store of this platform for the key id in dir.
// An Android build keeps the key in the Android Keystore behind the same
// interface (docs/keys.md).
func platformStore(dir, id string) KeyStore { return &fileStore{dir: dir, id: id} }

func (f *fileStore) path() string { return filepath.Join(f.dir, f.id+".key") }

func (f *fileStore) Where() string { return f.path() }

func (f *fileStore) DeviceKey() ([]byte, error) {
	p := f.path()
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoKey
	}
	if err != nil {
		return nil, errUnusable(p, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errDamaged(p, errors.New("not a regular file"))
	}
	if err := checkPrivate(p, fi); err != nil {
		return nil, err
	}
	sealed, err := os.ReadFile(p)
	if err != nil {
		return nil, errUnusable(p, err)
	}
	key, err := unseal(sealed, f.id)
	if err != nil {
		return nil, errDamaged(p, err)
	}
	if len(key) != deviceKeySize {
		return nil, errDamaged(p, fmt.Errorf("%d bytes, want %d", len(key), deviceKeySize))
	}
	return key, nil
}

// Keep writes the sealed key to a new file, then links it under its name,
// which fails if a key is there: a key is never overwritten, and a crash
// never leaves half a key under the name.
func (f *fileStore) Keep(key []byte) error {
	if len(key) != deviceKeySize {
		return fmt.Errorf("secrets: keep: %d bytes, want %d", len(key), deviceKeySize)
	}
	p := f.path()
	sealed, err := seal(key, f.id)
	if err != nil {
		return errUnusable(p, err)
	}
	tmp, err := os.CreateTemp(f.dir, ".new-*.key")
	if err != nil {
		return errUnusable(p, err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSynced(tmp, sealed); err != nil {
		return errUnusable(p, err)
	}
	err = os.Link(tmp.Name(), p)
	if errors.Is(err, fs.ErrExist) {
		return ErrKeyExists
	}
	if err != nil {
		// A file system without links: create the name exclusively.
		if err = createExclusive(p, sealed); errors.Is(err, fs.ErrExist) {
			return ErrKeyExists
		}
	}
	if err != nil {
		return errUnusable(p, err)
	}
	if err := syncDir(f.dir); err != nil {
		return errUnusable(p, err)
	}
	return nil
}

// writeSynced writes b to f (owner-only), flushes it to the disk and
// closes it.
func writeSynced(f *os.File, b []byte) error {
	err := f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(b)
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

func createExclusive(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := writeSynced(f, b); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
