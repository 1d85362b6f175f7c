package screens

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
)

// fakeBackups records the backups asked and tells each step.
type fakeBackups struct {
	asked []string // dir and passphrase, each
	by    []models.Operator
	err   error
}

func (f *fakeBackups) Dir(context.Context) string { return "/media/usb" }

func (f *fakeBackups) Backup(_ context.Context, dir, pass string, by models.Operator, progress func(string, int64, int64)) (string, error) {
	f.asked = append(f.asked, dir+"|"+pass)
	f.by = append(f.by, by)
	for _, step := range []string{"snapshot", "seal", "verify"} {
		progress(step, 50, 100)
		progress(step, 100, 100)
	}
	return dir + "/till-T01-20260314-091500.tillbak", f.err
}

// TestSettingsBackupAsksTwiceForThePassphrase: the backup dialog offers the
// last folder, refuses two passphrases that differ, then backs up as the
// manager and says where the checked backup is.
func TestSettingsBackupAsksTwiceForThePassphrase(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	b := &fakeBackups{}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Backups: b})
	showOn(ui, s.Content())
	tap(t, w, "Back up now")
	d := s.Backup()
	if d == nil || d.Dir.Text != "/media/usb" {
		t.Fatalf("dialog %+v", d)
	}
	test.Type(d.Passphrase, "correct horse battery")
	test.Type(d.Again, "correct horse batterx")
	tap(t, w, "Back up")
	if d.Message.Text != "The two passphrases differ" || len(b.asked) != 0 {
		t.Fatalf("differing passphrases: %q, asked %v", d.Message.Text, b.asked)
	}
	d.Again.SetText("")
	test.Type(d.Again, "correct horse battery")
	tap(t, w, "Back up")
	if len(b.asked) != 1 || b.asked[0] != "/media/usb|correct horse battery" || b.by[0].ID != manager.ID {
		t.Fatalf("asked %v by %v", b.asked, b.by)
	}
	mustShow(t, w, "Backed up and checked: /media/usb/till-T01-20260314-091500.tillbak")
	if !d.Start.Disabled() || d.Message.Text != "" {
		t.Fatal("the dialog offers to back up again")
	}
}
