package widgets

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func tapKeys(t *testing.T, k *Keyboard, keys ...string) {
	t.Helper()
	for _, key := range keys {
		b := k.Key(key)
		if b == nil {
			t.Fatalf("no key %q on the keyboard", key)
		}
		test.Tap(b)
	}
}

func TestKeyboardTypesIntoAnEntryWithShiftAndSymbols(t *testing.T) {
	test.NewTempApp(t)
	e := widget.NewMultiLineEntry()
	e.SetText("Shop")
	k := NewKeyboard()
	k.Into(e)
	// Typed at the end of the text already there; Shift for one letter.
	tapKeys(t, k, SpaceKey, ShiftKey, "N", "o", ".", SymbolsKey, "1", "¥", LettersKey)
	if e.Text != "Shop No.1¥" {
		t.Fatalf("typed %q", e.Text)
	}
	if k.Key("a") == nil || k.Key("A") != nil {
		t.Fatal("the letters are not back to lower case after one shifted letter")
	}
	// Shift twice locks capitals until tapped again.
	tapKeys(t, k, ReturnKey, ShiftKey, ShiftKey, "T", "E", "L", ShiftKey, "x", BackspaceKey, SymbolsKey, ":")
	if e.Text != "Shop No.1¥\nTEL:" {
		t.Fatalf("typed %q", e.Text)
	}
	var done bool
	k.OnDone = func() { done = true }
	tapKeys(t, k, DoneKey)
	if !done {
		t.Fatal("Done did nothing")
	}
}

func TestKeyboardReturnSubmitsASingleLineEntry(t *testing.T) {
	test.NewTempApp(t)
	e := widget.NewEntry()
	var submitted string
	e.OnSubmitted = func(s string) { submitted = s }
	k := NewKeyboard()
	k.Into(e)
	tapKeys(t, k, "k", "k", "l", ReturnKey)
	if submitted != "kkl" {
		t.Fatalf("submitted %q", submitted)
	}
}
