package screens

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/payments/qrpay"
)

// fakeMerchant keeps the QR names as the QR service does: checked by the
// rule of qrpay, the Chinese name the store's.
type fakeMerchant struct {
	names qrpay.MerchantNames
	sets  []qrpay.MerchantNames
}

func (f *fakeMerchant) MerchantNames() qrpay.MerchantNames { return f.names }

func (f *fakeMerchant) SetMerchantNames(_ context.Context, n qrpay.MerchantNames) error {
	n.LocalName = f.names.LocalName
	if err := n.Filled().Check(); err != nil {
		return err
	}
	f.sets = append(f.sets, n)
	f.names = n
	return nil
}

func TestSettingsMerchantNamesForQR(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	m := &fakeMerchant{names: qrpay.MerchantNames{LocalName: "街角小店", LocalCity: "上海"}}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Merchant: m})
	showOn(ui, s.Content())

	mustShow(t, w, "Corner Shop")
	mustShow(t, w, "Name in Latin letters")
	es := entries(w)
	if len(es) != 3 {
		t.Fatalf("%d entries, want the Latin name, the city and the Latin city", len(es))
	}
	latinName, city, latinCity := es[0], es[1], es[2]
	// Nothing set in Latin letters: the pinyin used instead is shown, greyed.
	if latinName.Text != "" || latinName.PlaceHolder != "JIEJIAOXIAODIAN" || city.Text != "上海" ||
		latinCity.Text != "" || latinCity.PlaceHolder != "SHANGHAI" {
		t.Fatalf("shown: %q (%q), %q, %q (%q)", latinName.Text, latinName.PlaceHolder, city.Text, latinCity.Text, latinCity.PlaceHolder)
	}

	// Chinese in a Latin field is refused with the rule's message.
	test.Type(latinName, "街角")
	tap(t, w, "Save")
	mustShow(t, w, "The shop name in Latin letters must have 1 to 25 characters: letters A to Z, digits, spaces or ASCII punctuation, no Chinese")
	if len(m.sets) != 0 {
		t.Fatalf("refused names were stored: %+v", m.sets)
	}

	latinName.SetText("Corner Shop")
	city.SetText("重庆")
	tap(t, w, "Save")
	mustShow(t, w, "Saved")
	want := qrpay.MerchantNames{Name: "Corner Shop", LocalName: "街角小店", LocalCity: "重庆"}
	if len(m.sets) != 1 || m.sets[0] != want {
		t.Fatalf("stored %+v, want %+v", m.sets, want)
	}
	if latinCity.Text != "" || latinCity.PlaceHolder != "CHONGQING" {
		t.Fatalf("Latin city after saving the city: %q (%q)", latinCity.Text, latinCity.PlaceHolder)
	}

	// Too long for object 60.
	latinCity.SetText("Chongqing Municipality")
	tap(t, w, "Save")
	mustShow(t, w, "The city in Latin letters must have 1 to 15 characters: letters A to Z, digits, spaces or ASCII punctuation, no Chinese")
	if len(m.sets) != 1 {
		t.Fatalf("a city too long was stored: %+v", m.sets)
	}
}

func TestSettingsWithoutQRShowsTheStoreOnly(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}})
	showOn(ui, s.Content())
	mustShow(t, w, "Corner Shop")
	if shown(w, "Name in Latin letters") || len(entries(w)) != 0 {
		t.Fatal("the QR names are shown without QR payments")
	}
}
