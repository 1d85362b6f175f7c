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
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

// The acquirer's two key custodians' components of the terminal master
// key, as their papers give them, and the key they make (their XOR).
const (
	tmkComponent1 = "1111 2222 3333 4444 5555 6666 7777 8888"
	tmkComponent2 = "0123456789ABCDEF0123456789ABCDEF"
	tmkKey        = "10326745BA9889AB54762301FEDC4567"
)

// checkValue is the check value of a key written in hex, as a custodian's
// paper gives it.
func checkValue(t *testing.T, hexKey string) string {
	t.Helper()
	kcv, ok := acquirer.ComponentCheck(hexKey)
	if !ok {
		t.Fatalf("%q is not a key", hexKey)
	}
	return kcv
}

// custodians are the master key's entries as its custodians type them:
// component 1, its check value, component 2, its check value.
func custodians(t *testing.T) []string {
	return []string{tmkComponent1, checkValue(t, tmkComponent1), tmkComponent2, checkValue(t, tmkComponent2)}
}

// setupEntries types values into the entries of the setup step shown, in
// order.
func setupEntries(t *testing.T, till *Till, values ...string) {
	t.Helper()
	es := uitest.Entries(till.Window())
	if len(es) < len(values) {
		t.Fatalf("%d entries on the step, want %d", len(es), len(values))
	}
	for i, v := range values {
		es[i].SetText(v)
	}
}

// TestFirstRunSetupThenACashSale: a fresh database → the setup (the shop,
// its owner, its acquirer) → signed out → the owner signs in and sells for
// cash → adds a cashier in Settings → the cashier signs in and asks for a
// void, which her own code cannot approve and the owner's does.
func TestFirstRunSetupThenACashSale(t *testing.T) {
	tmk, err := hex.DecodeString(tmkKey)
	if err != nil {
		t.Fatal(err)
	}
	h, err := simhost.Start(simhost.Options{MasterKey: tmk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })

	db := filepath.Join(t.TempDir(), "till.db")
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	w := till.Window()
	su := till.SetupScreen()
	if su == nil || till.Shell() != nil {
		t.Fatal("a new shop's database did not open on the setup")
	}
	// In Chinese by default; the owner picks English.
	if !shownText(w, "欢迎使用收银台") {
		t.Fatalf("welcome: %q", uitest.Texts(w))
	}
	tapKeys(t, till, "English")
	su = till.SetupScreen()
	tapKeys(t, till, "Next")

	// The shop: a bad tax number is said, and nothing moves on.
	setupEntries(t, till, "Corner Shop 街角便利店", "上海市黄浦区南京东路 1 号", "91350100M000100Y44")
	tapKeys(t, till, "Next")
	if su.Step() != 1 || !strings.Contains(su.Message(), "is not a unified social credit code") {
		t.Fatalf("bad tax number: step %d, %q", su.Step(), su.Message())
	}
	setupEntries(t, till, "Corner Shop 街角便利店", "上海市黄浦区南京东路 1 号", "91350100M000100Y43")
	tapKeys(t, till, "Next")

	// The owner: a weak code, then codes that differ, then the account.
	setupEntries(t, till, "王芳", "123456", "123456")
	tapKeys(t, till, "Next")
	if su.Step() != 2 || !strings.Contains(su.Message(), "easy to guess") {
		t.Fatalf("weak owner code: step %d, %q", su.Step(), su.Message())
	}
	setupEntries(t, till, "王芳", ownerCode, "582913")
	tapKeys(t, till, "Next")
	if !strings.Contains(su.Message(), "not the same") {
		t.Fatalf("codes that differ: %q", su.Message())
	}
	setupEntries(t, till, "王芳", ownerCode, ownerCode)
	tapKeys(t, till, "Next")

	// The acquirer: a bad TID, then a remote host without its CA, then a
	// component typed wrong, then the acquirer on this machine.
	setupEntries(t, till, append([]string{h.Addr(), "1234", "898310012345678"}, custodians(t)...)...)
	tapKeys(t, till, "Next")
	if su.Step() != 3 || !strings.Contains(su.Message(), "terminal ID is 8 letters or digits") {
		t.Fatalf("bad TID: step %d, %q", su.Step(), su.Message())
	}
	setupEntries(t, till, append([]string{"pos.acquirer.cn:8583", "12345678", "898310012345678"}, custodians(t)...)...)
	tapKeys(t, till, "Next")
	if !strings.Contains(su.Message(), "CA certificate") {
		t.Fatalf("remote host without a CA: %q", su.Message())
	}
	su.UseCA([]byte("not a certificate"))
	tapKeys(t, till, "Next")
	if !strings.Contains(su.Message(), "not a certificate") {
		t.Fatalf("a CA file that is not a certificate: %q", su.Message())
	}
	su.UseCA(nil) // the acquirer on this machine needs none
	typed := custodians(t)
	typed[2] = "1" + tmkComponent2[1:] // the second custodian's first digit wrong
	setupEntries(t, till, append([]string{h.Addr(), "12345678", "898310012345678"}, typed...)...)
	tapKeys(t, till, "Next")
	if su.Step() != 3 || !strings.Contains(su.Message(), "Master key component 2 does not match check value 2") {
		t.Fatalf("component 2 typed wrong: step %d, %q", su.Step(), su.Message())
	}
	setupEntries(t, till, append([]string{h.Addr(), "12345678", "898310012345678"}, custodians(t)...)...)
	tapKeys(t, till, "Next")
	if su.Step() != 4 {
		t.Fatalf("after the acquirer: step %d, %q", su.Step(), su.Message())
	}
	// QR and the devices later; the summary says so.
	tapKeys(t, till, "Later")
	if su.Step() != 5 || !shownText(w, "Print a test page") {
		t.Fatalf("after the QR account: step %d, %q", su.Step(), uitest.Texts(w))
	}
	tapKeys(t, till, "Later")
	if !shownText(w, "QR payments wait for the QR merchant account") || !shownText(w, "Card payments through "+h.Addr()) ||
		!shownText(w, "No receipt printer") || !shownText(w, "No fingerprint reader") {
		t.Fatalf("summary: %q", uitest.Texts(w))
	}
	tapKeys(t, till, "Start selling")
	if till.SetupScreen() != nil || till.Shell() != nil || !shownText(w, "Sign in") {
		t.Fatal("the till did not start signed out after the setup")
	}
	// The owner signs in and sells for cash.
	typeDigits(t, till, ownerCode, "Sign in")
	if till.Shell() == nil || till.session.Operator().Role != models.RoleOwner {
		t.Fatalf("the owner's sign-in: %+v", shopOwner(t, till))
	}
	ctx := context.Background()
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(models.Product{ID: 1, Name: "测试", Price: 350, Currency: models.CNY}, models.Units(1)); err != nil {
		t.Fatal(err)
	}
	till.Shell().ShowPay(o)
	till.Shell().Pay.Tender(500)
	till.Shell().Pay.Confirm()
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after the cash sale: %s", till.Shell().Current())
	}
	// The owner adds a cashier in Settings.
	tapKeys(t, till, "Settings", "Add staff")
	setupEntries(t, till, "李娜", "730415", "730415")
	tapKeys(t, till, "Add staff")
	if !shownText(w, "李娜 · Cashier: 0 fingers") {
		t.Fatalf("the staff after adding a cashier: %q", uitest.Texts(w))
	}
	// The cashier signs in; a void asks for someone allowed, and the
	// owner's code approves it.
	till.Shell().SignOut()
	tapKeys(t, till, "Yes") // the sale is not reported to the acquirer yet
	typeDigits(t, till, "730415", "Sign in")
	if op := till.session.Operator(); op.Name != "李娜" {
		t.Fatalf("the cashier's sign-in: %+v", op)
	}
	tapKeys(t, till, "Orders")
	orders := todaysOrders(t, till)
	till.Shell().Orders.ShowOrder(orders[0].ID)
	tapKeys(t, till, "Void")
	typeDigits(t, till, "730415", "OK") // her own code approves nothing
	if !shownText(w, "That is not a manager's code") {
		t.Fatalf("a cashier's own code at the approval: %q", uitest.Texts(w))
	}
	tapKeys(t, till, "C")
	typeDigits(t, till, ownerCode, "OK")
	if o, _ := till.Store().OrderByID(ctx, orders[0].ID); o.Status != models.OrderVoided {
		t.Fatalf("the void approved by the owner: %s; shown %q", o.Status, uitest.Texts(w))
	}
	// The master key loaded is the one the custodians' components make.
	if k, err := till.Store().MasterKey(ctx, till.deviceKey); err != nil || strings.ToUpper(hex.EncodeToString(k)) != tmkKey {
		t.Fatalf("the master key loaded: %x, %v", k, err)
	}
	// A second start goes straight to selling.
	till.Close()
	again, err := Start(test.NewTempApp(t), Options{DBPath: db, Acquirer: h.Addr(), inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.SetupScreen() != nil || !shownText(again.Window(), "Sign in") {
		t.Fatal("the setup came back after it ended, or the till did not start signed out")
	}
	// The acquirer's host knows the same master key: the till signs on.
	if err := again.host.Connect(ctx); err != nil || h.SignOns() < 1 {
		t.Fatalf("connecting to the acquirer set up: %v (%d sign-ons)", err, h.SignOns())
	}
}
