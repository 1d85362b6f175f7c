//go:build xvfb

package app

import (
	"bytes"
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/till-pos/till/devices/printer/printertest"
	"github.com/till-pos/till/internal/xvfbtest"
	"github.com/till-pos/till/models"
)

// TestRealWindowKeepsItsSizeOnASmallTablet runs Till on an Xvfb screen of
// 1024×768, goes through every screen a cashier reaches, the payment
// screens included, and checks after each that the window is still the
// size of the screen and that the screen's main button lies inside it.
func TestRealWindowKeepsItsSizeOnASmallTablet(t *testing.T) {
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	d := xvfbtest.Start(t, 1024, 768)
	env := append(append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1"), homeEnv(t)...)
	p := xvfbtest.StartProgram(t, d, bin, env, "-demo", "-size", "1024x768", "-db", filepath.Join(t.TempDir(), "till.db"))
	p.WaitLine(t, "catalog-ready", liveness)
	want := image.Pt(1024, 768)

	// check waits for the button that marks a screen, then checks the
	// window's size and that the button is inside the window.
	check := func(screen string, mark xvfbtest.Match) {
		t.Helper()
		b := p.WaitFor(t, liveness, "button", mark)
		w := d.FindWindow(t, p, b.Window, liveness)
		if w.Size != want {
			t.Errorf("on %s the window is %v, want %v", screen, w.Size, want)
		}
		if !b.Bounds.In(image.Rectangle{Max: w.Size}) {
			t.Errorf("on %s the button %q lies at %v, outside the window %v", screen, b.Text, b.Bounds, w.Size)
		}
	}
	pay := xvfbtest.MatchFunc("收款 ¥…", func(s string) bool { return strings.HasPrefix(s, "收款 ¥") })
	d.Tap(t, p, liveness, "tile", xvfbtest.Exactly("可口可乐 330ml"))
	check("sell", pay)
	for _, step := range []struct{ tap, screen, mark string }{
		{"订单", "orders", "今天"},
		{"会员", "members", "新会员"},
		{"日结", "day end", "立即同步"},
		{"设置", "settings", "English"},
		{"收银", "sell", ""},
	} {
		d.Tap(t, p, liveness, "button", xvfbtest.Exactly(step.tap))
		if step.mark != "" {
			check(step.screen, xvfbtest.Exactly(step.mark))
		}
	}
	// The payment screens, the QR one (which used to grow the window) first.
	for _, step := range []struct{ tap, screen, mark string }{
		{"扫码支付", "QR payment", "出示收款码"},
		{"其他支付方式", "cash payment", "返回订单"},
		{"银行卡", "card payment", "其他支付方式"},
		{"其他支付方式", "cash payment", "返回订单"},
		{"返回订单", "sell", ""},
	} {
		if step.screen == "QR payment" {
			d.Tap(t, p, liveness, "button", pay)
		}
		d.Tap(t, p, liveness, "button", xvfbtest.Exactly(step.tap))
		if step.mark != "" {
			check(step.screen, xvfbtest.Exactly(step.mark))
		}
	}
	check("sell after paying screens", pay)
}

// TestRealWindowNormalStartAndStopPrintNothing starts Till as a new user of a
// fresh machine would (no cache folder, no XDG runtime folder), lets it
// paint, then asks it to stop as Ctrl-C or a service manager does: it
// quits cleanly, and prints no error line on the way.
func TestRealWindowNormalStartAndStopPrintNothing(t *testing.T) {
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	d := xvfbtest.Start(t, 1024, 768)
	home := t.TempDir()
	var env []string
	for _, kv := range d.Env() {
		if !strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	env = append(env, "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1", "HOME="+home)
	// The data in a folder of its own: the home holds the key folder.
	p := xvfbtest.StartProgram(t, d, bin, env, "-demo", "-size", "1024x768", "-db", filepath.Join(home, "data", "till.db"))
	p.WaitLine(t, "catalog-ready", liveness)
	p.WaitFor(t, liveness, "tile", xvfbtest.Exactly("可口可乐 330ml"))
	if err := syscall.Kill(p.Pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(t, liveness); err != nil {
		t.Errorf("Till did not stop cleanly: %v", err)
	}
	for _, line := range strings.Split(p.Stderr(), "\n") {
		if l := strings.ToLower(line); strings.Contains(l, "error") || strings.Contains(l, "fatal") {
			t.Errorf("a normal start and stop printed: %s", line)
		}
	}
}

// TestRealWindowFirstShift runs Till's binary on a fresh shop's database
// in a real window under Xvfb, driven by taps and keys through the X server
// as its people would: the setup's steps typed on the keyboard (the first
// entry of each step has the focus, Tab goes on), the owner's account, the
// acquirer and QR account left for later, the receipt printer typed and its
// test page printed; the till starts signed out, and the owner's code signs
// them in. The owner sells an amount keyed for cash and adds a cashier; the
// cashier signs in and tries to change the shop's details and to void the
// sale, each refused with her own code and approved with the owner's. With
// Till stopped, the database says what happened and holds neither code.
func TestRealWindowFirstShift(t *testing.T) {
	const ownerCode, cashierCode = "582931", "730415"
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	d := xvfbtest.Start(t, 1024, 768)
	home := t.TempDir()
	db := filepath.Join(home, "data", "till.db")
	env := append(d.Env(), "LANG=en_US.UTF-8", "TILL_FIRST_FRAME=1", "HOME="+home)
	p := xvfbtest.StartProgram(t, d, bin, env, "-lang", "en", "-size", "1024x768", "-db", db)
	tap := func(text string) {
		t.Helper()
		d.Tap(t, p, liveness, "button", xvfbtest.Exactly(text))
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
	// Welcome, in English as asked.
	b := p.WaitFor(t, liveness, "button", xvfbtest.Exactly("Next"))
	d.FindWindow(t, p, b.Window, liveness)
	tap("Next")
	// The shop: its name typed into the focused entry.
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly("Back"))
	typeText("Corner Shop")
	tap("Next")
	// The owner: name, code, code again.
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly("Back"))
	typeText("Wang Fang", "Tab", ownerCode, "Tab", ownerCode)
	tap("Next")
	// The acquirer and the QR account later.
	tap("Later")
	tap("Later")
	// The devices: the printer's address typed into the focused entry,
	// its test page printed on a printer on loopback, then stored.
	test := p.WaitFor(t, liveness, "button", xvfbtest.Exactly("Print a test page"))
	w := d.FindWindow(t, p, test.Window, liveness)
	shot := filepath.Join(t.TempDir(), "setup-devices.png")
	if img := d.WaitStill(t, shot, w.Bounds(), liveness); img.Bounds().Size() != image.Pt(1024, 768) {
		t.Errorf("the Devices step's screenshot is %v", img.Bounds())
	}
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		keep(t, shot, filepath.Join(dir, "setup-devices.png"))
	}
	f := printertest.Start(t)
	typeText(f.URL())
	tap("Print a test page")
	f.Printed(t, "[QR:https://example.com/till/diag]")
	tap("Next")
	tap("Start selling")
	// Signed out: the owner's code signs in.
	p.WaitFor(t, liveness, "button", xvfbtest.Exactly("Sign in"))
	typeText(ownerCode, "Return")
	op := p.WaitFor(t, liveness, "button", xvfbtest.Containing("Wang Fang"))
	w = d.FindWindow(t, p, op.Window, liveness)
	if w.Size != image.Pt(1024, 768) {
		t.Errorf("the window is %v after the setup", w.Size)
	}
	wait := func(kind string, m xvfbtest.Match) { t.Helper(); p.WaitFor(t, liveness, kind, m) }
	tapDigits := func(code string) {
		t.Helper()
		for _, r := range code {
			tap(string(r))
		}
	}
	// gone waits until no enabled button reads text.
	gone := func(text string) {
		t.Helper()
		p.WaitLayout(t, liveness, "no button "+text, func(l xvfbtest.Layout) bool {
			_, ok := l.Find("button", xvfbtest.Exactly(text))
			return !ok
		})
	}

	// The owner sells an amount keyed, for cash.
	tap("Amount")
	wait("button", xvfbtest.Exactly("Cancel"))
	tapDigits("12.5")
	tap("OK")
	d.Tap(t, p, liveness, "button", xvfbtest.Exactly("Pay ¥12.50"))
	d.Tap(t, p, liveness, "button", xvfbtest.Containing("Exact"))
	tap("Take cash")
	tap("New sale")

	// The owner adds a cashier.
	tap("Settings")
	tap("Staff") // the section bar scrolls to the staff
	tap("Add staff")
	wait("button", xvfbtest.Exactly("Cancel")) // the dialog, its name entry focused
	typeText("Li Na", "Tab", cashierCode, "Tab", cashierCode)
	tap("Add staff")
	gone("Cancel")

	// The cashier signs in.
	d.Tap(t, p, liveness, "button", xvfbtest.Containing("Wang Fang"))
	wait("button", xvfbtest.Exactly("Sign in"))
	typeText(cashierCode, "Return")
	wait("button", xvfbtest.Containing("Li Na"))

	// She tries to change the shop's details: her own code approves
	// nothing; the owner's opens the form, and she corrects the name.
	tap("Settings")
	tap("The shop")
	tap("Edit") // the first: the shop's
	wait("button", xvfbtest.Exactly("C"))
	tapDigits(cashierCode)
	tap("OK")
	tap("C")
	tapDigits(ownerCode)
	tap("OK")
	wait("button", xvfbtest.Exactly("Save"))
	typeText(" 2")
	tap("Save")
	d.Tap(t, p, liveness, "button", xvfbtest.Exactly("OK")) // applies from the next start

	// She voids the sale: refused with her code, approved with the owner's.
	tap("Orders")
	d.Tap(t, p, liveness, "row", xvfbtest.Containing("¥12.50"))
	tap("Void")
	wait("button", xvfbtest.Exactly("C"))
	tapDigits(cashierCode)
	tap("OK")
	tap("C")
	tapDigits(ownerCode)
	tap("OK")
	tap("Done") // the void's slip
	// Voided: the order is shown again, without its Void button.
	p.WaitLayout(t, liveness, "the order voided", func(l xvfbtest.Layout) bool {
		_, reprint := l.Find("button", xvfbtest.Exactly("Reprint"))
		_, void := l.Find("button", xvfbtest.Exactly("Void"))
		return reprint && !void
	})

	if err := syscall.Kill(p.Pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(t, liveness); err != nil {
		t.Fatalf("Till did not stop cleanly: %v", err)
	}

	// What the database says.
	s, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	ops, err := s.Operators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]models.Role{}
	for _, op := range ops {
		roles[op.Name] = op.Role
	}
	if len(ops) != 2 || roles["Wang Fang"] != models.RoleOwner || roles["Li Na"] != models.RoleCashier {
		t.Fatalf("staff: %+v", ops)
	}
	if name, _ := s.Setting(ctx, models.SettingStoreName, ""); name != "Corner Shop 2" {
		t.Fatalf("the shop's name after the approved change: %q", name)
	}
	tid, _ := s.Setting(ctx, models.SettingTerminalID, models.DefaultTerminalID)
	orders, err := s.OrdersBetween(ctx, tid, time.Now().Add(-24*time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 || orders[0].Total != 1250 || orders[0].Status != models.OrderVoided {
		t.Fatalf("orders: %+v", orders)
	}
	s.Close()
	for _, f := range []string{db, db + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, code := range []string{ownerCode, cashierCode} {
			if bytes.Contains(data, []byte(code)) {
				t.Errorf("%s holds the code %s", filepath.Base(f), code)
			}
		}
	}
}
