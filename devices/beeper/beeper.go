// Package beeper sounds the till's short alert without an audio library
// or cgo: on Windows the system's default sound (MessageBeep of user32),
// on Linux and the other Unix systems the bell of the terminal Till was
// started from, when it was started from one. Android, and a Unix till
// started without a terminal, have no such way: there Beep reports
// ErrNoSound and nothing is heard; the message on the screen says it all.
package beeper

import (
	"errors"
	"io"
)

// ErrNoSound says the platform, or the way Till was started, gives no
// sound.
var ErrNoSound = errors.New("beeper: no way to sound an alert here")

// bell is the terminal's bell character.
const bell = "\a"

// Bell rings the bell of the terminal w writes to.
func Bell(w io.Writer) error {
	_, err := io.WriteString(w, bell)
	return err
}

// Beep sounds the alert once, or reports ErrNoSound. It returns without
// waiting for the sound to end.
func Beep() error { return beep() }
