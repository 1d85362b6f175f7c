package screens

// The first-run setup: a new shop's database opens on these steps instead
// of the sell screen. Each step is checked whole and stored when the next is
// shown; the acquirer, the QR merchant account and the devices may wait
// ("Later"), and card and QR payments say so until they are set. Every
// choice can be changed afterwards in Settings.

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"io"

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

// SetupService makes the shop's setup; *setup.Setup is one.
type SetupService interface {
	Shop(ctx context.Context) (models.ShopDetails, error)
	SaveShop(ctx context.Context, s models.ShopDetails) error
	Acquirer(ctx context.Context) (models.AcquirerLink, error)
	SaveAcquirer(ctx context.Context, a models.AcquirerLink) error
	// Owner is the owner's name, "" before there is one; SaveOwner makes
	// the first owner, the code typed twice.
	Owner(ctx context.Context) (string, error)
	SaveOwner(ctx context.Context, name, code, again string) error
	QRMerchant(ctx context.Context) (models.QRAccount, error)
	SaveQRMerchant(ctx context.Context, q models.QRAccount) error
	Finish(ctx context.Context) error
}

// Setup is the first-run setup's screen.
type Setup struct {
	ui      *UI
	svc     SetupService
	devices SetupDevices
	// SetLanguage switches the interface language and shows the setup
	// again in it.
	SetLanguage func(lang string)
	// OnDone is called once the setup has ended.
	OnDone func()

	step    int
	body    *fyne.Container
	title   *widget.Label
	msg     *canvas.Text
	next    *widget.Button
	back    *widget.Button
	later   *widget.Button
	actions *fyne.Container
	save    func() error // stores the step shown
	caPEM   []byte
	caLabel *widget.Label
	first   *widget.Entry // the step's first entry, focused for a keyboard
	tests   []*deviceTest // the step's device tests, stopped when it goes
	content fyne.CanvasObject
}

// The steps of the setup.
const (
	setupWelcome = iota
	setupShop
	setupOwner
	setupAcquirer
	setupQR
	setupDevices
	setupDone
)

// NewSetup builds the setup screen at its first step; devices chooses and
// tests the printer, the card reader and the fingerprint reader.
func NewSetup(ui *UI, svc SetupService, devices SetupDevices) *Setup {
	s := &Setup{ui: ui, svc: svc, devices: devices}
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameHeadingText
	s.msg = canvas.NewText("", theme.Color(theme.ColorNameError))
	s.body = container.NewStack()
	s.back = widget.NewButtonWithIcon(lang.X("setup.back", "Back"), theme.NavigateBackIcon(), func() { s.show(s.step - 1) })
	s.later = widget.NewButton(lang.X("setup.later", "Later"), func() { s.show(s.step + 1) })
	s.next = widget.NewButtonWithIcon(lang.X("setup.next", "Next"), theme.NavigateNextIcon(), s.Next)
	s.next.Importance = widget.HighImportance
	s.actions = widgets.NewActions(64, s.back, s.later, s.next)
	s.content = container.NewBorder(container.NewVBox(container.NewPadded(s.title), widget.NewSeparator()),
		container.NewVBox(container.NewPadded(s.msg), s.actions), nil, nil, ui.vscroll(container.NewPadded(s.body)))
	s.show(setupWelcome)
	return s
}

// Content is the screen's root object.
func (s *Setup) Content() fyne.CanvasObject { return s.content }

// Step is the step shown, for tests: 0 welcome, 1 shop, 2 owner, 3
// acquirer, 4 QR merchant, 5 devices, 6 done.
func (s *Setup) Step() int { return s.step }

// Message is the error shown, for tests.
func (s *Setup) Message() string { return s.msg.Text }

// Next stores the step shown and goes on; on the last, ends the setup.
func (s *Setup) Next() {
	s.ui.Touch()
	if s.save != nil {
		if err := s.save(); err != nil {
			s.showMsg(Message(err))
			return
		}
	}
	if s.step == setupDone {
		if err := s.svc.Finish(context.Background()); err != nil {
			s.showMsg(Message(err))
			return
		}
		if s.OnDone != nil {
			s.OnDone()
		}
		return
	}
	s.show(s.step + 1)
}

func (s *Setup) showMsg(text string) {
	s.msg.Text = text
	s.msg.Refresh()
}

// show puts step on screen with what is stored of it.
func (s *Setup) show(step int) {
	for _, t := range s.tests {
		t.Stop() // a card still awaited on the step left
	}
	s.tests = nil
	s.step = step
	s.save = nil
	s.first = nil
	s.showMsg("")
	s.back.Show()
	s.later.Hide()
	s.next.SetText(lang.X("setup.next", "Next"))
	var o fyne.CanvasObject
	switch step {
	case setupWelcome:
		s.back.Hide()
		o = s.welcome()
	case setupShop:
		o = s.shopStep()
	case setupOwner:
		o = s.ownerStep()
	case setupAcquirer:
		s.later.Show()
		o = s.acquirerStep()
	case setupQR:
		s.later.Show()
		o = s.qrStep()
	case setupDevices:
		s.later.Show()
		o = s.devicesStep()
	default:
		s.next.SetText(lang.X("setup.start", "Start selling"))
		o = s.doneStep()
	}
	s.body.Objects = []fyne.CanvasObject{o}
	s.body.Refresh()
	s.actions.Refresh() // the buttons shown and hidden
	if s.first != nil {
		s.ui.Window.Canvas().Focus(s.first) // a physical keyboard types at once; Tab goes on
	}
}

func (s *Setup) welcome() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.welcome_title", "Welcome to Till"))
	text := widget.NewLabel(lang.X("setup.welcome", "A few steps set Till up for your shop: its name, its owner, your acquirer, your QR merchant account and the devices. Cash sales work as soon as the shop has a name; card and QR payments once your acquirer is set. Everything can be changed later in Settings."))
	text.Wrapping = fyne.TextWrapWord
	var langs []fyne.CanvasObject
	for _, c := range []struct{ code, name string }{{"zh", "简体中文"}, {"en", "English"}} {
		b := widget.NewButton(c.name, func() {
			if s.SetLanguage != nil {
				s.SetLanguage(c.code)
			}
		})
		if c.code == s.ui.Shop.Lang {
			b.Importance = widget.HighImportance
		}
		langs = append(langs, b)
	}
	return container.NewVBox(text, choices(langs...))
}

// field is an entry with its label, for a step's form.
func field(label, value, placeholder string, ui *UI) (*widget.FormItem, *widget.Entry) {
	e := widget.NewEntry()
	e.SetText(value)
	e.SetPlaceHolder(placeholder)
	ui.watchEntry(e)
	return widget.NewFormItem(label, e), e
}

// form is a step's form with the on-screen keyboard beneath, typing into
// the entry last tapped.
func (s *Setup) form(items []*widget.FormItem, entries ...*widget.Entry) fyne.CanvasObject {
	s.first = entries[0]
	kbd := onScreenKeyboard(s.ui, entries...)
	return container.NewVBox(widget.NewForm(items...), container.NewHBox(kbd.toggle), container.NewCenter(kbd.keys))
}

func (s *Setup) shopStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.shop_title", "Your shop"))
	sh, _ := s.svc.Shop(context.Background())
	nameItem, name := field(lang.X("setup.shop_name", "Shop name"), sh.Name, lang.X("setup.shop_name_hint", "As receipts print it"), s.ui)
	addrItem, addr := field(lang.X("settings.address", "Shop address"), sh.Address, "", s.ui)
	taxItem, tax := field(lang.X("setup.tax_number", "Unified social credit code"), sh.TaxNumber, "91350100M000100Y43", s.ui)
	s.save = func() error {
		return s.svc.SaveShop(context.Background(), models.ShopDetails{Name: name.Text, Address: addr.Text, TaxNumber: tax.Text})
	}
	return s.form([]*widget.FormItem{nameItem, addrItem, taxItem}, name, addr, tax)
}

func (s *Setup) ownerStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.owner_title", "The owner"))
	if name, _ := s.svc.Owner(context.Background()); name != "" {
		l := widget.NewLabel(lang.X("setup.owner_made", "{{.Name}} is the shop's owner, and signs in with the code set. The owner adds the staff in Settings.", map[string]any{"Name": name}))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	hint := widget.NewLabel(lang.X("setup.owner_hint", "The owner may do everything, adds the staff and says who may do what. The code is 6 to 8 digits, none easy to guess; it is kept only as a hash and never shown again."))
	hint.Wrapping = fyne.TextWrapWord
	nameItem, name := field(lang.X("setup.owner_name", "Owner's name"), "", "", s.ui)
	codeItem, code := field(lang.X("setup.owner_code", "Code"), "", lang.X("setup.owner_code_hint", "6 to 8 digits"), s.ui)
	againItem, again := field(lang.X("setup.owner_again", "Code again"), "", "", s.ui)
	code.Password, again.Password = true, true
	s.save = func() error {
		return s.svc.SaveOwner(context.Background(), name.Text, code.Text, again.Text)
	}
	return container.NewVBox(hint, s.form([]*widget.FormItem{nameItem, codeItem, againItem}, name, code, again))
}

func (s *Setup) acquirerStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.acquirer_title", "Your acquirer"))
	a, _ := s.svc.Acquirer(context.Background())
	s.caPEM = a.CA
	hint := widget.NewLabel(lang.X("setup.acquirer_hint", "From the papers your acquirer gave you: the host's address, its CA certificate, your terminal ID, merchant ID and MAC key. Without them the till sells for cash; tap Later to set them another time."))
	hint.Wrapping = fyne.TextWrapWord
	addrItem, addr := field(lang.X("setup.host", "Host address"), a.Addr, "pos.acquirer.cn:8583", s.ui)
	tidItem, tid := field(lang.X("setup.tid", "Terminal ID"), a.TID, "12345678", s.ui)
	midItem, mid := field(lang.X("setup.mid", "Merchant ID"), a.MID, "898310012345678", s.ui)
	keyHint := lang.X("setup.mac_key_hint", "32 hexadecimal digits")
	if a.TID != "" {
		keyHint = lang.X("setup.mac_key_kept", "Kept as set; type a new one to change it")
	}
	keyItem, key := field(lang.X("setup.mac_key", "MAC key"), "", keyHint, s.ui)
	key.Password = true
	s.caLabel = widget.NewLabel("")
	s.caLabel.Wrapping = fyne.TextWrapWord
	s.showCA()
	choose := widget.NewButtonWithIcon(lang.X("setup.ca_choose", "Choose the CA file"), theme.FolderOpenIcon(), s.chooseCA)
	caItem := widget.NewFormItem(lang.X("setup.ca", "Acquirer's CA"), container.NewVBox(s.caLabel, container.NewHBox(tall(choose, 52))))
	s.save = func() error {
		return s.svc.SaveAcquirer(context.Background(), models.AcquirerLink{Addr: addr.Text, CA: s.caPEM, TID: tid.Text, MID: mid.Text, MACKey: key.Text})
	}
	return container.NewVBox(hint, s.form([]*widget.FormItem{addrItem, caItem, tidItem, midItem, keyItem}, addr, tid, mid, key))
}

// UseCA takes the acquirer's CA certificate (PEM), as choosing its file
// does.
func (s *Setup) UseCA(data []byte) {
	s.caPEM = data
	s.showCA()
}

// showCA names the CA certificate chosen.
func (s *Setup) showCA() {
	if s.caLabel == nil {
		return
	}
	if len(s.caPEM) == 0 {
		s.caLabel.SetText(lang.X("setup.ca_none", "None chosen (needed unless the host is this machine)"))
		return
	}
	name := lang.X("setup.ca_unreadable", "A file that is not a certificate")
	if b, _ := pem.Decode(s.caPEM); b != nil && b.Type == "CERTIFICATE" {
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			name = c.Subject.String()
		}
	}
	s.caLabel.SetText(name)
}

// chooseCA opens a file dialog for the CA certificate.
func (s *Setup) chooseCA() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, 1<<20))
		if err != nil {
			s.showMsg(Message(err))
			return
		}
		s.UseCA(data)
	}, s.ui.Window)
	d.Show()
}

func (s *Setup) qrStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.qr_title", "QR payments"))
	q, _ := s.svc.QRMerchant(context.Background())
	hint := widget.NewLabel(lang.X("setup.qr_hint", "Your QR merchant account for WeChat Pay, Alipay and UnionPay, as your acquirer gave it."))
	hint.Wrapping = fyne.TextWrapWord
	guidItem, guid := field(lang.X("setup.qr_guid", "QR identifier"), q.GUID, "A000000333010101", s.ui)
	midItem, mid := field(lang.X("setup.qr_mid", "QR merchant ID"), q.MerchantID, "898310012345678", s.ui)
	mccItem, mcc := field(lang.X("setup.mcc", "Merchant category code"), q.MCC, "5411", s.ui)
	s.save = func() error {
		return s.svc.SaveQRMerchant(context.Background(), models.QRAccount{GUID: guid.Text, MerchantID: mid.Text, MCC: mcc.Text})
	}
	return container.NewVBox(hint, s.form([]*widget.FormItem{guidItem, midItem, mccItem}, guid, mid, mcc))
}

func (s *Setup) doneStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.done_title", "Ready"))
	ctx := context.Background()
	sh, _ := s.svc.Shop(ctx)
	a, _ := s.svc.Acquirer(ctx)
	q, _ := s.svc.QRMerchant(ctx)
	line := func(ok bool, yes, no string) fyne.CanvasObject {
		icon, text := theme.ConfirmIcon(), yes
		if !ok {
			icon, text = theme.WarningIcon(), no
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, l)
	}
	owner, _ := s.svc.Owner(ctx)
	lines := container.NewVBox(
		line(sh.Name != "", lang.X("setup.done_shop", "{{.Name}} sells for cash", map[string]any{"Name": sh.Name}), ""),
		line(owner != "", lang.X("setup.done_owner", "{{.Name}} signs in as the owner", map[string]any{"Name": owner}), ""),
		line(a.TID != "", lang.X("setup.done_cards", "Card payments through {{.Host}}", map[string]any{"Host": a.Addr}),
			lang.X("setup.no_cards", "Card payments wait for the acquirer: set it in Settings")),
		line(q.MerchantID != "", lang.X("setup.done_qr", "QR payments for merchant {{.MID}}", map[string]any{"MID": q.MerchantID}),
			lang.X("setup.no_qr", "QR payments wait for the QR merchant account: set it in Settings")))
	for _, l := range s.devicesDone(line) {
		lines.Add(l)
	}
	return lines
}
