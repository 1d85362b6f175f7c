package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/screens"
)

// Printer settings.
const (
	settingPrinterURL   = "printer_url"   // serial:///dev/ttyUSB0?baud=9600, tcp://host:9100, file:///path
	settingPrinterPaper = "printer_paper" // "58" or "80"
	settingPrinterQR    = "printer_qr"    // "native" or "raster"
	settingPrinterCut   = "printer_cut"   // "partial", "full" or "none"
	settingShopAddress  = "shop_address"
	settingHeader       = "receipt_header" // lines separated by \n
	settingFooter       = "receipt_footer"
)

// printing prints receipts and slips on the receipt printer set in
// Settings, one job after another, off the UI goroutine.
type printing struct {
	t *Till

	mu      sync.Mutex
	p       *printer.Printer // opened on first use
	url     string
	profile printer.Profile
}

// newPrinting reads the printer settings; with no printer URL nothing
// prints (the screen preview stays) until one is set.
func newPrinting(ctx context.Context, t *Till) (*printing, error) {
	pr := &printing{t: t}
	return pr, pr.load(ctx)
}

// load (re)reads the printer settings and drops the open connection.
func (pr *printing) load(ctx context.Context) error {
	s := pr.t.store
	url, err := s.Setting(ctx, settingPrinterURL, "")
	if err != nil {
		return err
	}
	paper, _ := s.Setting(ctx, settingPrinterPaper, "58")
	qr, _ := s.Setting(ctx, settingPrinterQR, "native")
	cut, _ := s.Setting(ctx, settingPrinterCut, "partial")
	pr.close()
	pr.mu.Lock()
	pr.url, pr.profile = url, printerProfile(paper, qr, cut)
	pr.mu.Unlock()
	return nil
}

// configured reports whether a printer is set.
func (pr *printing) configured() bool {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.url != ""
}

// printerProfile is the ESC/POS profile of the settings' paper width, QR
// mode and cut.
func printerProfile(paper, qr, cut string) printer.Profile {
	p := printer.Profile58()
	if paper == "80" {
		p = printer.Profile80()
	}
	if qr == "raster" {
		p.QRMode = printer.QRRaster
	}
	switch cut {
	case "full":
		p.Cut = printer.CutFull
	case "none":
		p.Cut = printer.CutNone
	}
	return p
}

func (pr *printing) printer() (*printer.Printer, error) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.p != nil {
		return pr.p, nil
	}
	conn, err := printer.Open(pr.url)
	if err != nil {
		return nil, printError(err)
	}
	pr.p = printer.New(conn, pr.profile)
	return pr.p, nil
}

func (pr *printing) close() {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.p != nil {
		pr.p.Close()
		pr.p = nil
	}
}

// shop is the shop as receipts name it.
func (pr *printing) shop() receipt.Shop {
	s := pr.t.store
	ctx := context.Background()
	addr, _ := s.Setting(ctx, settingShopAddress, "")
	header, _ := s.Setting(ctx, settingHeader, "")
	footer, _ := s.Setting(ctx, settingFooter, "")
	e := pr.t.env.Shop
	return receipt.Shop{Name: e.Name, Address: addr, TerminalID: e.TerminalID, Lang: e.Lang, Header: header, Footer: footer}
}

// Doc lays receipt rows out as a printer document for the profile's paper:
// ¥ becomes the full-width ￥ the printer's Chinese font has.
func Doc(rows []receipt.Row, p printer.Profile) printer.Doc {
	fixed := make([]receipt.Row, len(rows))
	for i, r := range rows {
		r.Left = strings.ReplaceAll(r.Left, "¥", "￥")
		r.Right = strings.ReplaceAll(r.Right, "¥", "￥")
		fixed[i] = r
	}
	var d printer.Doc
	for _, l := range receipt.LayoutWith(fixed, p.Columns, printer.TextColumns) {
		switch {
		case l.Barcode != "":
			d.Barcode(l.Barcode)
		case l.QR != "":
			d.QR(l.QR)
		default:
			d.Text(l.Text, printer.Style{Bold: l.Bold, Double: l.Double})
		}
	}
	d.Cut(true)
	return d
}

// Receipt prints o's receipt: two copies (merchant's, to sign, and the
// customer's) when a card paid, and kicks the drawer open for cash.
func (pr *printing) Receipt(o *models.Order, reprint bool, done func(error)) {
	if !pr.configured() {
		return
	}
	shop := pr.shop()
	copies := []string{""}
	cash := false
	for _, p := range o.Payments {
		if p.Tender == models.TenderCard && p.Amount > 0 {
			copies = []string{"merchant", "customer"}
		}
		cash = cash || (p.Tender == models.TenderCash && p.Amount > 0)
	}
	var docs []printer.Doc
	for _, c := range copies {
		d := Doc(receipt.BuildWith(o, shop, lang.X, receipt.Options{Copy: c, Reprint: reprint}), pr.profile)
		docs = append(docs, d)
	}
	if cash && !reprint && o.Status == models.OrderPaid {
		docs[0].Drawer()
	}
	pr.print(docs, done)
}

// Slip prints a void or refund slip.
func (pr *printing) Slip(rows []receipt.Row, done func(error)) {
	if !pr.configured() {
		return
	}
	pr.print([]printer.Doc{Doc(rows, pr.profile)}, done)
}

// print sends docs in order from a goroutine and tells done (on the UI
// goroutine) how it went.
func (pr *printing) print(docs []printer.Doc, done func(error)) {
	do := pr.t.env.Do
	go func() {
		err := pr.printNow(docs)
		if done != nil {
			do(func() { done(err) })
		}
	}()
}

func (pr *printing) printNow(docs []printer.Doc) error {
	p, err := pr.printer()
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := p.Print(context.Background(), d); err != nil {
			if errors.Is(err, printer.ErrUnreachable) || errors.Is(err, printer.ErrNoAnswer) {
				pr.close() // reconnect next time
			}
			return printError(err)
		}
	}
	return nil
}

// Printer errors, in the user's language; the sale is always kept.
var (
	errPaperOut = &models.Error{Code: models.EINVALID, Key: "error.printer.paper_out",
		Fallback: "The printer is out of paper: load paper, then reprint from Orders (the sale is kept)"}
	errCoverOpen = &models.Error{Code: models.EINVALID, Key: "error.printer.cover_open",
		Fallback: "The printer's cover is open: close it, then reprint from Orders (the sale is kept)"}
	errPrinterOffline = &models.Error{Code: models.EINVALID, Key: "error.printer.offline",
		Fallback: "The printer is offline: check it, then reprint from Orders (the sale is kept)"}
	errPrinterUnreachable = &models.Error{Code: models.EINVALID, Key: "error.printer.unreachable",
		Fallback: "The printer cannot be reached: check its cable or network and its address in Settings, then reprint from Orders"}
	errPrinterURL = &models.Error{Code: models.EINVALID, Key: "error.printer.url",
		Fallback: "The printer address in Settings is not valid (serial:///dev/ttyUSB0, tcp://host:9100 or file:///path)"}
)

func printError(err error) error {
	var target *models.Error
	switch {
	case errors.Is(err, printer.ErrPaperOut):
		target = errPaperOut
	case errors.Is(err, printer.ErrCoverOpen):
		target = errCoverOpen
	case errors.Is(err, printer.ErrOffline):
		target = errPrinterOffline
	case errors.Is(err, printer.ErrBadURL):
		target = errPrinterURL
	default:
		target = errPrinterUnreachable
	}
	return fmt.Errorf("%w: %w", target, err)
}

// printerScreens is the printer as the screens use it.
type printerScreens struct{ pr *printing }

func (s printerScreens) Receipt(o *models.Order, reprint bool) {
	s.pr.Receipt(o, reprint, s.report)
}

func (s printerScreens) Slip(rows []receipt.Row) { s.pr.Slip(rows, s.report) }

// Settings are the printer's address and paper width ("58" or "80").
func (s printerScreens) Settings() (url, paper string) {
	s.pr.mu.Lock()
	defer s.pr.mu.Unlock()
	paper = "58"
	if s.pr.profile.Columns == printer.Profile80().Columns {
		paper = "80"
	}
	return s.pr.url, paper
}

// Configure stores a printer's address and paper width; an address that
// is not a printer URL is refused.
func (s printerScreens) Configure(ctx context.Context, url, paper string) error {
	if url != "" {
		if _, err := printer.Open(url); errors.Is(err, printer.ErrBadURL) {
			return printError(err)
		}
	}
	st := s.pr.t.store
	if err := st.SetSetting(ctx, settingPrinterURL, url); err != nil {
		return err
	}
	if err := st.SetSetting(ctx, settingPrinterPaper, paper); err != nil {
		return err
	}
	return s.pr.load(ctx)
}

func (s printerScreens) report(err error) {
	if err != nil {
		screens.ShowError(s.pr.t.window, err)
	}
}
