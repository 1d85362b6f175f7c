package serialport

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"go.bug.st/serial"
)

func TestIsNoPort(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"not exist", fs.ErrNotExist, true},
		{"ENOENT", syscall.ENOENT, true},
		{"ENXIO", syscall.ENXIO, true},
		{"ENODEV", syscall.ENODEV, true},
		{"path error", &fs.PathError{Op: "open", Path: "/dev/ttyUSB9", Err: syscall.ENOENT}, true},
		{"wrapped", fmt.Errorf("open: %w", syscall.ENXIO), true},
		{"busy port", &serial.PortError{}, false}, // the zero code is PortBusy
		{"EBUSY", syscall.EBUSY, false},
		{"permission", fs.ErrPermission, false},
		{"other", errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := IsNoPort(c.err); got != c.want {
			t.Errorf("%s: IsNoPort(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}

func TestIsNoPortOnRealOpen(t *testing.T) {
	dir := t.TempDir()
	mode := &serial.Mode{BaudRate: 9600}

	_, err := serial.Open(filepath.Join(dir, "no-such-port"), mode)
	if err == nil || !IsNoPort(err) {
		t.Errorf("missing port: IsNoPort(%v) = false, want true", err)
	}

	// A file that exists but is no serial port is a different failure.
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := serial.Open(plain, mode)
	if err == nil {
		p.Close()
		t.Fatal("a plain file that is no serial port opened as one")
	}
	if IsNoPort(err) {
		t.Errorf("plain file: IsNoPort(%v) = true, want false", err)
	}
}
