// Package ports chooses the serial ports of the fingerprint reader and the
// serial barcode scanner; a choice takes effect at the next start.
package ports

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/models"
)

// Settings of the serial devices.
const (
	SettingFingerprint = "fingerprint_port" // /dev/ttyUSB0, COM4; empty: none (demo: simulated)
	SettingScanner     = "scanner_port"     // /dev/ttyUSB0, COM3; empty: none
	SettingScannerBaud = "scanner_baud"
)

// Devices chooses serial ports, and keeps the keyboard-wedge scanner's
// timing and suffix.
type Devices struct {
	store   *models.Store
	scanGap atomic.Int64           // milliseconds
	suffix  atomic.Pointer[string] // models.ScanSuffixEnter or ScanSuffixTab
}

// New chooses serial ports stored in store; it reads the wedge scanner's
// settings (a value not valid is taken as the default).
func New(store *models.Store) *Devices {
	d := &Devices{store: store}
	ctx := context.Background()
	gap := models.DefaultScanGap
	if v, err := store.Setting(ctx, models.SettingScanGap, ""); err == nil && v != "" {
		if ms, err := models.ParseScanGap(v); err == nil {
			gap = ms
		}
	}
	suffix := models.ScanSuffixEnter
	if v, err := store.Setting(ctx, models.SettingScanSuffix, ""); err == nil && models.CheckScanSuffix(v) == nil {
		suffix = v
	}
	d.scanGap.Store(int64(gap))
	d.suffix.Store(&suffix)
	return d
}

// ScanGap is the longest pause between two keys of one wedge scan.
func (d *Devices) ScanGap() time.Duration { return time.Duration(d.scanGap.Load()) * time.Millisecond }

// ScanSuffix is the key that ends a wedge scan: "enter" or "tab".
func (d *Devices) ScanSuffix() string { return *d.suffix.Load() }

// SetScan checks and stores the wedge scanner's key gap (ms) and suffix,
// set by by.
func (d *Devices) SetScan(ctx context.Context, gapMs int, suffix string, by models.Operator) error {
	if err := models.CheckScanGap(gapMs); err != nil {
		return err
	}
	if err := models.CheckScanSuffix(suffix); err != nil {
		return err
	}
	values := map[string]string{models.SettingScanGap: strconv.Itoa(gapMs), models.SettingScanSuffix: suffix}
	if err := d.store.ChangeSettings(ctx, models.PermSettingsDevices, values, by); err != nil {
		return err
	}
	d.scanGap.Store(int64(gapMs))
	d.suffix.Store(&suffix)
	return nil
}

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

// SetPort stores the port for a device, chosen by by; it is opened at the
// next start.
func (d *Devices) SetPort(ctx context.Context, device, port string, by models.Operator) error {
	return d.store.ChangeSettings(ctx, models.PermSettingsDevices, map[string]string{settingOf(device): port}, by)
}
