package screens

// The parts of a shop's setup as forms: the first-run setup shows each as
// a step, and Settings opens each in a dialog to change it later.

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"io"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// partForm is one part of the setup as a form: a hint above, its fields,
// and how to store what is typed, changed by by.
type partForm struct {
	hint    string
	items   []*widget.FormItem
	entries []*widget.Entry
	save    func(by models.Operator) error
	// wide asks a dialog for room beside the labels: a master key's
	// component, typed hidden, is 32 wide dots.
	wide bool
}

// body is the hint and the form, with an on-screen keyboard typing into
// the entry last tapped, for the caller to place.
func (f partForm) body(ui *UI) (fyne.CanvasObject, keyboardToggle) {
	box := container.NewVBox()
	if f.hint != "" {
		hint := widget.NewLabel(f.hint)
		hint.Wrapping = fyne.TextWrapWord
		box.Add(hint)
	}
	box.Add(widget.NewForm(f.items...))
	return box, onScreenKeyboard(ui, f.entries...)
}

// content is the form with the on-screen keyboard beneath.
func (f partForm) content(ui *UI) fyne.CanvasObject {
	body, kbd := f.body(ui)
	return container.NewVBox(body, container.NewHBox(kbd.toggle), container.NewCenter(kbd.keys))
}

// field is an entry with its label, for a form.
func field(label, value, placeholder string, ui *UI) (*widget.FormItem, *widget.Entry) {
	e := widget.NewEntry()
	e.SetText(value)
	e.SetPlaceHolder(placeholder)
	ui.watchEntry(e)
	return widget.NewFormItem(label, e), e
}

// shopForm is who the shop is: its name, address and tax number.
func shopForm(ui *UI, svc SetupService) partForm {
	sh, _ := svc.Shop(context.Background())
	nameItem, name := field(lang.X("setup.shop_name", "Shop name"), sh.Name, lang.X("setup.shop_name_hint", "As receipts print it"), ui)
	addrItem, addr := field(lang.X("settings.address", "Shop address"), sh.Address, "", ui)
	taxItem, tax := field(lang.X("setup.tax_number", "Unified social credit code"), sh.TaxNumber, "91350100M000100Y43", ui)
	return partForm{items: []*widget.FormItem{nameItem, addrItem, taxItem}, entries: []*widget.Entry{name, addr, tax},
		save: func(by models.Operator) error {
			return svc.SaveShop(context.Background(), models.ShopDetails{Name: name.Text, Address: addr.Text, TaxNumber: tax.Text}, by)
		}}
}

// acquirerForm is the link to the acquirer: host, CA, TID, MID and the
// terminal master key, as its two custodians type its components and their
// check values (never shown back; none typed keeps the key loaded).
func acquirerForm(ui *UI, svc SetupService, ca *caChoice) partForm {
	a, _ := svc.Acquirer(context.Background())
	ca.pem = a.CA
	hint := lang.X("setup.acquirer_hint", "From the papers your acquirer gave you: the host's address, its CA certificate, your terminal ID and merchant ID. Then each of the acquirer's two key custodians types their component of the master key and its check value. Without them the till sells for cash; tap Later to set them another time.")
	addrItem, addr := field(lang.X("setup.host", "Host address"), a.Addr, "pos.acquirer.cn:8583", ui)
	tidItem, tid := field(lang.X("setup.tid", "Terminal ID"), a.TID, "12345678", ui)
	midItem, mid := field(lang.X("setup.mid", "Merchant ID"), a.MID, "898310012345678", ui)
	ca.label = widget.NewLabel("")
	ca.label.Wrapping = fyne.TextWrapWord
	ca.show()
	choose := widget.NewButtonWithIcon(lang.X("setup.ca_choose", "Choose the CA file"), theme.FolderOpenIcon(), ca.choose)
	caItem := widget.NewFormItem(lang.X("setup.ca", "Acquirer's CA"), container.NewVBox(ca.label, container.NewHBox(tall(choose, 52))))
	items := []*widget.FormItem{addrItem, caItem, tidItem, midItem}
	entries := []*widget.Entry{addr, tid, mid}
	var keys, checks [2]*widget.Entry
	for i := range keys {
		var keyItem, checkItem *widget.FormItem
		keyItem, keys[i] = componentField(ui, i+1, a.KeyCheck != "")
		checkItem, checks[i] = field(lang.X("setup.check_value", "Check value {{.N}}", map[string]any{"N": i + 1}), "",
			lang.X("setup.check_value_hint", "6 hexadecimal digits"), ui)
		items = append(items, keyItem, checkItem)
		entries = append(entries, keys[i], checks[i])
	}
	return partForm{hint: hint, items: items, entries: entries, wide: true,
		save: func(by models.Operator) error {
			return svc.SaveAcquirer(context.Background(), models.AcquirerLink{Addr: addr.Text, CA: ca.pem, TID: tid.Text, MID: mid.Text,
				Key1: keys[0].Text, Check1: checks[0].Text, Key2: keys[1].Text, Check2: checks[1].Text}, by)
		}}
}

// componentField is the entry of the master key's component n, hidden as
// it is typed, spaces left out; beneath it, how many digits are typed and,
// once they are all there, the check value the terminal computes of them,
// for the custodian to compare with the paper before saving. loaded says a
// master key is loaded already.
func componentField(ui *UI, n int, loaded bool) (*widget.FormItem, *widget.Entry) {
	e := widget.NewEntry()
	e.Password = true
	e.SetPlaceHolder(lang.X("setup.component_hint", "32 hexadecimal digits"))
	if loaded {
		e.SetPlaceHolder(lang.X("setup.component_kept", "Loaded; empty keeps it"))
	}
	note := widget.NewLabel("")
	note.Wrapping = fyne.TextWrapWord
	show := func(text string) {
		note.Text, note.Importance, note.TextStyle = componentNote(text)
		note.Refresh()
	}
	show("")
	e.OnChanged = func(text string) {
		// Spaces, as a paper groups the digits, are left out: each dot
		// shown is a digit, and 32 of them fit the entry.
		if digits, col := withoutSpaces(text, e.CursorColumn); digits != text {
			e.SetText(digits) // says the change again, without them
			e.CursorColumn = col
			e.Refresh()
			return
		}
		show(text)
	}
	ui.watchEntry(e)
	label := lang.X("setup.component", "Master key component {{.N}}", map[string]any{"N": n})
	return widget.NewFormItem(label, container.NewVBox(e, note)), e
}

// withoutSpaces is text without its white space, and col (a cursor's
// place in text, in runes) as the same place in it.
func withoutSpaces(text string, col int) (string, int) {
	var out []rune
	at := 0
	for i, r := range []rune(text) {
		if i == col {
			at = len(out)
		}
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	if col >= len([]rune(text)) {
		at = len(out)
	}
	return string(out), at
}

// componentNote says what is typed of a component, and how: before the
// first digit, where its check value will show; then how many of its
// digits are typed; once it is whole, its check value, in bold.
func componentNote(typed string) (string, widget.Importance, fyne.TextStyle) {
	digits := strings.Join(strings.Fields(typed), "")
	if kcv, ok := acquirer.ComponentCheck(digits); ok {
		return lang.X("setup.component_check", "Check value of what you typed: {{.Check}}", map[string]any{"Check": kcv}),
			widget.MediumImportance, fyne.TextStyle{Bold: true}
	}
	if digits == "" {
		return lang.X("setup.component_check_later", "Its check value shows here once it is typed"), widget.LowImportance, fyne.TextStyle{}
	}
	if len(digits) > 2*acquirer.MasterKeySize || strings.TrimLeft(digits, "0123456789abcdefABCDEF") != "" {
		return lang.X("setup.component_not_hex", "Not a component: 32 hexadecimal digits (0–9, A–F)"), widget.DangerImportance, fyne.TextStyle{}
	}
	return lang.XN("setup.component_typed", "{{.N}} of 32 digits typed", len(digits), map[string]any{"N": len(digits)}),
		widget.MediumImportance, fyne.TextStyle{}
}

// qrForm is the QR merchant account for WeChat Pay, Alipay and UnionPay.
func qrForm(ui *UI, svc SetupService) partForm {
	q, _ := svc.QRMerchant(context.Background())
	hint := lang.X("setup.qr_hint", "Your QR merchant account for WeChat Pay, Alipay and UnionPay, as your acquirer gave it.")
	guidItem, guid := field(lang.X("setup.qr_guid", "QR identifier"), q.GUID, "A000000333010101", ui)
	midItem, mid := field(lang.X("setup.qr_mid", "QR merchant ID"), q.MerchantID, "898310012345678", ui)
	mccItem, mcc := field(lang.X("setup.mcc", "Merchant category code"), q.MCC, "5411", ui)
	return partForm{hint: hint, items: []*widget.FormItem{guidItem, midItem, mccItem}, entries: []*widget.Entry{guid, mid, mcc},
		save: func(by models.Operator) error {
			return svc.SaveQRMerchant(context.Background(), models.QRAccount{GUID: guid.Text, MerchantID: mid.Text, MCC: mcc.Text}, by)
		}}
}

// caChoice is the acquirer's CA certificate chosen from a file, named by
// its subject.
type caChoice struct {
	ui    *UI
	pem   []byte
	label *widget.Label
	onErr func(string) // says why a file could not be read
}

// Use takes the certificate (PEM), as choosing its file does.
func (c *caChoice) Use(data []byte) {
	c.pem = data
	c.show()
}

// show names the certificate chosen.
func (c *caChoice) show() {
	if c.label == nil {
		return
	}
	if len(c.pem) == 0 {
		c.label.SetText(lang.X("setup.ca_none", "None chosen (needed unless the host is this machine)"))
		return
	}
	c.label.SetText(caName(c.pem))
}

// caName names a CA certificate (PEM) by its subject, or says it is none.
func caName(data []byte) string {
	if b, _ := pem.Decode(data); b != nil && b.Type == "CERTIFICATE" {
		if cert, err := x509.ParseCertificate(b.Bytes); err == nil {
			return cert.Subject.String()
		}
	}
	return lang.X("setup.ca_unreadable", "A file that is not a certificate")
}

// choose opens a file dialog for the certificate.
func (c *caChoice) choose() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, 1<<20))
		if err != nil {
			c.onErr(Message(err))
			return
		}
		c.Use(data)
	}, c.ui.Window)
	d.Show()
}
