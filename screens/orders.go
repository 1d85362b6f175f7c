package screens

import (
	"context"
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

// ShowOrder shows one order's receipt beside the list.
func (s *Orders) ShowOrder(id uint) {
	var o *models.Order
	var err error
	s.env.Async(func() {
		o, err = s.env.Sales.OrderByID(context.Background(), id)
	}, func() {
		if err != nil {
			ShowError(s.env.Window, err)
			return
		}
		rows := receipt.Build(o, receipt.Shop{Name: s.env.Shop.Name, TerminalID: s.env.Shop.TerminalID, Lang: s.env.Shop.Lang}, lang.X)
		s.detail.Objects = []fyne.CanvasObject{container.NewVScroll(Paper(rows))}
		s.detail.Refresh()
	})
}
