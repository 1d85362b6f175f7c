package screens

import (
	"context"
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
	"github.com/till-pos/till/screens/widgets"
)

// OrderService finds, voids and refunds orders; *sales.Sales is one.
type OrderService interface {
	// FindOrders is the transaction query: orders of [from, to) whose
	// number, total or card's last four digits match text.
	FindOrders(ctx context.Context, from, to time.Time, text string) ([]models.Order, error)
	OrderByID(ctx context.Context, id uint) (*models.Order, error)
	OrderHistory(ctx context.Context, o *models.Order) ([]models.HistoryEvent, error)
	// OpenBatchNumber is the terminal's open batch: an order of another
	// one was settled (models.CanVoid).
	OpenBatchNumber(ctx context.Context) (int, error)
	// Void cancels a paid order of the open batch (at the bank for a card
	// or QR payment), authorized by manager, and returns it as stored.
	Void(ctx context.Context, orderID uint, manager models.Operator) (*models.Order, error)
	// Refund gives amount of a paid order back to its tender, authorized
	// by manager, and returns it as stored.
	Refund(ctx context.Context, orderID uint, amount int64, manager models.Operator) (*models.Order, error)
}

// Printer prints on the receipt printer; without one set it prints
// nothing. Printing never blocks: a failure is shown when it happens.
// *printing.Printing is one.
type Printer interface {
	// Receipt prints o's receipt (marked as a reprint if asked).
	Receipt(o *models.Order, reprint bool)
	// Slip prints a void or refund slip.
	Slip(rows []receipt.Row)
}

// Orders is the transaction query: a day's orders on this terminal, found
// by order number, total or a card's last four digits; tapping one shows
// its receipt and full history, and a manager can void or refund it there.
type Orders struct {
	ui       *UI
	svc      OrderService
	staff    Staff
	printer  Printer   // nil: nothing prints
	day      time.Time // midnight of the day shown
	query    string
	orders   []models.Order
	list     *widget.List
	summary  *widget.Label
	dayLabel *widget.Label
	find     *widget.Button
	detail   *fyne.Container
	history  []models.HistoryEvent
	current  *models.Order
	slip     []receipt.Row
	content  fyne.CanvasObject
}

// NewOrders builds the orders screen; call Refresh to load the day.
// printer may be nil.
func NewOrders(ui *UI, svc OrderService, staff Staff, printer Printer) *Orders {
	s := &Orders{ui: ui, svc: svc, staff: staff, printer: printer}
	s.day = midnight(ui.now())
	s.content = s.build()
	return s
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// Content is the screen's root object.
func (s *Orders) Content() fyne.CanvasObject { return s.content }

// Shown is what the list holds, for tests.
func (s *Orders) Shown() []models.Order { return s.orders }

// Slip is the void or refund slip shown last, for tests.
func (s *Orders) Slip() []receipt.Row { return s.slip }

// SetQuery finds the day's orders matching text (as the Find keypad does).
func (s *Orders) SetQuery(text string) {
	s.query = strings.TrimSpace(text)
	s.Refresh()
}

// SetDay shows the orders of the day of t.
func (s *Orders) SetDay(t time.Time) {
	s.day = midnight(t)
	s.Refresh()
}

func (s *Orders) build() fyne.CanvasObject {
	s.list = widget.NewList(
		func() int { return len(s.orders) },
		func() fyne.CanvasObject {
			num := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			total := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			info := widget.NewLabel("")
			return container.NewVBox(container.NewBorder(nil, nil, nil, total, num), info)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.orders) {
				return
			}
			ord := s.orders[id]
			box := o.(*fyne.Container)
			top := box.Objects[0].(*fyne.Container)
			top.Objects[0].(*widget.Label).SetText(ord.Number)
			top.Objects[1].(*widget.Label).SetText(models.Money{Minor: ord.Total, Currency: ord.Currency}.String())
			box.Objects[1].(*widget.Label).SetText(ord.CreatedAt.Local().Format("15:04:05") + "  ·  " +
				tenders(ord) + "  ·  " + statusName(ord.Status))
		})
	s.ui.watchOffset(s.list.GetScrollOffset)
	s.list.OnSelected = func(id widget.ListItemID) {
		if id < len(s.orders) {
			s.ShowOrder(s.orders[id].ID)
		}
	}
	s.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.dayLabel = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	small := fyne.NewSize(64, 52)
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { s.SetDay(s.day.AddDate(0, 0, -1)) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { s.SetDay(s.day.AddDate(0, 0, 1)) })
	today := widget.NewButton(lang.X("orders.today", "Today"), func() { s.SetDay(s.ui.now()) })
	s.find = widget.NewButtonWithIcon(lang.X("orders.find", "Find: number, amount, card last 4"), theme.SearchIcon(), s.askQuery)
	s.find.Alignment = widget.ButtonAlignLeading
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { s.SetQuery("") })
	dayRow := container.NewBorder(nil, nil,
		container.NewGridWrap(small, prev),
		container.NewHBox(container.NewGridWrap(small, next), container.NewGridWrap(fyne.NewSize(120, 52), today)),
		s.dayLabel)
	findRow := container.NewBorder(nil, nil, nil, container.NewGridWrap(small, clear), tall(s.find, 52))
	header := container.NewVBox(dayRow, findRow, s.summary)
	s.detail = container.NewStack(widget.NewLabel(lang.X("orders.pick", "Tap an order to see its lines.")))
	left := container.NewBorder(header, nil, nil, widgets.NewPager(s.list), s.list)
	return widgets.NewSplit(0.5, left, container.NewPadded(s.detail))
}

// askQuery takes what to find on the keypad: digits of an order number, an
// amount, or a card's last four digits.
func (s *Orders) askQuery() {
	newNumberDialog(s.ui, lang.X("orders.find_title", "Find an order"), 2, s.query, func(text string) error {
		s.SetQuery(text)
		return nil
	}, widget.NewLabel(lang.X("orders.find_hint", "Order number, amount (12.50) or a card's last 4 digits"))).Show()
}

func tenders(o models.Order) string {
	out := ""
	for _, p := range o.Payments {
		if p.Amount < 0 {
			continue
		}
		if out != "" {
			out += " + "
		}
		out += receipt.PaymentName(p, lang.X)
		if p.MaskedPAN != "" {
			out += " " + p.MaskedPAN[max(0, len(p.MaskedPAN)-4):]
		}
	}
	return out
}

func statusName(st models.OrderStatus) string {
	switch st {
	case models.OrderPaid:
		return lang.X("order.status.paid", "Paid")
	case models.OrderVoided:
		return lang.X("order.status.voided", "Voided")
	case models.OrderRefunded:
		return lang.X("order.status.refunded", "Refunded")
	case models.OrderAwaiting:
		return lang.X("order.status.awaiting", "Awaiting payment")
	case models.OrderCancelled:
		return lang.X("order.status.cancelled", "Cancelled")
	}
	return string(st)
}

// Refresh loads the day's orders matching the query.
func (s *Orders) Refresh() {
	s.ui.Touch()
	from, query := s.day, s.query
	var got []models.Order
	var err error
	s.ui.Async(func() {
		got, err = s.svc.FindOrders(context.Background(), from, from.AddDate(0, 0, 1), query)
	}, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.orders = got
		var sum int64
		for _, o := range got {
			if o.Status == models.OrderPaid || o.Status == models.OrderRefunded {
				sum += o.Total - o.Refunded
			}
		}
		dayText := from.Format("2006-01-02")
		if from.Equal(midnight(s.ui.now())) {
			dayText = lang.X("orders.today_is", "Today, {{.Date}}", map[string]any{"Date": dayText})
		}
		s.dayLabel.SetText(dayText)
		if query == "" {
			s.find.SetText(lang.X("orders.find", "Find: number, amount, card last 4"))
		} else {
			s.find.SetText(lang.X("orders.finding", "Finding “{{.Text}}”", map[string]any{"Text": query}))
		}
		s.summary.SetText(lang.XN("orders.summary_day", "{{.Count}} orders · takings {{.Total}}", len(got), map[string]any{
			"Count": len(got), "Total": models.Money{Minor: sum, Currency: s.ui.Shop.Currency}.String()}))
		s.list.UnselectAll()
		s.list.Refresh()
	})
}

// ShowOrder shows one order's receipt beside the list, the void, refund
// and reprint actions (each disabled, with the reason, when its rule says
// no), and its history: when it was committed, reported to the acquirer,
// and every request to the bank.
func (s *Orders) ShowOrder(id uint) {
	s.ui.Touch()
	var o *models.Order
	var history []models.HistoryEvent
	var open int
	var err error
	s.ui.Async(func() {
		ctx := context.Background()
		if o, err = s.svc.OrderByID(ctx, id); err != nil {
			return
		}
		if history, err = s.svc.OrderHistory(ctx, o); err != nil {
			return
		}
		open, err = s.svc.OpenBatchNumber(ctx)
	}, func() {
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.history = history
		s.current = o
		body := container.NewVBox(Paper(receipt.Build(o, s.receiptShop(), lang.X)), cardChecks(o), historySteps(history))
		s.detail.Objects = []fyne.CanvasObject{container.NewBorder(nil, s.actions(o, open), nil, nil, s.ui.vscroll(body))}
		s.detail.Refresh()
	})
}

// actions are the void, refund and reprint buttons of o, the terminal's
// open batch being open: each asks its rule, and one the rule refuses is
// disabled with the rule's reason shown beneath.
func (s *Orders) actions(o *models.Order, open int) fyne.CanvasObject {
	void := widget.NewButtonWithIcon(lang.X("orders.void", "Void"), theme.CancelIcon(), s.startVoid)
	void.Importance = widget.DangerImportance
	refund := widget.NewButtonWithIcon(lang.X("orders.refund", "Refund"), theme.MailReplyIcon(), s.startRefund)
	refund.Importance = widget.WarningImportance
	reprint := widget.NewButtonWithIcon(lang.X("orders.reprint", "Reprint"), theme.DocumentPrintIcon(), func() {
		if s.printer != nil {
			s.printer.Receipt(o, true)
		}
	})
	left := models.RefundLeft(o)
	reasons := container.NewVBox()
	for _, a := range []struct {
		b   *widget.Button
		err error
	}{{void, models.CanVoid(o, open)}, {refund, models.CanRefund(o, left, left)}, {reprint, models.CanReprint(o)}} {
		if a.err == nil {
			continue
		}
		a.b.Disable()
		why := widget.NewLabel(Message(a.err))
		why.Wrapping = fyne.TextWrapWord
		reasons.Add(why)
	}
	return container.NewVBox(widgets.NewActions(56, void, refund, reprint), reasons)
}

func (s *Orders) receiptShop() receipt.Shop {
	return s.ui.receiptShop()
}

// askManager takes a manager's code on a keypad that shows dots, then
// calls then with the manager.
func (s *Orders) askManager(title string, then func(models.Operator)) {
	askManager(s.ui, s.staff, title, then)
}

// startVoid voids the order shown, after a manager's code.
func (s *Orders) startVoid() {
	o := s.current
	if o == nil {
		return
	}
	s.askManager(lang.X("orders.void_title", "Void order {{.Number}}", map[string]any{"Number": o.Number}), func(m models.Operator) {
		s.runUndo(receipt.SlipVoid, o.Total, m, func(ctx context.Context) (*models.Order, error) {
			return s.svc.Void(ctx, o.ID, m)
		})
	})
}

// startRefund refunds (part of) the order shown, after a manager's code.
func (s *Orders) startRefund() {
	o := s.current
	if o == nil {
		return
	}
	left := models.RefundLeft(o)
	s.askManager(lang.X("orders.refund_title", "Refund order {{.Number}}", map[string]any{"Number": o.Number}), func(m models.Operator) {
		var nd *numberDialog
		nd = newNumberDialog(s.ui, lang.X("orders.refund_amount", "Amount to refund"), 2, models.FormatMinor(left), func(text string) error {
			amount, err := models.ParseMinor(text)
			if err != nil {
				return err
			}
			if err := models.CanRefund(o, amount, left); err != nil {
				return err
			}
			nd.next = func() {
				s.runUndo(receipt.SlipRefund, amount, m, func(ctx context.Context) (*models.Order, error) {
					return s.svc.Refund(ctx, o.ID, amount, m)
				})
			}
			return nil
		}, widget.NewLabel(lang.X("orders.refund_left", "Up to {{.Left}} can be refunded, to the tender it was paid with",
			map[string]any{"Left": models.Money{Minor: left, Currency: o.Currency}.String()})))
		nd.Show()
	})
}

// runUndo runs a void or refund (which may wait for the bank) with a
// progress dialog, then shows its slip and the order as it is now.
func (s *Orders) runUndo(kind receipt.SlipKind, amount int64, m models.Operator, work func(ctx context.Context) (*models.Order, error)) {
	bar := widget.NewProgressBarInfinite()
	wait := dialog.NewCustomWithoutButtons(lang.X("orders.asking_bank", "Working… a card or QR payment waits for the bank's answer"), bar, s.ui.Window)
	wait.Show()
	var o *models.Order
	var err error
	s.ui.Async(func() {
		o, err = work(context.Background())
	}, func() {
		bar.Stop()
		wait.Hide()
		if err != nil {
			ShowError(s.ui.Window, err)
			return
		}
		s.slip = receipt.BuildSlip(o, kind, amount, m.Name, s.ui.now(), s.receiptShop(), lang.X)
		if s.printer != nil {
			s.printer.Slip(s.slip)
		}
		slip := Paper(s.slip)
		done := widget.NewButton(lang.X("action.done", "Done"), nil)
		done.Importance = widget.HighImportance
		body := container.NewBorder(nil, container.NewGridWrap(fyne.NewSize(200, 56), done), nil, nil,
			container.NewVScroll(container.NewGridWrap(fyne.NewSize(400, slip.MinSize().Height), slip)))
		title := lang.X("orders.voided", "Order {{.Number}} voided", map[string]any{"Number": o.Number})
		if kind == receipt.SlipRefund {
			title = lang.X("orders.refunded", "Refund of {{.Amount}} done", map[string]any{"Amount": models.Money{Minor: amount, Currency: o.Currency}.String()})
		}
		d := dialog.NewCustomWithoutButtons(title, body, s.ui.Window)
		d.Resize(fyne.NewSize(460, 640))
		done.OnTapped = d.Hide
		d.Show()
		s.Refresh()
		s.ShowOrder(o.ID)
	})
}

// RefreshShown reads the order shown again and shows it anew when its
// history has moved on (reported to the acquirer, answered by the bank):
// the shell calls it whenever the sync status changes.
func (s *Orders) RefreshShown() {
	if s.current == nil {
		return
	}
	o := s.current
	var history []models.HistoryEvent
	var err error
	s.ui.Async(func() {
		history, err = s.svc.OrderHistory(context.Background(), o)
	}, func() {
		if err != nil || s.current == nil || s.current.ID != o.ID || sameHistory(history, s.history) {
			return
		}
		s.ShowOrder(o.ID)
	})
}

// sameHistory reports whether two readings of a history tell the same.
func sameHistory(a, b []models.HistoryEvent) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || !a[i].At.Equal(b[i].At) || a[i].Detail != b[i].Detail {
			return false
		}
	}
	return true
}

// History is the history shown for the order tapped last, for tests.
func (s *Orders) History() []models.HistoryEvent { return s.history }

// auditText names an audit entry of the order's history.
func auditText(kind string) string {
	switch kind {
	case "audit:sale":
		return lang.X("history.sale", "Sale committed")
	case "audit:payment":
		return lang.X("history.payment", "Payment started")
	case "audit:authorize":
		return lang.X("history.authorize", "Authorized by a manager")
	case "audit:void":
		return lang.X("history.void", "Voided")
	case "audit:refund":
		return lang.X("history.refund", "Refunded")
	case "audit:cancel":
		return lang.X("history.cancel", "Cancelled unpaid")
	case "audit:" + models.ActionDiscountOverride:
		return lang.X("history.discount_override", "Discount above the limit, approved by a manager")
	case "audit:" + models.ActionPriceOverride:
		return lang.X("history.price_override", "Price changed, approved by a manager")
	}
	return kind
}
