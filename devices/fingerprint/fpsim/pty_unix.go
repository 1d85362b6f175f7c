//go:build !windows

package fpsim

import (
	"os"
	"sync"
	"syscall"

	"github.com/creack/pty"
)

// StartPTY opens a pseudo-terminal pair and serves the simulator on its
// master side. It returns the path of the slave, to be opened like a serial
// port (fingerprint.Open(path, 57600)), and a stop function that closes the
// master, as if the module had been unplugged, and waits for Serve to end.
func (s *Sim) StartPTY() (path string, stop func(), err error) {
	ptmx, slave, err := pty.Open()
	if err != nil {
		return "", nil, err
	}
	master, err := pollable(ptmx)
	if err != nil {
		slave.Close()
		return "", nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(master)
	}()
	// The slave stays open here so that the master does not report an
	// error while no client has the port open.
	stop = sync.OnceFunc(func() {
		master.Close()
		<-done
		slave.Close()
	})
	return slave.Name(), stop, nil
}

// pollable returns a non-blocking copy of f, whose Close interrupts a
// pending Read, and closes f. (pty.Open leaves the master in blocking mode,
// where Close would not wake a reader.)
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	sc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var fd int
	var dupErr error
	if err := sc.Control(func(raw uintptr) {
		fd, dupErr = syscall.Dup(int(raw))
	}); err != nil {
		return nil, err
	}
	if dupErr != nil {
		return nil, dupErr
	}
	syscall.CloseOnExec(fd)
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}
