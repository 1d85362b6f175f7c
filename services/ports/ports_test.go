package ports

import (
	"context"
	"testing"

	"github.com/till-pos/till/internal/storetest"
)

func TestPortsAreStoredPerDevice(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	d := New(s)
	if d.Port("fingerprint") != "" || d.Port("scanner") != "" {
		t.Fatal("a new store has ports chosen")
	}
	if err := d.SetPort(ctx, "fingerprint", "/dev/ttyUSB0"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetPort(ctx, "scanner", "/dev/ttyACM1"); err != nil {
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
	if err := New(s).SetPort(ctx, "scanner", ""); err != nil {
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
