//go:build xvfb

package app

import (
	"bytes"
	"fmt"
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
	env := append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1", "HOME="+t.TempDir())
	p := xvfbtest.StartProgram(t, d, bin, env, "-demo", "-db", filepath.Join(t.TempDir(), "till.db"))
	p.WaitLine(t, "catalog-ready", liveness)
	xdotool(t, d, "type", "--delay", "20", "6901234567892")
	xdotool(t, d, "key", "Return")
	// 收款 ¥3.50, then 扫码支付 on the cash screen, then 出示收款码.
	for _, xy := range [][2]int{{1047, 759}, {667, 759}, {512, 763}} {
		xdotool(t, d, "mousemove", fmt.Sprint(xy[0]), fmt.Sprint(xy[1]), "click", "1")
	}
	var payload string
	shot := filepath.Join(t.TempDir(), "qr.png")
	for deadline := time.Now().Add(liveness); payload == "" && time.Now().Before(deadline); {
		time.Sleep(300 * time.Millisecond) // the QR order goes to the simulated host first
		d.Screenshot(t, shot)
		out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", shot).Output()
		if err == nil {
			payload = strings.TrimSpace(string(bytes.TrimRight(out, "\n")))
		}
	}
	if payload == "" {
		t.Fatalf("no QR code could be read from the screen (last screenshot %s)", shot)
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
}
