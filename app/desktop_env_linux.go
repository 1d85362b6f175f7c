package app

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ensureRuntimeDir sets XDG_RUNTIME_DIR to a private folder when it names
// none a program may use.
func ensureRuntimeDir() {
	if validRuntimeDir(os.Getenv("XDG_RUNTIME_DIR")) {
		return
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("till-runtime-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil || !validRuntimeDir(dir) {
		return
	}
	os.Setenv("XDG_RUNTIME_DIR", dir)
}

// validRuntimeDir reports whether dir is a runtime folder the XDG
// specification accepts: a directory of this user, closed to others.
func validRuntimeDir(dir string) bool {
	if dir == "" {
		return false
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o077 != 0 {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || int(st.Uid) == os.Getuid()
}
