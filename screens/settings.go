package screens

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/screens/widgets"
)

// SettingsDeps is what the settings screen changes. A nil part hides its
// section.
type SettingsDeps struct {
	// SetLanguage stores the chosen language and rebuilds the UI in it.
	SetLanguage func(lang string)
	Staff       Staff
	StaffAdmin  StaffAdmin       // nil hides the staff
	AutoLock    AutoLock         // nil hides the setting
	Discount    DiscountLimits   // nil hides the setting
	Stock       StockPolicy      // nil hides the setting
	Printer     PrinterSetup     // nil hides the printer
	Serial      SerialPorts      // nil hides the serial ports
	Cards       CardSetup        // nil without card payments
	Scan        ScanSettings     // nil hides the wedge scanner's settings
	Merchant    QRMerchant       // nil hides the names on QR codes
	Permissions PermissionsAdmin // nil hides who may do what
	Setup       SetupService     // nil hides the shop, its acquirer and QR account
	// Devices tests the card reader and the fingerprint reader, as the
	// setup does; nil hides the Test buttons.
	Devices SetupDevices
	// Backups makes encrypted backups; nil hides them.
	Backups Backups
	// Risk is the risk alerts' rules; nil hides them.
	Risk RiskRules
	// Catalog imports and exports the catalog as CSV; nil hides it.
	Catalog CatalogFiles
	// Training enters and leaves training mode; nil hides it.
	Training Training
	// Updates is the signed update channel; nil hides it.
	Updates UpdateChannel
}

// AutoLock is the idle time before the till locks; *staff.Staff is one.
type AutoLock interface {
	// AutoLockMinutes is the idle time before the till locks; 0 never locks.
	AutoLockMinutes() int
	// SetAutoLockMinutes stores it, set by by, and applies it at once.
	SetAutoLockMinutes(ctx context.Context, minutes int, by models.Operator) error
}

// DiscountLimits is the cashier discount limit; *sales.Sales is one.
type DiscountLimits interface {
	DiscountLimit() int64
	// SetDiscountLimit stores the discount limit, authorized by manager.
	SetDiscountLimit(ctx context.Context, bp int64, manager models.Operator) error
}

// StockPolicy is whether the shop sells more of a product than is in
// stock; *sales.Sales is one.
type StockPolicy interface {
	// AllowBelowZero is true when it does, with a warning.
	AllowBelowZero() bool
	// SetAllowBelowZero stores it, authorized by manager.
	SetAllowBelowZero(ctx context.Context, allow bool, manager models.Operator) error
}

// PrinterSetup is the printer's and the receipt's settings;
// *printing.Printing is one.
type PrinterSetup interface {
	Settings() receipt.PrinterSettings
	// Configure checks and stores them, set by by.
	Configure(ctx context.Context, s receipt.PrinterSettings, by models.Operator) error
	// State is what is known of the printer from its last job or check,
	// and why that failed.
	State() (receipt.PrinterState, error)
	// Check asks the printer for its status after the jobs queued before,
	// and waits for the answer.
	Check(ctx context.Context) (receipt.PrinterState, error)
}

// SerialPorts chooses the serial ports of the fingerprint reader and the
// barcode scanner, taking effect at the next start; *ports.Devices is one.
type SerialPorts interface {
	// Ports lists the serial ports present now.
	Ports() ([]string, error)
	// Port is the port chosen for a device ("fingerprint" or "scanner"),
	// or "" for none.
	Port(device string) string
	// SetPort stores the port for a device ("" for none), chosen by by.
	SetPort(ctx context.Context, device, port string, by models.Operator) error
}

// CardSetup is the card reader and the card limits; *cardpay.Cards is one.
type CardSetup interface {
	// Readers lists the readers connected now; Reader is the one used.
	Readers(ctx context.Context) ([]string, error)
	Reader(ctx context.Context) (string, error)
	// ChooseReader remembers the reader to use, chosen by by.
	ChooseReader(ctx context.Context, name string, by models.Operator) error
	// Limits are the card limits in force; SetLimits stores new ones, set
	// by by.
	Limits() payments.CardLimits
	SetLimits(ctx context.Context, l payments.CardLimits, by models.Operator) error
	// CAKeys is the CA public key table offline data authentication uses;
	// LoadCAKeys replaces it with the file r, for by.
	CAKeys(ctx context.Context) (models.CAKeyTable, error)
	LoadCAKeys(ctx context.Context, r io.Reader, by models.Operator, terminalID string) (models.CAKeyTable, error)
}

// Settings shows the terminal's configuration and lets the owner choose the
// language. Light and dark follow the system.
type Settings struct {
	ui      *UI
	deps    SettingsDeps
	lock    *widget.Label
	scan    *fyne.Container // the wedge scanner's suffix and key gap
	readers *fyne.Container
	limits  *fyne.Container
	caKeys  *fyne.Container // the CA public key table and its load button
	// backupDialog is the backup dialog shown last.
	backupDialog *BackupDialog
	// catalogDialog is the catalog import or export dialog shown last.
	catalogDialog *CatalogDialog
	staff         *fyne.Container
	shop          *fyne.Container // the shop, its acquirer and QR merchant account
	// discLimit shows the cashier discount limit.
	discLimit *widget.Label
	// riskValues show the risk rules, in riskRuleList's order.
	riskValues []*widget.Label
	// dailyState says how the daily backup is; dailyDialog is its set-up
	// dialog shown last.
	dailyState  *widget.Label
	dailyDialog dialog.Dialog
	// update is the Updates section's changing parts.
	update *updateView
	// belowZero are the choices of selling below zero stock: allowed
	// (true) or not.
	belowZero map[bool]*widget.Button
	ports     map[string]*fyne.Container // by device
	reader    string                     // the card reader used
	tests     []*deviceTest              // the devices' tests
	langs     map[string]*widget.Button
	content   fyne.CanvasObject
}

// NewSettings builds the settings screen.
func NewSettings(ui *UI, deps SettingsDeps) *Settings {
	s := &Settings{ui: ui, deps: deps, langs: map[string]*widget.Button{}}
	s.content = s.build()
	return s
}

// Content is the screen's root object.
func (s *Settings) Content() fyne.CanvasObject { return s.content }

// allowed does a change of settings that needs p, as asAllowed does.
func (s *Settings) allowed(p models.Permission, title string, do func(by models.Operator)) {
	asAllowed(s.ui, s.deps.Staff, p, title, do)
}

// ChooseLanguage switches the UI to "zh" or "en".
func (s *Settings) ChooseLanguage(l string) {
	if l == s.ui.Shop.Lang || s.deps.SetLanguage == nil {
		return
	}
	s.deps.SetLanguage(l)
}

// settingsCell is the size of a choice button in Settings; rows of them
// wrap onto the next line on a narrow screen.
var settingsCell = fyne.NewSize(180, 52)

// choices lays out a setting's buttons, wrapping on a narrow screen.
func choices(buttons ...fyne.CanvasObject) *fyne.Container {
	return container.NewGridWrap(settingsCell, buttons...)
}

// withChange is a setting's value with a Change button beside it.
func withChange(value fyne.CanvasObject, change *widget.Button) fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, container.NewStack(strut(120, 52), change), value)
}

// section is a titled group of settings.
func section(title string, items ...*widget.FormItem) fyne.CanvasObject {
	return widget.NewCard(title, "", widget.NewForm(items...))
}

func (s *Settings) build() fyne.CanvasObject {
	var langs []fyne.CanvasObject
	for _, c := range []struct{ code, name string }{{"zh", "简体中文"}, {"en", "English"}} {
		b := widget.NewButton(c.name, func() { s.ChooseLanguage(c.code) })
		if c.code == s.ui.Shop.Lang {
			b.Importance = widget.HighImportance
		}
		s.langs[c.code] = b
		langs = append(langs, b)
	}
	taxMode := lang.X("settings.tax_inclusive", "Prices include VAT")
	if s.ui.Shop.TaxMode == "exclusive" {
		taxMode = lang.X("settings.tax_exclusive", "VAT is added to prices")
	}
	item := widget.NewFormItem
	label := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapBreak
		return l
	}
	sections := container.NewVBox(section(lang.X("settings.section_till", "This till"),
		item(lang.X("settings.language", "Language"), choices(langs...)),
		item(lang.X("settings.store", "Store"), s.storeRow()),
		item(lang.X("settings.terminal", "Terminal"), label(s.ui.Shop.TerminalID)),
		item(lang.X("settings.operator", "Operator"), label(s.ui.Operator().Name)),
		item(lang.X("settings.currency", "Currency"), label(string(s.ui.Shop.Currency))),
		item(lang.X("settings.tax", "Tax"), label(taxMode)),
		item(lang.X("settings.theme", "Theme"), label(lang.X("settings.theme_system", "Light or dark, as the system is set"))),
		item(lang.X("settings.database", "Database"), label(s.ui.Shop.DBPath)),
		item(lang.X("settings.version", "Version"), label(s.ui.Shop.Version)),
	))
	if s.deps.Setup != nil {
		s.shop = container.NewVBox()
		sections.Add(s.shop)
		s.showShop()
	}
	security := []*widget.FormItem{item(lang.X("settings.auto_lock", "Auto-lock after (minutes)"), s.autoLockRow())}
	if s.deps.Discount != nil {
		s.discLimit = widget.NewLabel(percentText(s.deps.Discount.DiscountLimit()))
		change := widget.NewButton(lang.X("settings.change", "Change"), s.AskDiscountLimit)
		security = append(security, item(lang.X("settings.discount_limit", "Cashier discount limit"), withChange(s.discLimit, change)))
	}
	sections.Add(section(lang.X("settings.section_security", "Security"), security...))
	if s.deps.Risk != nil {
		sections.Add(section(riskSectionTitle(), s.riskItems()...))
	}
	if s.deps.Backups != nil {
		sections.Add(section(lang.X("settings.section_backup", "Backup"), s.backupItems()...))
	}
	if s.deps.Catalog != nil {
		sections.Add(section(lang.X("settings.section_catalog", "Catalog"), s.catalogItems()...))
	}
	if s.deps.Stock != nil {
		sections.Add(section(lang.X("settings.section_stock", "Stock"),
			item(lang.X("settings.below_zero", "Selling below zero stock"), s.belowZeroRow())))
	}
	if s.deps.Printer != nil {
		sections.Add(section(lang.X("settings.section_printer", "Receipts and printer"), s.printerItems()...))
	}
	var devices []*widget.FormItem
	if s.deps.Serial != nil {
		s.ports = map[string]*fyne.Container{"fingerprint": choices(), "scanner": choices()}
		var finger fyne.CanvasObject = s.ports["fingerprint"]
		if s.deps.Devices != nil {
			ft := fingerTest(s.ui, s.deps.Devices, func() string { return s.deps.Serial.Port("fingerprint") })
			s.tests = append(s.tests, ft)
			finger = container.NewVBox(finger, ft.content)
		}
		devices = append(devices, item(lang.X("settings.finger_port", "Fingerprint reader"), finger),
			item(lang.X("settings.scanner_port", "Serial barcode scanner"), s.ports["scanner"]))
		s.RefreshPorts()
	}
	if s.deps.Scan != nil {
		s.scan = container.NewVBox()
		devices = append(devices, item(lang.X("settings.wedge", "Barcode scanner (keyboard)"), s.scan))
		s.showScan()
	}
	if s.deps.Cards != nil {
		s.readers = container.NewGridWrap(fyne.NewSize(240, 56))
		var readers fyne.CanvasObject = s.readers
		if s.deps.Devices != nil {
			rt := readerTest(s.ui, s.deps.Devices, func() string { return s.reader })
			s.tests = append(s.tests, rt)
			readers = container.NewVBox(readers, rt.content)
		}
		devices = append(devices, item(lang.X("settings.reader", "Card reader"), readers))
	}
	if len(devices) > 0 {
		sections.Add(section(lang.X("settings.section_devices", "Devices"), devices...))
	}
	if s.deps.Cards != nil {
		s.limits = container.NewVBox()
		s.caKeys = container.NewVBox()
		sections.Add(section(lang.X("settings.card_limits", "Card limits"), item("", s.limits),
			item(lang.X("settings.ca_keys", "CA public keys"), s.caKeys)))
		s.RefreshCards()
		s.showCAKeys()
	}
	if s.deps.StaffAdmin != nil {
		s.staff = container.NewVBox()
		sections.Add(section(lang.X("settings.staff", "Staff"), item("", s.staff)))
		s.RefreshStaff()
	}
	if s.deps.Permissions != nil {
		sections.Add(widget.NewCard(lang.X("settings.permissions", "Who may do what"), "", s.permissionsSection()))
	}
	if s.deps.Updates != nil {
		sections.Add(section(lang.X("settings.section_updates", "Updates"), s.updateItems()...))
	}
	// Last: the section bar's buttons before it keep their places.
	if s.deps.Training != nil {
		sections.Add(section(lang.X("settings.section_training", "Training mode"), s.trainingItems()...))
	}
	scroll := s.ui.vscroll(container.NewPadded(sections))
	return container.NewBorder(s.sectionBar(sections, scroll), nil, nil, nil, scroll)
}

// sectionBar is a row of a button per section that scrolls the settings
// to it: the page is long, and a finger should not have to swipe through
// every section to reach the staff.
func (s *Settings) sectionBar(sections *fyne.Container, scroll *container.Scroll) fyne.CanvasObject {
	bar := container.NewHBox()
	for _, o := range sections.Objects {
		title := ""
		switch v := o.(type) {
		case *widget.Card:
			title = v.Title
		case *fyne.Container:
			if v == s.shop {
				title = lang.X("settings.section_shop", "The shop")
			}
		}
		if title == "" {
			continue
		}
		b := widget.NewButton(title, func() {
			s.ui.Touch()
			scroll.ScrollToOffset(fyne.NewPos(0, o.Position().Y))
		})
		bar.Add(container.NewStack(strut(0, 52), b))
	}
	return container.NewHScroll(bar)
}

// showScan shows the wedge scanner's suffix (a button each for Enter and
// Tab, the one set highlighted) and its key gap with a button to change it.
func (s *Settings) showScan() {
	sc := s.deps.Scan
	gapMs := int(sc.ScanGap() / time.Millisecond)
	s.scan.Objects = nil
	var suffixes []fyne.CanvasObject
	for _, suffix := range []struct{ key, label string }{
		{models.ScanSuffixEnter, lang.X("settings.wedge_enter", "Ends with Enter")},
		{models.ScanSuffixTab, lang.X("settings.wedge_tab", "Ends with Tab")},
	} {
		b := widget.NewButton(suffix.label, func() {
			s.allowed(models.PermSettingsDevices, lang.X("settings.wedge", "Barcode scanner (keyboard)"), func(by models.Operator) {
				s.setScan(gapMs, suffix.key, by)
			})
		})
		if sc.ScanSuffix() == suffix.key {
			b.Importance = widget.HighImportance
		}
		suffixes = append(suffixes, b)
	}
	gap := widget.NewButton(lang.X("settings.wedge_gap", "Keys at most {{.N}} ms apart", map[string]any{"N": gapMs}), func() {
		title := lang.X("settings.wedge_gap_title", "Longest pause between a scanner's keys (ms)")
		s.allowed(models.PermSettingsDevices, title, func(by models.Operator) {
			newNumberDialog(s.ui, title, 0, strconv.Itoa(gapMs), func(in string) error {
				ms, err := models.ParseScanGap(in)
				if err != nil {
					return err
				}
				return s.setScan(ms, sc.ScanSuffix(), by)
			}).Show()
		})
	})
	s.scan.Add(choices(suffixes...))
	s.scan.Add(tall(gap, 52))
	s.scan.Refresh()
}

// setScan stores the wedge scanner's settings, set by by, and shows them.
func (s *Settings) setScan(gapMs int, suffix string, by models.Operator) error {
	if err := s.deps.Scan.SetScan(context.Background(), gapMs, suffix, by); err != nil {
		ShowError(s.ui.Window, err)
		return err
	}
	s.showScan()
	return nil
}

// autoLockRow shows the idle minutes before the till locks, with a button
// to change them; nothing without the setting.
func (s *Settings) autoLockRow() fyne.CanvasObject {
	s.lock = widget.NewLabel("")
	if s.deps.AutoLock == nil {
		return s.lock
	}
	s.showAutoLock()
	change := widget.NewButton(lang.X("settings.change", "Change"), s.askAutoLock)
	return withChange(s.lock, change)
}

func (s *Settings) showAutoLock() {
	m := s.deps.AutoLock.AutoLockMinutes()
	if m == 0 {
		s.lock.SetText(lang.X("settings.auto_lock_never", "Never"))
		return
	}
	s.lock.SetText(lang.X("settings.auto_lock_minutes", "{{.N}} min without activity", map[string]any{"N": m}))
}

// askAutoLock asks on the keypad for the idle minutes before the till
// locks (0: never) and stores them.
func (s *Settings) askAutoLock() {
	title := lang.X("settings.auto_lock_title", "Lock the till after how many idle minutes? (0: never)")
	s.allowed(models.PermSettingsSelling, title, func(by models.Operator) {
		nd := newNumberDialog(s.ui, title, 0, strconv.Itoa(s.deps.AutoLock.AutoLockMinutes()), func(in string) error {
			m, err := models.ParseAutoLock(in)
			if err != nil {
				return err
			}
			if err := s.deps.AutoLock.SetAutoLockMinutes(context.Background(), m, by); err != nil {
				return err
			}
			s.showAutoLock()
			return nil
		})
		nd.keypad.MaxLen = 4
		nd.Show()
	})
}

// StopTests cancels the devices' tests running, as when the screen is
// left.
func (s *Settings) StopTests() {
	for _, t := range s.tests {
		t.Stop()
	}
}

// AutoLockText is the auto-lock setting shown, for tests.
func (s *Settings) AutoLockText() string { return s.lock.Text }

// RefreshCards lists the card readers connected now and the card limits.
func (s *Settings) RefreshCards() {
	c := s.deps.Cards
	var names []string
	var chosen string
	var err error
	s.ui.Async(func() {
		ctx := context.Background()
		if names, err = c.Readers(ctx); err == nil {
			chosen, err = c.Reader(ctx)
		}
	}, func() {
		s.reader = chosen
		s.readers.Objects = nil
		if err != nil {
			s.readers.Add(widget.NewLabel(Message(err)))
		} else if len(names) == 0 {
			s.readers.Add(widget.NewLabel(lang.X("settings.no_reader", "No card reader is connected")))
		}
		for _, name := range names {
			b := widget.NewButton(name, func() {
				s.allowed(models.PermSettingsDevices, lang.X("settings.reader", "Card reader"), func(by models.Operator) {
					if err := c.ChooseReader(context.Background(), name, by); err != nil {
						ShowError(s.ui.Window, err)
					}
					s.RefreshCards()
				})
			})
			if name == chosen {
				b.Importance = widget.HighImportance
			}
			s.readers.Add(b)
		}
		again := widget.NewButtonWithIcon(lang.X("settings.readers_again", "Look again"), theme.ViewRefreshIcon(), s.RefreshCards)
		s.readers.Add(again)
		s.readers.Refresh()
		s.showLimits()
	})
}

// showLimits lists the card limits, each with a button to change it.
func (s *Settings) showLimits() {
	l := s.deps.Cards.Limits()
	s.limits.Objects = nil
	row := func(label string, v int64, set func(*payments.CardLimits, int64)) {
		text := widget.NewLabel(lang.X("settings.limit_row", "{{.Label}}: {{.Amount}}",
			map[string]any{"Label": label, "Amount": models.Money{Minor: v, Currency: s.ui.Shop.Currency}.String()}))
		change := widget.NewButton(lang.X("settings.change", "Change"), func() {
			s.allowed(models.PermSettingsPayments, label, func(by models.Operator) {
				newNumberDialog(s.ui, label, 2, models.FormatMinor(v), func(in string) error {
					amount, err := models.ParseMinor(in)
					if err != nil {
						return err
					}
					next := s.deps.Cards.Limits()
					set(&next, amount)
					if err := s.deps.Cards.SetLimits(context.Background(), next, by); err != nil {
						return err
					}
					s.showLimits()
					return nil
				}).Show()
			})
		})
		text.Wrapping = fyne.TextWrapWord
		s.limits.Add(withChange(text, change))
	}
	row(lang.X("settings.limit_no_cvm", "No PIN, no signature up to"), l.NoCVM, func(c *payments.CardLimits, v int64) { c.NoCVM = v })
	row(lang.X("settings.limit_contactless", "Contactless limit"), l.Contactless, func(c *payments.CardLimits, v int64) { c.Contactless = v })
	row(lang.X("settings.limit_floor", "Offline approval up to"), l.Floor, func(c *payments.CardLimits, v int64) { c.Floor = v })
	s.limits.Refresh()
}

// showCAKeys shows the CA public key table offline data authentication
// uses, with a button to load the acquirer's file.
func (s *Settings) showCAKeys() {
	var t models.CAKeyTable
	var err error
	s.ui.Async(func() {
		t, err = s.deps.Cards.CAKeys(context.Background())
	}, func() {
		s.caKeys.Objects = nil
		text := widget.NewLabel("")
		text.Wrapping = fyne.TextWrapWord
		switch {
		case err != nil:
			text.SetText(Message(err))
		case len(t.Keys) == 0:
			text.SetText(lang.X("settings.ca_keys_none", "None loaded: no card can be approved offline"))
		default:
			text.SetText(lang.XN("settings.ca_keys_loaded", "{{.Count}} keys: {{.Keys}}", len(t.Keys),
				map[string]any{"Count": len(t.Keys), "Keys": t.Summary()}))
		}
		load := widget.NewButtonWithIcon(lang.X("settings.ca_keys_load", "Load file"), theme.FolderOpenIcon(), s.AskCAKeyFile)
		s.caKeys.Add(withChange(text, load))
		s.caKeys.Refresh()
	})
}

// AskCAKeyFile loads the acquirer's CA public key file, chosen by someone
// allowed to change the payment settings.
func (s *Settings) AskCAKeyFile() {
	s.allowed(models.PermSettingsPayments, lang.X("settings.ca_keys", "CA public keys"), func(by models.Operator) {
		d := dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
			if err != nil {
				ShowError(s.ui.Window, err)
				return
			}
			if f == nil {
				return // cancelled
			}
			s.LoadCAKeys(f, by)
		}, s.ui.Window)
		d.Show()
	})
}

// LoadCAKeys replaces the CA public key table with the file r, for by, and
// closes r.
func (s *Settings) LoadCAKeys(r io.ReadCloser, by models.Operator) {
	var err error
	s.ui.Async(func() {
		defer r.Close()
		_, err = s.deps.Cards.LoadCAKeys(context.Background(), r, by, s.ui.Shop.TerminalID)
	}, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
		}
		s.showCAKeys()
	})
}

// CAKeysText is what the settings show of the CA public key table.
func (s *Settings) CAKeysText() string {
	for _, o := range s.caKeys.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				if l, ok := x.(*widget.Label); ok {
					return l.Text
				}
			}
		}
	}
	return ""
}

// AskDiscountLimit changes the cashier discount limit, typed as a percent
// on the keypad; someone allowed authorizes it first.
func (s *Settings) AskDiscountLimit() {
	set := func(m models.Operator) {
		title := lang.X("settings.discount_limit_title", "Cashier discount limit (%)")
		newNumberDialog(s.ui, title, 2, percentNumber(s.deps.Discount.DiscountLimit()), func(in string) error {
			bp, err := models.ParseMinor(in) // 10 or 12.5 (%) in basis points, as discounts are typed
			if err != nil {
				return err
			}
			if err := s.deps.Discount.SetDiscountLimit(context.Background(), bp, m); err != nil {
				return err
			}
			s.discLimit.SetText(percentText(bp))
			return nil
		}).Show()
	}
	s.allowed(models.PermSettingsSelling, lang.X("settings.discount_limit", "Cashier discount limit"), set)
}

// belowZeroRow is the choice of selling below zero stock: allowed, with a
// warning, or not; the one in force highlighted.
func (s *Settings) belowZeroRow() fyne.CanvasObject {
	s.belowZero = map[bool]*widget.Button{}
	var row []fyne.CanvasObject
	for _, c := range []struct {
		allow bool
		label string
	}{
		{true, lang.X("settings.below_zero_allow", "Allowed")},
		{false, lang.X("settings.below_zero_forbid", "Not allowed")},
	} {
		b := widget.NewButton(c.label, func() { s.AskAllowBelowZero(c.allow) })
		s.belowZero[c.allow] = b
		row = append(row, b)
	}
	s.showBelowZero()
	return choices(row...)
}

func (s *Settings) showBelowZero() {
	in := s.deps.Stock.AllowBelowZero()
	for allow, b := range s.belowZero {
		b.Importance = widget.MediumImportance
		if allow == in {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
}

// AskAllowBelowZero allows selling below zero stock, with a warning, or
// forbids it; someone allowed authorizes it first.
func (s *Settings) AskAllowBelowZero(allow bool) {
	if allow == s.deps.Stock.AllowBelowZero() {
		return
	}
	set := func(m models.Operator) {
		if err := s.deps.Stock.SetAllowBelowZero(context.Background(), allow, m); err != nil {
			ShowError(s.ui.Window, err)
		}
		s.showBelowZero()
	}
	s.allowed(models.PermSettingsSelling, lang.X("settings.below_zero", "Selling below zero stock"), set)
}

// AllowsBelowZero is the choice of selling below zero stock highlighted:
// "allowed", "forbidden", or "" without the setting; for tests.
func (s *Settings) AllowsBelowZero() string {
	switch {
	case s.belowZero == nil:
		return ""
	case s.belowZero[true].Importance == widget.HighImportance:
		return "allowed"
	case s.belowZero[false].Importance == widget.HighImportance:
		return "forbidden"
	}
	return ""
}

// printerItems set the receipt printer (its address, paper, QR and cut
// modes, Chinese mode) and what receipts say (address, header, footer,
// logo file). Each text is shown with an Edit button that opens it on the
// on-screen keyboard; header and footer take several lines. Every change
// is saved at once.
func (s *Settings) printerItems() []*widget.FormItem {
	ps := s.deps.Printer.Settings()
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	showStatus := func(state receipt.PrinterState, err error) {
		status.SetText(printerStateText(ps.URL, state, err))
	}
	showStatus(s.deps.Printer.State())
	check := widget.NewButtonWithIcon(lang.X("settings.printer_check", "Check"), theme.SearchIcon(), nil)
	check.OnTapped = func() {
		check.Disable()
		status.SetText(lang.X("settings.printer_checking", "Asking the printer…"))
		var state receipt.PrinterState
		var err error
		s.ui.Async(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			state, err = s.deps.Printer.Check(ctx)
		}, func() {
			check.Enable()
			showStatus(state, err)
		})
	}
	refresh := []func(){func() { showStatus(s.deps.Printer.State()) }}
	save := func(by models.Operator) error {
		if err := s.deps.Printer.Configure(context.Background(), ps, by); err != nil {
			return err
		}
		msg.Importance = widget.SuccessImportance
		msg.SetText(lang.X("settings.printer_saved", "Saved"))
		for _, r := range refresh {
			r()
		}
		return nil
	}
	// text is a text setting shown with an Edit button.
	text := func(title, placeholder string, multiline bool, field *string, trim bool) fyne.CanvasObject {
		value := widget.NewLabel("")
		value.Wrapping = fyne.TextWrapBreak
		show := func() {
			if *field == "" {
				value.SetText("—")
				return
			}
			value.SetText(*field)
		}
		show()
		refresh = append(refresh, show)
		edit := widget.NewButtonWithIcon(lang.X("settings.edit", "Edit"), theme.DocumentCreateIcon(), func() {
			s.allowed(models.PermSettingsDevices, title, func(by models.Operator) {
				newTextDialog(s.ui, title, *field, placeholder, multiline, func(in string) error {
					if trim {
						in = strings.TrimSpace(in)
					}
					before := *field
					*field = in
					if err := save(by); err != nil {
						*field = before
						return err
					}
					return nil
				}).Show(s.ui)
			})
		})
		return withChange(value, edit)
	}
	// choice is a row of buttons for one setting; the chosen one is
	// highlighted and choosing saves.
	choice := func(title string, get func() string, set func(string), options ...[2]string) fyne.CanvasObject {
		var row []fyne.CanvasObject
		buttons := map[string]*widget.Button{}
		for _, o := range options {
			b := widget.NewButton(o[1], func() {
				if o[0] == get() {
					return
				}
				s.allowed(models.PermSettingsDevices, title, func(by models.Operator) {
					before := get()
					set(o[0])
					if err := save(by); err != nil {
						set(before)
						ShowError(s.ui.Window, err)
					}
				})
			})
			buttons[o[0]] = b
			row = append(row, b)
		}
		mark := func() {
			for v, b := range buttons {
				b.Importance = widget.MediumImportance
				if v == get() {
					b.Importance = widget.HighImportance
				}
				b.Refresh()
			}
		}
		mark()
		refresh = append(refresh, mark)
		return choices(row...)
	}
	chinese := func() string {
		if ps.Chinese {
			return "on"
		}
		return "off"
	}
	item := widget.NewFormItem
	return []*widget.FormItem{
		item(lang.X("settings.printer", "Receipt printer"),
			text(lang.X("settings.printer", "Receipt printer"), "tcp://192.168.1.50:9100 · serial:///dev/ttyUSB0?baud=9600", false, &ps.URL, true)),
		item(lang.X("settings.paper", "Paper"), choice(lang.X("settings.paper", "Paper"), func() string { return ps.Paper }, func(v string) { ps.Paper = v }, [2]string{"58", "58 mm"}, [2]string{"80", "80 mm"})),
		item(lang.X("settings.qr_mode", "QR codes"), choice(lang.X("settings.qr_mode", "QR codes"), func() string { return ps.QR }, func(v string) { ps.QR = v },
			[2]string{"native", lang.X("settings.qr_native", "QR command")}, [2]string{"raster", lang.X("settings.qr_raster", "QR as image")})),
		item(lang.X("settings.cutter", "Cutter"), choice(lang.X("settings.cutter", "Cutter"), func() string { return ps.Cut }, func(v string) { ps.Cut = v },
			[2]string{"partial", lang.X("settings.cut_partial", "Partial cut")}, [2]string{"full", lang.X("settings.cut_full", "Full cut")},
			[2]string{"none", lang.X("settings.cut_none", "No cutter")})),
		item(lang.X("settings.chinese", "Chinese text"), choice(lang.X("settings.chinese", "Chinese text"), chinese, func(v string) { ps.Chinese = v == "on" },
			[2]string{"on", lang.X("settings.chinese_on", "Chinese mode")}, [2]string{"off", lang.X("settings.chinese_off", "No Chinese mode")})),
		item(lang.X("settings.address", "Shop address"), text(lang.X("settings.address", "Shop address"), "", false, &ps.Address, false)),
		item(lang.X("settings.header", "Receipt header"), text(lang.X("settings.header", "Receipt header"),
			lang.X("settings.lines_hint", "One line of the receipt per line"), true, &ps.Header, false)),
		item(lang.X("settings.footer", "Receipt footer"), text(lang.X("settings.footer", "Receipt footer"),
			lang.X("settings.lines_hint", "One line of the receipt per line"), true, &ps.Footer, false)),
		item(lang.X("settings.logo", "Logo file (PNG or JPEG)"), text(lang.X("settings.logo", "Logo file (PNG or JPEG)"), "/home/shop/logo.png", false, &ps.Logo, true)),
		item(lang.X("settings.printer_status", "Printer status"), withChange(status, check)),
		item("", msg),
	}
}

// printerStateText is what Settings says of the printer at url in state,
// failed with err.
func printerStateText(url string, state receipt.PrinterState, err error) string {
	switch {
	case url == "":
		return lang.X("settings.printer_none", "No printer set")
	case state == receipt.PrinterReady:
		return lang.X("settings.printer_ready", "Ready")
	case state == receipt.PrinterPaperLow:
		return lang.X("settings.printer_paper_low", "Ready; its paper roll is nearly used up")
	case state == receipt.PrinterStatusUnknown:
		return lang.X("settings.printer_status_unknown", "Status unknown: the printer does not answer status requests, so receipts are printed without asking it")
	case state == receipt.PrinterFailed && err != nil:
		return Message(err)
	}
	return lang.X("settings.printer_not_asked", "Not asked yet: nothing printed since the start or the last change")
}

// RefreshStaff lists the staff, by name and role (never their codes),
// with their enrolled fingers and buttons to edit them, give a new code,
// enrol a finger, set up or remove an owner's authenticator and see them
// leave, then the recent lock-outs.
func (s *Settings) RefreshStaff() {
	var staff []models.StaffMember
	var lockouts []models.Lockout
	var err, lockErr error
	s.ui.Async(func() {
		staff, err = s.deps.StaffAdmin.Staff(context.Background())
		lockouts, lockErr = s.deps.StaffAdmin.Lockouts(context.Background())
	}, func() {
		s.staff.Objects = nil
		addStaff := widget.NewButtonWithIcon(lang.X("staff.add", "Add staff"), theme.ContentAddIcon(), s.AskAddStaff)
		s.staff.Add(container.NewHBox(container.NewStack(strut(180, 52), addStaff)))
		if err != nil {
			s.staff.Add(widget.NewLabel(Message(err)))
		}
		for _, st := range staff {
			label := widget.NewLabel(lang.XN("settings.staff_fingers", "{{.Name}} · {{.Role}}: {{.N}} fingers", st.Fingers,
				map[string]any{"Name": st.Operator.Name, "Role": roleName(st.Operator.Role), "N": st.Fingers}))
			op := st.Operator
			enrol := widget.NewButtonWithIcon(lang.X("settings.enrol", "Enrol a finger"), theme.ContentAddIcon(), func() {
				enrolFinger(s.ui, s.deps.Staff, s.deps.StaffAdmin, op, s.RefreshStaff)
			})
			remove := widget.NewButtonWithIcon(lang.X("settings.remove_operator", "Remove from staff"), theme.DeleteIcon(), func() {
				s.AskRemoveOperator(op)
			})
			label.Wrapping = fyne.TextWrapWord
			if !s.deps.Staff.HasFingers() {
				enrol.Hide() // no reader to enrol on
			}
			edit := widget.NewButtonWithIcon(lang.X("settings.edit", "Edit"), theme.DocumentCreateIcon(), func() { s.AskEditStaff(op) })
			newCode := widget.NewButton(lang.X("staff.change_code", "New code"), func() { s.AskChangeCode(op) })
			s.staff.Add(widgets.NewSplit(0.5, label, widgets.NewActions(52, edit, newCode, enrol, remove)))
			if op.Role == models.RoleOwner {
				// An owner approves from afar with an authenticator's
				// codes: its button on a line of its own, so that the row
				// fits a portrait tablet.
				otp := widget.NewButton(lang.X("otp.setup", "Set up authenticator"), func() { s.AskSetUpOTP(op) })
				if st.OTP {
					otp = widget.NewButton(lang.X("otp.remove", "Remove authenticator"), func() { s.AskRemoveOTP(op) })
				}
				s.staff.Add(container.NewBorder(nil, nil, nil, container.NewStack(strut(240, 52), otp)))
			}
		}
		if lockErr != nil {
			s.staff.Add(widget.NewLabel(Message(lockErr)))
		}
		for _, l := range lockouts {
			line := widget.NewLabel(s.lockoutText(l))
			line.Wrapping = fyne.TextWrapWord
			s.staff.Add(line)
		}
		s.staff.Refresh()
	})
}

// lockoutText is a line on a lock-out: who (a terminal or an operator),
// after what, when, and until when if it still lasts.
func (s *Settings) lockoutText(l models.Lockout) string {
	who := lang.X("settings.lockout_terminal", "Terminal {{.ID}}", map[string]any{"ID": l.TerminalID})
	if l.OperatorID != 0 {
		who = l.Name
	}
	what := lang.X("settings.lockout_codes", "wrong codes")
	if l.Kind == models.TryFinger {
		what = lang.X("settings.lockout_fingers", "fingers not recognised")
	}
	data := map[string]any{"Who": who, "What": what, "At": l.LockedAt.Local().Format("01-02 15:04"),
		"Until": l.LockedUntil.Local().Format("15:04:05")}
	if l.LockedUntil.After(s.ui.now()) {
		return lang.X("settings.lockout_now", "Locked out: {{.Who}}, after {{.What}}, since {{.At}}, until {{.Until}}", data)
	}
	return lang.X("settings.lockout_past", "Locked out: {{.Who}}, after {{.What}}, at {{.At}}", data)
}

// AskRemoveOperator closes sign-in for op and deletes their fingers, once a
// manager authorizes it.
func (s *Settings) AskRemoveOperator(op models.Operator) {
	askManager(s.ui, s.deps.Staff, lang.X("settings.remove_title", "{{.Name}} leaves", map[string]any{"Name": op.Name}), func(m models.Operator) {
		text := lang.X("settings.remove_confirm", "{{.Name}} can no longer sign in, and their fingerprints are deleted from the reader and this terminal. Their past sales keep their name.",
			map[string]any{"Name": op.Name})
		s.ui.confirm(lang.X("settings.remove_title", "{{.Name}} leaves", map[string]any{"Name": op.Name}), text, func(ok bool) {
			if !ok {
				return
			}
			var err error
			s.ui.Async(func() {
				err = s.deps.StaffAdmin.RemoveOperator(context.Background(), op, m)
			}, func() {
				if err != nil {
					ShowError(s.ui.Window, err)
				}
				s.RefreshStaff()
			})
		})
	})
}

// RefreshPorts lists the serial ports for the fingerprint reader and the
// serial scanner, the chosen one highlighted; a choice applies at the next
// start.
func (s *Settings) RefreshPorts() {
	var ports []string
	var err error
	s.ui.Async(func() {
		ports, err = s.deps.Serial.Ports()
	}, func() {
		for device, row := range s.ports {
			row.Objects = nil
			chosen := s.deps.Serial.Port(device)
			options := append([]string{""}, ports...)
			if chosen != "" && !slices.Contains(options, chosen) {
				options = append(options, chosen) // chosen but not plugged in now
			}
			for _, p := range options {
				label := p
				if p == "" {
					label = lang.X("settings.port_none", "None")
				}
				b := widget.NewButton(label, func() {
					s.allowed(models.PermSettingsDevices, lang.X("settings.section_devices", "Devices"), func(by models.Operator) {
						if err := s.deps.Serial.SetPort(context.Background(), device, p, by); err != nil {
							ShowError(s.ui.Window, err)
							return
						}
						dialog.ShowInformation(lang.X("settings.port_saved_title", "Saved"),
							lang.X("settings.port_saved", "The new port is used from the next start of Till"), s.ui.Window)
						s.RefreshPorts()
					})
				})
				if p == chosen {
					b.Importance = widget.HighImportance
				}
				row.Add(b)
			}
			if err != nil {
				row.Add(widget.NewLabel(Message(err)))
			}
			row.Refresh()
		}
	})
}
