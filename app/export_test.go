package app

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportForTheAccountantFromDayEnd: from Day end a manager (asked
// for) writes today's three CSV files into a folder; the dialog says what
// it wrote, and the orders file holds the sale.
func TestExportForTheAccountantFromDayEnd(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Exact ¥3.50", "Take cash")
	till.Shell().ShowDayEnd()
	tapKeys(t, till, "Export CSV", "Demo finger: 演示店长")
	x := till.Shell().DayEnd.Export()
	if x == nil {
		t.Fatal("no export dialog")
	}
	dir := t.TempDir()
	x.Dir.SetText(dir)
	tapKeys(t, till, "Export CSV")
	if !strings.HasPrefix(x.Result.Text, "Written into "+dir+": orders 1, lines 1, payments 1") {
		t.Fatalf("result %q, message %q", x.Result.Text, x.Message.Text)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "till-T01-orders-*.csv"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil || !strings.Contains(string(b), "T01-00000001") || !strings.Contains(string(b), "3.50") {
		t.Fatalf("orders file: %q %v", b, err)
	}
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		if f, err := os.Create(filepath.Join(dir, "export.png")); err == nil {
			png.Encode(f, w.Canvas().Capture())
			f.Close()
		}
	}
}
