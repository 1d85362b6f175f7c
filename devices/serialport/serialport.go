// Package serialport holds the small helpers that the serial device drivers
// (fingerprint, printer, scanner) share. It imports nothing of Till's, so any
// package under devices may use it.
package serialport

import (
	"errors"
	"io/fs"
	"syscall"

	"go.bug.st/serial"
)

// IsNoPort reports whether err, returned by opening a serial port, means the
// port does not exist: go.bug.st/serial's PortNotFound, no such device node
// (fs.ErrNotExist, i.e. ENOENT), or a node with no device behind it (ENXIO,
// ENODEV), as left by an unplugged USB-serial adapter. Wrapped errors are
// unwrapped. Any other failure, such as a port that exists but is busy or not
// permitted, is not a missing port.
func IsNoPort(err error) bool {
	var pe *serial.PortError
	if errors.As(err, &pe) && pe.Code() == serial.PortNotFound {
		return true
	}
	return errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, syscall.ENXIO) ||
		errors.Is(err, syscall.ENODEV)
}
