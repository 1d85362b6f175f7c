package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/qrpay"
)

// QRMerchant is the shop's name and city as its payment QR codes show
// them; *qrpayment.QR is one.
type QRMerchant interface {
	// MerchantNames are the names as set: the store's name and its city in
	// Chinese, and in Latin letters, empty where the pinyin is used.
	MerchantNames() qrpay.MerchantNames
	// SetMerchantNames checks and stores the city in Chinese and the name
	// and city in Latin letters.
	SetMerchantNames(ctx context.Context, n qrpay.MerchantNames, by models.Operator) error
}

// storeRow shows the store's name and, with QR payments, the name and city
// its QR codes carry: the city in Chinese, and both in Latin letters (an
// empty one shows, greyed, the pinyin used instead), each with an Edit
// button that opens it on the on-screen keyboard.
func (s *Settings) storeRow() fyne.CanvasObject {
	name := widget.NewLabel(s.ui.Shop.Name)
	q := s.deps.Merchant
	if q == nil {
		return name
	}
	var refresh []func()
	showAll := func() {
		for _, r := range refresh {
			r()
		}
	}
	// field is one name with its Edit button; used is the value the QR
	// carries when none is set.
	field := func(label string, get, used func(qrpay.MerchantNames) string, set func(*qrpay.MerchantNames, string)) fyne.CanvasObject {
		value := widget.NewLabel("")
		value.Wrapping = fyne.TextWrapBreak
		show := func() {
			n := q.MerchantNames()
			value.Importance = widget.MediumImportance
			text := get(n)
			if text == "" {
				value.Importance = widget.LowImportance
				text = used(n.Filled())
			}
			value.SetText(label + ": " + text)
		}
		show()
		refresh = append(refresh, show)
		edit := widget.NewButtonWithIcon(lang.X("settings.edit", "Edit"), theme.DocumentCreateIcon(), func() {
			s.allowed(models.PermSettingsPayments, label, func(by models.Operator) {
				n := q.MerchantNames()
				newTextDialog(s.ui, label, get(n), used(n.Filled()), false, func(in string) error {
					next := q.MerchantNames()
					set(&next, in)
					if err := q.SetMerchantNames(context.Background(), next, by); err != nil {
						return err
					}
					showAll()
					return nil
				}).Show(s.ui)
			})
		})
		return withChange(value, edit)
	}
	hint := widget.NewLabel(lang.X("settings.merchant_hint",
		"Payment QR codes carry the name and city in Latin letters, and in Chinese for Chinese wallets. Left empty, the pinyin shown in grey is used."))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	return container.NewVBox(name,
		field(lang.X("settings.merchant_latin_name", "Name in Latin letters"),
			func(n qrpay.MerchantNames) string { return n.Name }, func(n qrpay.MerchantNames) string { return n.Name },
			func(n *qrpay.MerchantNames, v string) { n.Name = v }),
		field(lang.X("settings.merchant_city", "City in Chinese"),
			func(n qrpay.MerchantNames) string { return n.LocalCity }, func(n qrpay.MerchantNames) string { return n.LocalCity },
			func(n *qrpay.MerchantNames, v string) { n.LocalCity = v }),
		field(lang.X("settings.merchant_latin_city", "City in Latin letters"),
			func(n qrpay.MerchantNames) string { return n.City }, func(n qrpay.MerchantNames) string { return n.City },
			func(n *qrpay.MerchantNames, v string) { n.City = v }),
		hint)
}
