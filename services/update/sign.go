package update

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// GenerateKey makes a new Ed25519 key pair for signing updates: the private
// key's seed, in base64, to the new file privPath, readable by its owner
// only (0600), and the public key, in base64 as the till's settings take
// it, to the new file pubPath. Neither file may exist already.
func GenerateKey(privPath, pubPath string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("update: generate key: %w", err)
	}
	if _, err := os.Stat(pubPath); err == nil {
		return nil, fmt.Errorf("update: %s exists already", pubPath)
	}
	if err := writeNew(privPath, base64.StdEncoding.EncodeToString(priv.Seed())+"\n", 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(pubPath, base64.StdEncoding.EncodeToString(pub)+"\n", 0o644); err != nil {
		os.Remove(privPath)
		return nil, err
	}
	return pub, nil
}

// writeNew writes text to the new file path with permissions mode.
func writeNew(path, text string, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("update: create %s: %w", path, err)
	}
	if err := f.Chmod(mode); err == nil {
		_, err = io.WriteString(f, text)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			return nil
		}
	} else {
		f.Close()
	}
	os.Remove(path)
	return fmt.Errorf("update: write %s: %w", path, err)
}

// LoadPrivateKey reads a signing key GenerateKey wrote. Outside Windows a
// key file others can read is refused.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("update: signing key: %w", err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("update: signing key %s is readable by others (%v): chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("update: signing key: %w", err)
	}
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("update: %s is not a signing key", path)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// Release is a version to publish.
type Release struct {
	Version   string
	Build     int64
	OS, Arch  string            // the package's platform
	Package   string            // path of the package file
	URL       string            // where the till fetches it, relative to the manifest; "": the package's file name
	Notes     map[string]string // what changed, by language
	Published time.Time         // zero: now
}

// Manifest and signature file names in a published folder.
const (
	ManifestFile  = "manifest.json"
	SignatureFile = "manifest.json.sig"
)

// Publish writes the manifest of r and its signature by priv to the folder
// dir, as ManifestFile and SignatureFile, for the update server to serve
// beside the package.
func Publish(priv ed25519.PrivateKey, r Release, dir string) (Manifest, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return Manifest{}, errors.New("update: publish: no signing key")
	}
	f, err := os.Open(r.Package)
	if err != nil {
		return Manifest{}, fmt.Errorf("update: publish: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	f.Close()
	if err != nil {
		return Manifest{}, fmt.Errorf("update: publish: read %s: %w", r.Package, err)
	}
	m := Manifest{Version: r.Version, Build: r.Build, OS: r.OS, Arch: r.Arch, URL: r.URL, Size: n,
		SHA256: hex.EncodeToString(h.Sum(nil)), Notes: r.Notes, Published: r.Published.UTC().Format(time.RFC3339)}
	if m.URL == "" {
		m.URL = filepath.Base(r.Package)
	}
	if r.Published.IsZero() {
		m.Published = time.Now().UTC().Format(time.RFC3339)
	}
	if err := m.check(); err != nil {
		return Manifest{}, fmt.Errorf("update: publish: %w", err)
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, fmt.Errorf("update: publish: %w", err)
	}
	body = append(body, '\n')
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, body)) + "\n"
	if err := replaceFile(filepath.Join(dir, ManifestFile), body); err != nil {
		return Manifest{}, err
	}
	if err := replaceFile(filepath.Join(dir, SignatureFile), []byte(sig)); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// replaceFile writes b to path through a temporary file and a rename.
func replaceFile(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("update: write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("update: write %s: %w", path, err)
	}
	return nil
}
