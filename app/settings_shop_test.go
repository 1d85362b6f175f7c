package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/hostlink"
)

// TestAShopChangesItsSetupInSettings: after the first-run setup, with no
// acquirer set, the pay screen says why card and QR are off; the owner
// corrects the shop's details in Settings (a bad tax number said in the
// dialog, nothing stored), then sets the acquirer there; a cashier who
// tries is asked for someone allowed, and a manager's code, whose role may
// not change payment settings, is refused by the store.
// tapNth taps the n-th button (from 0) labelled text.
func tapNth(t *testing.T, till *Till, text string, n int) {
	t.Helper()
	test.Tap(uitest.NthButton(t, till.Window(), text, n))
}

func TestAShopChangesItsSetupInSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	setUpShop(t, db, "街角便利店")
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	ctx := context.Background()
	w := till.Window()
	typeDigits(t, till, ownerCode, "Sign in")

	// No acquirer: cash only, and the pay screen says why.
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(models.Product{ID: 1, Name: "测试", Price: 350, Currency: models.CNY}, models.Units(1)); err != nil {
		t.Fatal(err)
	}
	till.Shell().ShowPay(o)
	keepShot(t, w, "pay-without-acquirer")
	if got := till.Shell().Pay.Note(); !strings.Contains(got, "Card and QR payments are off until the acquirer is set up") {
		t.Fatalf("the pay screen without an acquirer says %q", got)
	}
	till.Shell().ShowSell()

	// The shop's details: a bad tax number stays in the dialog.
	tapKeys(t, till, "Settings")
	if !shownText(w, "Not set: the till takes cash only until it is") {
		t.Fatalf("Settings without an acquirer: %q", uitest.Texts(w))
	}
	tapNth(t, till, "Edit", 0)
	setupEntries(t, till, "街角便利店 南京路店", "上海市黄浦区南京东路 1 号", "91350100M000100Y44")
	tapKeys(t, till, "Save")
	if !shownText(w, "is not a unified social credit code") {
		t.Fatalf("bad tax number: %q", uitest.Texts(w))
	}
	if name, _ := till.Store().Setting(ctx, models.SettingStoreName, ""); name != "街角便利店" {
		t.Fatalf("a refused change stored the name %q", name)
	}
	setupEntries(t, till, "街角便利店 南京路店", "上海市黄浦区南京东路 1 号", "91350100M000100Y43")
	tapKeys(t, till, "Save", "OK")
	if name, _ := till.Store().Setting(ctx, models.SettingStoreName, ""); name != "街角便利店 南京路店" || !shownText(w, "91350100M000100Y43") {
		t.Fatalf("the shop's new name %q; shown %q", name, uitest.Texts(w))
	}

	// The owner adds a manager and a cashier.
	for _, p := range []struct{ name, role, code string }{{"赵强", "Manager", "730416"}, {"李娜", "Cashier", "730415"}} {
		tapKeys(t, till, "Add staff")
		setupEntries(t, till, p.name, p.code, p.code)
		tapKeys(t, till, p.role, "Add staff")
	}
	// The cashier tries the acquirer: someone allowed is asked for; the
	// manager's code is refused (payments are the owner's), the owner's
	// opens the form.
	till.Shell().SignOut()
	typeDigits(t, till, "730415", "Sign in")
	tapKeys(t, till, "Settings")
	tapNth(t, till, "Edit", 1)
	typeDigits(t, till, "730416", "OK")
	if !shownText(w, "may not do this") {
		t.Fatalf("a manager's approval of the acquirer: %q", uitest.Texts(w))
	}
	tapKeys(t, till, "OK")
	tapNth(t, till, "Edit", 1)
	typeDigits(t, till, ownerCode, "OK")
	setupEntries(t, till, "127.0.0.1:8583", "12345678", "123456789012345", "0123456789abcdeffedcba9876543210")
	tapKeys(t, till, "Save")
	if tid, _ := till.Store().Setting(ctx, hostlink.SettingTID, ""); tid != "12345678" {
		t.Fatalf("the acquirer set in Settings: TID %q; shown %q", tid, uitest.Texts(w))
	}
	if !shownText(w, "Card and QR payments use the new link from the next start of Till") {
		t.Fatalf("after the acquirer: %q", uitest.Texts(w))
	}
	tapKeys(t, till, "OK")
	if !shownText(w, "Set (never shown)") || shownText(w, "0123456789abcdeffedcba9876543210") {
		t.Fatalf("the acquirer shown: %q", uitest.Texts(w))
	}
}
