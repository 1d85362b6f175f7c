package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/screens/widgets"
)

// numberDialog asks for a number on the on-screen keypad. onOK returns an
// error to keep the dialog open with the error shown under the keypad.
type numberDialog struct {
	ui     *UI
	d      *dialog.CustomDialog
	cancel *widget.Button
	keypad *widgets.Keypad
	msg    *canvas.Text
	ok     *widget.Button
	extra  []fyne.CanvasObject
	// next, when onOK sets it, runs once the dialog has closed: a step that
	// opens another dialog must (Fyne closes every dialog above one it hides).
	next func()
}

func newNumberDialog(ui *UI, title string, decimals int, initial string, onOK func(string) error, top ...fyne.CanvasObject) *numberDialog {
	nd := &numberDialog{ui: ui, keypad: widgets.NewKeypad(decimals)}
	nd.keypad.SetText(initial)
	nd.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	nd.msg.TextSize = theme.TextSize()
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	nd.cancel = cancel
	nd.ok = widget.NewButton(lang.X("action.ok", "OK"), nil)
	nd.ok.Importance = widget.HighImportance
	buttons := container.NewGridWithColumns(2, cancel, nd.ok)
	body := container.NewVBox(append(top, container.NewCenter(nd.keypad), nd.msg, buttons)...)
	nd.d = dialog.NewCustomWithoutButtons(title, body, ui.Window)
	cancel.OnTapped = func() {
		ui.Touch()
		nd.d.Hide()
	}
	nd.ok.OnTapped = func() {
		ui.Touch()
		if err := onOK(nd.keypad.Text()); err != nil {
			nd.msg.Text = Message(err)
			nd.msg.Refresh()
			return
		}
		nd.d.Hide()
		if next := nd.next; next != nil {
			nd.next = nil
			next()
		}
	}
	nd.keypad.OnChanged = func(string) {
		ui.Touch()
		if nd.msg.Text != "" {
			nd.msg.Text = ""
			nd.msg.Refresh()
		}
	}
	return nd
}

// Show opens the dialog. While it is open the physical keyboard types on
// its keypad: digits and the point, Backspace, Delete to clear, Enter for
// OK and Escape to cancel; the keys go back to the screen when it closes.
func (nd *numberDialog) Show() {
	c := nd.ui.Window.Canvas()
	prevRune, prevKey := c.OnTypedRune(), c.OnTypedKey()
	c.SetOnTypedRune(func(r rune) {
		nd.ui.Touch()
		nd.keypad.TypeRune(r)
	})
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		nd.ui.Touch()
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			nd.ok.OnTapped()
		case fyne.KeyEscape:
			nd.cancel.OnTapped()
		default:
			nd.keypad.TypeKey(ev.Name)
		}
	})
	nd.d.SetOnClosed(func() {
		c.SetOnTypedRune(prevRune)
		c.SetOnTypedKey(prevKey)
	})
	nd.d.Show()
}
