package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// showShop shows the shop's sections again, as now stored.
func (s *Settings) showShop() {
	s.shop.Objects = s.shopSections()
	s.shop.Refresh()
}

// shopSections show what the first-run setup set, the shop, its acquirer
// and its QR merchant account, each with an Edit button that opens its
// form for someone allowed to change it. The master key is never shown,
// only whether it is loaded and its check value.
func (s *Settings) shopSections() []fyne.CanvasObject {
	svc := s.deps.Setup
	ctx := context.Background()
	item := widget.NewFormItem
	value := func(v string) *widget.Label {
		if v == "" {
			v = "—"
		}
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapBreak
		return l
	}
	edit := func(title string, p models.Permission, form func() partForm, after string) *widget.Button {
		return widget.NewButtonWithIcon(lang.X("settings.edit", "Edit"), theme.DocumentCreateIcon(), func() {
			s.allowed(p, title, func(by models.Operator) {
				editPart(s.ui, title, form(), by, func() {
					if after != "" {
						dialog.ShowInformation(lang.X("settings.port_saved_title", "Saved"), after, s.ui.Window)
					}
					s.showShop()
				})
			})
		})
	}
	card := func(title string, button *widget.Button, items ...*widget.FormItem) fyne.CanvasObject {
		return widget.NewCard(title, "", container.NewVBox(widget.NewForm(items...), container.NewHBox(tall(button, 52))))
	}

	sh, _ := svc.Shop(ctx)
	shopTitle := lang.X("settings.section_shop", "The shop")
	shop := card(shopTitle, edit(shopTitle, models.PermSettingsShop, func() partForm { return shopForm(s.ui, svc) },
		lang.X("settings.shop_saved", "Receipts and QR codes carry the new details from the next start of Till")),
		item(lang.X("setup.shop_name", "Shop name"), value(sh.Name)),
		item(lang.X("settings.address", "Shop address"), value(sh.Address)),
		item(lang.X("setup.tax_number", "Unified social credit code"), value(sh.TaxNumber)))

	a, _ := svc.Acquirer(ctx)
	acqTitle := lang.X("setup.acquirer_title", "Your acquirer")
	acqItems := []*widget.FormItem{item(lang.X("setup.host", "Host address"), value(a.Addr))}
	if a.TID == "" {
		acqItems = []*widget.FormItem{item("", value(lang.X("settings.acquirer_none", "Not set: the till takes cash only until it is")))}
	} else {
		caText := lang.X("settings.ca_loopback", "None: the acquirer is on this machine")
		if len(a.CA) > 0 {
			caText = caName(a.CA)
		}
		acqItems = append(acqItems, item(lang.X("setup.ca", "Acquirer's CA"), value(caText)),
			item(lang.X("setup.tid", "Terminal ID"), value(a.TID)),
			item(lang.X("setup.mid", "Merchant ID"), value(a.MID)),
			item(lang.X("settings.master_key", "Master key"), value(masterKeyText(a.KeyCheck))))
	}
	acq := card(acqTitle, edit(acqTitle, models.PermSettingsPayments, func() partForm {
		ca := &caChoice{ui: s.ui, onErr: func(msg string) { ShowError(s.ui.Window, &models.Error{Code: models.EINVALID, Fallback: msg}) }}
		return acquirerForm(s.ui, svc, ca)
	}, lang.X("settings.acquirer_saved", "Card and QR payments use the new link from the next start of Till")), acqItems...)

	q, _ := svc.QRMerchant(ctx)
	qrTitle := lang.X("setup.qr_title", "QR payments")
	qr := card(qrTitle, edit(qrTitle, models.PermSettingsPayments, func() partForm { return qrForm(s.ui, svc) }, ""),
		item(lang.X("setup.qr_guid", "QR identifier"), value(q.GUID)),
		item(lang.X("setup.qr_mid", "QR merchant ID"), value(q.MerchantID)),
		item(lang.X("setup.mcc", "Merchant category code"), value(q.MCC)))
	return []fyne.CanvasObject{shop, acq, qr}
}

// masterKeyText says whether the master key is loaded, by its check value
// kcv ("" when none is).
func masterKeyText(kcv string) string {
	if kcv == "" {
		return lang.X("settings.master_key_none", "Not loaded")
	}
	return lang.X("settings.master_key_loaded", "Loaded (check value {{.Check}})", map[string]any{"Check": kcv})
}

// editPart opens f in a dialog: Save stores it as by and closes, a value
// refused is said in the dialog, which stays open with what was typed.
func editPart(ui *UI, title string, f partForm, by models.Operator, saved func()) {
	f.hint = "" // the setup's words; Settings shows what is set beside the button
	body, kbd := f.body(ui)
	kbd.keys.Show() // always up: the dialog keeps one size, centred
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	save := widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), nil)
	save.Importance = widget.HighImportance
	actions := widgets.NewActions(52, cancel, save)
	// The form scrolls when the window cannot hold it with the keyboard;
	// the keyboard and the buttons always show.
	form := container.NewVScroll(body)
	room := ui.Window.Canvas().Size().Height - dialogChrome - actions.MinSize().Height -
		msg.MinSize().Height - kbd.keys.MinSize().Height
	form.SetMinSize(fyne.NewSize(0, min(body.MinSize().Height, max(room, 120))))
	content := container.NewVBox(form, msg, container.NewCenter(kbd.keys), actions)
	width := float32(600)
	if f.wide {
		width = max(width, min(wideDialog, ui.Window.Canvas().Size().Width-dialogMargin))
	}
	d := dialog.NewCustomWithoutButtons(title, container.NewStack(strut(width, 0), content), ui.Window)
	cancel.OnTapped = func() {
		ui.Touch()
		d.Hide()
	}
	save.OnTapped = func() {
		ui.Touch()
		if err := f.save(by); err != nil {
			msg.Text = Message(err)
			msg.Refresh()
			return
		}
		d.Hide()
		saved()
	}
	kbd.keys.OnDone = save.OnTapped
	d.Show()
	ui.Window.Canvas().Focus(f.entries[0])
}

// dialogChrome is the height a dialog takes around its content: its
// title, paddings and the margin to the window's edges; dialogMargin the
// width it takes, with a margin to the window's edges.
const (
	dialogChrome = 150
	dialogMargin = 100
)

// wideDialog is the width of a wide form's dialog where the window has
// room for it.
const wideDialog = 900
