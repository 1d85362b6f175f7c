package ports

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
)

func TestPortsAreStoredPerDevice(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	d := New(s)
	if d.Port("fingerprint") != "" || d.Port("scanner") != "" {
		t.Fatal("a new store has ports chosen")
	}
	if err := d.SetPort(ctx, "fingerprint", "/dev/ttyUSB0", models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if err := d.SetPort(ctx, "scanner", "/dev/ttyACM1", models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if got := d.Port("fingerprint"); got != "/dev/ttyUSB0" {
		t.Fatalf("fingerprint port %q", got)
	}
	if got := d.Port("scanner"); got != "/dev/ttyACM1" {
		t.Fatalf("scanner port %q", got)
	}
	// Kept in the settings the drivers read at the next start.
	for key, want := range map[string]string{SettingFingerprint: "/dev/ttyUSB0", SettingScanner: "/dev/ttyACM1"} {
		if v, err := s.Setting(ctx, key, ""); err != nil || v != want {
			t.Fatalf("setting %s = %q %v", key, v, err)
		}
	}
	// Another service over the same store reads them; none is cleared.
	if err := New(s).SetPort(ctx, "scanner", "", models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if d.Port("scanner") != "" || d.Port("fingerprint") != "/dev/ttyUSB0" {
		t.Fatalf("after clearing the scanner: %q %q", d.Port("scanner"), d.Port("fingerprint"))
	}
}

func TestPortsListsWithoutError(t *testing.T) {
	s := storetest.Open(t)
	if _, err := New(s).Ports(); err != nil {
		t.Fatalf("listing serial ports: %v", err)
	}
}

func TestWedgeScannerSettings(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	d := New(s)
	if d.ScanGap() != models.DefaultScanGap*time.Millisecond || d.ScanSuffix() != models.ScanSuffixEnter {
		t.Fatalf("defaults: %s %q", d.ScanGap(), d.ScanSuffix())
	}
	for _, bad := range []struct {
		ms     int
		suffix string
		key    string
	}{{4, models.ScanSuffixEnter, "error.scan_gap.range"}, {501, models.ScanSuffixTab, "error.scan_gap.range"},
		{30, "space", "error.scan_suffix"}} {
		var e *models.Error
		if err := d.SetScan(ctx, bad.ms, bad.suffix, models.Operator{}); !errors.As(err, &e) || e.Key != bad.key {
			t.Fatalf("SetScan(%d, %q): %v", bad.ms, bad.suffix, err)
		}
	}
	if v, _ := s.Setting(ctx, models.SettingScanGap, ""); v != "" {
		t.Fatalf("a refused gap was stored: %q", v)
	}
	if err := d.SetScan(ctx, 30, models.ScanSuffixTab, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	again := New(s) // the next start reads them back
	if again.ScanGap() != 30*time.Millisecond || again.ScanSuffix() != models.ScanSuffixTab || d.ScanGap() != again.ScanGap() {
		t.Fatalf("read back: %s %q", again.ScanGap(), again.ScanSuffix())
	}
	// A stored value no longer valid falls back to the default.
	if err := s.SetSetting(ctx, models.SettingScanGap, "0"); err != nil {
		t.Fatal(err)
	}
	if got := New(s).ScanGap(); got != models.DefaultScanGap*time.Millisecond {
		t.Fatalf("an invalid stored gap: %s", got)
	}
}
