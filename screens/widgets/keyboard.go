package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// LetterKeySize is the size of one key of the on-screen keyboard.
var LetterKeySize = fyne.NewSize(60, 56)

// keyboardRows are the keys of the on-screen keyboard: digits and the
// letters pinyin needs.
var keyboardRows = [][]string{
	{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
	{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
	{"a", "s", "d", "f", "g", "h", "j", "k", "l", "-"},
	{"z", "x", "c", "v", "b", "n", "m", "⌫"},
}

// Keyboard is an on-screen keyboard of digits and lower-case letters for
// searching by pinyin, SKU or barcode on a touchscreen that has no keyboard.
type Keyboard struct {
	widget.BaseWidget
	// OnKey is called with a key's text: a digit, a letter, "-", " ",
	// "⌫" (backspace) or "C" (clear).
	OnKey func(key string)
	// OnDone is called when the Done key is tapped.
	OnDone func()

	keys map[string]*widget.Button
	box  fyne.CanvasObject
}

// NewKeyboard returns an on-screen keyboard.
func NewKeyboard() *Keyboard {
	k := &Keyboard{keys: map[string]*widget.Button{}}
	press := func(key string) func() {
		return func() {
			if k.OnKey != nil {
				k.OnKey(key)
			}
		}
	}
	rows := container.NewVBox()
	for _, row := range keyboardRows {
		line := container.NewHBox()
		for _, key := range row {
			b := widget.NewButton(key, press(key))
			if key == "⌫" {
				b.Importance = widget.WarningImportance
			}
			k.keys[key] = b
			line.Add(container.NewGridWrap(LetterKeySize, b))
		}
		rows.Add(container.NewCenter(line))
	}
	space := widget.NewButton("␣", press(" "))
	clear := widget.NewButton("C", press("C"))
	clear.Importance = widget.WarningImportance
	done := widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() {
		if k.OnDone != nil {
			k.OnDone()
		}
	})
	done.Importance = widget.HighImportance
	k.keys[" "], k.keys["C"], k.keys["done"] = space, clear, done
	rows.Add(container.NewCenter(container.NewHBox(
		container.NewGridWrap(LetterKeySize, clear),
		container.NewGridWrap(fyne.NewSize(LetterKeySize.Width*6, LetterKeySize.Height), space),
		container.NewGridWrap(fyne.NewSize(LetterKeySize.Width*2, LetterKeySize.Height), done))))
	k.box = rows
	k.ExtendBaseWidget(k)
	return k
}

// Key returns the button for a key, for tests ("done" for Done).
func (k *Keyboard) Key(key string) *widget.Button { return k.keys[key] }

// CreateRenderer lays the keys out in rows.
func (k *Keyboard) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(k.box) }
