//go:build windows

package fpsim

import "errors"

// StartPTY is not available on Windows, which has no pseudo-terminals the
// serial library can open: run the simulator behind a virtual COM port pair
// instead.
func (s *Sim) StartPTY() (path string, stop func(), err error) {
	return "", nil, errors.New("fpsim: no pseudo-terminals on Windows")
}
