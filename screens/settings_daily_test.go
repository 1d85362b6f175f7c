package screens

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// fakeDaily is fakeBackups with a daily backup.
type fakeDaily struct {
	fakeBackups
	on      bool
	dir     string
	last    time.Time
	set     []string // dir|passphrase|by
	stopped []string
}

func (f *fakeDaily) DailyState(context.Context) (bool, string, time.Time, error) {
	return f.on, f.dir, f.last, nil
}

func (f *fakeDaily) SetDaily(_ context.Context, dir, pass string, by models.Operator) error {
	f.set = append(f.set, dir+"|"+pass+"|"+by.Name)
	f.on, f.dir = true, dir
	return nil
}

func (f *fakeDaily) StopDaily(_ context.Context, by models.Operator) error {
	f.stopped = append(f.stopped, by.Name)
	f.on = false
	return nil
}

func TestSettingsDailyBackupSetUpAndOff(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	b := &fakeDaily{}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Backups: b})
	showOn(ui, s.Content())
	mustShow(t, w, "Daily backup")
	tap(t, w, "Set up")
	var entries []*widget.Entry
	walk(top(w), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
		return false
	})
	if len(entries) != 3 || entries[0].Text != "/media/usb" {
		t.Fatalf("the dialog's entries: %d", len(entries))
	}
	test.Type(entries[1], "correct horse battery")
	test.Type(entries[2], "correct horse battery")
	tap(t, w, "Turn on")
	if len(b.set) != 1 || b.set[0] != "/media/usb|correct horse battery|"+manager.Name {
		t.Fatalf("set %v", b.set)
	}
	mustShow(t, w, "On, into /media/usb; the first within the hour")
	tap(t, w, "Turn off")
	if len(b.stopped) != 1 || b.on {
		t.Fatalf("stopped %v", b.stopped)
	}
	mustShow(t, w, "Off")
}
