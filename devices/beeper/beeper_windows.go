//go:build windows

package beeper

import (
	"fmt"
	"syscall"
)

var messageBeep = syscall.NewLazyDLL("user32.dll").NewProc("MessageBeep")

// mbOK is the system's default sound.
const mbOK = 0x00000000

// beep plays the system's default sound, which Windows plays on its own.
func beep() error {
	if err := messageBeep.Find(); err != nil {
		return fmt.Errorf("%w: %w", ErrNoSound, err)
	}
	if ok, _, err := messageBeep.Call(mbOK); ok == 0 {
		return fmt.Errorf("beeper: MessageBeep: %w", err)
	}
	return nil
}
