package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	swupdate "github.com/till-pos/till/services/update"
)

// TestTheOwnerInstallsAnUpdateAtCloseOfDay: a shop whose owner has set a
// signed update channel; the till's background check finds version 0.2.0,
// Settings › Updates shows the channel, and Day end offers it once the day
// is closed. An order in the cart is a sale in progress: Install is
// refused; with the cart empty it replaces the target (a copy of a binary,
// never the test's), audited with both versions.
func TestTheOwnerInstallsAnUpdateAtCloseOfDay(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "till.db")
	setUpShop(t, db, "街角便利店")

	site := t.TempDir()
	pkg := bytes.Repeat([]byte("till 0.2.0\n"), 20000)
	if err := os.WriteFile(filepath.Join(site, "till-0.2.0"), pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := swupdate.Publish(priv, swupdate.Release{Version: "0.2.0", OS: runtime.GOOS, Arch: runtime.GOARCH,
		Package: filepath.Join(site, "till-0.2.0"), Notes: map[string]string{"en": "Faster receipts", "zh-CN": "小票打印更快"}}, site); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	t.Cleanup(srv.Close)
	target := filepath.Join(t.TempDir(), "till")
	if err := os.WriteFile(target, []byte("till 0.1.0"), 0o755); err != nil {
		t.Fatal(err)
	}

	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", Version: "0.1.0", inlineUI: true, updateTarget: target})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	s, w := till.Store(), till.Window()
	owner, err := s.OperatorByCode(ctx, ownerCode)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUpdateChannel(ctx, srv.URL+"/manifest.json", base64.StdEncoding.EncodeToString(pub), owner, "T01"); err != nil {
		t.Fatal(err)
	}
	till.updates.Client = srv.Client()
	checkUpdate(till.updates) // what the daily check does
	if v, _, ok := till.updates.Offered("en"); !ok || v != "0.2.0" {
		t.Fatalf("the check offered %q %v", v, ok)
	}
	typeDigits(t, till, ownerCode, "Sign in")

	tapKeys(t, till, "Settings")
	for _, want := range []string{"Running version", "0.1.0", srv.URL + "/manifest.json", "Fingerprint " + models.KeyFingerprint(pub)} {
		if !shownText(w, want) {
			t.Fatalf("Settings › Updates does not show %q: %q", want, uitest.Texts(w))
		}
	}

	// The day still open: nothing offered.
	till.Shell().ShowDayEnd()
	if shownText(w, "Version 0.2.0 is available") {
		t.Fatal("offered with the day open")
	}
	now := time.Now()
	if _, err := s.OpenShift(ctx, "T01", owner, 0, nil, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseShift(ctx, models.ShiftClose{TerminalID: "T01", Operator: owner, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(ctx, "T01", owner, now); err != nil {
		t.Fatal(err)
	}
	till.Shell().ShowDayEnd()
	if !shownText(w, "Version 0.2.0 is available") || !shownText(w, "Faster receipts") {
		t.Fatalf("Day end: %q", uitest.Texts(w))
	}

	// An order in the cart is a sale in progress.
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(models.Product{ID: 1, Name: "测试", Price: 350, Currency: models.CNY}, models.Units(1)); err != nil {
		t.Fatal(err)
	}
	till.Shell().Sell.SetOrder(o)
	tapKeys(t, till, "Install")
	if got := till.Shell().DayEnd.UpdateResult(); got != "An update is never installed during a sale: finish or park the sale first" {
		t.Fatalf("during a sale: %q", got)
	}
	if b, _ := os.ReadFile(target); string(b) != "till 0.1.0" {
		t.Fatal("installed during a sale")
	}
	till.Shell().Sell.SetOrder(models.NewOrder(models.CNY, models.TaxInclusive))
	tapKeys(t, till, "Install")
	if got := till.Shell().DayEnd.UpdateOffer(); got != "Version 0.2.0 is installed: restart Till to finish" {
		t.Fatalf("installed: %q", got)
	}
	if b, _ := os.ReadFile(target); !bytes.Equal(b, pkg) {
		t.Fatal("the target was not replaced")
	}
	es, _ := s.AuditEntries(ctx, models.ActionUpdateInstall)
	if len(es) != 1 || es[0].Detail != "from=0.1.0 to=0.2.0" || es[0].OperatorID != owner.ID {
		t.Fatalf("audit %+v", es)
	}
	saveShot(t, w, "app-dayend-update-installed")
}
