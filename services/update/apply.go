package update

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Apply puts the downloaded package in place of the binary at target and
// keeps the binary it replaces as target+".old", to roll back (Rollback).
// The new binary is first written beside target (same folder, so the same
// file system), synced and given target's permissions (0755 when target
// was not executable by its owner); target is then replaced by a rename,
// so it is at every moment the old binary or the new one, whole.
//
// On Linux, macOS and Android the old binary is hard-linked (else copied)
// to target+".old" and the new one renamed over target: a running program
// keeps its open file. Windows refuses to overwrite or delete a running
// exe but lets it be renamed, so there the old binary is renamed to
// target+".old" and the new one then to target; if that second rename
// fails the old one is renamed back. The new binary runs at the next start.
func Apply(downloaded, target string) error {
	return apply(downloaded, target, runtime.GOOS == "windows")
}

// apply is Apply; renameRunning chooses the Windows way.
func apply(downloaded, target string, renameRunning bool) error {
	fail := func(err error) error {
		return refuse(ErrApply, text{Key: "error.update.apply", Fallback: "The update cannot be installed over {{.Target}}"},
			map[string]any{"Target": target}, err)
	}
	info, err := os.Stat(target)
	if err != nil {
		return fail(err)
	}
	if !info.Mode().IsRegular() {
		return fail(fmt.Errorf("%s is not a regular file", target))
	}
	mode := info.Mode().Perm()
	if mode&0o100 == 0 {
		mode = 0o755
	}
	tmp, err := copyBeside(downloaded, target, mode)
	if err != nil {
		return fail(err)
	}
	old := target + ".old"
	if err := os.Remove(old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		os.Remove(tmp)
		return fail(fmt.Errorf("remove the previous %s: %w", old, err))
	}
	if renameRunning {
		if err := os.Rename(target, old); err != nil {
			os.Remove(tmp)
			return fail(err)
		}
		if err := os.Rename(tmp, target); err != nil {
			os.Remove(tmp)
			if rerr := os.Rename(old, target); rerr != nil {
				return fail(fmt.Errorf("%w; and the old binary stays at %s: %v", err, old, rerr))
			}
			return fail(err)
		}
	} else {
		if err := os.Link(target, old); err != nil {
			if cerr := copyFile(target, old, mode); cerr != nil {
				os.Remove(tmp)
				return fail(fmt.Errorf("keep the old binary: %w", cerr))
			}
		}
		if err := os.Rename(tmp, target); err != nil {
			os.Remove(tmp)
			return fail(err)
		}
	}
	syncDir(filepath.Dir(target))
	return nil
}

// Rollback puts back the binary Apply kept as target+".old"; the binary it
// replaces is removed (on Windows, where it may be running, it is left as
// target+".failed").
func Rollback(target string) error {
	return rollback(target, runtime.GOOS == "windows")
}

// rollback is Rollback; renameRunning chooses the Windows way.
func rollback(target string, renameRunning bool) error {
	old := target + ".old"
	fail := func(err error) error {
		return refuse(ErrApply, text{Key: "error.update.rollback", Fallback: "The previous version cannot be put back over {{.Target}}"},
			map[string]any{"Target": target}, err)
	}
	if _, err := os.Stat(old); err != nil {
		return fail(err)
	}
	if renameRunning {
		failed := target + ".failed"
		if err := os.Remove(failed); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fail(err)
		}
		if err := os.Rename(target, failed); err != nil {
			return fail(err)
		}
		if err := os.Rename(old, target); err != nil {
			if rerr := os.Rename(failed, target); rerr != nil {
				return fail(fmt.Errorf("%w; and the new binary stays at %s: %v", err, failed, rerr))
			}
			return fail(err)
		}
	} else if err := os.Rename(old, target); err != nil {
		return fail(err)
	}
	syncDir(filepath.Dir(target))
	return nil
}

// copyBeside copies src to a new temporary file in target's folder, synced
// and with permissions mode, and returns its path.
func copyBeside(src, target string, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".new-*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	if err := fill(f, src, mode); err != nil {
		f.Close()
		os.Remove(tmp)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// copyFile copies src to a new file dst with permissions mode.
func copyFile(src, dst string, mode fs.FileMode) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if err := fill(f, src, mode); err != nil {
		f.Close()
		os.Remove(dst)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(dst)
		return err
	}
	return nil
}

// fill writes the bytes of the file src into f, syncs f and sets its mode.
func fill(f *os.File, src string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if _, err := io.Copy(f, in); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	return f.Sync()
}

// ReadyToInstall says whether an update may be installed now: only at close
// of day, with the owner's approval, and never during a sale. It refuses
// with ErrSaleInProgress while a sale is open and ErrDayOpen before the
// day is closed.
func ReadyToInstall(saleInProgress, dayClosed bool) error {
	if saleInProgress {
		return refuse(ErrSaleInProgress, text{Key: "error.update.during_sale",
			Fallback: "An update is never installed during a sale: finish or park the sale first"}, nil, nil)
	}
	if !dayClosed {
		return refuse(ErrDayOpen, text{Key: "error.update.day_open",
			Fallback: "An update is installed at close of day: close the day first"}, nil, nil)
	}
	return nil
}
