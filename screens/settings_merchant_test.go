package screens

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"

	"github.com/till-pos/till/payments/qrpay"
)

// fakeMerchant keeps the QR names as the QR service does: checked by the
// rule of qrpay, the Chinese name the store's.
type fakeMerchant struct {
	names qrpay.MerchantNames
	sets  []qrpay.MerchantNames
}

func (f *fakeMerchant) MerchantNames() qrpay.MerchantNames { return f.names }

func (f *fakeMerchant) SetMerchantNames(_ context.Context, n qrpay.MerchantNames, _ models.Operator) error {
	n.LocalName = f.names.LocalName
	if err := n.Filled().Check(); err != nil {
		return err
	}
	f.sets = append(f.sets, n)
	f.names = n
	return nil
}

// editMerchant taps the Edit button of the n-th QR name (0: Latin name,
// 1: city, 2: Latin city), types text over it and taps OK.
func editMerchant(t *testing.T, w fyne.Window, n int, text string) {
	t.Helper()
	var edits []*widget.Button
	uitest.Walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Edit" {
			edits = append(edits, b)
		}
		return false
	})
	if len(edits) != 3 {
		t.Fatalf("%d Edit buttons, want one per QR name", len(edits))
	}
	test.Tap(edits[n])
	e := entries(w)[0]
	e.SetText("")
	test.Type(e, text)
	tap(t, w, "OK")
}

func TestSettingsMerchantNamesForQR(t *testing.T) {
	ui := newTestUI(t, owner)
	w := ui.Window
	m := &fakeMerchant{names: qrpay.MerchantNames{LocalName: "街角小店", LocalCity: "上海"}}
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}, Merchant: m})
	showOn(ui, s.Content())

	mustShow(t, w, "Corner Shop")
	// Nothing set in Latin letters: the pinyin used instead is shown.
	mustShow(t, w, "Name in Latin letters: JIEJIAOXIAODIAN")
	mustShow(t, w, "City in Chinese: 上海")
	mustShow(t, w, "City in Latin letters: SHANGHAI")

	// Chinese in a Latin field is refused with the rule's message, in the
	// dialog, which stays open.
	editMerchant(t, w, 0, "街角")
	mustShow(t, w, "The shop name in Latin letters must have 1 to 25 characters: letters A to Z, digits, spaces or ASCII punctuation, no Chinese")
	if len(m.sets) != 0 || !dialogShown(w) {
		t.Fatalf("refused names were stored: %+v", m.sets)
	}
	tap(t, w, "Cancel")

	editMerchant(t, w, 0, "Corner Shop")
	editMerchant(t, w, 1, "重庆")
	want := qrpay.MerchantNames{Name: "Corner Shop", LocalName: "街角小店", LocalCity: "重庆"}
	if len(m.sets) != 2 || m.sets[1] != want {
		t.Fatalf("stored %+v, want %+v", m.sets, want)
	}
	mustShow(t, w, "City in Latin letters: CHONGQING")

	// Too long for object 60.
	editMerchant(t, w, 2, "Chongqing Municipality")
	mustShow(t, w, "The city in Latin letters must have 1 to 15 characters: letters A to Z, digits, spaces or ASCII punctuation, no Chinese")
	if len(m.sets) != 2 {
		t.Fatalf("a city too long was stored: %+v", m.sets)
	}
}

func TestSettingsWithoutQRShowsTheStoreOnly(t *testing.T) {
	ui := newTestUI(t, manager)
	w := ui.Window
	s := NewSettings(ui, SettingsDeps{Staff: &fakeStaff{}})
	showOn(ui, s.Content())
	mustShow(t, w, "Corner Shop")
	if shown(w, "Name in Latin letters") {
		t.Fatal("the QR names are shown without QR payments")
	}
}
