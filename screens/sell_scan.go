package screens

// This file holds how products reach the order without a tap: barcodes from
// a keyboard-wedge scanner or the search box, and a quantity typed before.

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/models"
)

// submitSearch handles Enter in the search box: a barcode (with an optional
// "3*" quantity in front) is added; a search with a single result adds it.
func (s *Sell) submitSearch(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	if looksLikeCode(text) {
		if s.Scan(text) {
			s.search.SetText("")
		}
		return
	}
	if s.items.Len() == 1 {
		s.AddItem(s.items.At(0), 0)
		s.search.SetText("")
	}
}

// looksLikeCode reports whether text is what a scanner types: digits, with
// perhaps a "3*" or "3×" quantity in front.
func looksLikeCode(text string) bool {
	if _, code, ok := cutMultiplier(text); ok {
		text = code
	}
	if len(text) < 4 {
		return false
	}
	for _, r := range text {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func cutMultiplier(text string) (qty, code string, ok bool) {
	for _, sep := range []string{"*", "×", "x", "X"} {
		if q, c, found := strings.Cut(text, sep); found {
			return strings.TrimSpace(q), strings.TrimSpace(c), true
		}
	}
	return "", text, false
}

// Scan adds the product with a scanned barcode, "3*6901234567892" adding
// three. It reports whether a product was added; an unknown code adds nothing
// and says so.
func (s *Sell) Scan(text string) bool {
	s.ui.Touch()
	qty := s.pendingQty
	if qs, code, ok := cutMultiplier(text); ok {
		q, err := models.ParseQuantity(qs)
		if err != nil {
			s.setStatus(Message(err), true)
			return false
		}
		qty, text = q, code
	}
	item, ok := s.catalog.Lookup(text)
	if !ok {
		s.setStatus(lang.X("sell.unknown_barcode", "No product has the barcode {{.Code}}", map[string]any{"Code": text}), true)
		return false
	}
	return s.AddItem(item, qty)
}

// SetMultiplier sets the quantity the next scan or tap adds ("3 ×").
func (s *Sell) SetMultiplier(text string) error {
	q, err := models.ParseQuantity(text)
	if err != nil {
		return err
	}
	s.pendingQty = q
	s.multiplier.SetText(q.String() + " ×")
	return nil
}

// askMultiplier asks on the keypad how many of the next product to add.
func (s *Sell) askMultiplier() {
	newNumberDialog(s.ui, lang.X("sell.times_title", "How many of the next item?"), 3, "", func(text string) error {
		return s.SetMultiplier(text)
	}).Show()
}

// TypedRune takes characters typed while no entry has focus: a wedge
// scanner's digits, or a quantity and "*" before a scan.
func (s *Sell) TypedRune(r rune) {
	now := s.ui.now()
	if r == '*' || r == '×' || r == 'x' || r == 'X' {
		if typed := s.wedge.Typed(now); typed != "" {
			if err := s.SetMultiplier(typed); err != nil {
				s.setStatus(Message(err), true)
			}
		}
		return
	}
	if s.scan != nil {
		s.wedge.Gap = s.scan.ScanGap()
	}
	s.wedge.Rune(r, now)
}

// scannedCode is the code a scan ended by Enter gave, when a pause split
// its keys: all of them when they are a known code (a scan the till was too
// busy to take at its pace), else the burst at the end (a scan after stray
// keys a person left lying); the burst when neither is known, to be told
// as unknown.
func (s *Sell) scannedCode(burst, all string) string {
	if all == burst || s.catalog == nil {
		return burst
	}
	if _, ok := s.catalog.Lookup(all); ok {
		return all
	}
	return burst
}

// TypedKey ends a scan on Enter (or Tab, when the scanner is set to end
// with it): the scanner's burst of keys is the code, and keys a person left
// lying before it are dropped.
func (s *Sell) TypedKey(ev *fyne.KeyEvent) {
	if endsScan(ev.Name, s.scan) {
		burst, all := s.wedge.Take(s.ui.now())
		if code := s.scannedCode(strings.TrimSpace(burst), strings.TrimSpace(all)); code != "" {
			s.Scan(code)
		}
		return
	}
	switch ev.Name {
	case fyne.KeyEscape:
		s.wedge.Clear()
		s.pendingQty = 0
		s.multiplier.SetText("")
	case fyne.KeyBackspace:
		s.wedge.Backspace()
	}
}
