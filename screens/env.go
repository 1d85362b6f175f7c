package screens

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/acquirer"
)

// Catalog is the product catalog as the sell screen searches it.
type Catalog interface {
	Categories() []models.Category
	InCategory(id uint) models.CatalogList
	All() models.CatalogList
	Search(query string, limit int) models.CatalogList
	Lookup(barcode string) (models.CatalogItem, bool)
}

// Sales stores sales and parked orders.
type Sales interface {
	CommitSale(ctx context.Context, o *models.Order, payments []models.Payment) error
	HoldOrder(ctx context.Context, o *models.Order, label string) error
	HeldOrders(ctx context.Context) ([]models.HeldOrder, error)
	RecallOrder(ctx context.Context, id uint) (*models.Order, error)
	OrdersBetween(ctx context.Context, from, to time.Time) ([]models.Order, error)
	OrderByID(ctx context.Context, id uint) (*models.Order, error)
	OrderHistory(ctx context.Context, o *models.Order) ([]models.HistoryEvent, error)
	// FindOrders is the transaction query: orders of [from, to) whose
	// number, total or card's last four digits match text.
	FindOrders(ctx context.Context, from, to time.Time, text string) ([]models.Order, error)
	// CancelOrder gives up an order stored awaiting a card or QR payment
	// that did not go through.
	CancelOrder(ctx context.Context, id uint) error
	// OperatorByCode finds the active operator whose code this is.
	OperatorByCode(ctx context.Context, code string) (models.Operator, error)
	// ManagerByCode checks a manager's authorization code.
	ManagerByCode(ctx context.Context, code string) (models.Operator, error)
	// Void cancels a paid order of the open batch (at the bank for a card
	// or QR payment), authorized by manager, and returns it as stored.
	Void(ctx context.Context, orderID uint, manager models.Operator) (*models.Order, error)
	// Refund gives amount of a paid order back to its tender, authorized
	// by manager, and returns it as stored.
	Refund(ctx context.Context, orderID uint, amount int64, manager models.Operator) (*models.Order, error)
	// DiscountLimit is the largest discount a cashier or waiter may give
	// without a manager, in basis points (1000 = 10%) of the amount it is
	// taken from.
	DiscountLimit() int64
	// SetDiscountLimit stores the discount limit, authorized by manager.
	SetDiscountLimit(ctx context.Context, bp int64, manager models.Operator) error
	// AuditApproval records that manager authorized action (such as
	// models.ActionDrawerOpen) for the operator, outside any order.
	AuditApproval(ctx context.Context, action, detail string, manager models.Operator) error
}

// Acquirer is the terminal's link to its acquirer, as the day-end screen
// uses it; nil when none is configured.
type Acquirer interface {
	// Status counts the payments not yet reported and gives the last report
	// time, and whether the host is connected.
	Status(ctx context.Context) (pending int64, last time.Time, connected bool, err error)
	// SyncNow reports every pending payment, telling progress how many are done.
	SyncNow(ctx context.Context, progress func(done int)) (int, error)
	// Settle closes the open batch with the host.
	Settle(ctx context.Context) (acquirer.Settlement, error)
}

// CardStep is where a card payment is.
type CardStep string

// Card payment steps, as the pay-by-card screen shows them.
const (
	StepNoReader    CardStep = "no_reader"   // waiting for a reader to be plugged in
	StepWaiting     CardStep = "waiting"     // waiting for a tap
	StepReading     CardStep = "reading"     // reading the card
	StepAuthorizing CardStep = "authorizing" // asking the bank
	StepFinger      CardStep = "finger"      // waiting for the cardholder's finger
)

// CardResult is how a card payment ended.
type CardResult struct {
	Approved  bool
	Code      string // the host's response code ("00", "51", "Y1" offline)
	MaskedPAN string
	AuthCode  string
	CVM       string
}

// Cards takes contactless card payments; nil when Till has no way to.
type Cards interface {
	// Reader names the reader used, or "" when none is connected.
	Reader(ctx context.Context) (string, error)
	// DemoCards names the demo cards a tap can be played with (demo mode
	// only; none otherwise).
	DemoCards() []string
	// Pay waits for a tap (or plays the demo card named demo), reads the
	// card, checks it, and has the acquirer authorize o's total; step is
	// told each step. o is stored awaiting payment on the first attempt and
	// comes back as stored: paid when approved.
	Pay(ctx context.Context, o *models.Order, demo string, step func(CardStep)) (CardResult, error)
	// Readers lists the readers connected now.
	Readers(ctx context.Context) ([]string, error)
	// ChooseReader remembers the reader to use.
	ChooseReader(ctx context.Context, name string) error
	// Limits are the card limits in force; SetLimits stores new ones.
	Limits() CardLimits
	SetLimits(ctx context.Context, l CardLimits) error
}

// QRResult is how a QR payment ended.
type QRResult struct {
	Approved bool
	Code     string // the host's response code
	Wallet   string // for a payment code: "wechat", "alipay" or "unionpay"
	AuthCode string
}

// QR takes QR payments; nil when Till cannot.
type QR interface {
	// Show stores o awaiting payment, opens a QR order for its total at the
	// acquirer and returns the payload to show as a QR code.
	Show(ctx context.Context, o *models.Order) (string, error)
	// Await waits for the customer to pay the QR shown for o; left is told
	// how long it stays valid. Cancelling ctx closes the order at the host,
	// which refunds a payment that arrives after.
	Await(ctx context.Context, o *models.Order, left func(time.Duration)) (QRResult, error)
	// PayCode charges the customer's payment code for o; while the customer
	// confirms in their app, wait is told how long is left.
	PayCode(ctx context.Context, o *models.Order, code string, wait func(time.Duration)) (QRResult, error)
	// CanSimulate reports whether SimulateScan works (demo mode).
	CanSimulate() bool
	// SimulateScan pays the QR with payload as a customer's phone would.
	SimulateScan(ctx context.Context, payload string) error
}

// Printer prints on the receipt printer; without one set it prints
// nothing. Printing never blocks: a failure is shown when it happens.
type Printer interface {
	// Receipt prints o's receipt (marked as a reprint if asked).
	Receipt(o *models.Order, reprint bool)
	// Slip prints a void or refund slip.
	Slip(rows []receipt.Row)
	// OpenDrawer kicks the cash drawer open through the printer; it
	// returns an error at once when no printer is set.
	OpenDrawer() error
	// Settings are the printer's and the receipt's settings.
	Settings() PrinterSettings
	// Configure checks and stores them.
	Configure(ctx context.Context, s PrinterSettings) error
}

// PrinterSettings are the receipt printer's profile and what receipts say.
type PrinterSettings struct {
	URL     string // serial:///dev/ttyUSB0?baud=9600, tcp://192.168.1.50:9100, file:///path; empty: none
	Paper   string // "58" or "80" (mm)
	QR      string // "native" (the printer's QR command) or "raster" (an image)
	Cut     string // "partial", "full" or "none"
	Chinese bool   // send Chinese mode (FS &) around Chinese text
	Address string // the shop's address
	Header  string // lines above the receipt, separated by \n
	Footer  string // lines below it
	Logo    string // a PNG or JPEG file printed at the top
}

// Fingers identifies staff by fingerprint; nil without a reader.
type Fingers interface {
	// Identify waits (until ctx is done) for a finger and returns whose it is.
	Identify(ctx context.Context) (models.Operator, error)
	// DemoFingers names the fingers a demo can place on its simulated
	// reader (none outside demo mode); PlaceDemo puts one there.
	DemoFingers() []string
	PlaceDemo(name string)
	// Enroll reads op's finger three times (step told 1, 2, 3), with op's
	// consent, authorized by manager, and keeps it.
	Enroll(ctx context.Context, op, manager models.Operator, step func(n int)) error
	// RemoveOperator closes sign-in for op, who leaves, and deletes their
	// fingers from the reader and the database, authorized by manager.
	RemoveOperator(ctx context.Context, op, manager models.Operator) error
	// Staff lists the active operators with how many fingers each has
	// enrolled.
	Staff(ctx context.Context) ([]StaffFingers, error)
}

// SerialDevices chooses the serial ports of the fingerprint reader and the
// barcode scanner; a choice takes effect at the next start.
type SerialDevices interface {
	// Ports lists the serial ports present now.
	Ports() ([]string, error)
	// Port is the port chosen for a device ("fingerprint" or "scanner"),
	// or "" for none.
	Port(device string) string
	// SetPort stores the port for a device ("" for none).
	SetPort(ctx context.Context, device, port string) error
}

// StaffFingers is an operator and their enrolled fingers.
type StaffFingers struct {
	Operator models.Operator
	Fingers  int
}

// CardLimits are the amounts, in minor units, that decide how a card is
// taken: at or under NoCVM no PIN or signature; at or above Contactless no
// tap; at or under Floor an approval offline while the bank is unreachable.
type CardLimits struct {
	NoCVM, Contactless, Floor int64
}

// Shop is what the screens show about the shop, the terminal and who is selling.
type Shop struct {
	Name       string
	TerminalID string
	Operator   models.Operator
	Currency   models.Currency
	TaxMode    models.TaxMode
	Lang       string // "zh" or "en"
	Version    string
	DBPath     string
}

// Env is everything a screen receives from app.
type Env struct {
	Window  fyne.Window
	Catalog Catalog
	Sales   Sales
	Shop    Shop
	// Acquirer is nil when no acquirer is configured.
	Acquirer Acquirer
	// Cards is nil when card payments cannot be taken.
	Cards Cards
	// QR is nil when QR payments cannot be taken.
	QR QR
	// Printer is nil in tests that print nothing.
	Printer Printer
	// Fingers is nil without a fingerprint reader.
	Fingers Fingers
	// Members is the stored-value programme; nil without a fingerprint
	// reader.
	Members Members
	// Serial chooses serial device ports; nil in tests that need none.
	Serial SerialDevices
	// Async runs work off the UI goroutine and then done on it. Tests pass
	// a version that runs both at once, so they need no waiting.
	Async func(work func(), done func())
	// Do runs f on the UI goroutine, from background work (fyne.Do).
	Do func(f func())
	// SetLanguage stores the chosen language and rebuilds the UI in it.
	SetLanguage func(lang string)
	// SignOut ends the operator's shift and shows the login screen.
	SignOut func()
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Idle is told of every action, to lock the till when there are none
	// for a while; nil never locks.
	Idle *Idle
	// AutoLock reads and stores the idle time before the till locks; nil
	// hides the setting.
	AutoLock AutoLock
}

// Touch tells Idle that someone did something at the till.
func (e *Env) Touch() { e.Idle.Touch() }

// AutoLock is the setting of how long the till waits, idle, before it locks.
type AutoLock interface {
	// Minutes is the idle time before the till locks; 0 never locks.
	Minutes() int
	// SetMinutes stores it and applies it at once.
	SetMinutes(ctx context.Context, minutes int) error
}

func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// BackgroundAsync is Env.Async for the running app: work in a goroutine,
// done back on Fyne's goroutine.
func BackgroundAsync(work func(), done func()) {
	go func() {
		work()
		fyne.Do(done)
	}()
}

// InlineAsync is Env.Async for tests: both at once, in order.
func InlineAsync(work func(), done func()) {
	work()
	done()
}

// Message is the text of err for the person at the till, in their language.
func Message(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		data := map[string]any{}
		for k, v := range e.Args {
			data[k] = v
		}
		return lang.X(e.Key, e.Fallback, data)
	}
	return lang.X("error.internal", "Something went wrong; the data is safe. Please try again")
}

// ShowError tells the person at the till what went wrong.
func ShowError(w fyne.Window, err error) {
	if err == nil {
		return
	}
	fyne.LogError("till", err)
	dialog.ShowInformation(lang.X("dialog.error", "Cannot do that"), Message(err), w)
}
