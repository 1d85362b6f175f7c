//go:build xvfb

package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/internal/xvfbtest"
	"github.com/till-pos/till/payments/qrpay"
)

// TestRealWindowShowsAPayableQR runs Till in demo mode under Xvfb, sells a
// cola by a wedge scan, opens the QR payment as a cashier would (taps), and
// reads the QR back from a screenshot with zbarimg: it must be exactly a
// valid EMVCo payload for the order's amount.
func TestRealWindowShowsAPayableQR(t *testing.T) {
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	d := xvfbtest.Start(t, 1280, 800)
	env := append(append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1"), homeEnv(t)...)
	p := xvfbtest.StartProgram(t, d, bin, env, "-demo", "-db", filepath.Join(t.TempDir(), "till.db"))
	p.WaitLine(t, "catalog-ready", liveness)
	// The scanner's keys go to the window under the pointer: wait until it
	// is mapped.
	tile := p.WaitFor(t, liveness, "tile", xvfbtest.Exactly("可口可乐 330ml"))
	d.FindWindow(t, p, tile.Window, liveness)
	xdotool(t, d, "type", "--delay", "20", "6901234567892")
	xdotool(t, d, "key", "Return")

	// 收款 ¥3.50 on the sell screen, 扫码支付 on the cash screen, then
	// 出示收款码 on the QR screen; each appears once the tap before it has
	// been taken.
	d.Tap(t, p, liveness, "button", xvfbtest.Exactly("收款 ¥3.50"))
	d.Tap(t, p, liveness, "button", xvfbtest.Containing("扫码支付"))
	d.Tap(t, p, liveness, "button", xvfbtest.Containing("出示收款码"))
	// The QR order goes to the simulated host first; the customer's scan
	// can be simulated once its code is on screen.
	p.WaitFor(t, liveness, "button", xvfbtest.Containing("模拟顾客扫码"))

	// Then read the screen until the code is painted and decodes.
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatalf("zbarimg is not installed (%v); run `make deps` to install it", err)
	}
	var payload string
	shot := filepath.Join(t.TempDir(), "qr.png")
	for deadline := time.Now().Add(liveness); ; {
		d.Screenshot(t, shot)
		out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", shot).Output()
		if err == nil {
			payload = strings.TrimSpace(string(out))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no QR code could be read from the screen within %v (last screenshot %s)", liveness, shot)
		}
		time.Sleep(20 * time.Millisecond)
	}
	got, err := qrpay.Parse(payload)
	if err != nil {
		t.Fatalf("the QR on screen, %q: %v", payload, err)
	}
	if got.Amount != 350 || got.Currency != qrpay.CurrencyCNY || got.Initiation != qrpay.Dynamic ||
		!strings.HasPrefix(got.AdditionalData.BillNumber, "T01-") {
		t.Fatalf("QR payload %q: amount %d currency %s bill %q", payload, got.Amount, got.Currency, got.AdditionalData.BillNumber)
	}
	t.Logf("QR on screen: %s", payload)
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		keep(t, shot, filepath.Join(dir, "qr.png"))
	}
}
