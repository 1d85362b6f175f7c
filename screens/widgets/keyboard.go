package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// LetterKeySize is the size of one key of the on-screen keyboard.
var LetterKeySize = fyne.NewSize(60, 52)

// Special keys of the on-screen keyboard, as Press takes them.
const (
	ShiftKey     = "⇧"
	BackspaceKey = "⌫"
	ReturnKey    = "↵"
	SpaceKey     = "space"
	SymbolsKey   = "?123"
	LettersKey   = "ABC"
	DoneKey      = "done"
)

// The two layouts of the on-screen keyboard: letters (with Shift) and
// digits with symbols. Each has the same shape, so the keys stay where the
// fingers expect them: ten keys a row, then Shift (or ABC/?123), seven
// keys and Backspace.
var (
	letterRows = [][]string{
		{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
		{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
		{"a", "s", "d", "f", "g", "h", "j", "k", "l", "-"},
		{ShiftKey, "z", "x", "c", "v", "b", "n", "m", ".", BackspaceKey},
	}
	symbolRows = [][]string{
		{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
		{"-", "/", ":", ";", "(", ")", "¥", "&", "@", "\""},
		{".", ",", "?", "!", "'", "#", "%", "*", "+", "="},
		{"_", "\\", "|", "~", "<", ">", "[", "]", "$", BackspaceKey},
	}
)

// shiftState is Shift's state: off, for the next letter, or locked (Shift
// tapped twice).
type shiftState int

const (
	shiftOff shiftState = iota
	shiftOnce
	shiftLocked
)

// Keyboard is an on-screen keyboard for a touchscreen without a physical
// one: letters with Shift, digits, a layout of symbols, space, Backspace
// and Return. It types into its target entry (Into) as a physical keyboard
// would, at the cursor; Chinese text comes through the platform's input
// method, not through this keyboard.
type Keyboard struct {
	widget.BaseWidget
	// OnDone is called when the Done key is tapped.
	OnDone func()
	// OnKey, when set, is called for every key instead of typing into the
	// target: the text of a character key, or one of the Key… names.
	OnKey func(key string)

	target  fyne.Focusable
	canvas  fyne.Canvas // when set, the target gets the focus back after a key
	symbols bool
	shift   shiftState
	keys    [4][10]*widget.Button
	mode    *widget.Button
	ret     *widget.Button
	named   map[string]*widget.Button
	box     fyne.CanvasObject
}

// NewKeyboard returns an on-screen keyboard showing the letters.
func NewKeyboard() *Keyboard {
	k := &Keyboard{named: map[string]*widget.Button{}}
	rows := container.NewVBox()
	for r := range letterRows {
		line := container.NewHBox()
		for c := range letterRows[r] {
			b := widget.NewButton("", func() { k.Press(k.label(r, c)) })
			k.keys[r][c] = b
			line.Add(container.NewGridWrap(LetterKeySize, b))
		}
		rows.Add(container.NewCenter(line))
	}
	k.mode = widget.NewButton(SymbolsKey, func() { k.Press(k.mode.Text) })
	space := widget.NewButton(" ", func() { k.Press(SpaceKey) })
	k.ret = widget.NewButton(ReturnKey, func() { k.Press(ReturnKey) })
	done := widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() { k.Press(DoneKey) })
	done.Importance = widget.HighImportance
	k.named[SpaceKey], k.named[ReturnKey], k.named[DoneKey] = space, k.ret, done
	wide := func(n float32) fyne.Size { return fyne.NewSize(LetterKeySize.Width*n, LetterKeySize.Height) }
	rows.Add(container.NewCenter(container.NewHBox(
		container.NewGridWrap(wide(1.5), k.mode),
		container.NewGridWrap(wide(5), space),
		container.NewGridWrap(wide(1.5), k.ret),
		container.NewGridWrap(wide(1.5), done))))
	k.box = rows
	k.relabel()
	k.ExtendBaseWidget(k)
	return k
}

// Into makes the keyboard type into target (an entry), its cursor put at
// the end of its text.
func (k *Keyboard) Into(target fyne.Focusable) {
	k.Use(target)
	if e, ok := target.(*widget.Entry); ok {
		lines := strings.Split(e.Text, "\n")
		e.CursorRow = len(lines) - 1
		e.CursorColumn = len([]rune(lines[len(lines)-1]))
		e.Refresh()
	}
}

// Use makes the keyboard type into target from now on, at its cursor.
func (k *Keyboard) Use(target fyne.Focusable) { k.target = target }

// Refocus makes the keyboard give the focus back to its target after each
// key (a tap on a key takes it away), so the cursor stays shown and a
// physical keyboard types there too.
func (k *Keyboard) Refocus(c fyne.Canvas) { k.canvas = c }

// label is the text key (r, c) types in the current layout and case.
func (k *Keyboard) label(r, c int) string {
	if k.symbols {
		return symbolRows[r][c]
	}
	key := letterRows[r][c]
	if k.shift != shiftOff && len(key) == 1 {
		return strings.ToUpper(key)
	}
	return key
}

// relabel shows the keys of the current layout and case.
func (k *Keyboard) relabel() {
	for r := range k.keys {
		for c, b := range k.keys[r] {
			b.SetText(k.label(r, c))
			b.Importance = widget.MediumImportance
			switch b.Text {
			case BackspaceKey:
				b.Importance = widget.WarningImportance
			case ShiftKey:
				if k.shift != shiftOff {
					b.Importance = widget.HighImportance
				}
			}
			b.Refresh()
		}
	}
	if k.symbols {
		k.mode.SetText(LettersKey)
	} else {
		k.mode.SetText(SymbolsKey)
	}
}

// Press acts as a tap on key: a character, or one of the Key… names.
func (k *Keyboard) Press(key string) {
	switch key {
	case ShiftKey:
		k.shift = (k.shift + 1) % 3
		k.relabel()
		return
	case SymbolsKey, LettersKey:
		k.symbols = key == SymbolsKey
		k.shift = shiftOff
		k.relabel()
		return
	case DoneKey:
		if k.OnDone != nil {
			k.OnDone()
		}
		return
	}
	if k.OnKey != nil {
		k.OnKey(key)
	} else if t := k.target; t != nil {
		switch key {
		case BackspaceKey:
			t.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		case ReturnKey:
			t.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		case SpaceKey:
			t.TypedRune(' ')
		default:
			for _, r := range key {
				t.TypedRune(r)
			}
		}
		if k.canvas != nil {
			k.canvas.Focus(t)
		}
	}
	if k.shift == shiftOnce && key != BackspaceKey {
		k.shift = shiftOff
		k.relabel()
	}
}

// Key returns the button that shows key in the current layout (a
// character, or SpaceKey, ReturnKey, DoneKey, SymbolsKey/LettersKey), for
// tests; nil when none does.
func (k *Keyboard) Key(key string) *widget.Button {
	if b := k.named[key]; b != nil {
		return b
	}
	if key == k.mode.Text {
		return k.mode
	}
	for r := range k.keys {
		for _, b := range k.keys[r] {
			if b.Text == key {
				return b
			}
		}
	}
	return nil
}

// CreateRenderer lays the keys out in rows.
func (k *Keyboard) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(k.box) }
