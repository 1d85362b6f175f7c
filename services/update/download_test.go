package update_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/till-pos/till/services/update"
)

// offer publishes pkg as version 0.2.0 and checks the channel for it.
func offer(t *testing.T, c *channel, pkg []byte) (*update.Checker, update.Offer) {
	t.Helper()
	pub, priv := newKey(t)
	c.publish(t, priv, manifestFor("0.2.0", pkg))
	ck := c.checker(pub, "0.1.0")
	o, err := ck.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ck, o
}

// TestDownloadKeepsThePackageSigned: the package arrives whole under its
// name, its progress told up to its size.
func TestDownloadKeepsThePackageSigned(t *testing.T) {
	c := newChannel(t)
	pkg := bytes.Repeat([]byte("till "), 50000)
	c.files["/channel/pkg"] = pkg
	ck, o := offer(t, c, pkg)
	dir := t.TempDir()
	var last, total int64
	calls := 0
	path, err := ck.Download(context.Background(), o, dir, func(done, tot int64) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, total = done, tot
		calls++
	})
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "till-0.2.0.update") {
		t.Errorf("path %s", path)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, pkg) {
		t.Fatalf("downloaded %d bytes, %v; want %d", len(got), err, len(pkg))
	}
	if last != int64(len(pkg)) || total != int64(len(pkg)) || calls < 2 {
		t.Errorf("progress ended at %d of %d after %d calls", last, total, calls)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 1 {
		t.Errorf("%d files in the folder, want the package only", len(es))
	}
}

// TestDownloadRefusals: a package cut short (by its Content-Length, by a
// server that lies about it, or by a stream that ends early), longer than
// signed, or of another digest is refused with its own error, and no file
// is left behind.
func TestDownloadRefusals(t *testing.T) {
	pkg := bytes.Repeat([]byte("0123456789"), 10000)
	wrong := bytes.Clone(pkg)
	wrong[len(wrong)/2] ^= 1
	streamed := func(b []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			// No Content-Length: flushing makes the answer chunked.
			w.Write(b[:len(b)/2])
			w.(http.Flusher).Flush()
			w.Write(b[len(b)/2:])
		}
	}
	for _, c := range []struct {
		name string
		pkg  http.HandlerFunc
		want error
		key  string
	}{
		{"short, said so", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(pkg)-1))
			w.Write(pkg[:len(pkg)-1])
		}, update.ErrTruncated, "error.update.truncated"},
		{"Content-Length lies, body cut", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(pkg)))
			w.Write(pkg[:len(pkg)-100])
		}, update.ErrTruncated, "error.update.truncated"},
		{"stream ends early", streamed(pkg[:len(pkg)-1]), update.ErrTruncated, "error.update.truncated"},
		{"longer, said so", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(pkg)+1))
			w.Write(append(bytes.Clone(pkg), '!'))
		}, update.ErrTooLong, "error.update.too_long"},
		{"stream goes on", streamed(append(bytes.Clone(pkg), "and more"...)), update.ErrTooLong, "error.update.too_long"},
		{"another digest", func(w http.ResponseWriter, r *http.Request) {
			w.Write(wrong)
		}, update.ErrDigest, "error.update.digest"},
		{"gone", http.NotFound, update.ErrFetch, "error.update.fetch"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := newChannel(t)
			ch.odd["/channel/pkg"] = c.pkg
			ck, o := offer(t, ch, pkg)
			dir := t.TempDir()
			path, err := ck.Download(context.Background(), o, dir, nil)
			if !errors.Is(err, c.want) {
				t.Fatalf("Download = %q, %v; want %v", path, err, c.want)
			}
			if m := message(err); m == nil || m.Key != c.key {
				t.Errorf("message %+v, want %s", m, c.key)
			}
			if path != "" {
				t.Errorf("path %q", path)
			}
			dirEmpty(t, dir)
		})
	}
}

// TestDownloadCancelledLeavesNoFile: cancelling mid-download stops it with
// the context's error and removes what was written.
func TestDownloadCancelledLeavesNoFile(t *testing.T) {
	pkg := bytes.Repeat([]byte("x"), 1<<20)
	c := newChannel(t)
	c.odd["/channel/pkg"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(pkg)))
		w.Write(pkg[:len(pkg)/4])
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes: the till gives up
	}
	ck, o := offer(t, c, pkg)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen int64
	path, err := ck.Download(ctx, o, dir, func(done, total int64) {
		seen = done
		cancel()
	})
	if !errors.Is(err, context.Canceled) || path != "" {
		t.Fatalf("Download = %q, %v; want context.Canceled", path, err)
	}
	if seen == 0 || seen >= int64(len(pkg)) {
		t.Errorf("cancelled after %d bytes", seen)
	}
	dirEmpty(t, dir)
}
