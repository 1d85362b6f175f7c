// Package ports chooses the serial ports of the fingerprint reader and the
// serial barcode scanner; a choice takes effect at the next start.
package ports

import (
	"context"
	"fmt"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/models"
)

// Settings of the serial devices.
const (
	SettingFingerprint = "fingerprint_port" // /dev/ttyUSB0, COM4; empty: none (demo: simulated)
	SettingScanner     = "scanner_port"     // /dev/ttyUSB0, COM3; empty: none
	SettingScannerBaud = "scanner_baud"
)

// Devices chooses serial ports.
type Devices struct{ store *models.Store }

// New chooses serial ports stored in store.
func New(store *models.Store) *Devices { return &Devices{store: store} }

// Ports lists the serial ports present now.
func (d *Devices) Ports() ([]string, error) {
	ports, err := fingerprint.Ports()
	if err != nil {
		return nil, fmt.Errorf("ports: serial ports: %w", err)
	}
	return ports, nil
}

func settingOf(device string) string {
	if device == "fingerprint" {
		return SettingFingerprint
	}
	return SettingScanner
}

// Port is the port stored for a device ("fingerprint" or "scanner").
func (d *Devices) Port(device string) string {
	p, _ := d.store.Setting(context.Background(), settingOf(device), "")
	return p
}

// SetPort stores the port for a device; it is opened at the next start.
func (d *Devices) SetPort(ctx context.Context, device, port string) error {
	return d.store.SetSetting(ctx, settingOf(device), port)
}
