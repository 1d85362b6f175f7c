package app

import (
	"bytes"
	"io"
	"sync"
)

// preferencesRace filters one known, harmless error out of the log. Fyne
// re-reads its preferences file whenever anything in its folder changes,
// and can read it while it is being written, which it logs as "Preferences
// load error" with the cause EOF (fyne-io/fyne#2936). Till keeps nothing
// in Fyne's preferences, so nothing is lost; the three lines of that
// report are dropped, and every other line passes unchanged.
type preferencesRace struct {
	mu   sync.Mutex
	out  io.Writer
	held []byte // the report's first line, until its cause is known
	skip bool   // the report's cause was EOF: drop its "At:" line
}

// quietPreferencesRace wraps the log's writer.
func quietPreferencesRace(out io.Writer) io.Writer { return &preferencesRace{out: out} }

func (w *preferencesRace) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case bytes.Contains(p, []byte("Fyne error:  Preferences load error:")):
		w.held = append(w.held[:0], p...)
		return len(p), nil
	case w.held != nil && bytes.Contains(p, []byte("  Cause: EOF")):
		w.held, w.skip = nil, true
		return len(p), nil
	case w.skip && bytes.Contains(p, []byte("  At: ")):
		w.skip = false
		return len(p), nil
	}
	w.skip = false
	if w.held != nil {
		held := w.held
		w.held = nil
		if _, err := w.out.Write(held); err != nil {
			return 0, err
		}
	}
	return w.out.Write(p)
}
