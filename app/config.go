package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/screens"
)

// Options are what main.go reads from the command line.
type Options struct {
	DBPath string // empty: till.db in the user's config directory
	// KeysDir is the folder of the device keys, owner-only and outside the
	// data folder; empty: secrets.DefaultDir (~/.config/till-keys on
	// Linux).
	KeysDir string
	// NewKey makes a new device key when the database's is lost (its
	// enrolled fingers and linked cards must then be done again).
	NewKey bool
	Lang   string // "zh", "en", or empty for the stored choice (default zh)
	Demo   bool   // seed the demo catalog and log in the demo operator
	// Acquirer is the acquirer host's HOST:PORT; empty in demo mode starts a
	// simulated host in-process, and outside demo mode leaves sync off.
	Acquirer string
	// Scanner is a serial barcode scanner's port (/dev/ttyUSB0, COM3);
	// empty uses the one stored in Settings, if any. Keyboard-wedge
	// scanners need nothing.
	Scanner string
	Version string
	// WindowSize is the window's size; zero: WindowSize. A tablet whose
	// screen is smaller passes its own, or FullScreen.
	WindowSize fyne.Size
	// FullScreen fills the screen, as a till on a tablet does.
	FullScreen bool
	// Training starts training mode as soon as someone the shop's matrix
	// allows signs in (a shop's till only).
	Training bool

	// run starts the acquirer's worker with the till (Run, not tests).
	run bool
	// inlineUI runs background work at once, for tests that must not race.
	inlineUI bool
	// afterFunc starts the UI's timers (the auto-lock, a notice's time on
	// the sell screen); tests pass a fake clock.
	afterFunc screens.AfterFunc
	// beep is the till's alert; nil: the platform's (devices/beeper), or
	// none in tests that run the UI inline.
	beep screens.Beeper
	// updateTarget is the binary an update replaces; "": the running one.
	// Tests give a copy, never the test binary.
	updateTarget string
}

// DefaultDBPath is till.db in the user's config directory (~/.config/till on
// Linux), or for the demo in a folder of its own (~/.config/till/demo): the
// demo never writes to the shop's database.
func DefaultDBPath(demo bool) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("app: no config directory: %w", err)
	}
	if demo {
		return filepath.Join(dir, "till", "demo", "till.db"), nil
	}
	return filepath.Join(dir, "till", "till.db"), nil
}

// onAndroid sets, where opts leaves them empty, the database's and the
// device keys' folders under root, the app's private storage on Android
// (which has no configuration folder): till/ (demo/ for the demo) and
// till-keys/ beside it, never inside it.
func onAndroid(opts Options, root string) Options {
	if opts.DBPath == "" {
		opts.DBPath = filepath.Join(root, "till", "till.db")
		if opts.Demo {
			opts.DBPath = filepath.Join(root, "till", "demo", "till.db")
		}
	}
	if opts.KeysDir == "" {
		opts.KeysDir = filepath.Join(root, "till-keys")
	}
	return opts
}

// prepareDBPath fills in the default path and creates its folder (0700: it
// holds sales data).
func prepareDBPath(path string, demo bool) (string, error) {
	if path == "" {
		var err error
		if path, err = DefaultDBPath(demo); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return path, fmt.Errorf("app: create data folder: %w", err)
	}
	return path, nil
}

// ParseWindowSize reads a window size written WIDTHxHEIGHT (1024x768).
func ParseWindowSize(s string) (fyne.Size, error) {
	w, h, ok := strings.Cut(strings.ToLower(s), "x")
	wi, werr := strconv.Atoi(w)
	hi, herr := strconv.Atoi(h)
	if !ok || werr != nil || herr != nil || wi < 320 || hi < 320 || wi > 8192 || hi > 8192 {
		return fyne.Size{}, fmt.Errorf("window size %q: want WIDTHxHEIGHT, each 320 to 8192, as 1024x768", s)
	}
	return fyne.NewSize(float32(wi), float32(hi)), nil
}
