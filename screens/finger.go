package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// fingerWait bounds how long a fingerprint button waits for a finger.
const fingerWait = 30 * time.Second

// fingerButtons is "use fingerprint" and, in demo mode, a button per demo
// finger that places it and identifies it; nil without a reader. identified
// gets the operator (or the error to show).
func fingerButtons(env *Env, identified func(models.Operator, error)) fyne.CanvasObject {
	if env.Fingers == nil {
		return nil
	}
	identify := func() {
		var op models.Operator
		var err error
		env.Async(func() {
			ctx, cancel := context.WithTimeout(context.Background(), fingerWait)
			defer cancel()
			op, err = env.Fingers.Identify(ctx)
		}, func() { identified(op, err) })
	}
	use := widget.NewButtonWithIcon(lang.X("finger.use", "Place a finger on the reader"), theme.AccountIcon(), identify)
	use.Importance = widget.HighImportance
	box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 56), use)))
	if names := env.Fingers.DemoFingers(); len(names) > 0 {
		row := container.NewHBox()
		for _, name := range names {
			b := widget.NewButton(lang.X("finger.demo", "Demo finger: {{.Name}}", map[string]any{"Name": name}), func() {
				env.Fingers.PlaceDemo(name)
				identify()
			})
			row.Add(container.NewGridWrap(fyne.NewSize(220, 52), b))
		}
		box.Add(row)
	}
	return box
}
