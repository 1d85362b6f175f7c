//go:build xvfb

package app

import (
	"context"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/till-pos/till/internal/xvfbtest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/resources"
	"github.com/till-pos/till/services/hostlink"
)

// TestRealWindowLoadsTheMasterKey runs Till's binary on a fresh shop's
// database in a real window under Xvfb, typed on the keyboard as its
// people would (the first entry of a step has the focus, Tab goes on):
// the shop and its owner, then the acquirer on this machine, where the two
// key custodians type their components and check values; the step, with
// the check values the till computed under the components, is kept as a
// screenshot. The owner signs in, opens the acquirer in Settings and the
// first custodian types a component again: the dialog, with its check
// value, is kept too, then cancelled, and so is the section that says the
// key is loaded. With Till stopped, the database holds the master key the
// components make, sealed, and the link typed. In English and in Chinese;
// TILL_LAYOUT_SHOTS names where the screenshots are kept.
func TestRealWindowLoadsTheMasterKey(t *testing.T) {
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	for _, c := range []struct{ lng, locale string }{{"en", "en_US.UTF-8"}, {"zh", "zh_CN.UTF-8"}} {
		t.Run(c.lng, func(t *testing.T) { loadTheMasterKey(t, bin, c.lng, c.locale) })
	}
}

// loadTheMasterKey is TestRealWindowLoadsTheMasterKey in the language lng.
func loadTheMasterKey(t *testing.T, bin, lng, locale string) {
	d := xvfbtest.Start(t, 1024, 768)
	home := t.TempDir()
	db := filepath.Join(home, "data", "till.db")
	// The till never locks itself during the test, however slow the
	// machine: the screenshots are of the dialog, not of the lock screen.
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	pre, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := pre.SetSetting(context.Background(), models.SettingAutoLock, "0"); err != nil {
		t.Fatal(err)
	}
	pre.Close()
	env := append(d.Env(), "LANG="+locale, "TILL_FIRST_FRAME=1", "HOME="+home)
	p := xvfbtest.StartProgram(t, d, bin, env, "-lang", lng, "-size", "1024x768", "-db", db)
	tr := translations(t, lng)
	// tap taps the button whose text is the translation of key.
	tap := func(key string) {
		t.Helper()
		d.Tap(t, p, liveness, "button", xvfbtest.Exactly(tr(key)))
	}
	typeText := func(keys ...string) {
		t.Helper()
		for _, k := range keys {
			if k == "Tab" || k == "Return" {
				xdotool(t, d, "key", k)
				continue
			}
			xdotool(t, d, "type", "--delay", "30", k)
		}
	}
	c := custodians(t)
	b := p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("setup.next")))
	w := d.FindWindow(t, p, b.Window, liveness)
	shot := filepath.Join(t.TempDir(), "shot.png")
	// settled waits until the window has changed from before and is still,
	// and returns what it shows.
	settled := func(before image.Image) image.Image {
		t.Helper()
		return d.WaitChange(t, shot, before, w.Bounds(), liveness)
	}
	// scroll turns the mouse wheel down at (pixels of the window; off the
	// entries, which would take the wheel), as many notches as asked, for
	// what lies below to come into view.
	scroll := func(at image.Point, notches int) {
		t.Helper()
		xdotool(t, d, "mousemove", "--window", w.ID, "--sync", strconv.Itoa(at.X), strconv.Itoa(at.Y),
			"click", "--repeat", strconv.Itoa(notches), "5")
	}
	keepAs := func(name string) {
		t.Helper()
		if dir := os.Getenv("TILL_LAYOUT_SHOTS"); dir != "" {
			keep(t, shot, filepath.Join(dir, name))
		}
	}

	tap("setup.next")
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("setup.back")))
	typeText("Corner Shop")
	tap("setup.next")
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("setup.back")))
	typeText("Wang Fang", "Tab", ownerCode, "Tab", ownerCode)
	tap("setup.next")

	// The acquirer: the host, then past the CA's button the IDs, then each
	// custodian's component and check value.
	ca := p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("setup.ca_choose")))
	before := d.WaitStill(t, shot, w.Bounds(), liveness)
	typeText("127.0.0.1:8583", "Tab", "Tab", "12345678", "Tab", "898310012345678",
		"Tab", c[0], "Tab", c[1], "Tab", c[2], "Tab", c[3])
	before = settled(before)
	scroll(image.Pt(60, ca.Centre().Y), 30) // over the labels
	settled(before)
	keepAs(lng + "-xvfb-setup-acquirer-1024x768.png")
	tap("setup.next")
	p.WaitLayout(t, liveness, "the acquirer's step done", func(l xvfbtest.Layout) bool {
		_, ok := l.Find("button", xvfbtest.Exactly(tr("setup.ca_choose")))
		return !ok
	})
	// The QR account and the devices later; the till starts signed out.
	tap("setup.later")
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("devices.test_printer")))
	tap("setup.later")
	tap("setup.start")
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("login.sign_in")))
	typeText(ownerCode, "Return")
	p.WaitFor(t, liveness, "button", xvfbtest.Containing("Wang Fang"))

	// Settings: the acquirer's Edit, the second, opens its form.
	tap("nav.settings")
	tap("settings.section_shop") // the section bar scrolls to the shop, its acquirer next
	first := nth(t, p, tr("settings.edit"), 0, image.Rectangle{Max: w.Size})
	scroll(image.Pt(first.Bounds.Min.X, first.Bounds.Min.Y-40), 10)
	edit := nth(t, p, tr("settings.edit"), 1, image.Rectangle{Max: w.Size})
	w.Click(t, edit.Centre())
	cancel := p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("action.cancel")))
	ca = p.WaitFor(t, liveness, "button", xvfbtest.Exactly(tr("setup.ca_choose")))
	before = d.WaitStill(t, shot, w.Bounds(), liveness)
	typeText("Tab", "Tab", "Tab", "Tab", c[0])
	before = settled(before)
	scroll(image.Pt(cancel.Bounds.Min.X+20, ca.Centre().Y), 10)
	settled(before)
	keepAs(lng + "-xvfb-settings-acquirer-1024x768.png")
	w.Click(t, cancel.Centre())
	p.WaitLayout(t, liveness, "the dialog closed", func(l xvfbtest.Layout) bool {
		_, open := l.Find("button", xvfbtest.Exactly(tr("action.cancel")))
		return !open
	})
	// The acquirer's section says the key is loaded, by its check value.
	d.WaitStill(t, shot, w.Bounds(), liveness)
	keepAs(lng + "-xvfb-settings-acquirer-section-1024x768.png")

	if err := syscall.Kill(p.Pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(t, liveness); err != nil {
		t.Fatalf("Till did not stop cleanly: %v", err)
	}
	s, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if kcv, _ := s.MasterKeyCheck(ctx); kcv != checkValue(t, tmkKey) {
		t.Errorf("the master key loaded has the check value %q, want %q", kcv, checkValue(t, tmkKey))
	}
	if sealed, _ := s.Setting(ctx, models.SettingMasterKey, ""); sealed == "" {
		t.Error("no master key sealed in the settings")
	}
	for k, want := range map[string]string{models.SettingAcquirerAddr: "127.0.0.1:8583", hostlink.SettingTID: "12345678", hostlink.SettingMID: "898310012345678"} {
		if v, _ := s.Setting(ctx, k, ""); v != want {
			t.Errorf("%s is %q, want %q", k, v, want)
		}
	}
}

// translations are the texts of Till's interface in lng, by key.
func translations(t *testing.T, lng string) func(key string) string {
	t.Helper()
	data, err := resources.Translations.ReadFile(resources.TranslationsDir + "/" + resources.TranslationFile(lng))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]any{}
	if err := json.Unmarshal(data, &texts); err != nil {
		t.Fatal(err)
	}
	return func(key string) string {
		t.Helper()
		text, ok := texts[key].(string)
		if !ok {
			t.Fatalf("no %s text for %s", lng, key)
		}
		return text
	}
}

// nth waits until the n-th (from 0) button of p's layout reading text
// lies within in (pixels of its window) and returns it.
func nth(t *testing.T, p *xvfbtest.Program, text string, n int, in image.Rectangle) xvfbtest.Target {
	t.Helper()
	var found xvfbtest.Target
	p.WaitLayout(t, liveness, "button "+strconv.Itoa(n+1)+" "+text+" within "+in.String(), func(l xvfbtest.Layout) bool {
		i := 0
		for _, w := range l {
			for _, e := range w.Elements {
				if e.Kind == "button" && e.Text == text {
					if i == n {
						found = xvfbtest.Target{Window: w.Title, Kind: e.Kind, Text: e.Text, Bounds: e.Pixels(w.Scale)}
						return found.Bounds.In(in)
					}
					i++
				}
			}
		}
		return false
	})
	return found
}
