package screens

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/screens/widgets"
)

// Deps are the services the screens use, each screen's through its own
// small interface. A nil part hides what needs it.
type Deps struct {
	Catalog Catalog
	// Sales serves the sell, cash, orders and day-end screens, and cancels
	// an order left awaiting payment; *sales.Sales is one.
	Sales interface {
		SellService
		CashSales
		OrderService
		DayEndService
		// CancelOrder gives up an order stored awaiting a card or QR
		// payment that did not go through.
		CancelOrder(ctx context.Context, id uint) error
	}
	Staff    Staff
	Settings SettingsDeps
	Host     HostLink     // nil without an acquirer
	Cards    CardPayments // nil when card payments cannot be taken
	// Signatures keeps cardholders' electronic signatures; nil: they sign
	// the paper merchant copy.
	Signatures Signatures
	// Audit reads the audit trail; nil: no viewer.
	Audit AuditService
	// Exports writes CSV files for the accountant; nil: none.
	Exports Exports
	// Reports reads the owner's reports; nil: none.
	Reports ReportService
	QR      QRPayments // nil when QR payments cannot be taken
	// Members is the stored-value programme; nil without a fingerprint
	// reader. *members.Members is one.
	Members interface {
		MemberService
		BalancePayments
	}
	Printer Printer // nil: nothing prints
	// Drawer opens the cash drawer for a member's balance paid out; nil:
	// no drawer.
	Drawer Drawer
	// MemberReports reads the members' report, opened from the reports;
	// nil: none. *members.Members is one.
	MemberReports MemberReports
	// Slips prints the settlement slip and waits for the printer; nil:
	// nothing prints.
	Slips SlipPrinter
	// Scan is the keyboard-wedge scanner's timing and suffix; nil: the
	// defaults.
	Scan ScanSettings
	// Shifts opens and closes shifts and takes the Z report; nil: no
	// shift screen. *shifts.Shifts is one.
	Shifts ShiftService
	// SignOut ends the operator's shift and shows the login screen.
	SignOut func()
	// Updates offers a new version at close of day; nil: none.
	// *update.Installer is one.
	Updates UpdateInstall
}

// Shell is the window's frame: a top bar with the shop, the navigation and
// the operator, and the current screen below it. It moves between screens.
type Shell struct {
	deps     Deps
	ui       *UI
	Sell     *Sell
	Orders   *Orders
	DayEnd   *DayEnd
	Shift    *ShiftScreen // nil without Deps.Shifts
	Settings *Settings
	Members  *MembersScreen // nil without a fingerprint reader
	// Pay and Receipt are the screens of the sale being paid, if any.
	Pay  *PayCash
	Card *PayCard
	QR   *PayQR
	// Sign is the cardholder's signature screen of the card payment just
	// approved, until it is signed.
	Sign *Sign
	// Audit is the audit trail viewer, once opened.
	Audit *Audit
	// Reports is the reports screen, once opened.
	Reports *Reports
	// MemberReport is the members' report, once opened from the reports.
	MemberReport *MemberReport
	Receipt      *Receipt

	alert   *notice // a risk alert, over everything
	nav     map[string]*widget.Button
	op      *widget.Button
	sync    *canvas.Text
	body    *fyne.Container
	content fyne.CanvasObject
	current string
}

// NewShell builds every screen and shows the sell screen.
func NewShell(ui *UI, deps Deps) *Shell {
	s := &Shell{ui: ui, deps: deps, nav: map[string]*widget.Button{}}
	s.Sell = NewSell(ui, deps.Catalog, deps.Sales, deps.Staff)
	s.Sell.OnPay = s.ShowPay
	if deps.Scan != nil {
		s.Sell.UseScanSettings(deps.Scan)
	}
	s.Orders = NewOrders(ui, deps.Sales, deps.Staff, deps.Printer)
	s.DayEnd = NewDayEnd(ui, deps.Sales, deps.Host, deps.Staff, deps.Slips, deps.Exports)
	if deps.Audit != nil {
		s.DayEnd.OnAudit = s.ShowAudit
	}
	if deps.Reports != nil {
		s.DayEnd.OnReports = s.ShowReports
	}
	if deps.Updates != nil {
		s.DayEnd.UseUpdates(deps.Updates)
	}
	if deps.Shifts != nil {
		s.Shift = NewShiftScreen(ui, deps.Shifts, deps.Staff, deps.Slips)
		s.DayEnd.OnShift = s.ShowShift
	}
	s.Settings = NewSettings(ui, deps.Settings)
	if deps.Members != nil {
		s.Members = NewMembersScreen(ui, deps.Members, deps.Staff)
		s.Members.OnTopUp = s.ShowPay
		s.Members.Printer, s.Members.Drawer = deps.Printer, deps.Drawer
	}
	s.body = container.New(screenLayout{})
	s.alert = newNotice(ui)
	// In training mode the training banner runs across the top of the
	// bar, over every screen.
	s.content = s.alert.over(WithTrainingBanner(ui, container.New(shellLayout{}, append(s.topBar(), s.body)...)))
	s.ShowSell()
	return s
}

// Content is the window's root object.
func (s *Shell) Content() fyne.CanvasObject { return s.content }

// Screen is the screen shown, without the frame.
func (s *Shell) Screen() fyne.CanvasObject {
	if len(s.body.Objects) == 0 {
		return nil
	}
	return s.body.Objects[0]
}

// Current names the screen shown: "sell", "pay", "receipt", "orders" or "settings".
func (s *Shell) Current() string { return s.current }

func (s *Shell) topBar() []fyne.CanvasObject {
	title := canvas.NewText(lang.X("app.title", "Till"), theme.Color(theme.ColorNamePrimary))
	title.TextSize = 24
	title.TextStyle = fyne.TextStyle{Bold: true}
	shop := canvas.NewText(s.ui.Shop.Name+" · "+s.ui.Shop.TerminalID, theme.Color(theme.ColorNameForeground))
	shop.TextSize = theme.CaptionTextSize()
	navButton := func(key, label string, icon fyne.Resource, show func()) fyne.CanvasObject {
		b := widget.NewButtonWithIcon(label, icon, show)
		s.nav[key] = b
		return container.NewStack(strut(100, 52), b)
	}
	nav := []fyne.CanvasObject{
		navButton("sell", lang.X("nav.sell", "Sell"), theme.HomeIcon(), s.ShowSell),
		navButton("orders", lang.X("nav.orders", "Orders"), theme.ListIcon(), s.ShowOrders),
	}
	if s.deps.Members != nil {
		nav = append(nav, navButton("members", lang.X("nav.members", "Members"), theme.AccountIcon(), s.ShowMembers))
	}
	nav = append(nav,
		navButton("dayend", lang.X("nav.dayend", "Day end"), theme.DocumentIcon(), s.ShowDayEnd),
		navButton("settings", lang.X("nav.settings", "Settings"), theme.SettingsIcon(), s.ShowSettings))
	op := widget.NewButtonWithIcon(s.operatorText(), theme.LogoutIcon(), s.SignOut)
	s.op = op
	op.Importance = widget.LowImportance
	op.IconPlacement = widget.ButtonIconTrailingText
	s.sync = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.sync.TextSize = theme.CaptionTextSize()
	s.sync.Alignment = fyne.TextAlignTrailing
	// The shop under the title, the sync status under the operator: two
	// short lines keep the bar narrow enough for a 1024-wide tablet.
	brand := container.NewVBox(title, shop)
	status := container.NewVBox(op, s.sync)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	return []fyne.CanvasObject{bg, brand, widgets.NewActions(52, nav...), status, widget.NewSeparator()}
}

// strut is an invisible object that holds a minimum size open.
func strut(w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}

func (s *Shell) show(name string, o fyne.CanvasObject) {
	if name != "settings" && s.Settings != nil {
		s.Settings.StopTests() // a card still awaited in Settings
	}
	s.current = name
	s.body.Objects = []fyne.CanvasObject{o}
	s.body.Refresh()
	for key, b := range s.nav {
		if key == name || (key == "sell" && (name == "pay" || name == "receipt")) {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	s.ui.Window.Canvas().Unfocus()
	s.setKeyHooks()
	s.ui.Touch()
}

// setKeyHooks routes the keys typed while nothing has focus: a
// keyboard-wedge scanner's to the sell screen or the QR screen; every key
// counts as activity.
func (s *Shell) setKeyHooks() {
	var onRune func(rune)
	var onKey func(*fyne.KeyEvent)
	switch {
	case s.current == "sell":
		onRune, onKey = s.Sell.TypedRune, s.Sell.TypedKey
	case s.current == "pay" && s.QR != nil:
		onRune, onKey = s.QR.TypedRune, s.QR.TypedKey
	}
	c := s.ui.Window.Canvas()
	c.SetOnTypedRune(func(r rune) {
		s.ui.Touch()
		if onRune != nil {
			onRune(r)
		}
	})
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		s.ui.Touch()
		if onKey != nil {
			onKey(ev)
		}
	})
}

// Busy reports whether a payment is in progress, which nothing may
// interrupt.
func (s *Shell) Busy() bool {
	return (s.Pay != nil && s.Pay.busy) || (s.Card != nil && s.Card.busy) || (s.QR != nil && s.QR.busy) || s.Sign != nil
}

// Suspend stops the keys typed from reaching the screens, while the till
// is locked.
func (s *Shell) Suspend() {
	c := s.ui.Window.Canvas()
	c.Unfocus()
	c.SetOnTypedRune(nil)
	c.SetOnTypedKey(nil)
}

// Resume gives the keys back to the screen shown, once the till is unlocked.
func (s *Shell) Resume() {
	s.setKeyHooks()
	s.ui.Touch()
}

// OperatorChanged shows the operator now signed in (Env.Shop.Operator)
// in the top bar and the settings.
func (s *Shell) OperatorChanged() {
	s.op.SetText(s.operatorText())
	s.Settings.StopTests()
	s.Settings = NewSettings(s.ui, s.deps.Settings)
	if s.current == "settings" {
		s.show("settings", s.Settings.Content())
	}
}

func (s *Shell) operatorText() string {
	return lang.X("nav.operator", "Operator: {{.Name}}", map[string]any{"Name": s.ui.Operator().Name})
}

// SignOut ends the operator's shift, after a warning when payments are not
// yet reported to the acquirer.
func (s *Shell) SignOut() {
	if s.deps.SignOut == nil {
		return
	}
	ConfirmUnsynced(s.ui, s.deps.Host, lang.X("unsynced.sign_out", "Sign out anyway?"), s.deps.SignOut)
}

// ShowSell shows the sell screen. While a sale is being paid, Sell goes back
// to the pay screen, so a paid order is never left behind. Leaving the
// payment screens gives up an order a payment attempt stored awaiting
// payment, as going back to the cart does.
func (s *Shell) ShowSell() {
	if s.Pay != nil && s.Pay.busy {
		s.show("pay", s.Pay.Content())
		return
	}
	if s.Card != nil && s.Card.busy {
		s.show("pay", s.Card.Content())
		return
	}
	if s.QR != nil && s.QR.busy {
		s.show("pay", s.QR.Content())
		return
	}
	s.dropPayment()
	s.show("sell", s.Sell.Content())
}

// dropPayment closes the payment screens; an order one of them stored
// awaiting payment is cancelled (a balance that paid part of it is given
// back).
func (s *Shell) dropPayment() {
	seen := map[uint]bool{}
	for _, o := range s.payingOrders() {
		if o.ID != 0 && o.Status == models.OrderAwaiting && !seen[o.ID] {
			seen[o.ID] = true
			s.cancelAwaiting(o.ID)
		}
	}
	s.Pay, s.Card, s.QR = nil, nil, nil
}

// payingOrders are the orders of the payment screens open.
func (s *Shell) payingOrders() []*models.Order {
	var out []*models.Order
	if s.Pay != nil {
		out = append(out, s.Pay.order)
	}
	if s.Card != nil {
		out = append(out, s.Card.order)
	}
	if s.QR != nil {
		out = append(out, s.QR.order)
	}
	return out
}

// cancelAwaiting gives up the order id stored awaiting payment.
func (s *Shell) cancelAwaiting(id uint) {
	var err error
	s.ui.Async(func() {
		err = s.deps.Sales.CancelOrder(context.Background(), id)
	}, func() { ShowError(s.ui.Window, err) })
}

// ShowPay opens the cash screen for o, with a way to pay by card instead.
func (s *Shell) ShowPay(o *models.Order) {
	s.Card, s.QR = nil, nil
	s.Pay = NewPayCash(s.ui, s.deps.Sales, o)
	s.Pay.OnCancel = func() { s.backToOrder(o) }
	s.Pay.OnPaid = s.ShowReceipt
	if s.deps.Cards != nil {
		s.Pay.OnCard = s.ShowPayCard
	}
	if s.deps.QR != nil {
		s.Pay.OnQR = s.ShowPayQR
	}
	switch {
	case s.deps.Cards == nil && s.deps.QR == nil:
		// No acquirer yet: the shop sees what it is missing.
		s.Pay.cardsOff(lang.X("pay.cards_off", "Card and QR payments are off until the acquirer is set up in Settings"))
	case s.deps.Cards == nil:
		s.Pay.cardButton.Hide()
	case s.deps.QR == nil:
		s.Pay.qrButton.Hide()
	}
	if s.deps.Members != nil && o.TopUpMemberID == 0 {
		s.Pay.OnMember = func(o *models.Order) { payByMember(s.ui, s.deps.Members, o, s.ShowReceipt, s.ShowPay) }
	} else {
		s.Pay.memberButton.Hide()
	}
	s.show("pay", s.Pay.Content())
}

// Scanned takes a code from a serial barcode scanner: a payment code on
// the QR screen, a product's barcode on the sell screen; elsewhere it is
// ignored.
func (s *Shell) Scanned(code string) {
	s.ui.Touch()
	switch {
	case s.current == "pay" && s.QR != nil:
		s.QR.ChargeCode(code)
	case s.current == "sell":
		s.Sell.Scan(code)
	}
}

// ShowPayQR opens the QR screen for o; a scanner's digits go to it.
func (s *Shell) ShowPayQR(o *models.Order) {
	s.Card = nil
	s.QR = NewPayQR(s.ui, s.deps.QR, o)
	s.QR.OnPaid = s.ShowReceipt
	s.QR.OnOtherTender = s.ShowPay
	s.show("pay", s.QR.Content())
}

// ShowPayCard opens the card screen for o.
func (s *Shell) ShowPayCard(o *models.Order) {
	s.QR = nil
	s.Card = NewPayCard(s.ui, s.deps.Cards, o)
	s.Card.OnPaid = s.ShowReceipt
	if s.deps.Signatures != nil {
		s.Card.OnSign = s.ShowSign
	}
	s.Card.OnOtherTender = s.ShowPay
	s.show("pay", s.Card.Content())
	if len(s.ui.demoCards()) == 0 {
		s.Card.Start("")
	}
}

// backToOrder returns to the cart (or the members, for a top-up) from a
// payment screen. An order a declined card attempt stored is cancelled (it
// keeps its number); the cart still holds its items.
func (s *Shell) backToOrder(o *models.Order) {
	if o.TopUpMemberID != 0 {
		s.dropPayment()
		s.ShowMembers()
		return
	}
	s.ShowSell()
}

// ShowSign has the cardholder sign payment paymentID of o, just approved,
// then shows its receipt.
func (s *Shell) ShowSign(o *models.Order, paymentID uint) {
	s.Pay, s.Card, s.QR = nil, nil, nil
	s.Sign = NewSign(s.ui, s.deps.Signatures, o, paymentID)
	s.Sign.OnDone = s.ShowReceipt
	s.show("pay", s.Sign.Content())
}

// ShowReceipt shows the receipt of a paid order and clears the cart.
func (s *Shell) ShowReceipt(o *models.Order) {
	s.Pay, s.Card, s.QR, s.Sign = nil, nil, nil, nil
	if o.TopUpMemberID == 0 { // a top-up is not the cart's order
		s.Sell.NewSale()
	}
	s.Receipt = NewReceipt(s.ui, o)
	if s.deps.Printer != nil {
		s.deps.Printer.Receipt(o, false)
	}
	s.Receipt.OnNewSale = s.ShowSell
	s.show("receipt", s.Receipt.Content())
}

// ShowMembers shows the members.
func (s *Shell) ShowMembers() {
	if s.Members == nil || s.Busy() {
		return
	}
	s.Members.Refresh()
	s.show("members", s.Members.Content())
}

// ShowOrders shows today's orders.
func (s *Shell) ShowOrders() {
	if s.Busy() {
		return
	}
	s.Orders.Refresh()
	s.show("orders", s.Orders.Content())
}

// ShowAudit opens the audit trail viewer for someone allowed the reports
// (the operator signed in, or a manager asked for).
func (s *Shell) ShowAudit() {
	if s.deps.Audit == nil || s.Busy() {
		return
	}
	asAllowed(s.ui, s.deps.Staff, models.PermReports, lang.X("audit.title", "Audit trail"), func(by models.Operator) {
		s.Audit = NewAudit(s.ui, s.deps.Audit, by)
		s.show("dayend", s.Audit.Content())
	})
}

// ShowReports opens the reports for someone allowed them (the operator
// signed in, or a manager asked for), showing today.
func (s *Shell) ShowReports() {
	if s.deps.Reports == nil || s.Busy() {
		return
	}
	asAllowed(s.ui, s.deps.Staff, models.PermReports, lang.X("report.title", "Reports"), func(by models.Operator) {
		s.Reports = NewReports(s.ui, s.deps.Reports, s.deps.Slips, by)
		s.Reports.ShiftStart = s.shiftStart()
		if s.deps.MemberReports != nil {
			s.Reports.OnMembers = func(days int, last time.Time) { s.showMemberReport(by, days, last) }
		}
		s.Reports.Refresh()
		s.show("dayend", s.Reports.Content())
	})
}

// shiftStart is when the open shift opened, for a report of the shift so
// far; nil without shifts.
func (s *Shell) shiftStart() func(context.Context) (time.Time, error) {
	shifts := s.deps.Shifts
	if shifts == nil {
		return nil
	}
	return func(ctx context.Context) (time.Time, error) {
		x, err := shifts.XReport(ctx)
		return x.Shift.OpenedAt, err
	}
}

// showMemberReport opens the members' report of the period of days days
// ending with last, for by (allowed the reports), from the reports.
func (s *Shell) showMemberReport(by models.Operator, days int, last time.Time) {
	if s.deps.MemberReports == nil || s.Busy() {
		return
	}
	s.MemberReport = NewMemberReport(s.ui, s.deps.MemberReports, by, days, last)
	s.MemberReport.ShiftStart = s.shiftStart()
	if s.Reports != nil {
		reports := s.Reports
		s.MemberReport.OnBack = func() { s.show("dayend", reports.Content()) }
	}
	s.MemberReport.Refresh()
	s.show("dayend", s.MemberReport.Content())
}

// ShowDayEnd shows the end-of-day screen.
func (s *Shell) ShowDayEnd() {
	if s.Busy() {
		return
	}
	s.DayEnd.Refresh()
	s.show("dayend", s.DayEnd.Content())
}

// ShowShift shows the shift and close-of-day screen, under Day end.
func (s *Shell) ShowShift() {
	if s.Shift == nil || s.Busy() {
		return
	}
	s.Shift.Refresh()
	s.show("dayend", s.Shift.Content())
}

// ShowSettings shows the settings.
func (s *Shell) ShowSettings() {
	if s.Busy() {
		return
	}
	s.show("settings", s.Settings.Content())
}

// SetSyncStatus shows how many payments the acquirer has not yet been told
// of and when it last was, or that it cannot be reached.
func (s *Shell) SetSyncStatus(pending int64, last time.Time, connected bool) {
	when := "—"
	if !last.IsZero() {
		when = last.Local().Format("15:04")
	}
	switch {
	case !connected:
		s.setSync(lang.X("sync.offline", "Acquirer offline · {{.Pending}} unsynced", map[string]any{"Pending": pending}))
	case pending == 0:
		s.setSync(lang.X("sync.done", "All synced · {{.Time}}", map[string]any{"Time": when}))
	default:
		s.setSync(lang.X("sync.pending", "{{.Pending}} unsynced · last {{.Time}}", map[string]any{"Pending": pending, "Time": when}))
	}
	if s.current == "orders" {
		s.Orders.RefreshShown()
	}
}

func (s *Shell) setSync(text string) {
	s.sync.Text = text
	s.sync.Refresh()
}

// SyncStatus is the sync status shown, for tests.
func (s *Shell) SyncStatus() string { return s.sync.Text }

// RiskAlert shows a risk alert over whatever screen is shown (it is in the
// audit trail already): rule a, about subject.
func (s *Shell) RiskAlert(a payments.RiskAlert, subject string) {
	s.alert.Tell(noticeError, riskMessage(a, subject, s.ui.Shop.Currency))
}

// Alert is the risk alert shown, or "".
func (s *Shell) Alert() string { return s.alert.Text() }

// riskMessage is what a risk alert says, in the user's language.
func riskMessage(a payments.RiskAlert, subject string, c models.Currency) string {
	args := map[string]any{"Count": a.Count, "Limit": a.Limit, "Subject": subject,
		"Amount": models.Money{Minor: a.Amount, Currency: c}.String(), "Cap": models.Money{Minor: a.Limit, Currency: c}.String()}
	var text string
	switch a.Rule {
	case payments.RiskUndos:
		text = lang.X("risk.alert_undos", "{{.Count}} voids and refunds in this shift by one person ({{.Subject}}); the limit is {{.Limit}}", args)
	case payments.RiskDeclines:
		text = lang.X("risk.alert_declines", "Card {{.Subject}} declined {{.Count}} times within an hour", args)
	case payments.RiskOffline:
		text = lang.X("risk.alert_offline", "Offline approvals near their cap: {{.Count}} held, {{.Amount}} of {{.Cap}}; connect to the acquirer", args)
	case payments.RiskLargeSale:
		text = lang.X("risk.alert_large_sale", "Sale {{.Subject}} of {{.Amount}} is far above the usual ticket", args)
	case payments.RiskDrawerOpens:
		text = lang.X("risk.alert_drawer", "The drawer was opened without a sale {{.Count}} times in this shift ({{.Subject}})", args)
	default:
		text = string(a.Rule)
	}
	return lang.X("risk.alert", "Risk alert: {{.Text}}", map[string]any{"Text": text})
}
