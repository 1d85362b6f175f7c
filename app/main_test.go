package app

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain keeps the tests' device keys out of the user's configuration:
// Tills started without Options.KeysDir keep their keys in a temporary
// configuration folder (secrets.DefaultDir), removed at the end.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "till-app-test-config-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	os.Unsetenv("CONFIGURATION_DIRECTORY")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// homeEnv is the environment of a Till program started by a test: a home
// and configuration folder of its own.
func homeEnv(t *testing.T) []string {
	home := t.TempDir()
	return []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")}
}
