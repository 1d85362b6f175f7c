package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
	"github.com/till-pos/till/services/setup"
)

// tabletSizes are the screens Till must fit: small and common landscape
// tablets, a full-HD all-in-one, and a waiter's tablet in portrait.
var tabletSizes = []fyne.Size{
	{Width: 1024, Height: 768},
	{Width: 1280, Height: 800},
	{Width: 1366, Height: 768},
	{Width: 1920, Height: 1080},
	{Width: 800, Height: 1280},
}

// view is one screen or dialog to check: how to get there, and the
// buttons (by translation key, matched as the start of the text) that
// must be in view there.
type view struct {
	name    string
	show    func(t *testing.T, till *Till)
	primary []string
}

func screenViews() []view {
	return []view{
		{"sell", func(t *testing.T, till *Till) { till.Shell().ShowSell() },
			[]string{"nav.sell", "nav.settings", "sell.hold", "sell.recall", "sell.clear", "sell.order_discount", "sell.open_drawer", "sell.times", "sell.open_item", "sell.pay:Pay"}},
		{"pay cash", func(t *testing.T, till *Till) { till.Shell().ShowPay(till.Shell().Sell.Order()) },
			[]string{"pay.back", "pay.card", "pay.qr", "pay.confirm"}},
		{"pay card", func(t *testing.T, till *Till) { till.Shell().ShowPayCard(till.Shell().Sell.Order()) },
			[]string{"card.other", "card.cancel"}},
		{"pay qr", func(t *testing.T, till *Till) { till.Shell().ShowPayQR(till.Shell().Sell.Order()) },
			[]string{"card.other", "qr.show", "card.cancel", "qr.charge"}},
		{"orders", func(t *testing.T, till *Till) {
			till.Shell().ShowOrders()
			shown := till.Shell().Orders.Shown()
			if len(shown) == 0 {
				t.Fatal("no order to show")
			}
			till.Shell().Orders.ShowOrder(shown[0].ID)
		},
			[]string{"orders.void", "orders.refund", "orders.reprint"}},
		{"members", func(t *testing.T, till *Till) { till.Shell().ShowMembers() }, []string{"members.add"}},
		{"day end", func(t *testing.T, till *Till) { till.Shell().ShowDayEnd() }, []string{"dayend.sync", "dayend.settle"}},
		{"settings", func(t *testing.T, till *Till) { till.Shell().ShowSettings() }, nil},
	}
}

// primaryButton finds the button whose text starts with the translation
// of key ("key:prefix" names a template by its untranslated start).
func primaryButton(w fyne.Window, key string) (*widget.Button, string) {
	want := lang.X(key, key)
	if k, prefix, ok := strings.Cut(key, ":"); ok {
		want = strings.SplitN(lang.X(k, prefix), "<no value>", 2)[0]
	}
	var found *widget.Button
	uitest.Walk(uitest.Top(w), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, want) {
			found = b
			return true
		}
		return false
	})
	return found, want
}

// checkFits fails the test when w's content would make the window larger
// than size, or a primary button of v is out of view.
func checkFits(t *testing.T, w fyne.Window, screen fyne.CanvasObject, size fyne.Size, where string, primary []string) {
	t.Helper()
	if m, got := screen.MinSize(), screen.Size(); m.Width > got.Width+0.5 || m.Height > got.Height+0.5 {
		t.Errorf("%s: the screen needs %.0f×%.0f and has %.0f×%.0f", where, m.Width, m.Height, got.Width, got.Height)
	}
	if got := w.Canvas().Size(); got != size {
		t.Errorf("%s: canvas %v, want %v", where, got, size)
	}
	if m := w.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
		t.Errorf("%s: the content needs %.0f×%.0f and would grow the window", where, m.Width, m.Height)
	}
	uitest.Walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if pt, ok := o.(*widgets.ProductTile); ok && pt.Clipped() {
			t.Errorf("%s: the tile of %q cuts its name", where, pt.Name())
		}
		return false
	})
	for _, key := range primary {
		b, text := primaryButton(w, key)
		if b == nil {
			t.Errorf("%s: no button %q", where, text)
			continue
		}
		if why := uitest.Unseen(w, b); why != "" {
			t.Errorf("%s: button %q %s", where, text, why)
		}
		if m := b.MinSize(); b.Size().Width+0.5 < m.Width || b.Size().Height+0.5 < m.Height {
			t.Errorf("%s: button %q squeezed to %v, needs %v", where, text, b.Size(), m)
		}
	}
}

func TestEveryScreenFitsEveryTablet(t *testing.T) {
	for _, lng := range []string{"en", "zh"} {
		t.Run(lng, func(t *testing.T) {
			till := startDemo(t, lng)
			if err := till.host.Connect(context.Background()); err != nil {
				t.Fatal(err)
			}
			w := till.Window()
			// A paid order for the Orders screen, then one being sold.
			scan(w, colaCode)
			till.Shell().ShowPay(till.Shell().Sell.Order())
			till.Shell().Pay.Tender(500)
			till.Shell().Pay.Confirm()
			till.Shell().ShowSell()
			scan(w, colaCode)
			for _, size := range tabletSizes {
				w.Resize(size)
				for _, v := range screenViews() {
					v.show(t, till)
					where := lng + " " + v.name + " at " + sizeText(size)
					checkFits(t, w, till.Shell().Screen(), size, where, v.primary)
					keepShot(t, w, lng+"-"+strings.ReplaceAll(v.name, " ", "_")+"-"+sizeText(size))
				}
				for _, d := range dialogViews() {
					d.screen(till)
					for _, key := range d.taps {
						b, text := primaryButton(w, key)
						if b == nil {
							t.Fatalf("%s: no button %q", d.name, text)
						}
						test.Tap(b)
					}
					keepShot(t, w, lng+"-dialog-"+strings.ReplaceAll(d.name, " ", "_")+"-"+sizeText(size))
					checkDialog(t, w, lng+" dialog "+d.name+" at "+sizeText(size))
				}
				till.Shell().ShowSell()
			}
		})
	}
}

// dialogView opens a dialog from a screen by tapping buttons (translation
// keys, as for view.primary).
type dialogView struct {
	name   string
	screen func(till *Till)
	taps   []string
}

func dialogViews() []dialogView {
	sell := func(till *Till) { till.Shell().ShowSell() }
	orders := func(till *Till) {
		till.Shell().ShowOrders()
		till.Shell().Orders.ShowOrder(till.Shell().Orders.Shown()[0].ID)
	}
	members := func(till *Till) { till.Shell().ShowMembers() }
	// The one signed in edits themself: an owner, offered every role.
	editStaff := func(till *Till) {
		till.Shell().ShowSettings()
		till.Shell().Settings.AskEditStaff(till.staff.Session().Operator())
	}
	return []dialogView{
		{"order discount", sell, []string{"sell.order_discount"}},
		{"clear the order", sell, []string{"sell.clear"}},
		{"recall", sell, []string{"sell.recall"}},
		{"quantity multiplier", sell, []string{"sell.times"}},
		{"open item", sell, []string{"sell.open_item"}},
		{"line discount", sell, []string{"%"}},
		{"price change", sell, []string{"¥"}},
		{"void", orders, []string{"orders.void"}},
		{"refund", orders, []string{"orders.refund"}},
		{"find an order", orders, []string{"orders.find"}},
		{"new member", members, []string{"members.add"}},
		{"new member on the on-screen keyboard", members, []string{"members.add", "keyboard.show"}},
		{"top up", members, []string{"members.top_up"}},
		{"pay out a member's balance", members, []string{"members.remove", "finger.demo:Demo finger: "}},
		{"edit staff", editStaff, nil},
		{"edit staff on the on-screen keyboard", editStaff, []string{"keyboard.show"}},
	}
}

// checkDialog fails the test when a button of the dialog on top of w is
// out of view, then closes the dialog.
func checkDialog(t *testing.T, w fyne.Window, where string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Errorf("%s: no dialog", where)
		return
	}
	n := 0
	uitest.Walk(top, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok {
			n++
			if why := uitest.Unseen(w, b); why != "" {
				t.Errorf("%s: button %q %s", where, b.Text, why)
			}
		}
		return false
	})
	if n == 0 {
		t.Errorf("%s: the dialog has no button", where)
	}
	for w.Canvas().Overlays().Top() != nil {
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
}

func sizeText(s fyne.Size) string {
	return fmt.Sprintf("%.0f×%.0f", s.Width, s.Height)
}

func TestCountsReadAsAPersonWritesThem(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	scan(w, colaCode)
	till.Shell().ShowPay(till.Shell().Sell.Order())
	if !shownText(w, "Cash payment · 1 item") {
		t.Fatalf("one line: %q", uitest.Texts(w))
	}
	till.Shell().ShowSell()
	test.Tap(tile(t, w, "Sprite 500ml"))
	till.Shell().ShowPay(till.Shell().Sell.Order())
	if !shownText(w, "Cash payment · 2 items") {
		t.Fatalf("two lines: %q", uitest.Texts(w))
	}
}

func TestTheSetupFitsEveryTablet(t *testing.T) {
	for _, lng := range []string{"en", "zh"} {
		t.Run(lng, func(t *testing.T) {
			till, err := Start(test.NewTempApp(t), Options{DBPath: filepath.Join(t.TempDir(), "till.db"), Lang: lng, inlineUI: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { till.Close() })
			w := till.Window()
			su := till.SetupScreen()
			su0 := setup.New(till.store, till.deviceKey)
			if err := su0.SaveShop(context.Background(), models.ShopDetails{Name: "街角便利店"}, models.Operator{}); err != nil {
				t.Fatal(err)
			}
			if err := su0.SaveOwner(context.Background(), "王芳", ownerCode, ownerCode); err != nil {
				t.Fatal(err)
			}
			for _, size := range tabletSizes {
				w.Resize(size)
				for step := 0; step <= 6; step++ {
					for su.Step() > step {
						test.Tap(button(t, w, lang.X("setup.back", "Back")))
					}
					for su.Step() < step {
						if su.Step() >= 3 {
							test.Tap(button(t, w, lang.X("setup.later", "Later")))
						} else {
							su.Next()
						}
					}
					primary := "setup.next"
					if step == 6 {
						primary = "setup.start"
					}
					where := fmt.Sprintf("%s setup step %d at %s", lng, step, sizeText(size))
					check := []string{primary, "setup.back"}
					if step == 0 {
						check = check[:1] // nothing to go back to
					}
					checkFits(t, w, su.Content(), size, where, check)
					keepShot(t, w, fmt.Sprintf("%s-setup-%d-%s", lng, step, sizeText(size)))
				}
			}
		})
	}
}

// keepShot saves what w shows as name.png in $TILL_LAYOUT_SHOTS, when
// set, to look at every screen at every size.
func keepShot(t *testing.T, w fyne.Window, name string) {
	uitest.SaveShot(t, w, "TILL_LAYOUT_SHOTS", name)
}
