package app

import (
	"context"
	"fmt"

	"github.com/till-pos/till/devices/fingerprint"
)

// serialDevices chooses the serial ports of the fingerprint reader and the
// serial barcode scanner, for Settings.
type serialDevices struct{ t *Till }

// Ports lists the serial ports present now.
func (s serialDevices) Ports() ([]string, error) {
	ports, err := fingerprint.Ports()
	if err != nil {
		return nil, fmt.Errorf("app: serial ports: %w", err)
	}
	return ports, nil
}

func settingOfDevice(device string) string {
	if device == "fingerprint" {
		return settingFingerPort
	}
	return settingScannerPort
}

// Port is the port stored for a device.
func (s serialDevices) Port(device string) string {
	p, _ := s.t.store.Setting(context.Background(), settingOfDevice(device), "")
	return p
}

// SetPort stores the port for a device; it is opened at the next start.
func (s serialDevices) SetPort(ctx context.Context, device, port string) error {
	return s.t.store.SetSetting(ctx, settingOfDevice(device), port)
}
