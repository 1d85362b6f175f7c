// Package printing prints receipts and slips on the receipt printer set in
// Settings, one job after another, off the UI goroutine, and keeps the
// printer's and the receipt's settings.
package printing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logos
	"image/png"
	"os"
	"strings"
	"sync"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/services"
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
	settingLogo         = "receipt_logo"    // a PNG or JPEG file printed at the top
	settingChinese      = "printer_chinese" // "on" (FS & around GB18030 text) or "off"
)

// Printing prints receipts and slips on the receipt printer set in
// Settings, one job after another, off the UI goroutine.
type Printing struct {
	store  *models.Store
	shopOf func() receipt.Shop // the shop as receipts name it, but for the settings kept here
	// tr translates the receipt's words into the language in force.
	tr func(key, fallback string, data ...any) string
	// report is told, from the printing worker, how each job went.
	report  func(error)
	log     func(string, error)
	dataDir string          // the folder holding till.db: no file printer in it
	opts    printer.Options // the printer connection's timeouts

	mu       sync.Mutex
	p        *printer.Printer // opened on first use
	url      string
	urlErr   error // why the stored address is refused; nil: it is not
	profile  printer.Profile
	logo     image.Image // nil: none
	state    receipt.PrinterState
	stateErr error // why the last job or check failed

	jobs    chan printJob // one worker prints them in the order they came
	once    sync.Once
	stopped bool // under mu: no more jobs
}

// printJob is one receipt or slip (several documents printed together,
// laid out by build for the printer's profile and logo), or a check of the
// printer's status (build nil), and who to tell how it went.
type printJob struct {
	build func(printer.Profile, image.Image) []printer.Doc
	done  func(error)
}

// Config is what printing is built from.
type Config struct {
	Store *models.Store
	// Shop names the shop on receipts (address, header and footer are
	// filled in from the settings here).
	Shop func() receipt.Shop
	// Translate translates the receipt's words (lang.X); required, as is Shop.
	Translate func(key, fallback string, data ...any) string
	// Report is told, from the printing worker, how each job went (nil
	// for success); nil reports nothing.
	Report func(error)
	// Log reports errors no one is shown.
	Log func(string, error)
	// DataDir is the data folder, which holds till.db: a file:// printer
	// may not write in it (receipt.CheckPrinterURL).
	DataDir string
	// Timeouts tune the printer connection; zero fields take the
	// printer package's defaults.
	Timeouts printer.Options
}

// New reads the printer settings; with no printer URL nothing prints (the
// screen preview stays) until one is set.
func New(ctx context.Context, cfg Config) (*Printing, error) {
	pr := &Printing{store: cfg.Store, shopOf: cfg.Shop, tr: cfg.Translate, report: cfg.Report, log: services.LogOr(cfg.Log),
		dataDir: cfg.DataDir, opts: cfg.Timeouts}
	if pr.report == nil {
		pr.report = func(error) {}
	}
	return pr, pr.load(ctx)
}

// load (re)reads the printer settings and drops the open connection. A
// stored address that is refused (a file in the data folder) is logged,
// and each job then fails with the reason.
func (pr *Printing) load(ctx context.Context) error {
	s := pr.store
	url, err := s.Setting(ctx, settingPrinterURL, "")
	if err != nil {
		return err
	}
	urlErr := receipt.CheckPrinterURL(url, pr.dataDir)
	if urlErr != nil {
		pr.log("printing: printer address refused", urlErr)
	}
	paper, _ := s.Setting(ctx, settingPrinterPaper, "58")
	qr, _ := s.Setting(ctx, settingPrinterQR, "native")
	cut, _ := s.Setting(ctx, settingPrinterCut, "partial")
	chinese, _ := s.Setting(ctx, settingChinese, "on")
	profile := Profile(paper, qr, cut)
	profile.ChineseMode = chinese != "off"
	var logo image.Image
	if path, _ := s.Setting(ctx, settingLogo, ""); path != "" {
		if logo, err = loadLogo(path); err != nil {
			pr.log("printing: receipt logo", err) // receipts print without it
		}
	}
	pr.close()
	pr.mu.Lock()
	pr.url, pr.urlErr, pr.profile, pr.logo = url, urlErr, profile, logo
	pr.state, pr.stateErr = receipt.PrinterNotAsked, nil
	if urlErr != nil {
		pr.state, pr.stateErr = receipt.PrinterFailed, urlErr
	}
	pr.mu.Unlock()
	return nil
}

// loadLogo reads a PNG or JPEG logo.
func loadLogo(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("printing: logo %s: %w", path, err)
	}
	return img, nil
}

// configured reports whether a printer is set.
func (pr *Printing) configured() bool {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.url != ""
}

// Profile is the ESC/POS profile of the settings' paper width, QR
// mode and cut.
func Profile(paper, qr, cut string) printer.Profile {
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

func (pr *Printing) printer() (*printer.Printer, error) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.p != nil {
		return pr.p, nil
	}
	if pr.urlErr != nil {
		return nil, pr.urlErr
	}
	conn, err := printer.OpenOptions(pr.url, pr.opts)
	if err != nil {
		return nil, printError(err)
	}
	pr.p = printer.New(conn, pr.profile)
	return pr.p, nil
}

func (pr *Printing) close() {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.p != nil {
		pr.p.Close()
		pr.p = nil
	}
}

// shop is the shop as receipts name it.
func (pr *Printing) shop() receipt.Shop {
	s := pr.store
	ctx := context.Background()
	shop := pr.shopOf()
	shop.Address, _ = s.Setting(ctx, settingShopAddress, "")
	shop.Header, _ = s.Setting(ctx, settingHeader, "")
	shop.Footer, _ = s.Setting(ctx, settingFooter, "")
	return shop
}

// Doc lays receipt rows out as a printer document for the profile's paper,
// under logo if there is one: ¥ becomes the full-width ￥ the printer's
// Chinese font has.
func Doc(rows []receipt.Row, p printer.Profile, logo ...image.Image) printer.Doc {
	fixed := make([]receipt.Row, len(rows))
	for i, r := range rows {
		r.Left = strings.ReplaceAll(r.Left, "¥", "￥")
		r.Right = strings.ReplaceAll(r.Right, "¥", "￥")
		fixed[i] = r
	}
	var d printer.Doc
	for _, img := range logo {
		if img != nil {
			d.Image(img)
		}
	}
	for _, l := range receipt.LayoutWith(fixed, p.Columns, printer.TextColumns) {
		switch {
		case l.Barcode != "":
			d.Barcode(l.Barcode)
		case l.QR != "":
			d.QR(l.QR)
		case l.Image != nil:
			// A signature that does not decode (it was checked when kept)
			// leaves its line blank rather than the receipt unprinted.
			if img, err := png.Decode(bytes.NewReader(l.Image)); err == nil {
				d.Image(img)
			} else {
				d.Text(" ", printer.Style{})
			}
		default:
			d.Text(l.Text, printer.Style{Bold: l.Bold, Double: l.Double})
		}
	}
	d.Cut(true)
	return d
}

// Receipt prints o's receipt: two copies (merchant's, to sign, and the
// customer's) when a card paid, and kicks the drawer open for cash. The
// receipt is laid out by the printing worker, off the UI goroutine; a
// failure is reported when it happens.
func (pr *Printing) Receipt(o *models.Order, reprint bool) { pr.ReceiptThen(o, reprint, pr.report) }

// ReceiptThen prints o's receipt as Receipt does, and tells done, from the
// printing worker, how it went.
func (pr *Printing) ReceiptThen(o *models.Order, reprint bool, done func(error)) {
	if !pr.configured() {
		return
	}
	o = o.Clone()
	pr.print(func(p printer.Profile, logo image.Image) []printer.Doc {
		shop := pr.shop()
		copies := []string{""}
		cash := false
		for _, p := range o.Payments {
			if p.Tender == models.TenderCard && p.Amount > 0 {
				copies = []string{"merchant", "customer"}
			}
			cash = cash || (p.Tender == models.TenderCash && p.Amount > 0)
		}
		sigs := pr.signatures(o)
		var docs []printer.Doc
		for _, c := range copies {
			docs = append(docs, Doc(receipt.BuildWith(o, shop, pr.tr, receipt.Options{Copy: c, Reprint: reprint, Signatures: sigs}), p, logo))
		}
		if cash && !reprint && o.Status == models.OrderPaid {
			docs[0].Drawer()
		}
		return docs
	}, done)
}

// signatures are the electronic signatures of o's card payments, for its
// merchant copy; one that cannot be read is logged and left out (the copy
// then has a line to sign on).
func (pr *Printing) signatures(o *models.Order) map[uint]receipt.Signed {
	sigs := map[uint]receipt.Signed{}
	for _, p := range o.Payments {
		if p.Tender != models.TenderCard || p.CVM != string(payments.CVMSignature) || pr.store == nil {
			continue
		}
		sig, err := pr.store.SignatureOf(context.Background(), p.ID)
		if err != nil {
			pr.log("printing: signature for the merchant copy", err)
			continue
		}
		if sig != nil {
			sigs[p.ID] = receipt.Signed{Image: sig.Image, FeatureCode: sig.FeatureCode}
		}
	}
	return sigs
}

// Slip prints a void or refund slip; a failure is reported when it happens.
func (pr *Printing) Slip(rows []receipt.Row) { pr.slip(rows, pr.report) }

func (pr *Printing) slip(rows []receipt.Row, done func(error)) {
	if !pr.configured() {
		return
	}
	pr.print(func(p printer.Profile, logo image.Image) []printer.Doc {
		return []printer.Doc{Doc(rows, p, logo)}
	}, done)
}

// PrintSlip prints a slip (a settlement's, say) in its turn in the queue
// and waits until it is printed, or fails, or ctx ends: for work off the UI
// goroutine that shows how printing went. Without a printer set it says so
// at once.
func (pr *Printing) PrintSlip(ctx context.Context, rows []receipt.Row) error {
	if !pr.configured() {
		return errNoSlipPrinter
	}
	done := make(chan error, 1)
	pr.slip(rows, func(err error) { done <- err })
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("printing: slip: %w", ctx.Err())
	}
}

// CanOpenDrawer says whether the drawer can be opened: it opens through
// the receipt printer, so one must be set.
func (pr *Printing) CanOpenDrawer() error {
	if !pr.configured() {
		return errNoPrinter
	}
	return nil
}

// OpenDrawer kicks the cash drawer open through the receipt printer,
// queued after the jobs before it; a failure is reported when it happens.
// Without a printer set it returns errNoPrinter at once.
func (pr *Printing) OpenDrawer() error { return pr.openDrawer(pr.report) }

func (pr *Printing) openDrawer(done func(error)) error {
	if err := pr.CanOpenDrawer(); err != nil {
		return err
	}
	pr.print(func(printer.Profile, image.Image) []printer.Doc {
		var d printer.Doc
		d.Drawer()
		return []printer.Doc{d}
	}, done)
	return nil
}

// print queues docs for the printing worker, which prints jobs one after
// another in the order they were queued and tells done (from the worker's
// goroutine) how each went; a nil build checks the printer's status. It
// never blocks the caller.
func (pr *Printing) print(build func(printer.Profile, image.Image) []printer.Doc, done func(error)) {
	pr.once.Do(func() {
		pr.jobs = make(chan printJob, 256)
		go func() {
			for j := range pr.jobs {
				var err error
				if j.build == nil {
					err = pr.checkNow()
				} else {
					pr.mu.Lock()
					profile, logo := pr.profile, pr.logo
					pr.mu.Unlock()
					err = pr.printNow(j.build(profile, logo))
				}
				if j.done != nil {
					j.done(err)
				}
			}
		}()
	})
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.stopped {
		return
	}
	select {
	case pr.jobs <- printJob{build, done}:
	default: // hundreds of jobs waiting: the printer is gone; say so at once
		if done != nil {
			done(errPrinterUnreachable)
		}
	}
}

// Stop ends the printing worker once the queued jobs are done, and closes
// the printer.
func (pr *Printing) Stop() {
	pr.mu.Lock()
	if !pr.stopped && pr.jobs != nil {
		close(pr.jobs)
	}
	pr.stopped = true
	pr.mu.Unlock()
	pr.close()
}

// printNow prints docs, noting what the printer said of itself. A printer
// that does not answer status requests still prints; a stuck one fails the
// job at once (printer.ErrTimeout) and the next job tries again.
func (pr *Printing) printNow(docs []printer.Doc) error {
	p, err := pr.printer()
	if err != nil {
		return pr.noted(printer.Status{Unknown: true}, err)
	}
	for _, d := range docs {
		if err := pr.noted(p.PrintStatus(context.Background(), d)); err != nil {
			return err
		}
	}
	return nil
}

// checkNow asks the printer for its status, noting it.
func (pr *Printing) checkNow() error {
	p, err := pr.printer()
	if err != nil {
		return pr.noted(printer.Status{Unknown: true}, err)
	}
	return pr.noted(p.Status(context.Background()))
}

// noted records what a job or a check said of the printer, and returns
// its error in the user's words.
func (pr *Printing) noted(st printer.Status, err error) error {
	state := receipt.PrinterReady
	switch {
	case err != nil:
		if errors.Is(err, printer.ErrUnreachable) {
			pr.close() // reconnect next time
		}
		var me *models.Error
		if !errors.As(err, &me) {
			err = printError(err)
		}
		state = receipt.PrinterFailed
	case st.Unknown:
		state = receipt.PrinterStatusUnknown
	case st.PaperNearEnd:
		state = receipt.PrinterPaperLow
	}
	pr.mu.Lock()
	pr.state, pr.stateErr = state, err
	pr.mu.Unlock()
	return err
}

// State is what is known of the printer from its last job or check, and
// why that failed.
func (pr *Printing) State() (receipt.PrinterState, error) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.state, pr.stateErr
}

// Check asks the printer for its status in its turn in the queue and waits
// for the answer, or ctx's end: a printer that does not answer status
// requests gives receipt.PrinterStatusUnknown and no error. Without a
// printer set it says receipt.PrinterNotAsked at once.
func (pr *Printing) Check(ctx context.Context) (receipt.PrinterState, error) {
	if !pr.configured() {
		return receipt.PrinterNotAsked, nil
	}
	done := make(chan error, 1)
	pr.print(nil, func(err error) { done <- err })
	select {
	case err := <-done:
		state, _ := pr.State()
		return state, err
	case <-ctx.Done():
		return receipt.PrinterNotAsked, fmt.Errorf("printing: check: %w", ctx.Err())
	}
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
	errPrinterTimeout = &models.Error{Code: models.EINVALID, Key: "error.printer.timeout",
		Fallback: "The printer stopped taking data: check its paper, its cover and its cable, then reprint from Orders (the sale is kept)"}
	errNoPrinter = &models.Error{Code: models.EINVALID, Key: "error.printer.none",
		Fallback: "No receipt printer is set in Settings: the cash drawer opens through it"}
	errNoSlipPrinter = &models.Error{Code: models.EINVALID, Key: "error.printer.none_slip",
		Fallback: "No receipt printer is set in Settings: the slip was not printed"}
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
	case errors.Is(err, printer.ErrTimeout):
		target = errPrinterTimeout
	default:
		target = errPrinterUnreachable
	}
	return fmt.Errorf("%w: %w", target, err)
}

// Settings are the printer's and the receipt's settings.
func (pr *Printing) Settings() receipt.PrinterSettings {
	st := pr.store
	ctx := context.Background()
	get := func(key, def string) string {
		v, _ := st.Setting(ctx, key, def)
		return v
	}
	return receipt.PrinterSettings{URL: get(settingPrinterURL, ""), Paper: get(settingPrinterPaper, "58"),
		QR: get(settingPrinterQR, "native"), Cut: get(settingPrinterCut, "partial"), Chinese: get(settingChinese, "on") != "off",
		Address: get(settingShopAddress, ""), Header: get(settingHeader, ""), Footer: get(settingFooter, ""), Logo: get(settingLogo, "")}
}

// Configure checks and stores the printer's and the receipt's settings: the
// printer's address must be one the driver understands, and may not write
// in the data folder (receipt.CheckPrinterURL). by makes the change.
// Nothing is opened here.
func (pr *Printing) Configure(ctx context.Context, ps receipt.PrinterSettings, by models.Operator) error {
	if ps.URL != "" {
		if err := printer.CheckURL(ps.URL); err != nil {
			return printError(err)
		}
		if err := receipt.CheckPrinterURL(ps.URL, pr.dataDir); err != nil {
			return err
		}
	}
	if ps.Logo != "" {
		if _, err := loadLogo(ps.Logo); err != nil {
			return fmt.Errorf("%w: %w", errLogo, err)
		}
	}
	chinese := "on"
	if !ps.Chinese {
		chinese = "off"
	}
	values := map[string]string{settingPrinterURL: ps.URL, settingPrinterPaper: ps.Paper, settingPrinterQR: ps.QR,
		settingPrinterCut: ps.Cut, settingChinese: chinese, settingShopAddress: ps.Address, settingHeader: ps.Header,
		settingFooter: ps.Footer, settingLogo: ps.Logo}
	if err := pr.store.ChangeSettings(ctx, models.PermSettingsDevices, values, by); err != nil {
		return err
	}
	return pr.load(ctx)
}

var errLogo = &models.Error{Code: models.EINVALID, Key: "error.printer.logo",
	Fallback: "The logo file cannot be read as a PNG or JPEG picture"}
