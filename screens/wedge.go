package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/models"
)

// ScanSettings are the keyboard-wedge scanner's: the longest pause between
// two keys of one scan and the key that ends a scan; *ports.Devices is one.
type ScanSettings interface {
	ScanGap() time.Duration
	// ScanSuffix is models.ScanSuffixEnter or models.ScanSuffixTab.
	ScanSuffix() string
	// SetScan checks and stores them (the gap in milliseconds), set by by.
	SetScan(ctx context.Context, gapMs int, suffix string, by models.Operator) error
}

// endsScan reports whether key ends a scan with the suffix set: Enter
// always does (a person's Enter too), Tab when the scanner sends it.
func endsScan(key fyne.KeyName, scan ScanSettings) bool {
	switch key {
	case fyne.KeyReturn, fyne.KeyEnter:
		return true
	case fyne.KeyTab:
		return scan != nil && scan.ScanSuffix() == models.ScanSuffixTab
	}
	return false
}

// Keyboard-wedge timing: a scanner types a barcode as a burst of keys a few
// milliseconds apart and ends it with its suffix (Enter); a person types
// far slower.
const (
	// DefaultScanGap is the longest pause between two keys of one scan.
	DefaultScanGap = 50 * time.Millisecond
	// DefaultStaleKeys is how long keys a person typed are kept without
	// another key or Enter; after that they are dropped, never prefixed to
	// the next scan.
	DefaultStaleKeys = 1500 * time.Millisecond
	// minScan is the shortest barcode a scan is taken for.
	minScan = 4
)

// Wedge tells a keyboard-wedge scanner from a person at the keyboard by
// the keys' timing. Its zero value uses the default timing.
type Wedge struct {
	// Gap is the longest pause between two keys of one scan.
	Gap time.Duration
	// Stale is how long typed keys are kept without another key.
	Stale time.Duration

	keys []wedgeKey
}

type wedgeKey struct {
	r  rune
	at time.Time
}

func (w *Wedge) gap() time.Duration {
	if w.Gap > 0 {
		return w.Gap
	}
	return DefaultScanGap
}

func (w *Wedge) stale() time.Duration {
	if w.Stale > 0 {
		return w.Stale
	}
	return DefaultStaleKeys
}

// dropStale forgets the keys when the last came longer than Stale before at.
func (w *Wedge) dropStale(at time.Time) {
	if n := len(w.keys); n > 0 && at.Sub(w.keys[n-1].at) > w.stale() {
		w.keys = w.keys[:0]
	}
}

// Rune takes a key typed at at.
func (w *Wedge) Rune(r rune, at time.Time) {
	w.dropStale(at)
	if len(w.keys) < 64 {
		w.keys = append(w.keys, wedgeKey{r, at})
	}
}

// Backspace takes back the last key.
func (w *Wedge) Backspace() {
	if len(w.keys) > 0 {
		w.keys = w.keys[:len(w.keys)-1]
	}
}

// Clear forgets every key.
func (w *Wedge) Clear() { w.keys = w.keys[:0] }

// Typed is what was typed and is not stale at at, and forgets it: a
// quantity a person typed before "*".
func (w *Wedge) Typed(at time.Time) string {
	w.dropStale(at)
	s := w.text(0)
	w.Clear()
	return s
}

// Take is what the suffix (Enter) ends at at, and forgets every key:
// burst is the scan's burst of keys without any stray key typed before it
// (or, when a person typed it all without a pause, all of it), and all is
// every key not stale. They differ only when a pause split the keys: a
// person's stray keys then a scan, or a scan the machine was too busy to
// take at its pace; the caller tells which by the catalog. Nothing ("")
// when the keys lay stale.
func (w *Wedge) Take(at time.Time) (burst, all string) {
	defer w.Clear()
	w.dropStale(at)
	n := len(w.keys)
	if n == 0 {
		return "", ""
	}
	all = w.text(0)
	// The burst: the last keys, each at most Gap after the one before,
	// the suffix at most Gap after the last.
	start := n - 1
	for start > 0 && w.keys[start].at.Sub(w.keys[start-1].at) <= w.gap() {
		start--
	}
	if n-start >= minScan && at.Sub(w.keys[n-1].at) <= w.gap() {
		return w.text(start), all
	}
	return all, all
}

func (w *Wedge) text(from int) string {
	rs := make([]rune, 0, len(w.keys)-from)
	for _, k := range w.keys[from:] {
		rs = append(rs, k.r)
	}
	return string(rs)
}
