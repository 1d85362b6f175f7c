package app

import "github.com/till-pos/till/devices/beeper"

// systemBeep is the till's alert on the platform's sound, where it has one
// (devices/beeper); it never holds up the UI goroutine. Where the platform
// gives no sound it stays silent: the notice on the screen says it all.
type systemBeep struct{}

func (systemBeep) Beep() { go func() { _ = beeper.Beep() }() }
