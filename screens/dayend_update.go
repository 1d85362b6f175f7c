package screens

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// UpdateInstall is the update offered at close of day; *update.Installer is
// one.
type UpdateInstall interface {
	// Offered is the version the last check offered and its notes in the
	// language l; ok is false when none is.
	Offered(l string) (version, notes string, ok bool)
	// Installed is the version installed since the start, waiting for a
	// restart; "" when none.
	Installed() string
	// DayClosed reports whether the day is closed.
	DayClosed(ctx context.Context) (bool, error)
	// Install downloads version, telling progress, and puts it in place of
	// the running binary, for by: it refuses (with a message for a person)
	// anyone not allowed PermSettingsShop, during a sale and before the
	// day is closed. Cancelling ctx stops the download and changes nothing.
	Install(ctx context.Context, version string, by models.Operator, progress func(done, total int64)) error
}

// dayEndUpdate is the Day end screen's software update: the version offered
// once the day is closed, Install with its progress and Cancel.
type dayEndUpdate struct {
	svc      UpdateInstall
	box      *fyne.Container
	offer    *widget.Label
	notes    *widget.Label
	progress *widget.ProgressBar
	install  *widget.Button
	cancel   *widget.Button
	actions  *fyne.Container // Install and Cancel
	result   *widget.Label
	version  string // offered
	stop     context.CancelFunc
}

// UseUpdates shows the update offered, once the day is closed, with an
// Install button.
func (d *DayEnd) UseUpdates(svc UpdateInstall) {
	u := &dayEndUpdate{svc: svc, offer: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		notes: widget.NewLabel(""), progress: widget.NewProgressBar(), result: widget.NewLabel("")}
	u.notes.Wrapping = fyne.TextWrapWord
	u.offer.Wrapping = fyne.TextWrapWord
	u.result.Wrapping = fyne.TextWrapWord
	u.install = widget.NewButtonWithIcon(lang.X("update.install", "Install"), theme.DownloadIcon(), d.InstallUpdate)
	u.install.Importance = widget.HighImportance
	u.cancel = widget.NewButtonWithIcon(lang.X("action.cancel", "Cancel"), theme.CancelIcon(), func() {
		if u.stop != nil {
			u.stop()
		}
	})
	u.progress.Hide()
	u.cancel.Hide()
	size := fyne.NewSize(260, 60)
	u.actions = container.NewHBox(container.NewGridWrap(size, u.install), container.NewGridWrap(size, u.cancel))
	u.box = container.NewVBox(widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.X("update.title", "Software update"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		u.offer, u.notes, u.progress, u.actions, u.result)
	u.box.Hide()
	d.update = u
	d.right.Add(u.box)
}

// UpdateResult is what the last install said when it failed, for tests.
func (d *DayEnd) UpdateResult() string { return d.update.result.Text }

// UpdateOffer is the version offered, or installed, as shown, for tests.
func (d *DayEnd) UpdateOffer() string { return d.update.offer.Text }

// refreshUpdate shows the offer when one is remembered and the day is
// closed; it says what a restart will finish once one is installed.
func (d *DayEnd) refreshUpdate() {
	u := d.update
	if u == nil || u.stop != nil {
		return
	}
	l := d.ui.Shop.Lang
	var version, notes, installed string
	var ok, closed bool
	var err error
	d.ui.Async(func() {
		version, notes, ok = u.svc.Offered(l)
		installed = u.svc.Installed()
		if ok {
			closed, err = u.svc.DayClosed(context.Background())
		}
	}, func() {
		switch {
		case installed != "":
			u.showInstalled(installed)
			u.result.SetText("")
		case err != nil:
			u.box.Hide()
		case ok && closed:
			u.version = version
			u.offer.SetText(lang.X("update.available", "Version {{.Version}} is available", map[string]any{"Version": version}))
			u.notes.SetText(notes)
			u.notes.Hidden = notes == ""
			u.actions.Show()
			u.install.Enable()
			u.box.Show()
		default:
			u.box.Hide()
		}
		d.right.Refresh()
	})
}

// InstallUpdate installs the version offered, as the operator if they may
// (PermSettingsShop), else after an owner's approval; the service checks
// again. The download shows its progress and can be cancelled.
func (d *DayEnd) InstallUpdate() {
	d.ui.Touch()
	u := d.update
	if u == nil || u.version == "" || u.stop != nil {
		return
	}
	version := u.version
	asAllowed(d.ui, d.staff, models.PermSettingsShop,
		lang.X("update.approve_title", "Approve installing version {{.Version}}", map[string]any{"Version": version}),
		func(by models.Operator) { d.installAs(version, by) })
}

// installAs installs version for by.
func (d *DayEnd) installAs(version string, by models.Operator) {
	u := d.update
	ctx, cancel := context.WithCancel(context.Background())
	u.stop = cancel
	u.progress.SetValue(0)
	u.progress.Show()
	u.cancel.Show()
	u.install.Disable()
	u.result.SetText(lang.X("update.downloading", "Downloading version {{.Version}}…", map[string]any{"Version": version}))
	var err error
	d.ui.Async(func() {
		err = u.svc.Install(ctx, version, by, func(done, total int64) {
			if total > 0 {
				d.ui.Do(func() { u.progress.SetValue(min(float64(done)/float64(total), 1)) })
			}
		})
	}, func() {
		u.stop = nil
		cancel()
		u.progress.Hide()
		u.cancel.Hide()
		u.install.Enable()
		switch {
		case err == nil:
			u.showInstalled(version)
			u.result.SetText("")
		case errors.Is(err, context.Canceled):
			u.result.SetText(lang.X("update.cancelled", "The download was cancelled; nothing was changed"))
		default:
			u.result.SetText(Message(err))
		}
		d.right.Refresh()
	})
}

// showInstalled says that version is in place and waits for a restart.
func (u *dayEndUpdate) showInstalled(version string) {
	u.offer.SetText(lang.X("update.restart", "Version {{.Version}} is installed: restart Till to finish",
		map[string]any{"Version": version}))
	u.notes.SetText("")
	u.notes.Hide()
	u.actions.Hide()
	u.box.Show()
}
