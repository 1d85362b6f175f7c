package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// KeySize is the size of one keypad key: well above the 48 dp touch minimum.
var KeySize = fyne.NewSize(88, 64)

// Keypad is an on-screen numeric keypad with its own display, because a
// touchscreen on a desktop driver brings no on-screen keyboard.
type Keypad struct {
	widget.BaseWidget

	// MaxDecimals is how many digits may follow the decimal point (0 hides the point key).
	MaxDecimals int
	// MaxLen caps the number of characters typed.
	MaxLen int
	// OnChanged is called with the new text after every key.
	OnChanged func(string)
	// Secret makes the keypad take a code: leading zeros are kept and the
	// display shows a dot per digit.
	Secret bool

	text    string
	fresh   bool // text was set from outside: the first key replaces it
	display *canvas.Text
	keys    map[string]*widget.Button
}

// NewKeypad returns a keypad for amounts with up to decimals digits after the point.
func NewKeypad(decimals int) *Keypad {
	k := &Keypad{MaxDecimals: decimals, MaxLen: 12, keys: map[string]*widget.Button{}}
	k.ExtendBaseWidget(k)
	return k
}

// Text is what has been typed.
func (k *Keypad) Text() string { return k.text }

// SetText replaces what has been typed: a value shown before anyone types,
// which the first digit typed replaces (Backspace edits it instead).
func (k *Keypad) SetText(s string) {
	k.set(s)
	k.fresh = true
}

func (k *Keypad) set(s string) {
	k.text = s
	if k.display != nil {
		k.display.Text = k.shown()
		k.display.Refresh()
	}
	if k.OnChanged != nil {
		k.OnChanged(s)
	}
}

// Press acts as if the key with the given label were tapped: "0"–"9", "00",
// ".", "⌫" (backspace) or "C" (clear).
func (k *Keypad) Press(key string) {
	t := k.text
	if k.fresh && key != "⌫" && key != "C" {
		t = "" // the first key replaces the value shown
	}
	k.fresh = false
	switch key {
	case "C":
		t = ""
	case "⌫":
		if t != "" {
			_, size := lastRune(t)
			t = t[:len(t)-size]
		}
	case ".":
		if k.MaxDecimals == 0 || strings.Contains(t, ".") {
			return
		}
		if t == "" {
			t = "0"
		}
		t += "."
	default:
		if whole, frac, ok := strings.Cut(t, "."); ok && len(frac)+len(key) > k.MaxDecimals {
			return
		} else if !ok && whole == "0" && !k.Secret {
			t = ""
		}
		if len(t)+len(key) > k.MaxLen {
			return
		}
		t += key
	}
	k.set(t)
}

// TypeRune presses the key of a character typed on a physical keyboard:
// a digit or the decimal point ("," too); it reports whether r was one.
func (k *Keypad) TypeRune(r rune) bool {
	switch {
	case r >= '0' && r <= '9':
		k.Press(string(r))
	case r == '.' || r == ',':
		k.Press(".")
	default:
		return false
	}
	return true
}

// TypeKey presses Backspace (⌫) or Delete (C) typed on a physical
// keyboard; it reports whether the key was one of them.
func (k *Keypad) TypeKey(name fyne.KeyName) bool {
	switch name {
	case fyne.KeyBackspace:
		k.Press("⌫")
	case fyne.KeyDelete:
		k.Press("C")
	default:
		return false
	}
	return true
}

// shown is what the display shows of the text.
func (k *Keypad) shown() string {
	if k.Secret {
		return strings.Repeat("●", len([]rune(k.text)))
	}
	return k.text
}

func lastRune(s string) (rune, int) {
	r := []rune(s)
	last := r[len(r)-1]
	return last, len(string(last))
}

// Key returns the button for a key label, for tests.
func (k *Keypad) Key(label string) *widget.Button { return k.keys[label] }

// CreateRenderer builds the display and the 4×4 grid of keys.
func (k *Keypad) CreateRenderer() fyne.WidgetRenderer {
	k.display = canvas.NewText(k.shown(), theme.Color(theme.ColorNameForeground))
	k.display.TextSize = 32
	k.display.Alignment = fyne.TextAlignTrailing
	k.display.TextStyle = fyne.TextStyle{Bold: true}
	point := "."
	if k.MaxDecimals == 0 {
		point = ""
	}
	rows := [][]string{{"7", "8", "9", "⌫"}, {"4", "5", "6", "C"}, {"1", "2", "3", ""}, {"0", "00", point, ""}}
	grid := container.NewGridWithColumns(4)
	for _, row := range rows {
		for _, label := range row {
			if label == "" {
				grid.Add(layout.NewSpacer())
				continue
			}
			b := widget.NewButton(label, func() { k.Press(label) })
			if label == "C" || label == "⌫" {
				b.Importance = widget.WarningImportance
			}
			k.keys[label] = b
			grid.Add(container.NewGridWrap(KeySize, b))
		}
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	display := container.NewStack(bg, container.NewPadded(k.display))
	return widget.NewSimpleRenderer(container.NewBorder(display, nil, nil, nil, grid))
}
