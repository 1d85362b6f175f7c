package update_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/till-pos/till/services/update"
)

const goodManifest = `{"version":"0.2.0","build":2,"os":"linux","arch":"amd64","url":"till-0.2.0-linux-amd64",
"size":1234,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
"notes":{"en":"Faster receipts","zh-CN":"小票打印更快"},"published":"2026-12-01T08:00:00Z"}`

// TestParseManifestStrictly: a complete manifest is read; one with a field
// missing, malformed or unknown, or with data after it, is refused.
func TestParseManifestStrictly(t *testing.T) {
	m, err := update.ParseManifest([]byte(goodManifest))
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "0.2.0" || m.Size != 1234 || m.Note("zh-CN") != "小票打印更快" || m.URL != "till-0.2.0-linux-amd64" {
		t.Errorf("parsed %+v", m)
	}
	for _, c := range []struct{ name, from, to string }{
		{"unknown field", `"build":2`, `"build":2,"extra":1`},
		{"no version", `"version":"0.2.0",`, ``},
		{"bad version", `"0.2.0"`, `"0.2"`},
		{"negative build", `"build":2`, `"build":-2`},
		{"no os", `"os":"linux",`, ``},
		{"odd arch", `"amd64"`, `"AMD 64"`},
		{"no url", `"url":"till-0.2.0-linux-amd64",`, ``},
		{"url with a space", `till-0.2.0-linux-amd64`, `till 0.2.0`},
		{"zero size", `1234`, `0`},
		{"huge size", `1234`, `99999999999999`},
		{"fractional size", `1234`, `12.5`},
		{"short sha256", `0f00a08"`, `0f00a0"`},
		{"sha256 not hex", `9f86d0`, `zz86d0`},
		{"no notes", `"notes":{"en":"Faster receipts","zh-CN":"小票打印更快"},`, ``},
		{"empty note", `"Faster receipts"`, `" "`},
		{"bad time", `2026-12-01T08:00:00Z`, `yesterday`},
		{"trailing data", `00Z"}`, `00Z"} {}`},
		{"not an object", goodManifest, `[]`},
	} {
		bad := strings.Replace(goodManifest, c.from, c.to, 1)
		if bad == goodManifest {
			t.Fatalf("%s: the case changes nothing", c.name)
		}
		if m, err := update.ParseManifest([]byte(bad)); err == nil {
			t.Errorf("%s: parsed %+v", c.name, m)
		}
	}
	big := strings.Replace(goodManifest, "Faster receipts", strings.Repeat("x", update.MaxManifest), 1)
	if _, err := update.ParseManifest([]byte(big)); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("a manifest over the limit: %v", err)
	}
}

// TestVerifySignatureTakesRawOrBase64: both spellings of a signature are
// read, and a signature of other bytes or by another key fails.
func TestVerifySignatureTakesRawOrBase64(t *testing.T) {
	pub, priv := newKey(t)
	otherPub, _ := newKey(t)
	body := []byte(goodManifest)
	sig := ed25519.Sign(priv, body)
	for _, s := range [][]byte{sig, []byte(base64.StdEncoding.EncodeToString(sig)), []byte(" " + base64.StdEncoding.EncodeToString(sig) + "\r\n")} {
		if err := update.VerifySignature(pub, body, s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if update.VerifySignature(otherPub, body, sig) == nil {
		t.Error("another key verified")
	}
	if update.VerifySignature(pub, append(body, ' '), sig) == nil {
		t.Error("other bytes verified")
	}
	if update.VerifySignature(pub, body, sig[:63]) == nil {
		t.Error("a short signature verified")
	}
	if update.VerifySignature(nil, body, sig) == nil {
		t.Error("no key verified")
	}
}

// FuzzParseManifest: any bytes are read without panic; what is read is
// complete and reads back the same once written again.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(goodManifest))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"version":"1.0.0-rc.1+b","notes":{"":"x"}}`))
	f.Add([]byte(strings.Replace(goodManifest, "}", "}}", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := update.ParseManifest(data)
		if err != nil {
			return
		}
		if m.Version == "" || m.Size <= 0 || m.Size > update.MaxPackage || len(m.SHA256) != 64 || len(m.Notes) == 0 || m.Note("en") == "" {
			t.Fatalf("incomplete manifest accepted: %+v", m)
		}
		if _, err := update.ParseVersion(m.Version); err != nil {
			t.Fatalf("version %q accepted: %v", m.Version, err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, err := update.ParseManifest(b)
		if err != nil {
			t.Fatalf("written again %s: %v", b, err)
		}
		if !reflect.DeepEqual(again, m) {
			t.Fatalf("read back %+v, want %+v", again, m)
		}
	})
}

// FuzzParseVersion: any text is read without panic; a version read prints
// as one that reads back equal.
func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"0.1.0-dev", "1.2.3", "v1.0.0-rc.1+build.5", "1.0", "01.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := update.ParseVersion(s)
		if err != nil {
			return
		}
		w, err := update.ParseVersion(v.String())
		if err != nil || update.Compare(v, w) != 0 || w != v {
			t.Fatalf("%q read as %+v, printed %q, read back %+v, %v", s, v, v.String(), w, err)
		}
	})
}
