package screens

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/screens/widgets"
)

// Orders lists today's orders on this terminal; tapping one shows its lines.
type Orders struct {
	env     *Env
	orders  []models.Order
	list    *widget.List
	summary *widget.Label
	detail  *fyne.Container
	history []models.HistoryEvent
	content fyne.CanvasObject
}

// NewOrders builds the orders screen; call Refresh to load the day.
func NewOrders(env *Env) *Orders {
	s := &Orders{env: env}
	s.content = s.build()
	return s
}

// Content is the screen's root object.
func (s *Orders) Content() fyne.CanvasObject { return s.content }

// Shown is what the list holds, for tests.
func (s *Orders) Shown() []models.Order { return s.orders }

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
	s.list.OnSelected = func(id widget.ListItemID) {
		if id < len(s.orders) {
			s.ShowOrder(s.orders[id].ID)
		}
	}
	s.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	refresh := widget.NewButtonWithIcon(lang.X("orders.refresh", "Refresh"), theme.ViewRefreshIcon(), s.Refresh)
	header := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(160, 52), refresh), s.summary)
	s.detail = container.NewStack(widget.NewLabel(lang.X("orders.pick", "Tap an order to see its lines.")))
	left := container.NewBorder(header, nil, nil, widgets.NewPager(s.list), s.list)
	return widgets.NewSplit(0.5, left, container.NewPadded(s.detail))
}

func tenders(o models.Order) string {
	out := ""
	for i, p := range o.Payments {
		if i > 0 {
			out += " + "
		}
		out += receipt.TenderName(p.Tender, lang.X)
	}
	return out
}

func statusName(st models.OrderStatus) string {
	switch st {
	case models.OrderPaid:
		return lang.X("order.status.paid", "Paid")
	case models.OrderVoided:
		return lang.X("order.status.voided", "Voided")
	}
	return string(st)
}

// Refresh loads today's orders.
func (s *Orders) Refresh() {
	now := s.env.now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var got []models.Order
	var err error
	s.env.Async(func() {
		got, err = s.env.Sales.OrdersBetween(context.Background(), from, from.AddDate(0, 0, 1))
	}, func() {
		if err != nil {
			ShowError(s.env.Window, err)
			return
		}
		s.orders = got
		var sum int64
		for _, o := range got {
			if o.Status == models.OrderPaid {
				sum += o.Total
			}
		}
		s.summary.SetText(lang.X("orders.summary", "Today: {{.Count}} orders · {{.Total}}", map[string]any{
			"Count": len(got), "Total": models.Money{Minor: sum, Currency: s.env.Shop.Currency}.String()}))
		s.list.UnselectAll()
		s.list.Refresh()
	})
}

// ShowOrder shows one order's receipt beside the list, and its history:
// when it was committed, reported to the acquirer, and any requests to the bank.
func (s *Orders) ShowOrder(id uint) {
	var o *models.Order
	var history []models.HistoryEvent
	var err error
	s.env.Async(func() {
		if o, err = s.env.Sales.OrderByID(context.Background(), id); err == nil {
			history, err = s.env.Sales.OrderHistory(context.Background(), o)
		}
	}, func() {
		if err != nil {
			ShowError(s.env.Window, err)
			return
		}
		rows := receipt.Build(o, receipt.Shop{Name: s.env.Shop.Name, TerminalID: s.env.Shop.TerminalID, Lang: s.env.Shop.Lang}, lang.X)
		steps := container.NewVBox(widget.NewLabelWithStyle(lang.X("orders.history", "History"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, e := range history {
			text := e.At.Local().Format("15:04:05") + "  " + historyText(e.Kind)
			if e.Detail != "" && strings.HasPrefix(e.Kind, "host:") {
				text += "  (" + e.Detail + ")"
			}
			steps.Add(widget.NewLabel(text))
		}
		s.history = history
		s.detail.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(Paper(rows), steps))}
		s.detail.Refresh()
	})
}

// History is the history shown for the order tapped last, for tests.
func (s *Orders) History() []models.HistoryEvent { return s.history }

// historyText names a history event in the current language.
func historyText(kind string) string {
	switch kind {
	case "audit:sale":
		return lang.X("history.sale", "Sale committed")
	case "outbox:pending":
		return lang.X("history.outbox_pending", "Not yet reported to the acquirer")
	case "outbox:sent":
		return lang.X("history.outbox_sent", "Reported to the acquirer")
	case "host:sent":
		return lang.X("history.host_sent", "Sent to the bank, no answer yet")
	case "host:answered":
		return lang.X("history.host_answered", "The bank answered")
	case "host:timed_out":
		return lang.X("history.host_timed_out", "No answer from the bank; reversal owed")
	case "host:reversed":
		return lang.X("history.host_reversed", "Reversed at the bank")
	case "host:not_sent":
		return lang.X("history.host_not_sent", "The bank could not be reached")
	case "host:offline":
		return lang.X("history.host_offline", "Approved offline")
	case "host:advised":
		return lang.X("history.host_advised", "Offline approval reported to the bank")
	}
	return kind
}
