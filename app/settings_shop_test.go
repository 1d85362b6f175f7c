package app

import (
	"context"
	"encoding/hex"
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
	setupEntries(t, till, append([]string{"127.0.0.1:8583", "12345678", "123456789012345"}, custodians(t)...)...)
	tapKeys(t, till, "Save")
	if tid, _ := till.Store().Setting(ctx, hostlink.SettingTID, ""); tid != "12345678" {
		t.Fatalf("the acquirer set in Settings: TID %q; shown %q", tid, uitest.Texts(w))
	}
	if !shownText(w, "Card and QR payments use the new link from the next start of Till") {
		t.Fatalf("after the acquirer: %q", uitest.Texts(w))
	}
	tapKeys(t, till, "OK")
	if !shownText(w, "Loaded (check value "+checkValue(t, tmkKey)+")") || shownText(w, tmkComponent2) {
		t.Fatalf("the acquirer shown: %q", uitest.Texts(w))
	}
}

// TestTheCustodiansLoadTheMasterKeyInSettings: the owner opens the
// acquirer in Settings and each custodian types their component; beneath
// it the count of digits typed, then the check value the till computes,
// to compare with the paper. A check value typed wrong is refused naming
// its component, one component alone is refused, and nothing is stored;
// then the key is loaded and Settings shows its check value alone. Opened
// again, the form shows no component, and saving without one keeps the key.
func TestTheCustodiansLoadTheMasterKeyInSettings(t *testing.T) {
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
	tapKeys(t, till, "Settings")
	tapNth(t, till, "Edit", 1)
	es := uitest.Entries(w)
	if len(es) != 7 {
		t.Fatalf("%d entries in the acquirer's form, want 7", len(es))
	}
	for _, e := range es {
		if h := e.MinSize().Height; h < 48 {
			t.Errorf("entry %q is %v tall, under 48", e.PlaceHolder, h)
		}
	}
	if !es[3].Password || !es[5].Password || es[4].Password || es[6].Password {
		t.Fatal("the components are not typed hidden, or their check values are")
	}
	for _, label := range []string{"Master key component 1", "Check value 1", "Master key component 2", "Check value 2"} {
		if !shownText(w, label) {
			t.Fatalf("no %q in the form: %q", label, uitest.Texts(w))
		}
	}
	setupEntries(t, till, "127.0.0.1:8583", "12345678", "123456789012345")
	// The first custodian types: a count, then the check value.
	if !shownText(w, "Its check value shows here once it is typed") {
		t.Fatalf("nothing typed: %q", uitest.Texts(w))
	}
	test.Type(es[3], "1111 2222")
	if !shownText(w, "8 of 32 digits typed") || shownText(w, "Check value of what you typed") {
		t.Fatalf("8 digits typed: %q", uitest.Texts(w))
	}
	if es[3].Text != "11112222" || es[3].CursorColumn != 8 {
		t.Fatalf("typed with a space: %q, the cursor at %d", es[3].Text, es[3].CursorColumn)
	}
	test.Type(es[3], " 3333 4444 5555 6666 7777 8888")
	if !shownText(w, "Check value of what you typed: "+checkValue(t, tmkComponent1)) {
		t.Fatalf("component 1 typed: %q", uitest.Texts(w))
	}
	if shownText(w, "1111") {
		t.Fatalf("component 1 shown as typed: %q", uitest.Texts(w))
	}
	es[5].SetText(tmkComponent2 + "0")
	if !shownText(w, "Not a component") {
		t.Fatalf("33 digits typed: %q", uitest.Texts(w))
	}
	es[5].SetText(tmkComponent2)
	if !shownText(w, "Check value of what you typed: "+checkValue(t, tmkComponent2)) {
		t.Fatalf("component 2 typed: %q", uitest.Texts(w))
	}
	// Check value 1 typed wrong.
	es[4].SetText(checkValue(t, tmkComponent2))
	es[6].SetText(checkValue(t, tmkComponent2))
	keepShot(t, w, "settings-acquirer-components")
	tapKeys(t, till, "Save")
	keepShot(t, w, "settings-acquirer-mismatch")
	if !shownText(w, "Master key component 1 does not match check value 1") {
		t.Fatalf("check value 1 typed wrong: %q", uitest.Texts(w))
	}
	// The second custodian's entries emptied: one component alone.
	es[4].SetText(checkValue(t, tmkComponent1))
	es[5].SetText("")
	es[6].SetText("")
	tapKeys(t, till, "Save")
	if !shownText(w, "Both custodians enter their component") {
		t.Fatalf("one component alone: %q", uitest.Texts(w))
	}
	if kcv, _ := till.Store().MasterKeyCheck(ctx); kcv != "" {
		t.Fatalf("a refused form loaded a master key: %q", kcv)
	}
	if tid, _ := till.Store().Setting(ctx, hostlink.SettingTID, ""); tid != "" {
		t.Fatalf("a refused form stored the TID %q", tid)
	}
	es[5].SetText(tmkComponent2)
	es[6].SetText(strings.ToLower(checkValue(t, tmkComponent2)))
	tapKeys(t, till, "Save", "OK")
	loaded := "Loaded (check value " + checkValue(t, tmkKey) + ")"
	if !shownText(w, loaded) {
		t.Fatalf("after loading the master key: %q", uitest.Texts(w))
	}
	if k, err := till.Store().MasterKey(ctx, till.deviceKey); err != nil || strings.ToUpper(hex.EncodeToString(k)) != tmkKey {
		t.Fatalf("the master key loaded: %x, %v", k, err)
	}
	// Again: no component shown; the TID changed, the key kept.
	tapNth(t, till, "Edit", 1)
	es = uitest.Entries(w)
	for i := 3; i < 7; i++ {
		if es[i].Text != "" {
			t.Fatalf("entry %d shows %q", i, es[i].Text)
		}
	}
	if es[3].PlaceHolder != "Loaded; empty keeps it" {
		t.Fatalf("component 1's placeholder with a key loaded: %q", es[3].PlaceHolder)
	}
	es[1].SetText("87654321")
	tapKeys(t, till, "Save", "OK")
	if tid, _ := till.Store().Setting(ctx, hostlink.SettingTID, ""); tid != "87654321" || !shownText(w, loaded) {
		t.Fatalf("after changing the TID: %q; shown %q", tid, uitest.Texts(w))
	}
}
