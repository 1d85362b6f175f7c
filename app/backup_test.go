package app

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/services/backup"
)

// TestBackupFromSettings: in Settings a manager (asked for) backs the
// demo's database up into a folder; the dialog says where, and the file
// opens whole with the passphrase.
func TestBackupFromSettings(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Exact ¥3.50", "Take cash")
	till.Shell().ShowSettings()
	tapKeys(t, till, "Back up now", "Demo finger: 演示店长")
	d := till.Shell().Settings.Backup()
	if d == nil {
		t.Fatal("no backup dialog")
	}
	dir := t.TempDir()
	d.Dir.SetText(dir)
	test.Type(d.Passphrase, "correct horse battery")
	test.Type(d.Again, "correct horse battery")
	tapKeys(t, till, "Back up")
	files, _ := filepath.Glob(filepath.Join(dir, "*"+backup.Ext))
	if len(files) != 1 {
		t.Fatalf("backups in the folder: %v (message %q)", files, d.Message.Text)
	}
	if !shownText(w, "Backed up and checked: "+files[0]) && !labelShown(w, "Backed up and checked: "+files[0]) {
		t.Fatal("the dialog does not say where the backup is")
	}
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		if f, err := os.Create(filepath.Join(dir, "backup.png")); err == nil {
			png.Encode(f, w.Canvas().Capture())
			f.Close()
		}
	}
	h, err := backup.Verify(context.Background(), files[0], "correct horse battery", nil)
	if err != nil || h.Terminal != "T01" {
		t.Fatalf("the backup: %+v %v", h, err)
	}
}
