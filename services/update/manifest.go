package update

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/till-pos/till/models"
)

// Limits on what the update server sends before it is trusted.
const (
	MaxManifest  = 64 << 10 // bytes of manifest.json
	maxSignature = 1 << 10  // bytes of manifest.json.sig
	// MaxPackage is the largest package a manifest may announce.
	MaxPackage = 1 << 30
)

// Manifest describes one published version of Till: the package file for
// one system and processor, its size and SHA-256 (which the manifest's
// signature thus covers), and what changed, by language.
type Manifest struct {
	Version   string            `json:"version"`         // semantic version, newer than the running one
	Build     int64             `json:"build,omitempty"` // the build number, informative
	OS        string            `json:"os"`              // runtime.GOOS of the package
	Arch      string            `json:"arch"`            // runtime.GOARCH of the package
	URL       string            `json:"url"`             // the package, relative to the manifest's URL or absolute
	Size      int64             `json:"size"`            // bytes of the package
	SHA256    string            `json:"sha256"`          // hex digest of the package
	Notes     map[string]string `json:"notes"`           // what changed, by language: "en", "zh-CN"
	Published string            `json:"published"`       // RFC 3339 time of publication
}

// ParseManifest reads a manifest strictly: one JSON object of known fields
// only, at most MaxManifest bytes, every field present and well formed.
// It does not check the signature (VerifySignature does, first) nor the
// platform or the version (Checker.Check does).
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if len(data) > MaxManifest {
		return m, fmt.Errorf("manifest of %d bytes is over the limit of %d", len(data), MaxManifest)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Manifest{}, fmt.Errorf("manifest: data after the object")
	}
	if err := m.check(); err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	return m, nil
}

// check reports the first missing or malformed field of m.
func (m Manifest) check() error {
	if _, err := ParseVersion(m.Version); err != nil {
		return err
	}
	if m.Build < 0 {
		return fmt.Errorf("negative build %d", m.Build)
	}
	if !platformWord(m.OS) || !platformWord(m.Arch) {
		return fmt.Errorf("os %q and arch %q must be a Go GOOS and GOARCH", m.OS, m.Arch)
	}
	if m.URL == "" || strings.ContainsAny(m.URL, " \t\r\n\\") {
		return fmt.Errorf("bad or missing url %q", m.URL)
	}
	if m.Size <= 0 || m.Size > MaxPackage {
		return fmt.Errorf("size %d is not between 1 and %d", m.Size, MaxPackage)
	}
	if d, err := hex.DecodeString(m.SHA256); err != nil || len(d) != 32 {
		return fmt.Errorf("sha256 %q is not 64 hex digits", m.SHA256)
	}
	if len(m.Notes) == 0 {
		return fmt.Errorf("no notes of what changed")
	}
	for l, n := range m.Notes {
		if l == "" || strings.TrimSpace(n) == "" {
			return fmt.Errorf("empty note for language %q", l)
		}
	}
	if _, err := time.Parse(time.RFC3339, m.Published); err != nil {
		return fmt.Errorf("published %q is not an RFC 3339 time", m.Published)
	}
	return nil
}

// platformWord reports whether s can be a GOOS or GOARCH: lowercase
// letters and digits.
func platformWord(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Note is what changed in the language lang ("zh-CN", "zh", "en"): the
// note of that exact tag, else of the same base language, else English,
// else of the first language in order.
func (m Manifest) Note(lang string) string {
	if n, ok := m.Notes[lang]; ok {
		return n
	}
	base, _, _ := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-")
	if n := m.first(func(l string) bool {
		lb, _, _ := strings.Cut(strings.ReplaceAll(l, "_", "-"), "-")
		return base != "" && strings.EqualFold(lb, base)
	}); n != "" {
		return n
	}
	if n, ok := m.Notes["en"]; ok {
		return n
	}
	return m.first(func(string) bool { return true })
}

// first is the note of the first language, in order, that ok accepts.
func (m Manifest) first(ok func(string) bool) string {
	langs := make([]string, 0, len(m.Notes))
	for l := range m.Notes {
		if ok(l) {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		return ""
	}
	sort.Strings(langs)
	return m.Notes[langs[0]]
}

// DecodeSignature reads a detached Ed25519 signature: 64 raw bytes, or
// their standard base64 with optional surrounding white space.
func DecodeSignature(sig []byte) ([]byte, error) {
	if len(sig) == ed25519.SignatureSize {
		return sig, nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sig)))
	if err != nil || len(b) != ed25519.SignatureSize {
		return nil, fmt.Errorf("signature is neither %d bytes nor their base64", ed25519.SignatureSize)
	}
	return b, nil
}

// VerifySignature checks that sig (see DecodeSignature) is pub's signature
// of exactly manifest.
func VerifySignature(pub ed25519.PublicKey, manifest, sig []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("public key of %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	s, err := DecodeSignature(sig)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, manifest, s) {
		return fmt.Errorf("signature does not match the manifest and key")
	}
	return nil
}

// ParsePublicKey reads an Ed25519 public key written as standard base64
// (as till-sign writes it), white space around it ignored.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	pub, err := models.ParseUpdateKey(s)
	if err != nil {
		return nil, fmt.Errorf("update key: not the base64 of a %d-byte Ed25519 public key", ed25519.PublicKeySize)
	}
	return pub, nil
}
