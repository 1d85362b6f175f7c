package screens

import (
	"context"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
)

// Settings shows the terminal's configuration and lets the owner choose the
// language. Light and dark follow the system.
type Settings struct {
	env     *Env
	lock    *widget.Label
	readers *fyne.Container
	limits  *fyne.Container
	staff   *fyne.Container
	// discLimit shows the cashier discount limit.
	discLimit *widget.Label
	ports     map[string]*fyne.Container // by device
	langs     map[string]*widget.Button
	content   fyne.CanvasObject
}

// NewSettings builds the settings screen.
func NewSettings(env *Env) *Settings {
	s := &Settings{env: env, langs: map[string]*widget.Button{}}
	s.content = s.build()
	return s
}

// Content is the screen's root object.
func (s *Settings) Content() fyne.CanvasObject { return s.content }

// ChooseLanguage switches the UI to "zh" or "en".
func (s *Settings) ChooseLanguage(l string) {
	if l == s.env.Shop.Lang || s.env.SetLanguage == nil {
		return
	}
	s.env.SetLanguage(l)
}

func (s *Settings) build() fyne.CanvasObject {
	langRow := container.NewHBox()
	for _, c := range []struct{ code, name string }{{"zh", "简体中文"}, {"en", "English"}} {
		b := widget.NewButton(c.name, func() { s.ChooseLanguage(c.code) })
		if c.code == s.env.Shop.Lang {
			b.Importance = widget.HighImportance
		}
		s.langs[c.code] = b
		langRow.Add(container.NewGridWrap(fyne.NewSize(200, 64), b))
	}
	taxMode := lang.X("settings.tax_inclusive", "Prices include VAT")
	if s.env.Shop.TaxMode == "exclusive" {
		taxMode = lang.X("settings.tax_exclusive", "VAT is added to prices")
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.X("settings.language", "Language"), langRow),
		widget.NewFormItem(lang.X("settings.store", "Store"), widget.NewLabel(s.env.Shop.Name)),
		widget.NewFormItem(lang.X("settings.terminal", "Terminal"), widget.NewLabel(s.env.Shop.TerminalID)),
		widget.NewFormItem(lang.X("settings.operator", "Operator"), widget.NewLabel(s.env.Shop.Operator.Name)),
		widget.NewFormItem(lang.X("settings.auto_lock", "Auto-lock after (minutes)"), s.autoLockRow()),
		widget.NewFormItem(lang.X("settings.currency", "Currency"), widget.NewLabel(string(s.env.Shop.Currency))),
		widget.NewFormItem(lang.X("settings.tax", "Tax"), widget.NewLabel(taxMode)),
		widget.NewFormItem(lang.X("settings.theme", "Theme"), widget.NewLabel(lang.X("settings.theme_system", "Light or dark, as the system is set"))),
		widget.NewFormItem(lang.X("settings.database", "Database"), widget.NewLabel(s.env.Shop.DBPath)),
		widget.NewFormItem(lang.X("settings.version", "Version"), widget.NewLabel(s.env.Shop.Version)),
	)
	if s.env.Sales != nil {
		s.discLimit = widget.NewLabel(percentText(s.env.Sales.DiscountLimit()))
		change := widget.NewButton(lang.X("settings.change", "Change"), s.AskDiscountLimit)
		form.Append(lang.X("settings.discount_limit", "Cashier discount limit"),
			container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(140, 52), change), s.discLimit))
	}
	if s.env.Printer != nil {
		form.Append(lang.X("settings.printer", "Receipt printer"), s.printerRow())
	}
	if s.env.Serial != nil {
		s.ports = map[string]*fyne.Container{"fingerprint": container.NewHBox(), "scanner": container.NewHBox()}
		form.Append(lang.X("settings.finger_port", "Fingerprint reader"), s.ports["fingerprint"])
		form.Append(lang.X("settings.scanner_port", "Serial barcode scanner"), s.ports["scanner"])
		s.RefreshPorts()
	}
	if s.env.Fingers != nil {
		s.staff = container.NewVBox()
		form.Append(lang.X("settings.fingers", "Staff fingerprints"), s.staff)
		s.RefreshStaff()
	}
	if s.env.Cards != nil {
		s.readers = container.NewHBox()
		form.Append(lang.X("settings.reader", "Card reader"), s.readers)
		s.limits = container.NewVBox()
		form.Append(lang.X("settings.card_limits", "Card limits"), s.limits)
		s.RefreshCards()
	}
	return container.NewVScroll(container.NewPadded(form))
}

// autoLockRow shows the idle minutes before the till locks, with a button
// to change them; nothing without the setting.
func (s *Settings) autoLockRow() fyne.CanvasObject {
	s.lock = widget.NewLabel("")
	if s.env.AutoLock == nil {
		return s.lock
	}
	s.showAutoLock()
	change := widget.NewButton(lang.X("settings.change", "Change"), s.askAutoLock)
	return container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(140, 52), change), s.lock)
}

func (s *Settings) showAutoLock() {
	m := s.env.AutoLock.Minutes()
	if m == 0 {
		s.lock.SetText(lang.X("settings.auto_lock_never", "Never"))
		return
	}
	s.lock.SetText(lang.X("settings.auto_lock_minutes", "{{.N}} min without activity", map[string]any{"N": m}))
}

// askAutoLock asks on the keypad for the idle minutes before the till
// locks (0: never) and stores them.
func (s *Settings) askAutoLock() {
	nd := newNumberDialog(s.env, lang.X("settings.auto_lock_title", "Lock the till after how many idle minutes? (0: never)"), 0,
		strconv.Itoa(s.env.AutoLock.Minutes()), func(in string) error {
			m, err := strconv.Atoi(in)
			if err != nil {
				return &models.Error{Code: models.EINVALID, Key: "error.auto_lock.range",
					Fallback: "Auto-lock is between 0 (never) and 1440 minutes"}
			}
			if err := s.env.AutoLock.SetMinutes(context.Background(), m); err != nil {
				return err
			}
			s.showAutoLock()
			return nil
		})
	nd.keypad.MaxLen = 4
	nd.Show()
}

// AutoLockText is the auto-lock setting shown, for tests.
func (s *Settings) AutoLockText() string { return s.lock.Text }

// RefreshCards lists the card readers connected now and the card limits.
func (s *Settings) RefreshCards() {
	c := s.env.Cards
	var names []string
	var chosen string
	var err error
	s.env.Async(func() {
		ctx := context.Background()
		if names, err = c.Readers(ctx); err == nil {
			chosen, err = c.Reader(ctx)
		}
	}, func() {
		s.readers.Objects = nil
		if err != nil {
			s.readers.Add(widget.NewLabel(Message(err)))
		} else if len(names) == 0 {
			s.readers.Add(widget.NewLabel(lang.X("settings.no_reader", "No card reader is connected")))
		}
		for _, name := range names {
			b := widget.NewButton(name, func() {
				if err := c.ChooseReader(context.Background(), name); err != nil {
					ShowError(s.env.Window, err)
				}
				s.RefreshCards()
			})
			if name == chosen {
				b.Importance = widget.HighImportance
			}
			s.readers.Add(container.NewGridWrap(fyne.NewSize(240, 56), b))
		}
		again := widget.NewButtonWithIcon(lang.X("settings.readers_again", "Look again"), theme.ViewRefreshIcon(), s.RefreshCards)
		s.readers.Add(container.NewGridWrap(fyne.NewSize(180, 56), again))
		s.readers.Refresh()
		s.showLimits()
	})
}

// showLimits lists the card limits, each with a button to change it.
func (s *Settings) showLimits() {
	l := s.env.Cards.Limits()
	s.limits.Objects = nil
	row := func(label string, v int64, set func(*CardLimits, int64)) {
		text := widget.NewLabel(label + ": " + models.Money{Minor: v, Currency: s.env.Shop.Currency}.String())
		change := widget.NewButton(lang.X("settings.change", "Change"), func() {
			newNumberDialog(s.env, label, 2, models.FormatMinor(v), func(in string) error {
				amount, err := models.ParseMinor(in)
				if err != nil {
					return err
				}
				next := s.env.Cards.Limits()
				set(&next, amount)
				if err := s.env.Cards.SetLimits(context.Background(), next); err != nil {
					return err
				}
				s.showLimits()
				return nil
			}).Show()
		})
		s.limits.Add(container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(140, 52), change), text))
	}
	row(lang.X("settings.limit_no_cvm", "No PIN, no signature up to"), l.NoCVM, func(c *CardLimits, v int64) { c.NoCVM = v })
	row(lang.X("settings.limit_contactless", "No tap from"), l.Contactless, func(c *CardLimits, v int64) { c.Contactless = v })
	row(lang.X("settings.limit_floor", "Offline approval up to"), l.Floor, func(c *CardLimits, v int64) { c.Floor = v })
	s.limits.Refresh()
}

// AskDiscountLimit changes the cashier discount limit, typed as a percent
// on the keypad; below manager, a manager authorizes it first.
func (s *Settings) AskDiscountLimit() {
	set := func(m models.Operator) {
		title := lang.X("settings.discount_limit_title", "Cashier discount limit (%)")
		newNumberDialog(s.env, title, 2, percentNumber(s.env.Sales.DiscountLimit()), func(in string) error {
			bp, err := models.ParseMinor(in) // 10 or 12.5 (%) in basis points, as discounts are typed
			if err != nil {
				return err
			}
			if err := s.env.Sales.SetDiscountLimit(context.Background(), bp, m); err != nil {
				return err
			}
			s.discLimit.SetText(percentText(bp))
			return nil
		}).Show()
	}
	if op := s.env.Shop.Operator; op.IsManager() {
		set(op)
		return
	}
	askManager(s.env, lang.X("settings.discount_limit", "Cashier discount limit"), set)
}

// printerRow sets the receipt printer (its address, paper, QR and cut
// modes, Chinese mode) and what receipts say (address, header, footer,
// logo file).
func (s *Settings) printerRow() fyne.CanvasObject {
	ps := s.env.Printer.Settings()
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(placeholder)
		return e
	}
	url := entry(ps.URL, "tcp://192.168.1.50:9100 · serial:///dev/ttyUSB0?baud=9600")
	address := entry(ps.Address, lang.X("settings.address", "Shop address"))
	header := entry(ps.Header, lang.X("settings.header", "Header lines (\\n between lines)"))
	footer := entry(ps.Footer, lang.X("settings.footer", "Footer lines (\\n between lines)"))
	logo := entry(ps.Logo, lang.X("settings.logo", "Logo file (PNG or JPEG)"))
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	var refresh []func()
	save := func() {
		ps.URL, ps.Address, ps.Header, ps.Footer, ps.Logo = strings.TrimSpace(url.Text), address.Text, header.Text, footer.Text, strings.TrimSpace(logo.Text)
		if err := s.env.Printer.Configure(context.Background(), ps); err != nil {
			msg.Importance = widget.DangerImportance
			msg.SetText(Message(err))
			return
		}
		msg.Importance = widget.SuccessImportance
		msg.SetText(lang.X("settings.printer_saved", "Saved"))
		for _, r := range refresh {
			r()
		}
	}
	// choice is a row of buttons for one setting; the chosen one is
	// highlighted and choosing saves.
	choice := func(get func() string, set func(string), options ...[2]string) fyne.CanvasObject {
		row := container.NewHBox()
		buttons := map[string]*widget.Button{}
		for _, o := range options {
			b := widget.NewButton(o[1], func() { set(o[0]); save() })
			buttons[o[0]] = b
			row.Add(container.NewGridWrap(fyne.NewSize(170, 52), b))
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
		return row
	}
	chinese := func() string {
		if ps.Chinese {
			return "on"
		}
		return "off"
	}
	saveBtn := widget.NewButtonWithIcon(lang.X("settings.printer_save", "Save"), theme.DocumentSaveIcon(), save)
	tall := func(o fyne.CanvasObject) fyne.CanvasObject {
		r := canvas.NewRectangle(color.Transparent)
		r.SetMinSize(fyne.NewSize(480, 52))
		return container.NewStack(r, o)
	}
	return container.NewVBox(tall(url),
		choice(func() string { return ps.Paper }, func(v string) { ps.Paper = v }, [2]string{"58", "58 mm"}, [2]string{"80", "80 mm"}),
		choice(func() string { return ps.QR }, func(v string) { ps.QR = v },
			[2]string{"native", lang.X("settings.qr_native", "QR command")}, [2]string{"raster", lang.X("settings.qr_raster", "QR as image")}),
		choice(func() string { return ps.Cut }, func(v string) { ps.Cut = v },
			[2]string{"partial", lang.X("settings.cut_partial", "Partial cut")}, [2]string{"full", lang.X("settings.cut_full", "Full cut")},
			[2]string{"none", lang.X("settings.cut_none", "No cutter")}),
		choice(chinese, func(v string) { ps.Chinese = v == "on" },
			[2]string{"on", lang.X("settings.chinese_on", "Chinese mode")}, [2]string{"off", lang.X("settings.chinese_off", "No Chinese mode")}),
		tall(address), tall(header), tall(footer), tall(logo),
		container.NewHBox(container.NewGridWrap(fyne.NewSize(160, 52), saveBtn)), msg)
}

// RefreshStaff lists the staff with their enrolled fingers and a button to
// enrol one.
func (s *Settings) RefreshStaff() {
	var staff []StaffFingers
	var err error
	s.env.Async(func() {
		staff, err = s.env.Fingers.Staff(context.Background())
	}, func() {
		s.staff.Objects = nil
		if err != nil {
			s.staff.Add(widget.NewLabel(Message(err)))
		}
		for _, st := range staff {
			label := widget.NewLabel(lang.X("settings.staff_fingers", "{{.Name}} ({{.Code}}): {{.N}} fingers",
				map[string]any{"Name": st.Operator.Name, "Code": st.Operator.Code, "N": st.Fingers}))
			op := st.Operator
			enrol := widget.NewButtonWithIcon(lang.X("settings.enrol", "Enrol a finger"), theme.ContentAddIcon(), func() {
				enrolFinger(s.env, op, s.RefreshStaff)
			})
			remove := widget.NewButtonWithIcon(lang.X("settings.remove_operator", "Leaves"), theme.DeleteIcon(), func() {
				s.AskRemoveOperator(op)
			})
			s.staff.Add(container.NewBorder(nil, nil, nil, container.NewHBox(container.NewGridWrap(fyne.NewSize(200, 52), enrol),
				container.NewGridWrap(fyne.NewSize(140, 52), remove)), label))
		}
		s.staff.Refresh()
	})
}

// AskRemoveOperator closes sign-in for op and deletes their fingers, once a
// manager authorizes it.
func (s *Settings) AskRemoveOperator(op models.Operator) {
	askManager(s.env, lang.X("settings.remove_title", "{{.Name}} leaves", map[string]any{"Name": op.Name}), func(m models.Operator) {
		text := lang.X("settings.remove_confirm", "{{.Name}} can no longer sign in, and their fingerprints are deleted from the reader and this terminal. Their past sales keep their name.",
			map[string]any{"Name": op.Name})
		dialog.ShowConfirm(lang.X("settings.remove_title", "{{.Name}} leaves", map[string]any{"Name": op.Name}), text, func(ok bool) {
			if !ok {
				return
			}
			var err error
			s.env.Async(func() {
				err = s.env.Fingers.RemoveOperator(context.Background(), op, m)
			}, func() {
				if err != nil {
					ShowError(s.env.Window, err)
				}
				s.RefreshStaff()
			})
		}, s.env.Window)
	})
}

// RefreshPorts lists the serial ports for the fingerprint reader and the
// serial scanner, the chosen one highlighted; a choice applies at the next
// start.
func (s *Settings) RefreshPorts() {
	var ports []string
	var err error
	s.env.Async(func() {
		ports, err = s.env.Serial.Ports()
	}, func() {
		for device, row := range s.ports {
			row.Objects = nil
			chosen := s.env.Serial.Port(device)
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
					if err := s.env.Serial.SetPort(context.Background(), device, p); err != nil {
						ShowError(s.env.Window, err)
						return
					}
					dialog.ShowInformation(lang.X("settings.port_saved_title", "Saved"),
						lang.X("settings.port_saved", "The new port is used from the next start of Till"), s.env.Window)
					s.RefreshPorts()
				})
				if p == chosen {
					b.Importance = widget.HighImportance
				}
				row.Add(container.NewGridWrap(fyne.NewSize(170, 52), b))
			}
			if err != nil {
				row.Add(widget.NewLabel(Message(err)))
			}
			row.Refresh()
		}
	})
}
