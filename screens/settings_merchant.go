package screens

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	SetMerchantNames(ctx context.Context, n qrpay.MerchantNames) error
}

// storeRow shows the store's name and, with QR payments, the name and city
// its QR codes carry: the city in Chinese, and both in Latin letters (an
// empty one shows, greyed, the pinyin used instead).
func (s *Settings) storeRow() fyne.CanvasObject {
	name := widget.NewLabel(s.ui.Shop.Name)
	q := s.deps.Merchant
	if q == nil {
		return name
	}
	n := q.MerchantNames()
	entry := func(text string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		return e
	}
	latinName, city, latinCity := entry(n.Name), entry(n.LocalCity), entry(n.City)
	showPinyin := func(n qrpay.MerchantNames) {
		filled := n.Filled()
		latinName.SetPlaceHolder(filled.Name)
		latinCity.SetPlaceHolder(filled.City)
	}
	showPinyin(n)
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	save := widget.NewButtonWithIcon(lang.X("settings.merchant_save", "Save"), theme.DocumentSaveIcon(), func() {
		next := qrpay.MerchantNames{Name: latinName.Text, City: latinCity.Text, LocalCity: city.Text}
		if err := q.SetMerchantNames(context.Background(), next); err != nil {
			msg.Importance = widget.DangerImportance
			msg.SetText(Message(err))
			return
		}
		n := q.MerchantNames()
		latinName.SetText(n.Name)
		city.SetText(n.LocalCity)
		latinCity.SetText(n.City)
		showPinyin(n)
		msg.Importance = widget.SuccessImportance
		msg.SetText(lang.X("settings.merchant_saved", "Saved"))
	})
	row := func(label string, e *widget.Entry) fyne.CanvasObject {
		l := widget.NewLabel(label)
		tall := canvas.NewRectangle(color.Transparent)
		tall.SetMinSize(fyne.NewSize(320, 52))
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(240, 52), l), nil, container.NewStack(tall, e))
	}
	hint := widget.NewLabel(lang.X("settings.merchant_hint",
		"Payment QR codes carry the name and city in Latin letters, and in Chinese for Chinese wallets. Left empty, the pinyin shown in grey is used."))
	hint.Wrapping = fyne.TextWrapWord
	return container.NewVBox(name,
		row(lang.X("settings.merchant_latin_name", "Name in Latin letters"), latinName),
		row(lang.X("settings.merchant_city", "City in Chinese"), city),
		row(lang.X("settings.merchant_latin_city", "City in Latin letters"), latinCity),
		hint, container.NewHBox(container.NewGridWrap(fyne.NewSize(160, 52), save)), msg)
}
