//go:build xvfb

package app

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/till-pos/till/internal/xvfbtest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/esign"
)

// TestRealWindowCardholderSignsWithThePointer runs Till in demo mode under
// Xvfb, sells 300 colas (¥1,050, above the ¥1,000 no-PIN limit) and pays
// with the demo Visa card; the signature screen comes up and a name is
// drawn on its pad with the real pointer, two strokes of pressed-button
// moves. The ink shows on the screen, Done keeps the signature, and the
// store holds strokes that decode to what was drawn, with an image the
// acquirer can take.
func TestRealWindowCardholderSignsWithThePointer(t *testing.T) {
	bin := xvfbtest.BuildBinary(t, "github.com/till-pos/till", "migrated_fynedo")
	d := xvfbtest.Start(t, 1280, 800)
	env := append(append(d.Env(), "LANG=zh_CN.UTF-8", "TILL_FIRST_FRAME=1"), homeEnv(t)...)
	db := filepath.Join(t.TempDir(), "till.db")
	p := xvfbtest.StartProgram(t, d, bin, env, "-demo", "-db", db)
	p.WaitLine(t, "catalog-ready", liveness)
	tile := p.WaitFor(t, liveness, "tile", xvfbtest.Exactly("可口可乐 330ml"))
	d.FindWindow(t, p, tile.Window, liveness)
	xdotool(t, d, "type", "--delay", "20", "300*6901234567892")
	xdotool(t, d, "key", "Return")

	d.Tap(t, p, liveness, "button", xvfbtest.Exactly("收款 ¥1,050.00"))
	d.Tap(t, p, liveness, "button", xvfbtest.Exactly("银行卡"))
	d.Tap(t, p, liveness, "button", xvfbtest.Containing("Visa"))

	pad := p.WaitFor(t, liveness, "pad", xvfbtest.Exactly("signature"))
	w := d.FindWindow(t, p, pad.Window, liveness)
	before := d.Screenshot(t, filepath.Join(t.TempDir(), "before.png"))
	r := pad.Bounds
	at := func(fx, fy float64) image.Point {
		return image.Pt(r.Min.X+int(fx*float64(r.Dx())), r.Min.Y+int(fy*float64(r.Dy())))
	}
	// A "W" and a tail: two strokes, each of several moves.
	w.Drag(t, at(0.15, 0.3), at(0.22, 0.7), at(0.3, 0.4), at(0.38, 0.7), at(0.45, 0.3))
	w.Drag(t, at(0.5, 0.6), at(0.6, 0.5), at(0.7, 0.6), at(0.85, 0.45))
	shot := filepath.Join(t.TempDir(), "signed.png")
	after := d.WaitChange(t, shot, before, w.OnScreen(r), liveness)
	if n := darkPixels(after, w.OnScreen(r)) - darkPixels(before, w.OnScreen(r)); n < 200 {
		t.Fatalf("the pad shows %d more dark pixels after the strokes: no ink", n)
	}
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		keep(t, shot, filepath.Join(dir, "signature.png"))
	}
	d.Tap(t, p, liveness, "button", xvfbtest.Exactly("完成"))
	p.WaitFor(t, liveness, "button", xvfbtest.Containing("下一单"))

	s, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	orders, err := s.FindOrders(context.Background(), models.DefaultTerminalID, time.Now().AddDate(0, 0, -1), time.Now().AddDate(0, 0, 1), "", 10)
	if err != nil || len(orders) != 1 || len(orders[0].Payments) != 1 {
		t.Fatalf("orders: %v %+v", err, orders)
	}
	pay := orders[0].Payments[0]
	sig, err := s.SignatureOf(context.Background(), pay.ID)
	if err != nil || sig == nil {
		t.Fatalf("no signature kept for %+v: %v", pay, err)
	}
	drawn, err := esign.Decode(sig.Strokes)
	if err != nil || len(drawn.Strokes) != 2 || drawn.Valid() != nil {
		t.Fatalf("strokes kept: %v, %d strokes, %v", err, len(drawn.Strokes), drawn.Valid())
	}
	// The path was followed, not only its ends: the W's turns are there.
	for i, st := range drawn.Strokes {
		if len(st) < 8 {
			t.Errorf("stroke %d kept %d points: %v", i, len(st), st)
		}
	}
	if first := drawn.Strokes[0]; !hasTurn(first) {
		t.Errorf("the W was kept without its turns: %v", first)
	}
	if len(sig.Image) == 0 || len(sig.Image) > 747 || len(sig.FeatureCode) != 8 {
		t.Fatalf("image of %d bytes, feature code %q", len(sig.Image), sig.FeatureCode)
	}
}

// hasTurn reports whether stroke goes down and then up again.
func hasTurn(stroke esign.Stroke) bool {
	down := false
	for i := 1; i < len(stroke); i++ {
		if stroke[i].Y > stroke[i-1].Y {
			down = true
		}
		if down && stroke[i].Y < stroke[i-1].Y {
			return true
		}
	}
	return false
}

// darkPixels counts the pixels of r in img darker than mid-grey.
func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr+cg+cb < 3*0x8000 {
				n++
			}
		}
	}
	return n
}
