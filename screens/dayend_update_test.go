package screens

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
)

// dayEndWithUpdates is the Day end screen with the rig's installer, signed
// in as op, the channel set and checked.
func dayEndWithUpdates(t *testing.T, r *updateRig, op models.Operator) (*UI, *DayEnd) {
	t.Helper()
	r.setChannel(t)
	if _, err := r.in.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	ui := newTestUI(t, op)
	d := NewDayEnd(ui, &fakeDayEnd{takings: takings(t)}, nil, &fakeStaff{}, nil, nil)
	d.UseUpdates(r.in)
	showOn(ui, d.Content())
	return ui, d
}

// targetIs fails t unless the rig's target holds b.
func (r *updateRig) targetIs(t *testing.T, b []byte) {
	t.Helper()
	got, err := os.ReadFile(r.target)
	if err != nil || !bytes.Equal(got, b) {
		t.Fatalf("the target holds %d bytes (%v), want %d", len(got), err, len(b))
	}
}

// TestDayEndOffersAndInstallsAnUpdate: the update the check offered is
// shown once the day is closed, never before; Install asks an owner's
// approval of a manager, is refused during a sale, can be cancelled during
// its download, and then replaces the target, audited, saying to restart.
func TestDayEndOffersAndInstallsAnUpdate(t *testing.T) {
	r := newUpdateRig(t)
	ui, d := dayEndWithUpdates(t, r, manager)
	w := ui.Window
	d.Refresh()
	if shown(w, "Version 0.2.0 is available") {
		t.Fatal("offered before the day is closed")
	}
	r.closeDay(t)
	d.Refresh()
	mustShow(t, w, "Software update")
	mustShow(t, w, "Version 0.2.0 is available")
	mustShow(t, w, "Faster receipts and a clearer day end")
	shoot(t, w, "dayend-update-en")

	// A sale in progress: refused, with its message, nothing changed.
	r.selling = true
	tap(t, w, "Install")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "582931")
	tap(t, w, "OK")
	if got := d.UpdateResult(); got != "An update is never installed during a sale: finish or park the sale first" {
		t.Fatalf("during a sale: %q", got)
	}
	r.targetIs(t, []byte("the running till"))
	r.selling = false

	// Cancel during the download.
	var steps []float64
	cancelled := false
	do := ui.Do
	ui.Do = func(f func()) {
		do(f)
		steps = append(steps, d.update.progress.Value)
		if !cancelled && d.update.cancel.Visible() {
			cancelled = true
			test.Tap(d.update.cancel)
		}
	}
	tap(t, w, "Install")
	keys(t, w, "582931")
	tap(t, w, "OK")
	if got := d.UpdateResult(); got != "The download was cancelled; nothing was changed" || !cancelled {
		t.Fatalf("cancelled: %q", got)
	}
	r.targetIs(t, []byte("the running till"))
	if d.update.progress.Visible() || d.update.cancel.Visible() {
		t.Fatal("the progress stays after the cancel")
	}

	// Installed: progress to the end, the target replaced and the old one
	// kept, audited, and a restart asked for.
	steps = nil
	tap(t, w, "Install")
	keys(t, w, "582931")
	tap(t, w, "OK")
	if got := d.UpdateOffer(); got != "Version 0.2.0 is installed: restart Till to finish" || d.UpdateResult() != "" {
		t.Fatalf("installed: %q", got)
	}
	if len(steps) < 2 || steps[len(steps)-1] != 1 {
		t.Fatalf("progress shown: %v", steps)
	}
	r.targetIs(t, r.pkg)
	if b, _ := os.ReadFile(r.target + ".old"); string(b) != "the running till" {
		t.Fatal("the old binary was not kept")
	}
	audit, _ := r.store.AuditEntries(context.Background(), models.ActionUpdateInstall)
	if len(audit) != 1 || audit[0].OperatorID != owner.ID || audit[0].Detail != "from=0.1.0 to=0.2.0" {
		t.Fatalf("audit %+v", audit)
	}
	if d.update.actions.Visible() {
		t.Fatal("Install still offered")
	}
	d.Refresh()
	mustShow(t, w, "Version 0.2.0 is installed: restart Till to finish")
	for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 800, Height: 1280}} {
		w.Resize(size)
		shoot(t, w, fmt.Sprintf("dayend-update-installed-%.0fx%.0f", size.Width, size.Height))
	}
}

// TestDayEndRefusesAPackageNotSigned: a package changed on the server after
// the signed manifest was read is refused with its message, and the
// running binary stays.
func TestDayEndRefusesAPackageNotSigned(t *testing.T) {
	r := newUpdateRig(t)
	ui, d := dayEndWithUpdates(t, r, owner)
	w := ui.Window
	r.closeDay(t)
	d.Refresh()
	mustShow(t, w, "Version 0.2.0 is available")
	evil := bytes.Repeat([]byte("X"), len(r.pkg))
	if err := os.WriteFile(filepath.Join(r.site, "till-0.2.0"), evil, 0o644); err != nil {
		t.Fatal(err)
	}
	tap(t, w, "Install")
	if got := d.UpdateResult(); got != "The update is refused: the package is not the one that was signed" {
		t.Fatalf("tampered package: %q", got)
	}
	r.targetIs(t, []byte("the running till"))
	es, _ := os.ReadDir(filepath.Dir(r.target))
	if len(es) != 1 {
		t.Fatalf("left beside the target: %v", es)
	}
}
