package update_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/update"
)

// channel is an update server for tests: the files it serves by path, and
// handlers that misbehave on purpose.
type channel struct {
	srv   *httptest.Server
	files map[string][]byte
	odd   map[string]http.HandlerFunc
}

func newChannel(t *testing.T) *channel {
	t.Helper()
	c := &channel{files: map[string][]byte{}, odd: map[string]http.HandlerFunc{}}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := c.odd[r.URL.Path]; ok {
			h(w, r)
			return
		}
		b, ok := c.files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func newKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// manifestFor is a valid manifest of pkg, served at /pkg, for this platform.
func manifestFor(version string, pkg []byte) update.Manifest {
	sum := sha256.Sum256(pkg)
	return update.Manifest{Version: version, Build: 2, OS: runtime.GOOS, Arch: runtime.GOARCH, URL: "pkg",
		Size: int64(len(pkg)), SHA256: hex.EncodeToString(sum[:]),
		Notes:     map[string]string{"en": "Faster receipts", "zh-CN": "小票打印更快"},
		Published: "2026-12-01T08:00:00Z"}
}

// publish serves m signed by priv at /channel/manifest.json.
func (c *channel) publish(t *testing.T, priv ed25519.PrivateKey, m update.Manifest) []byte {
	t.Helper()
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	c.files["/channel/manifest.json"] = body
	c.files["/channel/manifest.json.sig"] = []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(priv, body)) + "\n")
	return body
}

func (c *channel) checker(pub ed25519.PublicKey, current string) *update.Checker {
	return &update.Checker{URL: c.srv.URL + "/channel/manifest.json", PublicKey: pub, Current: current, Client: c.srv.Client()}
}

// message is the person's message of err, or "" if it has none.
func message(err error) *models.Error {
	var e *models.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// TestCheckOffersASignedNewerVersion: a manifest signed by the shop's key,
// for this platform, of a newer version is offered, its package URL
// resolved against the manifest's and its notes in both languages.
func TestCheckOffersASignedNewerVersion(t *testing.T) {
	c := newChannel(t)
	pub, priv := newKey(t)
	pkg := []byte("new till binary")
	c.files["/channel/pkg"] = pkg
	c.publish(t, priv, manifestFor("0.2.0", pkg))

	for _, cur := range []string{"0.1.0-dev", "0.1.9", "0.2.0-rc.1"} {
		o, err := c.checker(pub, cur).Check(context.Background())
		if err != nil {
			t.Fatalf("from %s: %v", cur, err)
		}
		if o.Version != "0.2.0" || o.Current != cur || o.PackageURL != c.srv.URL+"/channel/pkg" || o.Size != int64(len(pkg)) {
			t.Errorf("from %s: offer %+v", cur, o)
		}
		if o.Note("zh-CN") != "小票打印更快" || o.Note("zh") != "小票打印更快" || o.Note("en-GB") != "Faster receipts" || o.Note("fr") != "Faster receipts" {
			t.Errorf("notes %q %q %q", o.Note("zh-CN"), o.Note("zh"), o.Note("en-GB"))
		}
	}

	// A package elsewhere is named by its whole URL.
	m := manifestFor("0.2.0", pkg)
	m.URL = "http://downloads.example.com/till/pkg"
	c.publish(t, priv, m)
	o, err := c.checker(pub, "0.1.0").Check(context.Background())
	if err != nil || o.PackageURL != m.URL {
		t.Errorf("absolute url: %q, %v", o.PackageURL, err)
	}
}

// TestCheckRefusals: each bad manifest is refused with its own error and a
// message for the person, and nothing is offered.
func TestCheckRefusals(t *testing.T) {
	pub, priv := newKey(t)
	_, otherPriv := newKey(t)
	pkg := []byte("new till binary")
	for _, c := range []struct {
		name    string
		current string
		serve   func(c *channel)
		want    error
		key     string
		says    []string // in the message
	}{
		{"tampered after signing", "0.1.0", func(c *channel) {
			body := c.publish(t, priv, manifestFor("0.2.0", pkg))
			c.files["/channel/manifest.json"] = bytes.Replace(body, []byte(`"build": 2`), []byte(`"build": 3`), 1)
		}, update.ErrBadSignature, "error.update.bad_signature", nil},
		{"tampered into bad JSON: the signature is checked first", "0.1.0", func(c *channel) {
			c.publish(t, priv, manifestFor("0.2.0", pkg))
			c.files["/channel/manifest.json"] = []byte("{")
		}, update.ErrBadSignature, "error.update.bad_signature", nil},
		{"signed by another key", "0.1.0", func(c *channel) {
			c.publish(t, otherPriv, manifestFor("0.2.0", pkg))
		}, update.ErrBadSignature, "error.update.bad_signature", nil},
		{"signature garbled", "0.1.0", func(c *channel) {
			c.publish(t, priv, manifestFor("0.2.0", pkg))
			c.files["/channel/manifest.json.sig"] = []byte("not a signature")
		}, update.ErrBadSignature, "error.update.bad_signature", nil},
		{"signature missing", "0.1.0", func(c *channel) {
			c.publish(t, priv, manifestFor("0.2.0", pkg))
			delete(c.files, "/channel/manifest.json.sig")
		}, update.ErrFetch, "error.update.fetch", []string{"404"}},
		{"downgrade", "0.3.1", func(c *channel) {
			c.publish(t, priv, manifestFor("0.2.0", pkg))
		}, update.ErrDowngrade, "error.update.downgrade", []string{"0.2.0", "0.3.1"}},
		{"release older than a pre-release running", "0.2.1-dev", func(c *channel) {
			c.publish(t, priv, manifestFor("0.2.0", pkg))
		}, update.ErrDowngrade, "error.update.downgrade", []string{"0.2.0", "0.2.1-dev"}},
		{"same version", "0.2.0", func(c *channel) {
			c.publish(t, priv, manifestFor("0.2.0", pkg))
		}, update.ErrNoUpdate, "error.update.same", []string{"0.2.0"}},
		{"wrong platform", "0.1.0", func(c *channel) {
			m := manifestFor("0.2.0", pkg)
			m.OS, m.Arch = "plan9", "mips"
			if runtime.GOOS == "plan9" {
				m.OS = "windows"
			}
			c.publish(t, priv, m)
		}, update.ErrWrongPlatform, "error.update.platform", []string{"/mips", runtime.GOOS + "/" + runtime.GOARCH}},
		{"signed but incomplete", "0.1.0", func(c *channel) {
			m := manifestFor("0.2.0", pkg)
			m.SHA256 = ""
			c.publish(t, priv, m)
		}, update.ErrManifest, "error.update.manifest", nil},
		{"signed but a bad version", "0.1.0", func(c *channel) {
			c.publish(t, priv, manifestFor("0.2", pkg))
		}, update.ErrManifest, "error.update.manifest", nil},
		{"signed but the package is not on the web", "0.1.0", func(c *channel) {
			m := manifestFor("0.2.0", pkg)
			m.URL = "file:///etc/passwd"
			c.publish(t, priv, m)
		}, update.ErrManifest, "error.update.manifest", nil},
		{"manifest over the limit", "0.1.0", func(c *channel) {
			m := manifestFor("0.2.0", pkg)
			m.Notes["en"] = strings.Repeat("x", update.MaxManifest)
			c.publish(t, priv, m)
		}, update.ErrManifest, "error.update.too_big", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := newChannel(t)
			ch.files["/channel/pkg"] = pkg
			c.serve(ch)
			o, err := ch.checker(pub, c.current).Check(context.Background())
			if !errors.Is(err, c.want) {
				t.Fatalf("Check = %+v, %v; want %v", o, err, c.want)
			}
			m := message(err)
			if m == nil || m.Key != c.key {
				t.Fatalf("message %+v, want key %s", m, c.key)
			}
			for _, s := range c.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
			if o.Version != "" {
				t.Errorf("offered %+v", o)
			}
		})
	}
}

// TestCheckNeedsItsSettings: no URL, no key or a key of the wrong size is
// refused before anything is fetched; FromSettings reads both from the
// store's settings.
func TestCheckNeedsItsSettings(t *testing.T) {
	c := newChannel(t)
	pub, priv := newKey(t)
	c.publish(t, priv, manifestFor("0.2.0", []byte("x")))
	ctx := context.Background()
	for _, ck := range []*update.Checker{
		{URL: "", PublicKey: pub, Current: "0.1.0"},
		{URL: "ftp://example.com/manifest.json", PublicKey: pub, Current: "0.1.0"},
		{URL: c.srv.URL + "/channel/manifest.json", PublicKey: pub[:16], Current: "0.1.0"},
		{URL: c.srv.URL + "/channel/manifest.json", PublicKey: pub, Current: "dev"},
	} {
		if _, err := ck.Check(ctx); !errors.Is(err, update.ErrConfig) {
			t.Errorf("%+v: %v, want ErrConfig", ck, err)
		}
	}
	s := storetest.Open(t)
	if _, err := update.FromSettings(ctx, s, "0.1.0"); !errors.Is(err, update.ErrConfig) {
		t.Errorf("nothing set: %v", err)
	}
	if err := s.SetSetting(ctx, update.SettingURL, c.srv.URL+"/channel/manifest.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := update.FromSettings(ctx, s, "0.1.0"); !errors.Is(err, update.ErrConfig) {
		t.Errorf("no key: %v", err)
	}
	if err := s.SetSetting(ctx, update.SettingKey, "  "+base64.StdEncoding.EncodeToString(pub)+"\n"); err != nil {
		t.Fatal(err)
	}
	ck, err := update.FromSettings(ctx, s, "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	ck.Client = c.srv.Client()
	if o, err := ck.Check(ctx); err != nil || o.Version != "0.2.0" {
		t.Errorf("from settings: %+v, %v", o, err)
	}
}

// dirEmpty fails t when dir holds any file.
func dirEmpty(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		t.Errorf("%s left in %s", e.Name(), dir)
	}
}
