package update

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Download fetches the package of o into the folder dir and returns its
// path, dir/till-VERSION.update. It streams into a temporary file beside
// it, checks the size and SHA-256 the signed manifest gives, syncs it to
// disk and only then gives it its name: on any failure or when ctx is
// cancelled no file is left. progress, if not nil, is told the bytes done
// so far of total as they arrive. A short package is ErrTruncated, a long
// one ErrTooLong, another digest ErrDigest.
func (c *Checker) Download(ctx context.Context, o Offer, dir string, progress func(done, total int64)) (path string, err error) {
	if _, perr := ParseVersion(o.Version); perr != nil || o.Size <= 0 || o.PackageURL == "" {
		return "", refuse(ErrManifest, msgManifest, nil, fmt.Errorf("offer %q incomplete", o.Version))
	}
	want, herr := hex.DecodeString(o.SHA256)
	if herr != nil || len(want) != sha256.Size {
		return "", refuse(ErrManifest, msgManifest, nil, fmt.Errorf("sha256 %q", o.SHA256))
	}
	resp, err := c.open(ctx, o.PackageURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	sizes := map[string]any{"Want": o.Size, "Got": resp.ContentLength}
	if resp.ContentLength > o.Size {
		return "", refuse(ErrTooLong, msgTooLong, sizes, nil)
	}
	if resp.ContentLength >= 0 && resp.ContentLength < o.Size {
		return "", refuse(ErrTruncated, msgTruncated, sizes, nil)
	}

	f, err := os.CreateTemp(dir, ".till-update-*")
	if err != nil {
		return "", refuse(ErrApply, msgWrite, map[string]any{"Dir": dir}, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	n, werr, err := copyProgress(ctx, io.MultiWriter(f, h), io.LimitReader(resp.Body, o.Size+1), o.Size, progress)
	if werr != nil {
		return "", refuse(ErrApply, msgWrite, map[string]any{"Dir": dir}, werr)
	}
	if cerr := ctx.Err(); cerr != nil {
		return "", fmt.Errorf("update: download of %s: %w", o.Version, cerr)
	}
	sizes["Got"] = n
	if n > o.Size {
		return "", refuse(ErrTooLong, msgTooLong, sizes, nil)
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", fetchError(o.PackageURL, err)
	}
	if n < o.Size {
		return "", refuse(ErrTruncated, msgTruncated, sizes, err)
	}
	if got := h.Sum(nil); !bytes.Equal(got, want) {
		return "", refuse(ErrDigest, text{Key: "error.update.digest",
			Fallback: "The update is refused: the package is not the one that was signed"}, nil,
			fmt.Errorf("sha256 %x, want %x", got, want))
	}
	if err = f.Sync(); err != nil {
		return "", refuse(ErrApply, msgWrite, map[string]any{"Dir": dir}, err)
	}
	if err = f.Close(); err != nil {
		return "", refuse(ErrApply, msgWrite, map[string]any{"Dir": dir}, err)
	}
	path = filepath.Join(dir, "till-"+o.Version+".update")
	if err = os.Rename(tmp, path); err != nil {
		return "", refuse(ErrApply, msgWrite, map[string]any{"Dir": dir}, err)
	}
	syncDir(dir)
	return path, nil
}

// copyProgress copies src to dst, telling progress after each chunk and
// stopping when ctx is done. It returns the bytes copied, a failure to
// write, and a failure to read.
func copyProgress(ctx context.Context, dst io.Writer, src io.Reader, total int64, progress func(done, total int64)) (n int64, werr, rerr error) {
	buf := make([]byte, 64<<10)
	for {
		if err := ctx.Err(); err != nil {
			return n, nil, err
		}
		r, err := src.Read(buf)
		if r > 0 {
			w, err := dst.Write(buf[:r])
			n += int64(w)
			if err != nil {
				return n, err, nil
			}
			if progress != nil {
				progress(n, total)
			}
		}
		if err == io.EOF {
			return n, nil, nil
		}
		if err != nil {
			return n, nil, err
		}
	}
}

// syncDir flushes the folder's entries (a rename) to disk where the system
// allows it; a failure only loses durability, not correctness.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
