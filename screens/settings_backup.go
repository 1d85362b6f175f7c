package screens

import (
	"context"
	"errors"

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

// Backups makes encrypted backups of the database; *backup.Service is one.
type Backups interface {
	// Dir is the folder the last backup went to.
	Dir(ctx context.Context) string
	// Backup backs the database up into dir under passphrase, for by,
	// telling progress each step ("snapshot", "seal", "verify") and how
	// far it is; it returns the file, checked.
	Backup(ctx context.Context, dir, passphrase string, by models.Operator, progress func(step string, done, total int64)) (string, error)
}

// backupItems are the Backup section's rows.
func (s *Settings) backupItems() []*widget.FormItem {
	now := widget.NewButtonWithIcon(lang.X("backup.now", "Back up now"), theme.DownloadIcon(), s.AskBackup)
	items := []*widget.FormItem{widget.NewFormItem(lang.X("backup.title", "Encrypted backup"), container.NewGridWrap(settingsCell, now))}
	if daily := s.dailyItem(); daily != nil {
		items = append(items, daily)
	}
	return items
}

// AskBackup asks a manager (the close-of-day permission) for the folder
// and the backup passphrase, then backs up with progress and Cancel.
func (s *Settings) AskBackup() {
	s.allowed(models.PermDayClose, lang.X("backup.title", "Encrypted backup"), s.askBackupAs)
}

// BackupDialog is the open backup dialog's parts, for tests.
type BackupDialog struct {
	Dir, Passphrase, Again *widget.Entry
	Start, Cancel          *widget.Button
	Message                *canvas.Text
	Progress               *widget.ProgressBar
}

// Backup is the backup dialog shown last, for tests.
func (s *Settings) Backup() *BackupDialog { return s.backupDialog }

func (s *Settings) askBackupAs(by models.Operator) {
	b := &BackupDialog{Dir: widget.NewEntry(), Passphrase: widget.NewPasswordEntry(), Again: widget.NewPasswordEntry(),
		Message: canvas.NewText("", theme.Color(theme.ColorNameError)), Progress: widget.NewProgressBar()}
	s.backupDialog = b
	b.Dir.SetText(s.deps.Backups.Dir(context.Background()))
	b.Passphrase.SetPlaceHolder(lang.X("backup.passphrase", "Backup passphrase (10 characters or more)"))
	b.Again.SetPlaceHolder(lang.X("backup.again", "The passphrase again"))
	for _, e := range []*widget.Entry{b.Dir, b.Passphrase, b.Again} {
		s.ui.watchEntry(e)
	}
	step := widget.NewLabel(lang.X("backup.why", "The backup is sealed with this passphrase: keep it apart from the backup. Without it the backup cannot be restored."))
	step.Wrapping = fyne.TextWrapWord
	b.Progress.Hide()
	b.Cancel = widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	b.Start = widget.NewButtonWithIcon(lang.X("backup.start", "Back up"), theme.DownloadIcon(), nil)
	b.Start.Importance = widget.HighImportance
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.X("backup.folder", "Folder (a USB stick's)"), b.Dir),
			widget.NewFormItem(lang.X("backup.passphrase_label", "Passphrase"), b.Passphrase), widget.NewFormItem("", b.Again)),
		step, b.Progress, b.Message, widgets.NewActions(56, b.Cancel, b.Start))
	d := dialog.NewCustomWithoutButtons(lang.X("backup.title", "Encrypted backup"), container.NewStack(strut(560, 0), body), s.ui.Window)
	var stop context.CancelFunc
	b.Cancel.OnTapped = func() {
		if stop != nil {
			stop() // the backup stops; the dialog closes when it has
			return
		}
		d.Hide()
	}
	b.Start.OnTapped = func() {
		if stop != nil {
			return
		}
		if b.Passphrase.Text != b.Again.Text {
			b.Message.Text = lang.X("backup.mismatch", "The two passphrases differ")
			b.Message.Refresh()
			return
		}
		var ctx context.Context
		ctx, stop = context.WithCancel(context.Background())
		b.Start.Disable()
		b.Message.Text = ""
		b.Message.Refresh()
		b.Progress.SetValue(0)
		b.Progress.Show()
		dir, pass := b.Dir.Text, b.Passphrase.Text
		var path string
		var err error
		s.ui.Async(func() {
			path, err = s.deps.Backups.Backup(ctx, dir, pass, by, func(name string, done, total int64) {
				s.ui.Do(func() {
					step.SetText(backupStep(name))
					if total > 0 {
						b.Progress.SetValue(float64(done) / float64(total))
					}
				})
			})
		}, func() {
			stop()
			stop = nil
			b.Start.Enable()
			b.Progress.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				step.SetText(lang.X("backup.cancelled", "Backup cancelled: nothing was written"))
			case err != nil:
				b.Message.Text = Message(err)
				b.Message.Refresh()
			default:
				step.SetText(lang.X("backup.done", "Backed up and checked: {{.Path}}", map[string]any{"Path": path}))
				b.Start.Disable()
				b.Cancel.SetText(lang.X("action.close", "Close"))
			}
		})
	}
	d.Show()
	fitDialog(s.ui, d)
}

// backupStep names a backup's step in the language shown.
func backupStep(step string) string {
	switch step {
	case "snapshot":
		return lang.X("backup.step_snapshot", "Copying the database…")
	case "seal":
		return lang.X("backup.step_seal", "Encrypting…")
	case "verify":
		return lang.X("backup.step_verify", "Checking the backup…")
	}
	return step
}
