//go:build unix

package receipt

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/till-pos/till/models"
)

func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestCheckPrinterURL(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data")   // holds till.db
	spool := filepath.Join(root, "spool") // a printer's spool folder
	for _, d := range []string{data, spool, filepath.Join(data, "backups")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string, b []byte) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) string {
		t.Helper()
		path := filepath.Join(spool, name)
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write(filepath.Join(data, "till.db"), []byte("SQLite format 3\x00"))
	write(filepath.Join(spool, "receipts.bin"), []byte{0x1B, 0x40, 'h', 'i'})
	write(filepath.Join(spool, "empty.bin"), nil)
	write(filepath.Join(spool, "notes.txt"), []byte("the shop's notes"))
	write(filepath.Join(spool, "one.bin"), []byte{0x1B})
	if err := syscall.Mkfifo(filepath.Join(spool, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	toDB := link(filepath.Join(data, "till.db"), "to-db")
	toData := link("../data", "to-data")
	dangling := link(filepath.Join(data, "till.db-new"), "dangling")
	chain := link("to-data/backups", "chain")
	relDotDot := link("to-data/../data/till.db", "rel-dot-dot") // ".." after a link to data: still data

	refused := map[string]string{
		"file://" + filepath.Join(data, "till.db"): "error.printer.in_data_folder",
		"file://" + data:                                    "error.printer.in_data_folder",
		"file://" + data + "/":                              "error.printer.in_data_folder",
		"file://" + filepath.Join(data, "new.bin"):          "error.printer.in_data_folder",
		"file://" + filepath.Join(data, "backups") + "/":    "error.printer.in_data_folder",
		"file://" + spool + "/../data/till.db":              "error.printer.in_data_folder",
		"file://" + spool + "/missing/../../data/till.db":   "error.printer.in_data_folder",
		"file://" + toDB:                                    "error.printer.in_data_folder",
		"file://" + toData + "/till.db":                     "error.printer.in_data_folder",
		"file://" + toData + "/":                            "error.printer.in_data_folder",
		"file://" + dangling:                                "error.printer.in_data_folder",
		"file://" + chain + "/r.bin":                        "error.printer.in_data_folder",
		"file://" + relDotDot:                               "error.printer.in_data_folder",
		"file://localhost" + filepath.Join(data, "till.db"): "error.printer.in_data_folder",
		"file://" + filepath.Join(spool, "notes.txt"):       "error.printer.not_receipts",
		"file://" + filepath.Join(spool, "one.bin"):         "error.printer.not_receipts",
	}
	for u, want := range refused {
		if err := CheckPrinterURL(u, data); errKey(err) != want {
			t.Errorf("%s: err = %v, want %s", u, err, want)
		}
	}
	allowed := []string{
		"file://" + filepath.Join(spool, "receipts.bin"), // already receipts: a restart appends
		"file://" + filepath.Join(spool, "empty.bin"),
		"file://" + filepath.Join(spool, "new.bin"),
		"file://" + filepath.Join(spool, "jobs") + "/",
		"file://" + spool,
		"file://" + filepath.Join(spool, "fifo"),
		"file:///dev/null",
		"file://" + filepath.Join(root, "database.bin"), // beside the data folder, not in it
		"file://" + data + "-spool/r.bin",               // a name that starts like it
		"tcp://192.168.1.50:9100",
		"serial:///dev/ttyUSB0?baud=9600",
		"",
		"lpt://nowhere", // the driver refuses its syntax
	}
	for _, u := range allowed {
		if err := CheckPrinterURL(u, data); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	// The data folder named through a link is the same folder.
	if err := CheckPrinterURL("file://"+filepath.Join(data, "till.db"), toData); errKey(err) != "error.printer.in_data_folder" {
		t.Errorf("data folder through a link: %v", err)
	}
	// Without a data folder only the file's content counts.
	if err := CheckPrinterURL("file://"+filepath.Join(data, "new.bin"), ""); err != nil {
		t.Errorf("no data folder: %v", err)
	}
	if err := CheckPrinterURL("file://"+filepath.Join(data, "till.db"), ""); errKey(err) != "error.printer.not_receipts" {
		t.Errorf("no data folder, the database: %v", err)
	}
	// A loop of links is an error, not a hang.
	link("loop-b", "loop-a")
	link("loop-a", "loop-b")
	if err := CheckPrinterURL("file://"+filepath.Join(spool, "loop-a"), data); err == nil {
		t.Error("a loop of links was accepted")
	}
}

// The messages name the folder or the file, in both languages.
func TestCheckPrinterURLMessages(t *testing.T) {
	data := t.TempDir()
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ url, dir, named, placeholder string }{
		{"file://" + filepath.Join(data, "till.db"), data, data, "{{.Dir}}"},
		{"file://" + notes, data, notes, "{{.Path}}"},
	} {
		err := CheckPrinterURL(c.url, c.dir)
		var e *models.Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: err = %v", c.url, err)
		}
		if !strings.Contains(err.Error(), c.named) {
			t.Errorf("%s: the message does not name %s: %v", c.url, c.named, err)
		}
		for _, lang := range []string{"en", "zh"} {
			if got := translator(t, lang)(e.Key, "", nil); !strings.Contains(got, c.placeholder) {
				t.Errorf("%s in %s: %q lacks %s", e.Key, lang, got, c.placeholder)
			}
		}
	}
}
