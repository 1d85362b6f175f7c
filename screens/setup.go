package screens

// The first-run setup: a new shop's database opens on these steps instead
// of the sell screen. Each step is checked whole and stored when the next is
// shown; the acquirer, the QR merchant account and the devices may wait
// ("Later"), and card and QR payments say so until they are set. Every
// choice can be changed afterwards in Settings.

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// SetupService makes the shop's setup; *setup.Setup is one.
type SetupService interface {
	Shop(ctx context.Context) (models.ShopDetails, error)
	// The Save methods check and store a part, changed by by: nobody (the
	// zero Operator) while the first-run setup runs.
	SaveShop(ctx context.Context, s models.ShopDetails, by models.Operator) error
	Acquirer(ctx context.Context) (models.AcquirerLink, error)
	SaveAcquirer(ctx context.Context, a models.AcquirerLink, by models.Operator) error
	// Owner is the owner's name, "" before there is one; SaveOwner makes
	// the first owner, the code typed twice.
	Owner(ctx context.Context) (string, error)
	SaveOwner(ctx context.Context, name, code, again string) error
	QRMerchant(ctx context.Context) (models.QRAccount, error)
	SaveQRMerchant(ctx context.Context, q models.QRAccount, by models.Operator) error
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
	save    func() error  // stores the step shown
	ca      *caChoice     // the acquirer's CA, on its step
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

func (s *Setup) shopStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.shop_title", "Your shop"))
	return s.part(shopForm(s.ui, s.svc))
}

// part shows a part's form as a step: its hint, its fields and the
// on-screen keyboard; Next stores it, as nobody, while the setup runs.
func (s *Setup) part(f partForm) fyne.CanvasObject {
	s.save = func() error { return f.save(models.Operator{}) }
	s.first = f.entries[0]
	return f.content(s.ui)
}

func (s *Setup) ownerStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.owner_title", "The owner"))
	if name, _ := s.svc.Owner(context.Background()); name != "" {
		l := widget.NewLabel(lang.X("setup.owner_made", "{{.Name}} is the shop's owner, and signs in with the code set. The owner adds the staff in Settings.", map[string]any{"Name": name}))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	hint := lang.X("setup.owner_hint", "The owner may do everything, adds the staff and says who may do what. The code is 6 to 8 digits, none easy to guess; it is kept only as a hash and never shown again.")
	nameItem, name := field(lang.X("setup.owner_name", "Owner's name"), "", "", s.ui)
	codeItem, code := field(lang.X("setup.owner_code", "Code"), "", lang.X("setup.owner_code_hint", "6 to 8 digits"), s.ui)
	againItem, again := field(lang.X("setup.owner_again", "Code again"), "", "", s.ui)
	code.Password, again.Password = true, true
	return s.part(partForm{hint: hint, items: []*widget.FormItem{nameItem, codeItem, againItem}, entries: []*widget.Entry{name, code, again},
		save: func(models.Operator) error {
			return s.svc.SaveOwner(context.Background(), name.Text, code.Text, again.Text)
		}})
}

func (s *Setup) acquirerStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.acquirer_title", "Your acquirer"))
	s.ca = &caChoice{ui: s.ui, onErr: s.showMsg}
	return s.part(acquirerForm(s.ui, s.svc, s.ca))
}

// UseCA takes the acquirer's CA certificate (PEM), as choosing its file
// does.
func (s *Setup) UseCA(data []byte) {
	if s.ca != nil {
		s.ca.Use(data)
	}
}

func (s *Setup) qrStep() fyne.CanvasObject {
	s.title.SetText(lang.X("setup.qr_title", "QR payments"))
	return s.part(qrForm(s.ui, s.svc))
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
