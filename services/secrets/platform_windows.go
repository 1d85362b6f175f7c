//go:build windows

package secrets

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// baseDir is till-keys in the user's local application data
// (%LOCALAPPDATA%\till-keys): kept on this computer, not roamed.
func baseDir() (string, error) {
	if d := os.Getenv("LOCALAPPDATA"); d != "" {
		return filepath.Join(d, "till-keys"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "till-keys"), nil
}

// checkPrivate leaves the folder's access to the user profile's ACLs: the
// key file is sealed with DPAPI, which only this Windows user on this
// computer can open.
func checkPrivate(string, fs.FileInfo) error { return nil }

// entropy binds a sealed key to its key ID.
func entropy(id string) []byte { return []byte("till device key " + id) }

// seal seals key with DPAPI for the current user (CryptProtectData).
func seal(key []byte, id string) ([]byte, error) {
	in, ent := blob(key), blob(entropy(id))
	name, err := windows.UTF16PtrFromString("Till device key")
	if err != nil {
		return nil, err
	}
	var out windows.DataBlob
	if err := windows.CryptProtectData(&in, name, &ent, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		return nil, fmt.Errorf("secrets: DPAPI seal: %w", err)
	}
	return take(&out), nil
}

// unseal opens a key sealed by seal (CryptUnprotectData).
func unseal(b []byte, id string) ([]byte, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("secrets: DPAPI: empty key file")
	}
	in, ent := blob(b), blob(entropy(id))
	var out windows.DataBlob
	if err := windows.CryptUnprotectData(&in, nil, &ent, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		return nil, fmt.Errorf("secrets: DPAPI unseal: %w", err)
	}
	return take(&out), nil
}

func blob(b []byte) windows.DataBlob {
	return windows.DataBlob{Size: uint32(len(b)), Data: unsafe.SliceData(b)}
}

// take copies out's bytes, wipes and frees Windows' copy.
func take(out *windows.DataBlob) []byte {
	if out.Data == nil {
		return nil
	}
	buf := unsafe.Slice(out.Data, out.Size)
	b := append([]byte(nil), buf...)
	clear(buf)
	windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data)))
	return b
}

// syncDir does nothing: Windows flushes a folder's entries with the file.
func syncDir(string) error { return nil }
