package screens

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/resources"
	"github.com/till-pos/till/services/update"
)

// updateRig is a real store with the test's cashier, manager and owner
// (their IDs as in the fakes), a real update channel served over HTTP with
// a version signed by the channel's key, and an installer whose target is
// a copy of a binary in the test's folder, never the test binary.
type updateRig struct {
	store   *models.Store
	srv     *httptest.Server
	site    string // the channel's folder
	pub     ed25519.PublicKey
	priv    ed25519.PrivateKey
	pkg     []byte
	target  string
	in      *update.Installer
	manURL  string
	selling bool
}

func newUpdateRig(t *testing.T) *updateRig {
	t.Helper()
	ctx := context.Background()
	r := &updateRig{store: storetest.Open(t), site: t.TempDir()}
	for i, op := range []models.Operator{cashier, manager, owner} {
		got, err := r.store.EnsureOperator(ctx, models.Operator{Name: op.Name, Role: op.Role, Active: true}, []string{"1111", "8888", "582931"}[i])
		if err != nil || got.ID != op.ID {
			t.Fatalf("%s stored as %d: %v", op.Name, got.ID, err)
		}
	}
	var err error
	if r.pub, r.priv, err = ed25519.GenerateKey(rand.Reader); err != nil {
		t.Fatal(err)
	}
	r.srv = httptest.NewServer(http.FileServer(http.Dir(r.site)))
	t.Cleanup(r.srv.Close)
	r.manURL = r.srv.URL + "/" + update.ManifestFile
	r.publish(t, r.priv)
	r.target = filepath.Join(t.TempDir(), "till")
	if err := os.WriteFile(r.target, []byte("the running till"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.in = &update.Installer{Store: r.store, TerminalID: "T01", Current: "0.1.0", Target: r.target, Client: r.srv.Client(),
		SaleInProgress: func() bool { return r.selling }}
	return r
}

// publish signs version 0.2.0 with priv into the channel's folder, as
// till-sign does.
func (r *updateRig) publish(t *testing.T, priv ed25519.PrivateKey) {
	t.Helper()
	r.pkg = []byte(strings.Repeat("till 0.2.0 for this till\n", 4000))
	pkgPath := filepath.Join(r.site, "till-0.2.0")
	if err := os.WriteFile(pkgPath, r.pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := update.Publish(priv, update.Release{Version: "0.2.0", Build: 2, OS: runtime.GOOS, Arch: runtime.GOARCH,
		Package: pkgPath, Notes: map[string]string{"en": "Faster receipts and a clearer day end", "zh-CN": "小票打印更快，日结更清楚"}}, r.site); err != nil {
		t.Fatal(err)
	}
}

// key is the channel's public key as the owner pastes it.
func (r *updateRig) key() string { return base64.StdEncoding.EncodeToString(r.pub) }

// setChannel stores the channel as the owner.
func (r *updateRig) setChannel(t *testing.T) {
	t.Helper()
	if err := r.in.SetChannel(context.Background(), r.manURL, r.key(), owner); err != nil {
		t.Fatal(err)
	}
}

// closeDay takes the Z report, through a shift, as the owner.
func (r *updateRig) closeDay(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, err := r.store.OpenShift(ctx, "T01", owner, 0, nil, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.CloseShift(ctx, models.ShiftClose{TerminalID: "T01", Operator: owner, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.CloseDay(ctx, "T01", owner, testNow); err != nil {
		t.Fatal(err)
	}
}

// TestSettingsUpdatesSetAndCheck: Settings › Updates shows the running
// version and the channel; a manager's Edit needs an owner's approval and
// the owner's channel is stored (the store audits it); Check now shows the
// version offered with its notes, and a manifest signed by another key is
// refused with its message.
func TestSettingsUpdatesSetAndCheck(t *testing.T) {
	r := newUpdateRig(t)
	ui := newTestUI(t, manager)
	w := ui.Window
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Updates: r.in})
	showOn(ui, s.Content())
	mustShow(t, w, "Updates")
	mustShow(t, w, "Running version")
	mustShow(t, w, "0.1.0")
	mustShow(t, w, "Not set")
	tap(t, w, "Check now")
	if got := s.UpdateResult(); got != "No valid update address is set" {
		t.Fatalf("check without a channel: %q", got)
	}

	// A manager may not: an owner's code approves, and the owner sets it.
	tap(t, w, "Edit")
	mustShow(t, w, "A manager's code is needed")
	keys(t, w, "582931")
	tap(t, w, "OK")
	mustShow(t, w, "Update channel")
	es := entries(w)
	if len(es) != 2 {
		t.Fatalf("%d entries in the dialog", len(es))
	}
	test.Type(es[0], "ftp://example.com/manifest.json")
	test.Type(es[1], r.key())
	tap(t, w, "Save")
	mustShow(t, w, "The update address must be an http:// or https:// address of manifest.json, without a user name or password")
	shoot(t, w, "settings-update-edit-en")
	es[0].SetText(r.manURL)
	tap(t, w, "Save")
	if dialogShown(w) {
		t.Fatalf("the dialog stays: %s", strings.Join(texts(w), "\n"))
	}
	mustShow(t, w, r.manURL)
	mustShow(t, w, "Fingerprint "+models.KeyFingerprint(r.pub))
	audit, _ := r.store.AuditEntries(context.Background(), models.ActionUpdateChannel)
	if len(audit) != 1 || audit[0].OperatorID != owner.ID || audit[0].Detail != r.manURL {
		t.Fatalf("audit %+v", audit)
	}

	tap(t, w, "Check now")
	want := "Version 0.2.0 is available\nFaster receipts and a clearer day end\nIt is installed from Day end, once the day is closed."
	if got := s.UpdateResult(); got != want {
		t.Fatalf("check: %q", got)
	}
	tap(t, w, "Updates") // the section bar scrolls to it
	shoot(t, w, "settings-updates-en")

	// Signed by another key: refused, with its message.
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	r.publish(t, other)
	tap(t, w, "Check now")
	if got := s.UpdateResult(); got != "The update is refused: its signature is not the shop's update key's" {
		t.Fatalf("bad signature: %q", got)
	}
	if _, _, ok := r.in.Offered("en"); ok {
		t.Fatal("a refused manifest is still offered")
	}
}

// TestSettingsUpdatesStoreRefusesAManager: a manager's own code does not
// set the channel; the store refuses whoever the screen lets through.
func TestSettingsUpdatesStoreRefusesAManager(t *testing.T) {
	r := newUpdateRig(t)
	if err := r.in.SetChannel(context.Background(), r.manURL, r.key(), manager); !models.IsDenied(err) {
		t.Fatalf("a manager set the channel: %v", err)
	}
	ui := newTestUI(t, manager)
	w := ui.Window
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Updates: r.in})
	showOn(ui, s.Content())
	tap(t, w, "Edit")
	keys(t, w, "8888")
	tap(t, w, "OK")
	// The manager's code approves nothing they may not do themselves.
	mustShow(t, w, "Boss Wang may not do this (settings: the shop): someone allowed to must approve it")
	if len(entries(w)) != 0 {
		t.Fatalf("a manager's code opened the channel: %s", strings.Join(texts(w), "\n"))
	}
	if u, _, _ := r.store.UpdateChannel(context.Background()); u != "" {
		t.Fatalf("stored %q", u)
	}
}

// TestUpdateScreensInChinese shows Settings › Updates and the Day end's
// offer in Chinese with the bundled font, the refusal of a manifest signed
// by another key in Chinese too. Translations are the process's, so this
// runs in a process of its own and leaves the other tests in English.
func TestUpdateScreensInChinese(t *testing.T) {
	if os.Getenv("TILL_TEST_CHILD") == "update-zh" {
		updateScreensInChinese(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestUpdateScreensInChinese$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "TILL_TEST_CHILD=update-zh", "LANGUAGE=zh_CN", "LC_ALL=zh_CN.UTF-8",
		"LC_MESSAGES=zh_CN.UTF-8", "LANG=zh_CN.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestUpdateScreensInChinese") {
		t.Fatalf("in Chinese: %v\n%s", err, out)
	}
}

func updateScreensInChinese(t *testing.T) {
	if err := lang.AddTranslationsFS(resources.Translations, resources.TranslationsDir); err != nil {
		t.Fatal(err)
	}
	r := newUpdateRig(t)
	r.setChannel(t)
	ui := newTestUI(t, owner)
	ui.Shop.Lang = "zh"
	fyne.CurrentApp().Settings().SetTheme(&Theme{Regular: resources.FontRegular, Bold: resources.FontBold})
	w := ui.Window
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Updates: r.in})
	showOn(ui, s.Content())
	tap(t, w, "立即检查")
	want := "版本 0.2.0 可供安装\n小票打印更快，日结更清楚\n日结完成后，可在“日结”页面安装。"
	if got := s.UpdateResult(); got != want {
		t.Fatalf("check: %q", got)
	}
	tap(t, w, "软件更新") // the section bar scrolls to it
	shoot(t, w, "settings-updates-zh")
	tap(t, w, "修改")
	es := entries(w)
	if len(es) != 2 || es[0].Text != r.manURL {
		t.Fatalf("the dialog's entries: %d", len(es))
	}
	es[1].SetText("abc")
	tap(t, w, "保存")
	mustShow(t, w, "更新公钥必须是 32 字节 Ed25519 公钥的 base64 编码（即 update.pub 的内容）")
	shoot(t, w, "settings-update-edit-zh")
	tap(t, w, "取消")

	d := NewDayEnd(ui, &fakeDayEnd{takings: takings(t)}, nil, &fakeStaff{}, nil, nil)
	d.UseUpdates(r.in)
	showOn(ui, d.Content())
	r.closeDay(t)
	d.Refresh()
	mustShow(t, w, "版本 0.2.0 可供安装")
	mustShow(t, w, "小票打印更快，日结更清楚")
	shoot(t, w, "dayend-update-zh")
	r.selling = true
	tap(t, w, "安装")
	if got := d.UpdateResult(); got != "销售进行中绝不安装更新：请先完成或挂起本笔销售" {
		t.Fatalf("during a sale: %q", got)
	}
	shoot(t, w, "dayend-update-refused-zh")

	_, other, _ := ed25519.GenerateKey(rand.Reader)
	r.publish(t, other)
	showOn(ui, s.Content())
	tap(t, w, "立即检查")
	if got := s.UpdateResult(); got != "已拒绝此更新：其签名不是本店更新密钥所签" {
		t.Fatalf("bad signature: %q", got)
	}
}

// tapDuringCheck is the real installer, with a tap on the screen's Cancel
// as its check begins.
type tapDuringCheck struct {
	*update.Installer
	tap func()
}

func (c tapDuringCheck) CheckNow(ctx context.Context, l string) (string, string, error) {
	c.tap()
	return c.Installer.CheckNow(ctx, l)
}

// TestSettingsUpdatesCheckCancelled: Cancel stops a check under way; the
// screen says so and Check now is back.
func TestSettingsUpdatesCheckCancelled(t *testing.T) {
	r := newUpdateRig(t)
	r.setChannel(t)
	ui := newTestUI(t, owner)
	w := ui.Window
	var s *Settings
	svc := tapDuringCheck{Installer: r.in, tap: func() {
		if !s.update.cancel.Visible() {
			t.Error("no Cancel during the check")
		}
		test.Tap(s.update.cancel)
	}}
	s = NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Updates: svc})
	showOn(ui, s.Content())
	tap(t, w, "Check now")
	if got := s.UpdateResult(); got != "The check was cancelled" {
		t.Fatalf("cancelled: %q", got)
	}
	if s.update.cancel.Visible() || button(t, w, "Check now").Disabled() {
		t.Fatal("Cancel stays, or Check now is off")
	}
	if _, _, ok := r.in.Offered("en"); ok {
		t.Fatal("a cancelled check offered")
	}
}
