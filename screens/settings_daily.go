package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// DailyBackups is the daily backup, when the backups have one;
// *backup.Service is one.
type DailyBackups interface {
	// DailyState says whether the daily backup is on, its folder and
	// when it last ran (zero: never).
	DailyState(ctx context.Context) (on bool, dir string, last time.Time, err error)
	// SetDaily turns it on into dir, sealed under a key derived from
	// passphrase, for by.
	SetDaily(ctx context.Context, dir, passphrase string, by models.Operator) error
	// StopDaily turns it off, for by.
	StopDaily(ctx context.Context, by models.Operator) error
}

// dailyItem is the daily backup's row: its state, Set up and Turn off;
// nil when the backups have no daily one.
func (s *Settings) dailyItem() *widget.FormItem {
	daily, ok := s.deps.Backups.(DailyBackups)
	if !ok {
		return nil
	}
	s.dailyState = widget.NewLabel("")
	s.dailyState.Wrapping = fyne.TextWrapWord
	set := widget.NewButtonWithIcon(lang.X("backup.daily_set", "Set up"), theme.SettingsIcon(), func() {
		s.allowed(models.PermDayClose, lang.X("backup.daily", "Daily backup"), func(by models.Operator) { s.askDaily(daily, by) })
	})
	off := widget.NewButton(lang.X("backup.daily_off", "Turn off"), func() {
		s.allowed(models.PermDayClose, lang.X("backup.daily", "Daily backup"), func(by models.Operator) {
			var err error
			s.ui.Async(func() { err = daily.StopDaily(context.Background(), by) }, func() {
				if err != nil {
					ShowError(s.ui.Window, err)
				}
				s.showDaily(daily)
			})
		})
	})
	s.showDaily(daily)
	return widget.NewFormItem(lang.X("backup.daily", "Daily backup"),
		container.NewVBox(s.dailyState, container.NewGridWrap(settingsCell, set, off)))
}

// showDaily shows whether the daily backup is on, where, and when it last ran.
func (s *Settings) showDaily(daily DailyBackups) {
	on, dir, last, err := daily.DailyState(context.Background())
	switch {
	case err != nil:
		s.dailyState.SetText(Message(err))
	case !on:
		s.dailyState.SetText(lang.X("backup.daily_is_off", "Off"))
	case last.IsZero():
		s.dailyState.SetText(lang.X("backup.daily_is_on_new", "On, into {{.Dir}}; the first within the hour",
			map[string]any{"Dir": dir}))
	default:
		s.dailyState.SetText(lang.X("backup.daily_is_on", "On, into {{.Dir}}; last {{.Last}}",
			map[string]any{"Dir": dir, "Last": last.Local().Format("2006-01-02 15:04")}))
	}
}

// askDaily asks by for the daily backup's folder and passphrase (twice),
// then turns it on.
func (s *Settings) askDaily(daily DailyBackups, by models.Operator) {
	dir, pass, again := widget.NewEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	_, current, _, _ := daily.DailyState(context.Background())
	if current == "" {
		current = s.deps.Backups.Dir(context.Background())
	}
	dir.SetText(current)
	pass.SetPlaceHolder(lang.X("backup.passphrase", "Backup passphrase (10 characters or more)"))
	again.SetPlaceHolder(lang.X("backup.again", "The passphrase again"))
	for _, e := range []*widget.Entry{dir, pass, again} {
		s.ui.watchEntry(e)
	}
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	why := widget.NewLabel(lang.X("backup.daily_why", "Once a day, with nobody there, the till backs up into this folder and keeps the last 7. Each opens only with this passphrase: keep it apart. The till keeps a key made from it, sealed, never the passphrase."))
	why.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	ok := widget.NewButtonWithIcon(lang.X("backup.daily_start", "Turn on"), theme.ConfirmIcon(), nil)
	ok.Importance = widget.HighImportance
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("backup.folder", "Folder (a USB stick's)"), dir),
			widget.NewFormItem(lang.X("backup.passphrase_label", "Passphrase"), pass), widget.NewFormItem("", again)),
		why, msg, widgets.NewActions(56, cancel, ok))
	d := dialog.NewCustomWithoutButtons(lang.X("backup.daily", "Daily backup"), container.NewStack(strut(560, 0), body), s.ui.Window)
	s.dailyDialog = d
	cancel.OnTapped = d.Hide
	ok.OnTapped = func() {
		if pass.Text != again.Text {
			msg.Text = lang.X("backup.mismatch", "The two passphrases differ")
			msg.Refresh()
			return
		}
		ok.Disable()
		folder, phrase := dir.Text, pass.Text
		var err error
		s.ui.Async(func() { err = daily.SetDaily(context.Background(), folder, phrase, by) }, func() {
			ok.Enable()
			if err != nil {
				msg.Text = Message(err)
				msg.Refresh()
				return
			}
			d.Hide()
			s.showDaily(daily)
		})
	}
	d.Show()
	fitDialog(s.ui, d)
}
