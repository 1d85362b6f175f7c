package app

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
)

// TestTheShopsSettingsFitEveryTablet: a shop's Settings, with the shop,
// its acquirer and its QR account, and the dialog that edits each, with
// its on-screen keyboard, fit every tablet in both languages.
func TestTheShopsSettingsFitEveryTablet(t *testing.T) {
	for _, lng := range []string{"en", "zh"} {
		t.Run(lng, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "till.db")
			setUpShop(t, db, "街角便利店")
			till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: lng, inlineUI: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { till.Close() })
			typeDigits(t, till, ownerCode, lang.X("login.sign_in", "Sign in"))
			w := till.Window()
			edit := lang.X("settings.edit", "Edit")
			for _, size := range tabletSizes {
				w.Resize(size)
				till.Shell().ShowSettings()
				keepShot(t, w, lng+"-settings-shop-"+sizeText(size))
				for i, name := range []string{"shop", "acquirer", "qr"} {
					test.Tap(uitest.NthButton(t, w, edit, i))
					where := lng + " dialog edit " + name + " at " + sizeText(size)
					keepShot(t, w, lng+"-dialog-edit_"+name+"-"+sizeText(size))
					checkDialog(t, w, where)
				}
			}
		})
	}
}
