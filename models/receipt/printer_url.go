package receipt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/till-pos/till/models"
)

// CheckPrinterURL checks where a printer address may write. Only file://
// addresses are its business (the printer driver checks the syntax of
// every address):
//
//   - The file or folder may not lie in the data folder dataDir (the folder
//     holding till.db), nor be that folder, once ".." is taken away as the
//     driver does and every symbolic link followed, even one whose target
//     does not exist yet: a file printer appends to its file and would
//     corrupt the database or anything kept beside it. An empty dataDir
//     skips this rule.
//   - An existing regular file must be empty or already hold receipts
//     (start with ESC @, as every job does), so that a mistyped path never
//     appends receipts to a document, a database or a configuration file.
//     Devices (/dev/usb/lp0), FIFOs, folders (one new file per job) and
//     files that do not exist yet are fine.
//
// The errors are *models.Error values in the user's language.
func CheckPrinterURL(rawURL, dataDir string) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return nil
	}
	path, err := realPath(filepath.FromSlash(u.Path))
	if err != nil {
		return fmt.Errorf("receipt: printer file %s: %w", u.Path, err)
	}
	if dataDir != "" {
		dir, err := realPath(dataDir)
		if err != nil {
			return fmt.Errorf("receipt: data folder %s: %w", dataDir, err)
		}
		if within(path, dir) {
			return &models.Error{Code: models.EINVALID, Key: "error.printer.in_data_folder",
				Fallback: "The printer address points into Till's data folder ({{.Dir}}): choose a printer device, or a file or folder elsewhere",
				Args:     map[string]any{"Dir": dataDir}}
		}
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return nil // not there yet (the driver says if it cannot be made), or not a regular file
	}
	if ok, err := holdsReceipts(path); err != nil {
		return fmt.Errorf("receipt: printer file %s: %w", u.Path, err)
	} else if !ok {
		return &models.Error{Code: models.EINVALID, Key: "error.printer.not_receipts",
			Fallback: "The printer file {{.Path}} already holds something other than receipts: choose a printer device, a new file or a folder",
			Args:     map[string]any{"Path": u.Path}}
	}
	return nil
}

// escInit is ESC @, with which every job starts.
var escInit = []byte{0x1B, 0x40}

// holdsReceipts reports whether the file at path starts with ESC @.
func holdsReceipts(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(escInit))
	if _, err := io.ReadFull(f, head); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	return bytes.Equal(head, escInit), nil
}

// within reports whether path is dir or lies in it; both are absolute and
// real. Windows compares without case, as its file system does.
func within(path, dir string) bool {
	if runtime.GOOS == "windows" {
		path, dir = strings.ToLower(path), strings.ToLower(dir)
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}

// maxLinks bounds the symbolic links followed in one path, as the system
// does.
const maxLinks = 40

// realPath is p made absolute and cleaned (".." taken away as the printer
// driver does before opening it), with every symbolic link in it followed,
// including a last one whose target does not exist yet: the file the
// system would open or create. The parts that do not exist are kept as
// they are.
func realPath(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	vol := filepath.VolumeName(p)
	sep := string(filepath.Separator)
	root := vol + sep
	cur := root
	parts := strings.Split(strings.TrimPrefix(p[len(vol):], sep), sep)
	links := 0
	for i := 0; i < len(parts); i++ {
		name := parts[i]
		switch name {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, name)
		fi, err := os.Lstat(next)
		if errors.Is(err, fs.ErrNotExist) {
			cur = next // nor does anything under it: no more links
			continue
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("receipt: %s: too many symbolic links", p)
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		// Follow the link's own parts, ".." included, from where it is.
		if filepath.IsAbs(target) {
			tv := filepath.VolumeName(target)
			cur = tv + sep
			target = target[len(tv):]
		}
		rest := parts[i+1:]
		parts = append(strings.Split(strings.TrimPrefix(target, sep), sep), rest...)
		i = -1
	}
	return cur, nil
}
