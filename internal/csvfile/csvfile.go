// Package csvfile writes the CSV files Till gives people (the accountant's
// export, the catalog): UTF-8 with a byte order mark, so a spreadsheet
// reads the Chinese, written aside and renamed over the file only once
// whole.
package csvfile

import (
	"bufio"
	"encoding/csv"
	"os"
)

// OpenError is the failure to create the file aside, before anything was
// written: a folder that is not there or not writable.
type OpenError struct{ Err error }

func (e *OpenError) Error() string { return e.Err.Error() }

// Unwrap is the failure.
func (e *OpenError) Unwrap() error { return e.Err }

// Write writes header and the rows fill writes to path: to path+".part"
// first, synced, then renamed over path; on any failure the part is
// removed and path left as it was. fill's error comes back as it is.
func Write(path string, header []string, fill func(*csv.Writer) error) error {
	part := path + ".part"
	out, err := os.OpenFile(part, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return &OpenError{Err: err}
	}
	bw := bufio.NewWriter(out)
	bw.WriteString("\ufeff")
	w := csv.NewWriter(bw)
	err = w.Write(header)
	if err == nil {
		err = fill(w)
	}
	if err == nil {
		w.Flush()
		err = w.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(part, path)
	}
	if err != nil {
		os.Remove(part)
	}
	return err
}
