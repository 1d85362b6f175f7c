//go:build unix && !android

package beeper

import (
	"fmt"
	"os"
)

// beep rings the bell of the controlling terminal, if there is one.
func beep() error {
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoSound, err)
	}
	defer tty.Close()
	return Bell(tty)
}
