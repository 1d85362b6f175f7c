package screens

import (
	"errors"

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
	// onOK checks the number when OK is tapped.
	onOK  func(string) error
	extra []fyne.CanvasObject
	// next, when onOK sets it, runs once the dialog has closed: a step that
	// opens another dialog must (Fyne closes every dialog above one it hides).
	next func()
	// closed is set once the dialog has closed, by OK or Cancel: a check
	// still running then has nobody to answer.
	closed bool
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
	nd.onOK = onOK
	nd.ok.OnTapped = func() {
		ui.Touch()
		if err := nd.onOK(nd.keypad.Text()); err != nil {
			if err != errChecking {
				nd.showError(err)
			}
			return
		}
		nd.close(nd.next)
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

// errChecking is what onOK returns while it checks the number in the
// background: the dialog stays open with no message, and the check closes
// it (close) or shows its error (showError) when done.
var errChecking = errors.New("screens: checking")

// showError shows err under the keypad, the dialog left open.
func (nd *numberDialog) showError(err error) {
	nd.msg.Text = Message(err)
	nd.msg.Refresh()
}

// close hides the dialog, then runs next (if not nil).
func (nd *numberDialog) close(next func()) {
	nd.next = nil
	nd.d.Hide()
	if next != nil {
		next()
	}
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
		nd.closed = true
		c.SetOnTypedRune(prevRune)
		c.SetOnTypedKey(prevKey)
	})
	nd.d.Show()
}

// textDialog asks for a line (or, multiline, lines) of text, typed on the
// physical keyboard or on Till's on-screen one; Chinese comes through the
// platform's input method into the same entry. onOK returns an error to
// keep the dialog open with the error shown.
type textDialog struct {
	d        *dialog.CustomDialog
	entry    *widget.Entry
	keyboard *widgets.Keyboard
	msg      *canvas.Text
	ok       *widget.Button
}

func newTextDialog(ui *UI, title, initial, placeholder string, multiline bool, onOK func(string) error) *textDialog {
	td := &textDialog{entry: widget.NewEntry(), keyboard: widgets.NewKeyboard()}
	if multiline {
		td.entry = widget.NewMultiLineEntry()
		td.entry.SetMinRowsVisible(4)
	}
	td.entry.SetText(initial)
	td.entry.SetPlaceHolder(placeholder)
	ui.watchEntry(td.entry)
	td.keyboard.Into(td.entry)
	td.keyboard.Refocus(ui.Window.Canvas())
	td.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	td.ok = widget.NewButton(lang.X("action.ok", "OK"), nil)
	td.ok.Importance = widget.HighImportance
	buttons := container.NewGridWithColumns(2, tall(cancel, 52), td.ok)
	body := container.NewVBox(td.entry, td.msg, container.NewCenter(td.keyboard), buttons)
	td.d = dialog.NewCustomWithoutButtons(title, body, ui.Window)
	cancel.OnTapped = func() {
		ui.Touch()
		td.d.Hide()
	}
	td.ok.OnTapped = func() {
		ui.Touch()
		if err := onOK(td.entry.Text); err != nil {
			td.msg.Text = Message(err)
			td.msg.Refresh()
			return
		}
		td.d.Hide()
	}
	td.keyboard.OnDone = td.ok.OnTapped
	if !multiline {
		td.entry.OnSubmitted = func(string) { td.ok.OnTapped() }
	}
	return td
}

// Show opens the dialog with the entry focused, for a physical keyboard.
func (td *textDialog) Show(ui *UI) {
	td.d.Show()
	ui.Window.Canvas().Focus(td.entry)
}

// keyboardToggle is an on-screen keyboard, hidden until its toggle button
// is tapped, typing into the entry last tapped (first the first).
type keyboardToggle struct {
	keys   *widgets.Keyboard
	toggle *widget.Button
	// resized, when set, is called after the keyboard shows or hides: a
	// dialog holding it must be resized to its new content.
	resized *func()
}

func onScreenKeyboard(ui *UI, entries ...*widget.Entry) keyboardToggle {
	k := keyboardToggle{keys: widgets.NewKeyboard(), resized: new(func())}
	k.keys.Into(entries[0])
	k.keys.Refocus(ui.Window.Canvas())
	for _, e := range entries {
		prev := e.OnCursorChanged
		e.OnCursorChanged = func() {
			k.keys.Use(e)
			if prev != nil {
				prev()
			}
		}
	}
	k.keys.Hide()
	k.toggle = widget.NewButtonWithIcon(lang.X("keyboard.show", "Keyboard"), theme.ComputerIcon(), func() {
		ui.Touch()
		if k.keys.Visible() {
			k.keys.Hide()
		} else {
			k.keys.Show()
		}
		if f := *k.resized; f != nil {
			f()
		}
	})
	k.keys.OnDone = func() {
		k.keys.Hide()
		if f := *k.resized; f != nil {
			f()
		}
	}
	return k
}

// fitDialog sizes d, shown on ui's window, to its content again (after an
// on-screen keyboard shows or hides) and centres it again: a dialog
// resized keeps its top left corner, and a taller one would run off the
// bottom of the screen.
func fitDialog(ui *UI, d dialog.Dialog) {
	d.Resize(fyne.Size{})
	if top := ui.Window.Canvas().Overlays().Top(); top != nil {
		top.Refresh()
	}
}

// confirm asks a yes/no question in a dialog; the answer counts as
// activity at the till, then cb has it.
func (u *UI) confirm(title, text string, cb func(bool)) {
	dialog.ShowConfirm(title, text, func(ok bool) {
		u.Touch()
		cb(ok)
	}, u.Window)
}
