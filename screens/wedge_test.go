package screens

import (
	"context"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/till-pos/till/models"
)

// typist types on the window's keyboard hooks with a clock it moves.
type typist struct {
	w   fyne.Window
	now *time.Time
}

// keys types s with gap between keys (and before the first).
func (k typist) keys(s string, gap time.Duration) {
	for _, r := range s {
		*k.now = k.now.Add(gap)
		k.w.Canvas().OnTypedRune()(r)
	}
}

// enter sends Enter after gap.
func (k typist) enter(gap time.Duration) {
	*k.now = k.now.Add(gap)
	k.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func (k typist) wait(d time.Duration) { *k.now = k.now.Add(d) }

// newTypedSell is the sell screen with its keyboard hooks on the window,
// as the shell sets them, and a clock the test moves.
func newTypedSell(t *testing.T) (*Sell, typist) {
	s, ui, _, _, _ := newTestSell(t, cashier)
	now := testNow
	ui.Now = func() time.Time { return now }
	c := ui.Window.Canvas()
	c.SetOnTypedRune(s.TypedRune)
	c.SetOnTypedKey(s.TypedKey)
	return s, typist{ui.Window, &now}
}

const scanGap = 3 * time.Millisecond // a scanner's keys

func lines(s *Sell) map[string]string {
	out := map[string]string{}
	for _, l := range s.Order().Lines {
		out[l.Name] = l.Qty.String()
	}
	return out
}

func TestStrayKeysThenAScanAddTheScannedProductOnly(t *testing.T) {
	s, k := newTypedSell(t)
	// A "7" pressed five seconds before a scan is dropped.
	k.keys("7", time.Second)
	k.wait(5 * time.Second)
	k.keys(colaCode, scanGap)
	k.enter(scanGap)
	// "abc5" typed a moment before a scan is not prefixed to it either.
	k.keys("abc5", 200*time.Millisecond)
	k.wait(300 * time.Millisecond)
	k.keys(colaCode, scanGap)
	k.enter(scanGap)
	if got := lines(s); len(got) != 1 || got[cola.Name] != "2" {
		t.Fatalf("lines %v, status %q", got, s.status.Text)
	}
}

func TestAScanSplitByAPauseIsTakenWholeOnlyWhenItIsAKnownCode(t *testing.T) {
	// A scan the till was too busy to take at its pace (a pause in the
	// middle): its keys together are a known code, so they are the scan.
	s, k := newTypedSell(t)
	k.keys(colaCode[:6], scanGap)
	k.wait(400 * time.Millisecond)
	k.keys(colaCode[6:], scanGap)
	k.enter(scanGap)
	if got := lines(s); len(got) != 1 || got[cola.Name] != "1" {
		t.Fatalf("a scan split by a busy moment: lines %v, notice %q", got, s.Notice())
	}
	// Keys that together are no known code: only the burst at the end
	// counts, and it is told as unknown, never glued.
	k.keys("690123", scanGap)
	k.wait(400 * time.Millisecond)
	k.keys("4567890", scanGap)
	k.enter(scanGap)
	if want := "No product has the barcode 4567890"; s.Notice() != want {
		t.Fatalf("notice %q, want %q", s.Notice(), want)
	}
}

func TestAPersonTypingACodeAndEnterStillAddsIt(t *testing.T) {
	s, k := newTypedSell(t)
	k.keys(colaCode, 250*time.Millisecond)
	k.enter(400 * time.Millisecond)
	// Keys left lying are dropped: Enter long after adds nothing.
	k.keys(colaCode, 250*time.Millisecond)
	k.enter(3 * time.Second)
	// A quantity typed by a person, then a scan: three colas.
	k.keys("3*", 300*time.Millisecond)
	k.wait(2 * time.Second)
	k.keys(colaCode, scanGap)
	k.enter(scanGap)
	if got := lines(s); len(got) != 1 || got[cola.Name] != "4" {
		t.Fatalf("lines %v, status %q", got, s.status.Text)
	}
}

func TestAPersonTypingSlowlyInTheSearchBoxStillSearches(t *testing.T) {
	s, k := newTypedSell(t)
	for _, r := range "crisps" {
		k.wait(400 * time.Millisecond)
		s.search.TypedRune(r)
	}
	if s.items.Len() != 1 || s.items.At(0).SKU != crisps.SKU {
		t.Fatalf("search found %d items", s.items.Len())
	}
	s.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := lines(s); got[crisps.Name] != "1" {
		t.Fatalf("lines %v", got)
	}
}

func TestWedgeTiming(t *testing.T) {
	at := testNow
	var w Wedge
	for _, r := range "12345" {
		at = at.Add(10 * time.Millisecond)
		w.Rune(r, at)
	}
	if got, _ := w.Take(at.Add(10 * time.Millisecond)); got != "12345" {
		t.Fatalf("burst: %q", got)
	}
	w.Rune('9', at)
	if got, _ := w.Take(at.Add(DefaultStaleKeys + time.Millisecond)); got != "" {
		t.Fatalf("stale key taken: %q", got)
	}
	w.Gap = time.Millisecond // a slow scanner set as faster than it is
	for _, r := range "4567" {
		at = at.Add(5 * time.Millisecond)
		w.Rune(r, at)
	}
	if got, _ := w.Take(at.Add(5 * time.Millisecond)); got != "4567" {
		t.Fatalf("keys a person could type in time are taken whole: %q", got)
	}
}

func TestTheQuantityKeypadTakesThePhysicalKeyboard(t *testing.T) {
	s, k := newTypedSell(t)
	k.keys(colaCode, scanGap)
	k.enter(scanGap)
	s.askQty(0)
	// "abc5" typed into the quantity dialog: the letters are ignored, the 5
	// replaces the 1 shown, Enter is OK.
	k.keys("abc5", 200*time.Millisecond)
	k.enter(time.Second)
	if got := lines(s); got[cola.Name] != "5" {
		t.Fatalf("lines %v", got)
	}
	if dialogShown(k.w) {
		t.Fatal("Enter did not close the dialog")
	}
	// The keys are the sell screen's again, and nothing typed in the dialog
	// is prefixed to the next scan.
	k.keys(colaCode, scanGap)
	k.enter(scanGap)
	if got := lines(s); got[cola.Name] != "6" {
		t.Fatalf("after the dialog, a scan: %v (status %q)", got, s.status.Text)
	}
	// Escape cancels.
	s.askQty(0)
	k.keys("9", time.Second)
	k.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if got := lines(s); got[cola.Name] != "6" || dialogShown(k.w) {
		t.Fatalf("after Escape: %v", got)
	}
}

// fakeScan is the wedge scanner's settings.
type fakeScan struct {
	gap    time.Duration
	suffix string
	sets   int
}

func (f *fakeScan) ScanGap() time.Duration { return f.gap }
func (f *fakeScan) ScanSuffix() string     { return f.suffix }
func (f *fakeScan) SetScan(_ context.Context, gapMs int, suffix string, _ models.Operator) error {
	ms, err := models.ParseScanGap(strconv.Itoa(gapMs))
	if err != nil {
		return err
	}
	if err := models.CheckScanSuffix(suffix); err != nil {
		return err
	}
	f.gap, f.suffix = time.Duration(ms)*time.Millisecond, suffix
	f.sets++
	return nil
}

func TestAScannerSetToEndWithTabAndASlowerGap(t *testing.T) {
	s, k := newTypedSell(t)
	scan := &fakeScan{gap: 80 * time.Millisecond, suffix: models.ScanSuffixTab}
	s.UseScanSettings(scan)
	k.keys("7", time.Second)
	k.wait(120 * time.Millisecond)
	k.keys(colaCode, 70*time.Millisecond) // slower than the default gap, within the one set
	*k.now = k.now.Add(70 * time.Millisecond)
	k.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyTab})
	if got := lines(s); got[cola.Name] != "1" || len(got) != 1 {
		t.Fatalf("lines %v, status %q", got, s.status.Text)
	}
	// With Enter set, Tab ends nothing.
	scan.suffix = models.ScanSuffixEnter
	k.keys(colaCode, scanGap)
	k.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyTab})
	if got := lines(s); got[cola.Name] != "1" {
		t.Fatalf("Tab ended a scan: %v", got)
	}
}

func TestSettingsChangeTheWedgeScanner(t *testing.T) {
	ui := newTestUI(t, manager)
	scan := &fakeScan{gap: 50 * time.Millisecond, suffix: models.ScanSuffixEnter}
	st := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Scan: scan})
	showOn(ui, st.Content())
	w := ui.Window
	tap(t, w, "Ends with Tab")
	if scan.suffix != models.ScanSuffixTab || button(t, w, "Ends with Tab").Importance != widget.HighImportance {
		t.Fatalf("suffix %q", scan.suffix)
	}
	tap(t, w, "Keys at most 50 ms apart")
	keys(t, w, "600")
	tap(t, w, "OK")
	mustShow(t, w, "between 5 and 500 ms")
	if scan.gap != 50*time.Millisecond || scan.sets != 1 {
		t.Fatalf("600 ms stored: %s", scan.gap)
	}
	tap(t, w, "C")
	keys(t, w, "80")
	tap(t, w, "OK")
	if scan.gap != 80*time.Millisecond || scan.suffix != models.ScanSuffixTab || findButton(w, "Keys at most 80 ms apart") == nil {
		t.Fatalf("gap %s suffix %q", scan.gap, scan.suffix)
	}
}
