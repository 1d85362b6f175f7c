package screens

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// UpdateChannel is the signed update channel as Settings shows and sets
// it; *update.Installer is one.
type UpdateChannel interface {
	// Version is the running version.
	Version() string
	// Channel is the URL of the channel's manifest and its public key's
	// fingerprint, "" when unset.
	Channel(ctx context.Context) (url, fingerprint string, err error)
	// SetChannel stores the URL and the public key (base64), set by by:
	// the store refuses anyone but an owner, and audits the change.
	SetChannel(ctx context.Context, url, key string, by models.Operator) error
	// CheckNow asks the channel for a newer version: its number and its
	// notes in the language l, or why there is none.
	CheckNow(ctx context.Context, l string) (version, notes string, err error)
}

// updateCheckTimeout bounds a check asked for from Settings.
const updateCheckTimeout = time.Minute

// updateView is the Updates section's changing parts.
type updateView struct {
	url, key, result *widget.Label
	check, cancel    *widget.Button
	stop             context.CancelFunc // cancels the check under way
	dialog           dialog.Dialog      // the Edit dialog shown last
}

// updateItems are the Updates section's rows: the running version, the
// channel's address and key, Edit and Check now with its result.
func (s *Settings) updateItems() []*widget.FormItem {
	wrap := func() *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapBreak
		return l
	}
	v := &updateView{url: wrap(), key: wrap(), result: wrap()}
	s.update = v
	edit := widget.NewButtonWithIcon(lang.X("update.edit", "Edit"), theme.DocumentCreateIcon(), func() {
		s.ui.Touch()
		s.allowed(models.PermSettingsShop, lang.X("update.channel_title", "Update channel"), s.askUpdateChannel)
	})
	v.check = widget.NewButtonWithIcon(lang.X("update.check", "Check now"), theme.ViewRefreshIcon(), s.CheckUpdate)
	v.cancel = widget.NewButtonWithIcon(lang.X("action.cancel", "Cancel"), theme.CancelIcon(), func() {
		if v.stop != nil {
			v.stop()
		}
	})
	v.cancel.Hide()
	s.showUpdateChannel()
	return []*widget.FormItem{
		widget.NewFormItem(lang.X("update.running", "Running version"), widget.NewLabel(s.deps.Updates.Version())),
		widget.NewFormItem(lang.X("update.url", "Update address"), v.url),
		widget.NewFormItem(lang.X("update.key", "Public key"), v.key),
		widget.NewFormItem("", container.NewVBox(choices(edit, v.check, v.cancel), v.result)),
	}
}

// showUpdateChannel shows the stored channel.
func (s *Settings) showUpdateChannel() {
	u, fp, err := s.deps.Updates.Channel(context.Background())
	if err != nil {
		s.update.url.SetText(Message(err))
		return
	}
	unset := lang.X("update.unset", "Not set")
	if u == "" {
		u = unset
	}
	s.update.url.SetText(u)
	if fp == "" {
		s.update.key.SetText(unset)
	} else {
		s.update.key.SetText(lang.X("update.fingerprint", "Fingerprint {{.Fingerprint}}", map[string]any{"Fingerprint": fp}))
	}
}

// UpdateResult is what the last check said, for tests.
func (s *Settings) UpdateResult() string { return s.update.result.Text }

// CheckUpdate asks the channel for a newer version and shows the answer:
// up to date, the version offered with its notes, or why it is refused.
// Cancel stops it.
func (s *Settings) CheckUpdate() {
	s.ui.Touch()
	v := s.update
	if v.stop != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), updateCheckTimeout)
	v.stop = cancel
	v.check.Disable()
	v.cancel.Show()
	v.result.SetText(lang.X("update.checking", "Checking…"))
	var version, notes string
	var err error
	l := s.ui.Shop.Lang
	s.ui.Async(func() {
		version, notes, err = s.deps.Updates.CheckNow(ctx, l)
	}, func() {
		cancelled := errors.Is(ctx.Err(), context.Canceled)
		v.stop = nil
		cancel()
		v.check.Enable()
		v.cancel.Hide()
		if cancelled {
			v.result.SetText(lang.X("update.check_cancelled", "The check was cancelled"))
			return
		}
		if err != nil {
			v.result.SetText(Message(err))
			return
		}
		v.result.SetText(offerText(version, notes) + "\n" +
			lang.X("update.install_at_close", "It is installed from Day end, once the day is closed."))
	})
}

// offerText says that version is available, with its notes.
func offerText(version, notes string) string {
	t := lang.X("update.available", "Version {{.Version}} is available", map[string]any{"Version": version})
	if notes != "" {
		t += "\n" + notes
	}
	return t
}

// askUpdateChannel asks by for the channel's address and public key, and
// stores them.
func (s *Settings) askUpdateChannel(by models.Operator) {
	u, key := widget.NewEntry(), widget.NewEntry()
	cur, _, _ := s.deps.Updates.Channel(context.Background())
	u.SetText(cur)
	u.SetPlaceHolder("https://…/manifest.json")
	key.SetPlaceHolder(lang.X("update.key_hint", "The content of update.pub (base64)"))
	for _, e := range []*widget.Entry{u, key} {
		s.ui.watchEntry(e)
	}
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	why := widget.NewLabel(lang.X("update.channel_why", "Whoever holds this key decides which software this till runs. Only an owner sets it; the change is recorded in the audit trail. Leave both empty to stop updates."))
	why.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	ok := widget.NewButtonWithIcon(lang.X("update.save", "Save"), theme.ConfirmIcon(), nil)
	ok.Importance = widget.HighImportance
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("update.url", "Update address"), u),
			widget.NewFormItem(lang.X("update.key", "Public key"), key)),
		why, msg, widgets.NewActions(56, cancel, ok))
	d := dialog.NewCustomWithoutButtons(lang.X("update.channel_title", "Update channel"), container.NewStack(strut(640, 0), body), s.ui.Window)
	s.update.dialog = d
	cancel.OnTapped = d.Hide
	ok.OnTapped = func() {
		ok.Disable()
		addr, k := u.Text, key.Text
		var err error
		s.ui.Async(func() { err = s.deps.Updates.SetChannel(context.Background(), addr, k, by) }, func() {
			ok.Enable()
			if err != nil {
				msg.SetText(Message(err))
				fitDialog(s.ui, d)
				return
			}
			d.Hide()
			s.update.result.SetText("")
			s.showUpdateChannel()
		})
	}
	d.Show()
	fitDialog(s.ui, d)
}
