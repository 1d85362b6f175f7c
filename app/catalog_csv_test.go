package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogCSVFromSettings: in Settings a manager (asked for) exports
// the demo's catalog, and imports it back with one product more and one
// bad row: the new product sells by its barcode at once, the bad row is
// listed with its reason.
func TestCatalogCSVFromSettings(t *testing.T) {
	till := startDemo(t, "en")
	till.Shell().ShowSettings()
	tapKeys(t, till, "Export CSV", "Demo finger: 演示店长")
	d := till.Shell().Settings.Catalog()
	if d == nil {
		t.Fatal("no export dialog")
	}
	out := filepath.Join(t.TempDir(), "catalog.csv")
	d.File.SetText(out)
	tapKeys(t, till, "Export")
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(d.Result.Text, "products written into "+out) {
		t.Fatalf("export: %v, %q %q", err, d.Result.Text, d.Message.Text)
	}
	tapKeys(t, till, "Close")
	data = append(data, []byte("NEW1,6901234567885,新品,New thing,drinks,,,9.90,瓶,bottle,no,13,5\n"+
		"BAD1,,坏价,,drinks,,,-1,,,no,13,\n")...)
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
	tapKeys(t, till, "Import CSV", "Demo finger: 演示店长")
	d = till.Shell().Settings.Catalog()
	d.File.SetText(out)
	tapKeys(t, till, "Import")
	if !strings.HasPrefix(d.Result.Text, "Imported 1 new, updated 0,") || !strings.Contains(d.Rejects.Text, "BAD1 坏价: The price -1 is negative") {
		t.Fatalf("import: %q, rejects %q, message %q", d.Result.Text, d.Rejects.Text, d.Message.Text)
	}
	if it, ok := till.catalog.Lookup("6901234567885"); !ok || it.Price != 990 {
		t.Fatalf("the new product is not in the index: %+v", it)
	}
}
