package screens

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// Training enters and leaves training mode, in which staff practise on a
// database of its own and nothing is counted; the app is one. Both are
// called on the UI goroutine once the permission is granted (or a
// manager approved), and replace the window's screens; the store checks
// the permission again and audits both in the shop's trail.
type Training interface {
	// InTraining reports whether the till is in training mode.
	InTraining() bool
	// StartTraining enters training mode for by.
	StartTraining(by models.Operator) error
	// EndTraining leaves it for by, back to the shop's database and the
	// sell screen.
	EndTraining(by models.Operator) error
}

// trainingColour is the banner's strip: an amber no screen uses otherwise.
var trainingColour = color.NRGBA{R: 0xF5, G: 0x9E, B: 0x0B, A: 0xFF}

// TrainingBanner is the strip across the top of every screen in training
// mode: "TRAINING — nothing is counted", in black on amber.
func TrainingBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(trainingColour)
	bg.SetMinSize(fyne.NewSize(0, 36))
	text := canvas.NewText(lang.X("training.banner", "TRAINING — nothing is counted"), color.Black)
	text.TextStyle = fyne.TextStyle{Bold: true}
	text.TextSize = theme.TextSize() * 1.2
	text.Alignment = fyne.TextAlignCenter
	return container.NewStack(bg, container.NewCenter(text))
}

// WithTrainingBanner is o under the training banner when ui is in
// training mode, else o.
func WithTrainingBanner(ui *UI, o fyne.CanvasObject) fyne.CanvasObject {
	if !ui.Shop.Training {
		return o
	}
	return container.NewBorder(TrainingBanner(), nil, nil, nil, o)
}

// trainingItems are the Training section's rows: what training is, and
// the button that enters or leaves it.
func (s *Settings) trainingItems() []*widget.FormItem {
	in := s.deps.Training.InTraining()
	about := widget.NewLabel(lang.X("training.about",
		"Practise every flow on this till: sales, cards and QR codes against a simulated acquirer. Nothing is counted, synced or settled."))
	about.Wrapping = fyne.TextWrapWord
	var b *widget.Button
	if in {
		b = widget.NewButtonWithIcon(lang.X("training.end", "Leave training"), theme.LogoutIcon(), s.EndTraining)
	} else {
		b = widget.NewButtonWithIcon(lang.X("training.start", "Start training"), theme.MediaPlayIcon(), s.StartTraining)
	}
	b.Importance = widget.WarningImportance
	return []*widget.FormItem{widget.NewFormItem("", about),
		widget.NewFormItem("", container.NewGridWrap(fyne.NewSize(240, 52), b))}
}

// StartTraining enters training mode, for someone the matrix allows
// training (or with a manager's approval).
func (s *Settings) StartTraining() {
	s.allowed(models.PermTraining, lang.X("training.start", "Start training"), func(by models.Operator) {
		if err := s.deps.Training.StartTraining(by); err != nil {
			ShowError(s.ui.Window, err)
		}
	})
}

// EndTraining leaves training mode, as StartTraining enters it.
func (s *Settings) EndTraining() {
	s.allowed(models.PermTraining, lang.X("training.end", "Leave training"), func(by models.Operator) {
		if err := s.deps.Training.EndTraining(by); err != nil {
			ShowError(s.ui.Window, err)
		}
	})
}
