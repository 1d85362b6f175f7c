package screens

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/screens/widgets"
)

// MemberService runs the shop's stored-value programme as the members
// screen uses it; *members.Members is one.
type MemberService interface {
	// Find lists the active members whose name or masked phone contains text.
	Find(ctx context.Context, text string) ([]models.Member, error)
	// Add stores a new member, enrolled by by; the phone is kept masked.
	Add(ctx context.Context, name, phone string, by models.Operator) (models.Member, error)
	// Enroll reads the member's finger three times (step told 1, 2, 3),
	// with their consent, and keeps it.
	Enroll(ctx context.Context, m models.Member, step func(n int)) error
	// TopUp is an order that puts amount on m's balance once paid.
	TopUp(m models.Member, amount int64) (*models.Order, error)
	// LinkCard reads a tapped card and, once m places their finger (asked
	// for by fingerNow), links it by its token to m, for by; it returns
	// the masked card number.
	LinkCard(ctx context.Context, m models.Member, by models.Operator, fingerNow func()) (string, error)
	// Remove ends m's membership and deletes their fingers, by by.
	Remove(ctx context.Context, m models.Member, by models.Operator) error
	// PayOut pays m's whole balance out in cash from the open shift's
	// drawer, by by (who needs models.PermMemberPayout).
	PayOut(ctx context.Context, m models.Member, by models.Operator) (models.MemberPayout, error)
}

// Drawer is the cash drawer, opened through the receipt printer;
// *printing.Printing is one.
type Drawer interface {
	// OpenDrawer kicks the drawer open, or says why it cannot.
	OpenDrawer() error
}

// MembersScreen lists the shop's members, finds them by name or phone, and
// enrols, tops up, links a card to and removes a member.
type MembersScreen struct {
	ui    *UI
	svc   MemberService
	staff Staff // who may approve what a cashier may not do
	// OnTopUp is called with a top-up order to take payment for.
	OnTopUp func(o *models.Order)
	// Printer prints a balance payout's slip; nil: nothing prints.
	Printer Printer
	// Drawer opens for the cash of a payout; nil: no drawer.
	Drawer Drawer

	search  *widget.Entry
	list    *fyne.Container
	shown   []models.Member
	content fyne.CanvasObject
}

// NewMembersScreen builds the members screen; staff approves what the one
// signed in may not do.
func NewMembersScreen(ui *UI, svc MemberService, staff Staff) *MembersScreen {
	s := &MembersScreen{ui: ui, svc: svc, staff: staff}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.X("members.search", "Name or phone's last digits"))
	s.search.OnChanged = func(string) { s.Refresh() }
	ui.watchEntry(s.search)
	add := widget.NewButtonWithIcon(lang.X("members.add", "New member"), theme.ContentAddIcon(), s.askNew)
	add.Importance = widget.HighImportance
	s.list = container.NewVBox()
	top := container.NewBorder(nil, nil, nil, container.NewStack(strut(180, 52), add), s.search)
	s.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, ui.vscroll(s.list))
	return s
}

// Content is the screen's root object.
func (s *MembersScreen) Content() fyne.CanvasObject { return s.content }

// Shown lists the members on screen, for tests.
func (s *MembersScreen) Shown() []models.Member { return s.shown }

// Refresh reads the members matching the search again.
func (s *MembersScreen) Refresh() {
	s.ui.Touch()
	var ms []models.Member
	var err error
	text := s.search.Text
	s.ui.Async(func() {
		ms, err = s.svc.Find(context.Background(), text)
	}, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.shown = ms
		s.list.RemoveAll()
		if len(ms) == 0 {
			s.list.Add(widget.NewLabel(lang.X("members.none", "No members found")))
		}
		for _, m := range ms {
			s.list.Add(s.row(m))
		}
		s.list.Refresh()
	})
}

func (s *MembersScreen) row(m models.Member) fyne.CanvasObject {
	name := canvas.NewText(m.Name, theme.Color(theme.ColorNameForeground))
	name.TextSize = theme.TextSize() * 1.3
	name.TextStyle = fyne.TextStyle{Bold: true}
	card := lang.X("members.no_card", "No card linked")
	if m.CardToken != "" {
		card = lang.X("members.card", "Card linked")
	}
	info := widget.NewLabel(m.Phone + " · " + card)
	balance := canvas.NewText(lang.X("members.balance", "Balance {{.Amount}}",
		map[string]any{"Amount": models.Money{Minor: m.Balance, Currency: s.ui.Shop.Currency}.String()}), theme.Color(theme.ColorNamePrimary))
	balance.TextSize = theme.TextSize() * 1.3
	balance.TextStyle = fyne.TextStyle{Bold: true}
	topUp := widget.NewButtonWithIcon(lang.X("members.top_up", "Top up"), theme.ContentAddIcon(), func() { s.askTopUp(m) })
	link := widget.NewButtonWithIcon(lang.X("members.link_card", "Link card"), theme.AccountIcon(), func() { s.askCard(m) })
	remove := widget.NewButtonWithIcon(lang.X("members.remove", "Remove"), theme.DeleteIcon(), func() { s.askRemove(m) })
	buttons := widgets.NewActions(52, topUp, link, remove)
	return container.NewVBox(container.NewPadded(widgets.NewSplit(0.55,
		container.NewBorder(nil, nil, container.NewVBox(name, info), nil, container.NewCenter(balance)), container.NewCenter(buttons))),
		widget.NewSeparator())
}

// askNew takes a new member's name and phone, their consent, and their
// finger.
func (s *MembersScreen) askNew() {
	s.allowed(models.PermMemberEnrol, lang.X("members.add", "New member"), s.askNewAs)
}

// allowed does what needs p as the one signed in, or as whoever approves
// (asAllowed).
func (s *MembersScreen) allowed(p models.Permission, title string, do func(by models.Operator)) {
	asAllowed(s.ui, s.staff, p, title, do)
}

// askNewAs takes the new member's name and phone and enrols them, for by.
func (s *MembersScreen) askNewAs(by models.Operator) {
	name := widget.NewEntry()
	name.SetPlaceHolder(lang.X("members.name", "Name"))
	phone := widget.NewEntry()
	phone.SetPlaceHolder(lang.X("members.phone", "Mobile number"))
	consent := widget.NewLabel(lang.X("members.consent", "The customer agrees that a template of their fingerprint is kept, sealed, on this terminal to pay from their balance and to verify their linked card, and deleted when the membership ends. Only the masked phone number is kept."))
	consent.Wrapping = fyne.TextWrapWord
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	agree := widget.NewButton(lang.X("members.agree", "Customer agrees: enrol finger"), nil)
	agree.Importance = widget.HighImportance
	s.ui.watchEntry(name)
	s.ui.watchEntry(phone)
	kbd := onScreenKeyboard(s.ui, name, phone)
	body := container.NewVBox(name, phone, consent, msg, kbd.keys,
		widgets.NewActions(52, cancel, kbd.toggle, agree))
	d := dialog.NewCustomWithoutButtons(lang.X("members.add", "New member"), container.NewStack(strut(560, 0), body), s.ui.Window)
	// The keyboard takes the consent's room while it is up; the consent is
	// back, to be read, before the customer agrees.
	*kbd.resized = func() {
		consent.Hidden = kbd.keys.Visible()
		body.Refresh()
		fitDialog(s.ui, d)
	}
	cancel.OnTapped = d.Hide
	agree.OnTapped = func() {
		var m models.Member
		var err error
		n, p := name.Text, phone.Text
		s.ui.Async(func() {
			m, err = s.svc.Add(context.Background(), n, p, by)
		}, func() {
			if err != nil {
				msg.Text = Message(err)
				msg.Refresh()
				return
			}
			d.Hide()
			s.enrol(m)
		})
	}
	d.Show()
	s.ui.Window.Canvas().Focus(name)
}

// enrol reads a new member's finger three times with the progress shown.
func (s *MembersScreen) enrol(m models.Member) {
	progress := widget.NewLabel(lang.X("finger.place", "Place the finger on the reader: reading {{.N}} of 3", map[string]any{"N": 1}))
	wait := dialog.NewCustomWithoutButtons(lang.X("finger.enrolling", "Enrolling"), container.NewVBox(progress, widget.NewProgressBarInfinite()), s.ui.Window)
	wait.Show()
	var err error
	s.ui.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		err = s.svc.Enroll(ctx, m, func(n int) {
			s.ui.Do(func() {
				progress.SetText(lang.X("finger.lift", "Reading {{.N}} of 3 done: lift the finger and place it again", map[string]any{"N": n}))
			})
		})
	}, func() {
		wait.Hide()
		s.Refresh()
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		dialog.ShowInformation(lang.X("finger.enrolled_title", "Enrolled"),
			lang.X("members.enrolled", "{{.Name}} can now pay with this finger", map[string]any{"Name": m.Name}), s.ui.Window)
	})
}

// askTopUp asks how much to put on m's balance and takes payment for it.
func (s *MembersScreen) askTopUp(m models.Member) {
	nd := newNumberDialog(s.ui, lang.X("members.top_up_title", "Top up {{.Name}}'s balance", map[string]any{"Name": m.Name}),
		2, "", nil)
	nd.ok.OnTapped = func() {
		amount, err := models.ParseMinor(nd.keypad.Text())
		var o *models.Order
		if err == nil {
			o, err = s.svc.TopUp(m, amount)
		}
		if err != nil {
			nd.msg.Text = Message(err)
			nd.msg.Refresh()
			return
		}
		nd.d.Hide()
		if s.OnTopUp != nil {
			s.OnTopUp(o)
		}
	}
	nd.Show()
}

// askCard reads the member's bank card and links it to them, once someone
// allowed to link cards is there.
func (s *MembersScreen) askCard(m models.Member) {
	s.allowed(models.PermMemberLinkCard, lang.X("members.link_card", "Link card"), func(by models.Operator) { s.askCardAs(m, by) })
}

func (s *MembersScreen) askCardAs(m models.Member, by models.Operator) {
	msg := canvas.NewText("", theme.Color(theme.ColorNameError))
	var d *dialog.CustomDialog
	ctx, stop := context.WithCancel(context.Background())
	fingers := container.NewVBox() // the demo's member fingers, once the card is read
	fingerNow := func() {
		s.ui.Do(func() {
			msg.Text = lang.X("members.link_finger", "Now {{.Name}} places their finger on the fingerprint reader", map[string]any{"Name": m.Name})
			msg.Color = theme.Color(theme.ColorNameForeground)
			msg.Refresh()
			fingers.Show()
		})
	}
	read := func(demo string) {
		var masked string
		var err error
		msg.Text = lang.X("card.reading", "Reading the card… keep it on the reader")
		msg.Color = theme.Color(theme.ColorNameForeground)
		msg.Refresh()
		s.ui.Async(func() {
			if demo == "" {
				masked, err = s.svc.LinkCard(ctx, m, by, fingerNow)
			} else {
				masked, err = s.ui.Demo.LinkCard(ctx, m, demo, by, fingerNow)
			}
		}, func() {
			fingers.Hide()
			msg.Color = theme.Color(theme.ColorNameError)
			if err != nil {
				msg.Text = Message(err)
				msg.Refresh()
				return
			}
			d.Hide()
			s.Refresh()
			dialog.ShowInformation(lang.X("members.linked_title", "Card linked"),
				lang.X("members.linked", "Card {{.Card}} is linked to {{.Name}}: above the no-PIN limit the shop checks their finger as well as their signature",
					map[string]any{"Card": masked, "Name": m.Name}), s.ui.Window)
		})
	}
	body := container.NewVBox(widget.NewLabel(lang.X("members.tap_card_finger", "{{.Name}} taps their bank card on the reader, then places their finger", map[string]any{"Name": m.Name})))
	readBtn := widget.NewButtonWithIcon(lang.X("members.read_card", "Read the card"), theme.MediaPlayIcon(), func() { read("") })
	readBtn.Importance = widget.HighImportance
	body.Add(container.NewGridWrap(fyne.NewSize(300, 56), readBtn))
	for _, name := range s.ui.demoCards() {
		b := widget.NewButton(lang.X("card.demo", "Tap demo card: {{.Name}}", map[string]any{"Name": demoCardName(name)}), func() { read(name) })
		body.Add(container.NewGridWrap(fyne.NewSize(300, 52), b))
	}
	if s.ui.Demo != nil {
		for _, name := range s.ui.Demo.MemberFingers() {
			fingers.Add(container.NewGridWrap(fyne.NewSize(300, 52), widget.NewButtonWithIcon(
				lang.X("finger.demo", "Demo finger: {{.Name}}", map[string]any{"Name": name}),
				theme.AccountIcon(), func() { s.ui.Demo.PlaceFinger(name) })))
		}
	}
	fingers.Hide()
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	body.Add(msg)
	body.Add(fingers)
	body.Add(container.NewGridWrap(fyne.NewSize(200, 52), cancel))
	d = dialog.NewCustomWithoutButtons(lang.X("members.link_card", "Link card"), body, s.ui.Window)
	cancel.OnTapped = func() { stop(); d.Hide() }
	d.SetOnClosed(stop)
	d.Show()
}

// askRemove ends m's membership after a confirmation, by someone allowed;
// a balance left is paid out in cash first (askPayOut).
func (s *MembersScreen) askRemove(m models.Member) {
	s.allowed(models.PermMemberRemove, lang.X("members.remove", "Remove"), func(by models.Operator) {
		if m.Balance > 0 {
			s.askPayOut(m, by)
			return
		}
		text := lang.X("members.remove_confirm", "End {{.Name}}'s membership? Their name and phone are erased and their fingerprints deleted from the reader and this terminal.",
			map[string]any{"Name": m.Name})
		s.ui.confirm(lang.X("members.remove", "Remove"), text, func(ok bool) {
			if !ok {
				return
			}
			var err error
			s.ui.Async(func() {
				err = s.svc.Remove(context.Background(), m, by)
			}, func() {
				if err != nil {
					ShowError(s.ui.Window, err)
				}
				s.Refresh()
			})
		})
	})
}

// Search shows the members whose name or phone contains text.
func (s *MembersScreen) Search(text string) { s.search.SetText(text) }

// askPayOut offers to pay m's balance out in cash and then end the
// membership, by (allowed to remove members) doing the removal. The
// payout needs models.PermMemberPayout: by's if they hold it, else the
// one signed in's or an approver's (the store checks again).
func (s *MembersScreen) askPayOut(m models.Member, by models.Operator) {
	amount := models.Money{Minor: m.Balance, Currency: s.ui.Shop.Currency}.String()
	title := lang.X("members.payout_title", "Pay out and remove")
	text := widget.NewLabel(lang.X("members.payout_confirm", "{{.Name}} still has {{.Amount}} on their balance. It is paid out in cash from the drawer, a slip is printed for the customer to sign, and then the membership ends: their name and phone are erased and their fingerprints deleted.",
		map[string]any{"Name": m.Name, "Amount": amount}))
	text.Wrapping = fyne.TextWrapWord
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	msg.Hide()
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), nil)
	pay := widget.NewButtonWithIcon(lang.X("members.payout", "Pay out {{.Amount}} in cash and remove", map[string]any{"Amount": amount}),
		theme.ConfirmIcon(), nil)
	pay.Importance = widget.HighImportance
	body := container.NewVBox(text, msg, widgets.NewActions(56, cancel, pay))
	d := dialog.NewCustomWithoutButtons(title, container.NewStack(strut(560, 0), body), s.ui.Window)
	cancel.OnTapped = d.Hide
	pay.OnTapped = func() {
		s.allowedAs(by, models.PermMemberPayout, title, func(payer models.Operator) {
			var p models.MemberPayout
			var err error
			pay.Disable()
			s.ui.Async(func() {
				p, err = s.svc.PayOut(context.Background(), m, payer)
			}, func() {
				pay.Enable()
				if err != nil {
					msg.SetText(Message(err))
					msg.Show()
					fitDialog(s.ui, d)
					return
				}
				d.Hide()
				s.paidOut(m, p, by)
			})
		})
	}
	d.Show()
	fitDialog(s.ui, d)
}

// allowedAs does what needs p as by when by may, else as the one signed
// in or whoever approves (asAllowed).
func (s *MembersScreen) allowedAs(by models.Operator, p models.Permission, title string, do func(models.Operator)) {
	if s.staff == nil {
		do(by)
		return
	}
	var err error
	s.ui.Async(func() {
		err = s.staff.Allowed(context.Background(), by, p)
	}, func() {
		switch {
		case err == nil:
			do(by)
		case models.IsDenied(err):
			s.allowed(p, title, do)
		default:
			ShowError(s.ui.Window, err)
		}
	})
}

// paidOut prints the payout's slip and opens the drawer for its cash, then
// ends m's membership, by by.
func (s *MembersScreen) paidOut(m models.Member, p models.MemberPayout, by models.Operator) {
	if s.Printer != nil {
		s.Printer.Slip(receipt.BuildPayoutSlip(p, s.ui.Shop.Currency, s.ui.receiptShop(), lang.X))
	}
	var drawerErr, err error
	if s.Drawer != nil {
		drawerErr = s.Drawer.OpenDrawer()
	}
	m.Balance = 0
	s.ui.Async(func() {
		err = s.svc.Remove(context.Background(), m, by)
	}, func() {
		s.Refresh()
		args := map[string]any{"Amount": models.Money{Minor: p.Amount, Currency: s.ui.Shop.Currency}.String(), "Member": p.Member}
		text := lang.X("members.paid_out", "{{.Amount}} was paid out to {{.Member}} in cash and the membership has ended. The customer signs the slip; keep it with the drawer's count.", args)
		if err != nil { // the money is paid out all the same
			args["Reason"] = Message(err)
			text = lang.X("members.paid_out_kept", "{{.Amount}} was paid out to {{.Member}} in cash, but the membership did not end: {{.Reason}}", args)
		}
		if drawerErr != nil {
			text += "\n" + lang.X("members.drawer_failed", "The drawer did not open: {{.Reason}}", map[string]any{"Reason": Message(drawerErr)})
		}
		dialog.ShowInformation(lang.X("members.paid_out_title", "Paid out"), text, s.ui.Window)
	})
}
