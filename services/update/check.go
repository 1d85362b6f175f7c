// Package update is Till's signed update channel: it fetches the manifest
// of the newest version from a configured URL, verifies its Ed25519
// signature with the shop's configured public key before reading anything
// in it, refuses another platform, the same version and a downgrade,
// downloads the package whose size and SHA-256 the signed manifest fixes,
// and puts it in place of the running binary, keeping the old one to roll
// back. Installing waits for the owner's approval at close of day, never
// during a sale (ReadyToInstall).
//
// The channel is two files beside each other: manifest.json (see Manifest)
// and manifest.json.sig, the Ed25519 signature of manifest.json's exact
// bytes (64 raw bytes, or their base64). cmd/till-sign makes the key pair
// and publishes both.
package update

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"

	"github.com/till-pos/till/models"
)

// Checker asks one update channel whether a newer version than Current is
// published.
type Checker struct {
	URL       string            // of manifest.json; its signature is the same path + ".sig"
	PublicKey ed25519.PublicKey // the key that must have signed the manifest
	Current   string            // the running version (main.version)
	Client    *http.Client      // nil: http.DefaultClient

	// OS and Arch are the platform whose package is wanted; empty: the
	// running one (runtime.GOOS, runtime.GOARCH).
	OS, Arch string
}

// Offer is a newer version, signed and for this platform, not yet
// downloaded.
type Offer struct {
	Manifest
	// PackageURL is the manifest's url, resolved against the manifest's.
	PackageURL string
	// Current is the version running when it was offered.
	Current string
}

// Check fetches the manifest and its signature and returns the newer
// version they offer. The signature is verified with c.PublicKey before
// anything in the manifest is read; then the platform and the version are
// checked. Refusals wrap ErrFetch, ErrBadSignature, ErrManifest,
// ErrWrongPlatform, ErrNoUpdate, ErrDowngrade or ErrConfig.
func (c *Checker) Check(ctx context.Context) (Offer, error) {
	base, err := url.Parse(c.URL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return Offer{}, refuse(ErrConfig, msgNoURL, nil, nil)
	}
	if len(c.PublicKey) != ed25519.PublicKeySize {
		return Offer{}, refuse(ErrConfig, msgNoKey, nil, nil)
	}
	cur, err := ParseVersion(c.Current)
	if err != nil {
		return Offer{}, refuse(ErrConfig, text{Key: "error.update.bad_current",
			Fallback: "The running version {{.Current}} is not a version number"}, map[string]any{"Current": c.Current}, err)
	}
	body, err := c.get(ctx, c.URL, MaxManifest)
	if err != nil {
		return Offer{}, err
	}
	sigURL := *base
	sigURL.Path += ".sig"
	sigURL.RawPath = ""
	sig, err := c.get(ctx, sigURL.String(), maxSignature)
	if err != nil {
		return Offer{}, err
	}
	if err := VerifySignature(c.PublicKey, body, sig); err != nil {
		return Offer{}, refuse(ErrBadSignature, text{Key: "error.update.bad_signature",
			Fallback: "The update is refused: its signature is not the shop's update key's"}, nil, err)
	}
	m, err := ParseManifest(body)
	if err != nil {
		return Offer{}, refuse(ErrManifest, msgManifest, nil, err)
	}
	goos, goarch := c.OS, c.Arch
	if goos == "" {
		goos = runtime.GOOS
	}
	if goarch == "" {
		goarch = runtime.GOARCH
	}
	if m.OS != goos || m.Arch != goarch {
		return Offer{}, refuse(ErrWrongPlatform, text{Key: "error.update.platform",
			Fallback: "The update is refused: it is for {{.Offered}}, this till runs {{.Here}}"},
			map[string]any{"Offered": m.OS + "/" + m.Arch, "Here": goos + "/" + goarch}, nil)
	}
	nv, _ := ParseVersion(m.Version) // checked by ParseManifest
	versions := map[string]any{"Offered": m.Version, "Current": c.Current}
	switch Compare(nv, cur) {
	case 0:
		return Offer{}, refuse(ErrNoUpdate, text{Key: "error.update.same",
			Fallback: "Till is up to date: version {{.Current}} is the newest"}, versions, nil)
	case -1:
		return Offer{}, refuse(ErrDowngrade, text{Key: "error.update.downgrade",
			Fallback: "The update is refused: version {{.Offered}} is older than the running {{.Current}}"}, versions, nil)
	}
	ref, err := url.Parse(m.URL)
	if err != nil {
		return Offer{}, refuse(ErrManifest, msgManifest, nil, err)
	}
	pkg := base.ResolveReference(ref)
	if pkg.Scheme != "https" && pkg.Scheme != "http" {
		return Offer{}, refuse(ErrManifest, msgManifest, nil, fmt.Errorf("package url %q is not http(s)", m.URL))
	}
	return Offer{Manifest: m, PackageURL: pkg.String(), Current: c.Current}, nil
}

// client is c.Client, else http.DefaultClient.
func (c *Checker) client() *http.Client {
	if c.Client != nil {
		return c.Client
	}
	return http.DefaultClient
}

// get fetches u, refusing an answer longer than limit bytes.
func (c *Checker) get(ctx context.Context, u string, limit int64) ([]byte, error) {
	resp, err := c.open(ctx, u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fetchError(u, err)
	}
	if int64(len(b)) > limit {
		return nil, refuse(ErrManifest, text{Key: "error.update.too_big",
			Fallback: "The update is refused: its description is larger than {{.Limit}} bytes"}, map[string]any{"Limit": limit}, nil)
	}
	return b, nil
}

// open starts a GET of u that must answer 200 OK.
func (c *Checker) open(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fetchError(u, err)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return nil, fetchError(u, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fetchError(u, fmt.Errorf("%s", resp.Status))
	}
	return resp, nil
}

// fetchError is a failure to fetch u.
func fetchError(u string, err error) error {
	return refuse(ErrFetch, text{Key: "error.update.fetch", Fallback: "The update server cannot be reached ({{.URL}})"},
		map[string]any{"URL": u}, err)
}

// Settings reads the stored settings of Till.
type Settings interface {
	Setting(ctx context.Context, key, def string) (string, error)
}

// Setting keys of the update channel: the URL of manifest.json and the
// base64 Ed25519 public key that signs it (not a secret).
const (
	SettingURL = models.SettingUpdateURL
	SettingKey = models.SettingUpdateKey
)

// FromSettings is the Checker of the channel stored in s, for the running
// version current. An unset or bad URL or key is ErrConfig.
func FromSettings(ctx context.Context, s Settings, current string) (*Checker, error) {
	u, err := s.Setting(ctx, SettingURL, "")
	if err != nil {
		return nil, fmt.Errorf("update: read %s: %w", SettingURL, err)
	}
	k, err := s.Setting(ctx, SettingKey, "")
	if err != nil {
		return nil, fmt.Errorf("update: read %s: %w", SettingKey, err)
	}
	if u == "" {
		return nil, refuse(ErrConfig, msgNoURL, nil, nil)
	}
	pub, err := ParsePublicKey(k)
	if err != nil {
		return nil, refuse(ErrConfig, msgNoKey, nil, err)
	}
	return &Checker{URL: u, PublicKey: pub, Current: current}, nil
}
