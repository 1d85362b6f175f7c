package xvfbtest

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseLayouts(t *testing.T) {
	lines := []string{
		"first-frame",
		"layout",
		`window 1 "收银台 Till"`,
		`button 820 723.5 455 72 "收款 ¥16.50"`,
		`tile 6 190 174 116 "可口可乐 330ml"`,
		"layout-end",
		"catalog-ready",
		"layout",
		`window 2 "Till"`,
		`button 10 20 100 40 "Pay \"now\""`,
		`window 1 "Customer display"`,
		"layout-end",
		"layout", // not ended yet: skipped
		`window 1 "Till"`,
	}
	all, err := ParseLayouts(lines)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("got %d layouts, want 2:\n%v", len(all), all)
	}
	pay, ok := all[0].Find("button", Containing("收款"))
	if !ok || pay.Window != "收银台 Till" || pay.Text != "收款 ¥16.50" ||
		pay.Bounds != image.Rect(820, 724, 1275, 795) || pay.Centre() != image.Pt(1047, 759) {
		t.Errorf("pay button: %v, %v", pay, ok)
	}
	if _, ok := all[0].Find("button", Exactly("可口可乐 330ml")); ok {
		t.Error("a tile was found as a button")
	}
	tile, ok := all[0].Find("tile", Exactly("可口可乐 330ml"))
	if !ok || tile.Centre() != image.Pt(93, 248) {
		t.Errorf("tile: %v, %v", tile, ok)
	}
	// At scale 2 a unit is two pixels.
	b, ok := all[1].Find("button", Exactly(`Pay "now"`))
	if !ok || b.Bounds != image.Rect(20, 40, 220, 120) || b.Window != "Till" {
		t.Errorf("scaled button: %v, %v", b, ok)
	}
	if len(all[1]) != 2 || all[1][1].Title != "Customer display" || len(all[1][1].Elements) != 0 {
		t.Errorf("second layout's windows: %v", all[1])
	}

	latest, found, err := latestLayout(lines)
	if err != nil || !found || len(latest) != 2 || latest[0].Scale != 2 {
		t.Errorf("latest layout: %v, %v, %v", latest, found, err)
	}
}

func TestParseLayoutsRejectsMalformedLines(t *testing.T) {
	for _, bad := range []string{
		`button 1 2 3 "no height"`,
		`button 1 2 3 0 "empty"`,
		`button x 2 3 4 "not a number"`,
		`button 1 2 3 4 unquoted`,
		`slider 1 2 3 4 "unknown kind"`,
	} {
		_, err := ParseLayouts([]string{"layout", `window 1 "w"`, bad, "layout-end"})
		if err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if _, err := ParseLayouts([]string{"layout", `button 1 2 3 4 "x"`, "layout-end"}); err == nil {
		t.Error("a button before any window: no error")
	}
	if _, err := ParseLayouts([]string{"layout", `window 0 "w"`, "layout-end"}); err == nil {
		t.Error("scale 0: no error")
	}
}

// WaitFor looks at the latest layout only: a button that has gone is not
// found, and one that comes later is.
func TestWaitForLatestLayout(t *testing.T) {
	next := filepath.Join(t.TempDir(), "next")
	p := shell(t, `printf 'layout\nwindow 1 "Till"\nbutton 1 2 3 4 "Pay"\nlayout-end\n'
printf 'layout\nwindow 1 "Till"\nlayout-end\n'
echo gone
while [ ! -e `+next+` ]; do sleep 0.01; done
printf 'layout\nwindow 1 "Till"\nbutton 5 6 8 8 "Pay"\nlayout-end\n'
exec sleep 60`)
	p.WaitLine(t, "gone", liveness)
	msg := failure(t, func(tb testing.TB) { p.WaitFor(tb, 300*time.Millisecond, "button", Exactly("Pay")) })
	if !strings.Contains(msg, `button "Pay"`) || !strings.Contains(msg, "within 300ms") {
		t.Fatalf("a button no longer in the layout was found, or the failure says too little:\n%s", msg)
	}
	if err := os.WriteFile(next, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := p.WaitFor(t, liveness, "button", Exactly("Pay")); got.Centre() != image.Pt(9, 10) {
		t.Fatalf("got %v", got)
	}
}
