package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestAndroidPathsUnderTheAppStorage: on Android the database and the
// keys go under the app's private storage, apart (the key folder is not
// inside the data folder, which the secrets refuse), the demo's database
// apart from the shop's; folders given on the command line stay.
func TestAndroidPathsUnderTheAppStorage(t *testing.T) {
	root := t.TempDir()
	shop := onAndroid(Options{}, root)
	if shop.DBPath != filepath.Join(root, "till", "till.db") || shop.KeysDir != filepath.Join(root, "till-keys") {
		t.Fatalf("shop: %q %q", shop.DBPath, shop.KeysDir)
	}
	demo := onAndroid(Options{Demo: true}, root)
	if demo.DBPath != filepath.Join(root, "till", "demo", "till.db") {
		t.Fatalf("demo: %q", demo.DBPath)
	}
	given := onAndroid(Options{DBPath: "/sdcard/x.db", KeysDir: "/k"}, root)
	if given.DBPath != "/sdcard/x.db" || given.KeysDir != "/k" {
		t.Fatalf("given: %+v", given)
	}
	// A till starts on them: the key folder beside the data folder is
	// accepted, and the database and keys are where they were said to be.
	opts := demo
	opts.Lang, opts.inlineUI = "en", true
	till, err := Start(test.NewTempApp(t), opts)
	if err != nil {
		t.Fatalf("start on the Android folders: %v", err)
	}
	defer till.Close()
	for _, p := range []string{demo.DBPath, demo.KeysDir} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("after the start: %v", err)
		}
	}
}
