package screens

import (
	"context"

	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/screens/widgets"
)

// searchLimit is how many search results the grid shows.
const searchLimit = 120

// Catalog is the product catalog as the sell screen searches it;
// *catalog.Catalog is one.
type Catalog interface {
	Categories() []models.Category
	InCategory(id uint) models.CatalogList
	All() models.CatalogList
	Search(query string, limit int) models.CatalogList
	Lookup(barcode string) (models.CatalogItem, bool)
	// Loaded reports whether the catalog has loaded: until then it lists
	// nothing, though the shop may have products.
	Loaded() bool
}

// SellService is what the sell screen needs besides the catalog: parked
// orders, the cashier discount limit, the stock and the cash drawer;
// *sales.Sales is one.
type SellService interface {
	HoldOrder(ctx context.Context, o *models.Order, label string) error
	HeldOrders(ctx context.Context) ([]models.HeldOrder, error)
	RecallOrder(ctx context.Context, id uint) (*models.Order, error)
	// DiscountLimit is the largest discount a cashier or waiter may give
	// without a manager, in basis points (1000 = 10%) of the amount it is
	// taken from.
	DiscountLimit() int64
	// CanOpenDrawer says why the drawer cannot be opened, or nil.
	CanOpenDrawer() error
	// OpenDrawer opens the cash drawer without a sale, authorized by
	// manager, audited.
	OpenDrawer(ctx context.Context, manager models.Operator) error
	// StockLevel is how much of a product is on the shelf now.
	StockLevel(ctx context.Context, productID uint) (models.StockLevel, error)
	// AllowBelowZero is whether more of a product may be sold than is in
	// stock, with a warning, or not (models.CheckStock).
	AllowBelowZero() bool
}

// Sell is the sell screen: category tabs and product tiles on the left, the
// cart with its totals and actions on the right. A keyboard-wedge scanner
// may type a barcode and Enter at any time.
type Sell struct {
	ui      *UI
	catalog Catalog
	svc     SellService
	staff   Staff
	order   *models.Order
	// OnPay is called with the order when the cashier taps Pay.
	OnPay func(o *models.Order)

	search       *widget.Entry
	catBarHolder *fyne.Container // the category buttons, rebuilt when the catalog changes
	catButtons   []*widget.Button
	categories   []models.Category
	category     uint // 0: all products
	items        models.CatalogList
	grid         *widget.GridWrap
	cart         *widget.List
	subtotal     *widget.Label
	discount     *widget.Label
	tax          *widget.Label
	total        *canvas.Text
	payBtn       *widget.Button
	holdBtn      *widget.Button
	recallBtn    *widget.Button
	status       *widget.Label
	notice       *notice       // an unknown barcode, a stock warning: over the products for a few seconds
	noProducts   *widget.Label // in place of the products while the catalog has none
	multiplier   *widget.Label

	keyboard   *widget.PopUp   // the on-screen keyboard, while shown
	pendingQty models.Quantity // "3 ×" typed before a scan
	wedge      Wedge           // keys typed while no entry has focus, until Enter
	scan       ScanSettings    // the wedge scanner's settings; nil: the defaults
	// stock is what is on the shelf of each product on the order, read
	// when it first comes on; waiting are the changes that wait for a
	// product's stock to be read, in turn.
	stock   map[uint]models.StockLevel
	waiting []stockWait
	content fyne.CanvasObject
}

// NewSell builds the sell screen around an empty order.
func NewSell(ui *UI, catalog Catalog, svc SellService, staff Staff) *Sell {
	s := &Sell{ui: ui, catalog: catalog, svc: svc, staff: staff, order: models.NewOrder(ui.Shop.Currency, ui.Shop.TaxMode),
		stock: map[uint]models.StockLevel{}}
	s.content = s.build()
	s.ReloadCatalog()
	s.refreshCart()
	return s
}

// Content is the screen's root object.
func (s *Sell) Content() fyne.CanvasObject { return s.content }

// UseScanSettings makes the keyboard-wedge scanner's settings apply.
func (s *Sell) UseScanSettings(scan ScanSettings) { s.scan = scan }

// Order is the order being built.
func (s *Sell) Order() *models.Order { return s.order }

// NewSale starts an empty order, after a sale is paid.
func (s *Sell) NewSale() {
	s.useOrder(models.NewOrder(s.ui.Shop.Currency, s.ui.Shop.TaxMode))
	s.pendingQty = 0
	s.setStatus("", false)
	s.notice.Hide()
	s.refreshCart()
}

func (s *Sell) money(v int64) string {
	return models.Money{Minor: v, Currency: s.order.Currency}.String()
}

func (s *Sell) build() fyne.CanvasObject {
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.X("sell.search", "Search by name, pinyin, SKU or barcode"))
	s.search.OnChanged = func(string) { s.showItems() }
	s.search.OnSubmitted = s.submitSearch
	s.ui.watchEntry(s.search)
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() {
		s.search.SetText("")
		s.ui.Window.Canvas().Unfocus()
	})
	kbd := widget.NewButtonWithIcon("", theme.ComputerIcon(), s.ToggleKeyboard)
	searchRow := container.NewBorder(nil, nil, nil,
		container.NewHBox(container.NewGridWrap(widgets.PageSize, kbd), container.NewGridWrap(widgets.PageSize, clear)), s.search)

	s.grid = widget.NewGridWrap(
		func() int { return s.items.Len() },
		func() fyne.CanvasObject { return widgets.NewProductTile() },
		func(id widget.GridWrapItemID, o fyne.CanvasObject) {
			if id >= s.items.Len() {
				return
			}
			it := s.items.At(id)
			t := o.(*widgets.ProductTile)
			price := models.Money{Minor: it.Price, Currency: it.Currency}.String()
			if it.Weighed {
				price += "/" + unitName(it.Unit, it.UnitEN, s.ui.Shop.Lang)
			}
			t.Set(itemName(it, s.ui.Shop.Lang), price)
			t.OnTapped = func() { s.AddItem(it, 0) }
		})
	s.ui.watchOffset(s.grid.GetScrollOffset)
	s.catBarHolder = container.NewStack()
	// The status gives way to the buttons beside it, cut short with "…".
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.notice = newNotice(s.ui)
	s.multiplier = widget.NewLabel("")
	s.multiplier.TextStyle = fyne.TextStyle{Bold: true}
	times := widget.NewButton(lang.X("sell.times", "Qty ×"), s.askMultiplier)
	drawer := widget.NewButton(lang.X("sell.open_drawer", "Open drawer"), s.OpenDrawer)
	openItem := widget.NewButton(lang.X("sell.open_item", "Amount"), s.AskOpenItem)
	s.noProducts = widget.NewLabelWithStyle(lang.X("sell.no_products", "No products yet: tap {{.Button}} to sell an amount keyed on the keypad.",
		map[string]any{"Button": openItem.Text}), fyne.TextAlignCenter, fyne.TextStyle{})
	s.noProducts.Wrapping = fyne.TextWrapWord
	products := container.NewStack(s.grid, container.NewVBox(layout.NewSpacer(), s.noProducts, layout.NewSpacer()))
	left := container.NewBorder(
		container.NewVBox(searchRow, s.catBarHolder),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.multiplier,
			atLeast(drawer, 100, 52), atLeast(times, 100, 52), atLeast(openItem, 100, 52)), s.status),
		nil, widgets.NewPager(s.grid), s.notice.over(products))

	return widgets.NewSplit(0.64, left, s.buildCart())
}

func (s *Sell) buildCart() fyne.CanvasObject {
	s.cart = widget.NewList(
		func() int { return len(s.order.Lines) },
		func() fyne.CanvasObject { return newCartRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(s.order.Lines) {
				o.(*cartRow).set(s, id)
			}
		})
	s.ui.watchOffset(s.cart.GetScrollOffset)
	s.cart.OnSelected = func(widget.ListItemID) { s.cart.UnselectAll() }

	s.subtotal = widget.NewLabel("")
	s.discount = widget.NewLabel("")
	s.tax = widget.NewLabel("")
	s.total = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	s.total.TextSize = 36
	s.total.TextStyle = fyne.TextStyle{Bold: true}
	s.total.Alignment = fyne.TextAlignTrailing
	small := func(label string, value *widget.Label) fyne.CanvasObject {
		caption := canvas.NewText(label, theme.Color(theme.ColorNamePlaceHolder))
		caption.TextSize = theme.CaptionTextSize()
		return container.NewVBox(caption, value)
	}
	totals := container.NewVBox(
		container.NewGridWithColumns(3,
			small(lang.X("sell.subtotal", "Subtotal"), s.subtotal),
			small(lang.X("sell.discount", "Discount"), s.discount),
			small(s.taxLabel(), s.tax)),
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(lang.X("sell.total", "Total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.total),
	)
	s.holdBtn = widget.NewButtonWithIcon(lang.X("sell.hold", "Hold"), theme.MediaPauseIcon(), s.Hold)
	s.recallBtn = widget.NewButtonWithIcon(lang.X("sell.recall", "Recall"), theme.HistoryIcon(), s.ShowRecall)
	orderDisc := widget.NewButton(lang.X("sell.order_discount", "Order discount"), s.askOrderDiscount)
	clearBtn := widget.NewButtonWithIcon(lang.X("sell.clear", "Clear"), theme.DeleteIcon(), s.askClear)
	clearBtn.Importance = widget.DangerImportance
	actions := container.NewGridWithColumns(2, s.holdBtn, s.recallBtn, orderDisc, clearBtn)
	s.payBtn = widget.NewButtonWithIcon("", theme.ConfirmIcon(), s.pay)
	s.payBtn.Importance = widget.HighImportance
	pay := tall(s.payBtn, 72)
	bottom := container.NewVBox(widget.NewSeparator(), totals, actions, pay)
	cartHeader := widget.NewLabelWithStyle(lang.X("sell.cart", "Current order"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(cartHeader, bottom, nil, widgets.NewPager(s.cart), s.cart)
}

func (s *Sell) taxLabel() string {
	if s.ui.Shop.TaxMode == models.TaxExclusive {
		return lang.X("sell.tax_added", "VAT")
	}
	return lang.X("sell.tax_included", "VAT included")
}

// tall makes o fill the width at least height tall: for the big buttons.
func tall(o fyne.CanvasObject, height float32) fyne.CanvasObject { return atLeast(o, 0, height) }

// atLeast makes o at least width wide and height tall, wider where its
// text needs: a row of buttons that leaves what room it can to a label.
func atLeast(o fyne.CanvasObject, width, height float32) fyne.CanvasObject {
	return container.NewStack(strut(width, height), o)
}

// ToggleKeyboard shows or hides the on-screen keyboard that types into the
// search box, for touchscreens without a keyboard.
func (s *Sell) ToggleKeyboard() {
	if s.keyboard != nil && s.keyboard.Visible() {
		s.keyboard.Hide()
		return
	}
	k := widgets.NewKeyboard()
	k.Into(s.search)
	c := s.ui.Window.Canvas()
	// Not modal: the results stay bright above it, and a tap elsewhere closes it.
	pop := widget.NewPopUp(k, c)
	k.OnDone = pop.Hide
	s.keyboard = pop
	pop.ShowAtPosition(fyne.NewPos(theme.Padding(), c.Size().Height-pop.MinSize().Height-theme.Padding()))
}

// ReloadCatalog rebuilds the category tabs and the grid from the catalog,
// after it has loaded or changed.
func (s *Sell) ReloadCatalog() {
	s.categories = s.catalog.Categories()
	if s.catalog.Loaded() && s.catalog.All().Len() == 0 {
		s.noProducts.Show()
	} else {
		s.noProducts.Hide()
	}
	s.catButtons = nil
	add := func(id uint, name string) {
		b := widget.NewButton(name, func() { s.SelectCategory(id) })
		s.catButtons = append(s.catButtons, b)
	}
	add(0, lang.X("sell.all", "All"))
	for _, c := range s.categories {
		add(c.ID, c.DisplayName(s.ui.Shop.Lang))
	}
	// The tabs share the width when they fit and scroll sideways when not.
	grid := container.NewGridWithColumns(len(s.catButtons))
	for _, b := range s.catButtons {
		grid.Add(b)
	}
	// Room under the tabs for the scroll bar, which would cover their
	// labels otherwise.
	bar := container.NewHScroll(container.NewVBox(tall(grid, 56), strut(0, theme.ScrollBarSize())))
	s.catBarHolder.Objects = []fyne.CanvasObject{bar}
	s.catBarHolder.Refresh()
	s.SelectCategory(s.category)
}

// SelectCategory shows one category's products (0: all).
func (s *Sell) SelectCategory(id uint) {
	s.category = id
	for i, b := range s.catButtons {
		sel := (i == 0 && id == 0) || (i > 0 && i-1 < len(s.categories) && s.categories[i-1].ID == id)
		if sel {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	if s.search.Text != "" {
		s.search.SetText("") // showItems runs from OnChanged
		return
	}
	s.showItems()
}

// showItems fills the grid from the search box or the chosen category.
func (s *Sell) showItems() {
	s.ui.Touch()
	q := strings.TrimSpace(s.search.Text)
	switch {
	case q != "":
		s.items = s.catalog.Search(q, searchLimit)
	case s.category == 0:
		s.items = s.catalog.All()
	default:
		s.items = s.catalog.InCategory(s.category)
	}
	s.grid.Refresh()
	s.grid.ScrollToTop()
}

// Items is what the grid shows now.
func (s *Sell) Items() models.CatalogList { return s.items }

// AddItem adds qty of item to the order (0: one, or ask the weight of a
// weighed item), once the product's stock is known: beyond it, the cashier
// is warned, or, where the shop does not sell below zero stock, nothing is
// added and the notice says why. It reports false when nothing was added;
// an add that waits for the stock to be read reports true.
func (s *Sell) AddItem(item models.CatalogItem, qty models.Quantity) bool {
	if qty == 0 {
		qty = s.pendingQty
	}
	s.pendingQty = 0
	s.multiplier.SetText("")
	if item.Weighed && qty == 0 {
		s.withStock(item.ID, func() { s.askWeight(item) })
		return false
	}
	if qty == 0 {
		qty = models.Units(1)
	}
	added := true
	s.withStock(item.ID, func() { added = s.addNow(item, qty) })
	return added
}

// addNow adds qty of item, its stock known.
func (s *Sell) addNow(item models.CatalogItem, qty models.Quantity) bool {
	name := itemName(item, s.ui.Shop.Lang)
	i := -1
	warning, err := s.tryChange(item.ID, name, func(o *models.Order) (err error) {
		i, err = o.AddProduct(item.Product(), qty)
		return err
	})
	if err != nil {
		s.setStatus(Message(err), true)
		return false
	}
	s.setStatus(lang.X("sell.added", "Added {{.Name}}", map[string]any{"Name": name}), false)
	s.warn(warning)
	s.refreshCart()
	s.cart.ScrollTo(i)
	return true
}

func (s *Sell) askWeight(item models.CatalogItem) {
	unit := unitName(item.Unit, item.UnitEN, s.ui.Shop.Lang)
	title := lang.X("sell.weight_title", "Weight of {{.Name}} ({{.Unit}})",
		map[string]any{"Name": itemName(item, s.ui.Shop.Lang), "Unit": unit})
	newNumberDialog(s.ui, title, 3, "", func(text string) error {
		q, err := models.ParseQuantity(text)
		if err != nil {
			return err
		}
		warning, err := s.tryChange(item.ID, itemName(item, s.ui.Shop.Lang), func(o *models.Order) error {
			_, err := o.AddProduct(item.Product(), q)
			return err
		})
		if err != nil {
			return err
		}
		s.warn(warning)
		s.refreshCart()
		return nil
	}).Show()
}

// setStatus says what happened under the grid; an error is told in the
// notice over the products instead, with the till's beep.
func (s *Sell) setStatus(text string, isErr bool) {
	if isErr {
		s.notice.Tell(noticeError, text)
		s.ui.beep()
		text = ""
	}
	s.status.SetText(text)
}

// Status is what the screen tells the cashier now: the notice while one
// is up, else the message under the grid; for tests.
func (s *Sell) Status() string {
	if n := s.notice.Text(); n != "" {
		return n
	}
	return s.status.Text
}

// Notice is the notice over the products, or "" when none is up; for
// tests.
func (s *Sell) Notice() string { return s.notice.Text() }

func itemName(it models.CatalogItem, lng string) string {
	if lng == "en" && it.NameEN != "" {
		return it.NameEN
	}
	return it.Name
}

func unitName(zh, en, lng string) string {
	if lng == "en" && en != "" {
		return en
	}
	return zh
}

// ScrollGrid scrolls the product grid to offset, as a finger dragging it
// would, for tests.
func (s *Sell) ScrollGrid(offset float32) { s.grid.ScrollToOffset(offset) }
