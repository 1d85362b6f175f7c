package app

import (
	"context"
	"fmt"
	"log"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/devices/scanner"
	"github.com/till-pos/till/internal/firstframe"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/resources"
	"github.com/till-pos/till/screens"
	"github.com/till-pos/till/services/backup"
	"github.com/till-pos/till/services/cardpay"
	"github.com/till-pos/till/services/catalog"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/export"
	"github.com/till-pos/till/services/fingers"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/members"
	"github.com/till-pos/till/services/ports"
	"github.com/till-pos/till/services/printing"
	"github.com/till-pos/till/services/qrpayment"
	"github.com/till-pos/till/services/risk"
	"github.com/till-pos/till/services/sales"
	"github.com/till-pos/till/services/secrets"
	"github.com/till-pos/till/services/setup"
	"github.com/till-pos/till/services/shifts"
	"github.com/till-pos/till/services/signing"
	"github.com/till-pos/till/services/staff"
	swupdate "github.com/till-pos/till/services/update"
)

// AppID is Till's application ID, as in FyneApp.toml.
const AppID = "pos.till.app"

// WindowSize is Till's window on a desktop: a 1280×800 landscape tablet.
var WindowSize = fyne.NewSize(1280, 800)

// Till is a running terminal: its store, services, screens and window.
type Till struct {
	opts   Options
	path   string // the database file
	store  *models.Store
	window fyne.Window
	ui     *screens.UI
	deps   screens.Deps
	shell  *screens.Shell
	risk   *risk.Monitor // the risk alerts
	// backups makes the backups, on demand and daily; stopDaily ends the
	// daily backup's timer.
	backups   *backup.Service
	stopDaily chan struct{}
	// updates checks the update channel and installs at close of day
	// (nil in training); stopUpdates ends its daily check.
	updates     *swupdate.Installer
	stopUpdates chan struct{}
	// setupScreen is the first-run setup while it is shown, setupUI
	// what it runs on, and setupDevs the devices it chooses and tests.
	setupScreen *screens.Setup
	setupUI     *screens.UI
	setupDevs   *setupDevices
	login       *screens.Login // the login screen while no one is signed in
	lock        locking        // the auto-lock
	lang        atomic.Value   // "zh" or "en", read by the printing worker

	session  *staff.Session
	catalog  *catalog.Catalog
	sales    *sales.Sales
	staff    *staff.Staff
	printing *printing.Printing
	host     *hostlink.Link   // nil without an acquirer
	cards    *cardpay.Cards   // nil without an acquirer
	qr       *qrpayment.QR    // nil without an acquirer
	signing  *signing.Signing // the cardholders' electronic signatures
	fingers  *fingers.Reader  // nil without a fingerprint reader
	members  *members.Members // nil without a fingerprint reader
	demo     *demo.Abilities  // nil outside demo mode
	scanner  *scanner.Scanner // a serial barcode scanner, if one is set
	keys     secrets.KeyStore // where the device key is kept, outside the data folder
	// deviceKey keys card tokens and seals fingerprint templates.
	deviceKey []byte
	// training is set in training mode: the till runs on the training
	// database, and the shop's waits (training.go).
	training *training
	// resume is who is signed in when the till starts again on entering
	// or leaving training; the zero operator at the shop's start.
	resume models.Operator
}

// Run starts Till and returns when its window closes.
func Run(opts Options) error {
	prepareDesktop()
	log.SetOutput(quietPreferencesRace(log.Writer()))
	a := fyneapp.NewWithID(AppID)
	quitOnSignal(a)
	if runtime.GOOS == "android" {
		// No configuration folder there: the app's private storage.
		opts = onAndroid(opts, a.Storage().RootURI().Path())
	}
	opts.run = true
	t, err := Start(a, opts)
	if err != nil {
		showStartError(a, err)
		return err
	}
	defer t.Close()
	t.window.ShowAndRun()
	return nil
}

// Start opens the store and builds the window in a, without running the
// event loop; tests drive the result with Fyne's test app.
func Start(a fyne.App, opts Options) (*Till, error) {
	ctx := context.Background()
	useLanguage(normLang(opts.Lang))
	a.Settings().SetTheme(&screens.Theme{Regular: resources.FontRegular, Bold: resources.FontBold})

	path, err := prepareDBPath(opts.DBPath, opts.Demo)
	if err != nil {
		return nil, models.ErrNoDataFolder(filepath.Dir(path), err)
	}
	store, err := models.Open(path)
	if err != nil {
		return nil, err
	}
	t := &Till{opts: opts, store: store, catalog: &catalog.Catalog{}, path: path}
	t.window = a.NewWindow(lang.X("app.window_title", "Till"))
	size := WindowSize
	if opts.WindowSize.Width > 0 {
		size = opts.WindowSize
	}
	t.window.Resize(size)
	t.window.SetFullScreen(opts.FullScreen)
	need, err := t.needsSetup(ctx)
	if err == nil {
		// The key first, setup or not: a key folder that is wrong, or a
		// key that is missing, is said before anything else.
		t.deviceKey, t.keys, err = secrets.Open(ctx, t.store, secrets.Config{Dir: opts.KeysDir, DataDir: filepath.Dir(path), NewKey: opts.NewKey})
	}
	if err == nil && need {
		if err = t.showSetup(ctx); err == nil {
			return t, nil
		}
	}
	if err == nil {
		err = t.begin(ctx)
	}
	if err != nil {
		t.window.Close()
		t.Close()
		return nil, err
	}
	return t, nil
}

// needsSetup reports whether a shop's till has not been set up yet (the
// demo needs none). It claims the database as a shop's first.
func (t *Till) needsSetup(ctx context.Context) (bool, error) {
	if t.opts.Demo {
		return false, nil
	}
	if err := t.store.ClaimDatabase(ctx, models.DatabaseShop); err != nil {
		return false, err
	}
	return setup.New(t.store, nil).Needed(ctx) // reads alone: no key to seal with yet
}

// showSetup shows the first-run setup; its end starts the till.
func (t *Till) showSetup(ctx context.Context) error {
	lng, _ := t.store.Setting(ctx, models.SettingLanguage, "zh")
	if t.opts.Lang != "" {
		lng = t.opts.Lang
	}
	lng = normLang(lng)
	useLanguage(lng)
	t.window.SetTitle(lang.X("app.window_title", "Till"))
	ui := &screens.UI{Window: t.window, Shop: screens.Shop{Lang: lng}, Async: screens.BackgroundAsync, Do: fyne.Do}
	if t.opts.inlineUI {
		ui.Async, ui.Do = screens.InlineAsync, func(f func()) { f() }
	}
	t.setupUI = ui
	t.closeSetupDevices()
	devs, err := newSetupDevices(ctx, t.store, filepath.Dir(t.path), t.deviceKey)
	if err != nil {
		return err
	}
	t.setupDevs = devs
	s := screens.NewSetup(ui, setup.New(t.store, t.deviceKey), devs)
	s.SetLanguage = func(l string) {
		if err := t.store.SetSetting(ctx, models.SettingLanguage, l); err != nil {
			screens.ShowError(t.window, err)
			return
		}
		t.opts.Lang = l
		if err := t.showSetup(ctx); err != nil {
			screens.ShowError(t.window, err)
		}
	}
	s.OnDone = func() {
		if err := t.begin(ctx); err != nil {
			screens.ShowError(t.window, err)
		}
	}
	t.setupScreen = s
	t.window.SetContent(firstframe.Wrap(s.Content()))
	return nil
}

// closeSetupDevices lets go of the devices the setup opened.
func (t *Till) closeSetupDevices() {
	if t.setupDevs != nil {
		t.setupDevs.Close()
		t.setupDevs = nil
	}
}

// SetupScreen is the first-run setup while it is shown, for tests.
func (t *Till) SetupScreen() *screens.Setup { return t.setupScreen }

// begin starts the till proper: the services, the window's screens, the
// catalog, the scanner and, when running, the acquirer's worker.
func (t *Till) begin(ctx context.Context) error {
	t.setupScreen, t.setupUI = nil, nil
	t.closeSetupDevices()
	if err := t.configure(ctx, t.path); err != nil {
		return err
	}
	t.window.SetTitle(lang.X("app.window_title", "Till")) // in the language stored
	if t.session.Operator().ID == 0 {
		t.signOut() // nobody yet: the sign-in screen
	} else {
		t.buildUI()
	}
	t.window.SetCloseIntercept(t.confirmClose)
	t.loadCatalog(ctx)
	t.startScanner(ctx)
	if t.opts.run && t.host != nil {
		t.host.Start()
	}
	if t.opts.run {
		t.runDailyBackups()
		t.runUpdateChecks()
	}
	return nil
}

// startBackups makes the backup service; the device key seals the daily
// backup's key.
func (t *Till) startBackups(_ context.Context, shop screens.Shop, key []byte) error {
	t.backups = backup.NewService(t.store, shop.TerminalID, func() string { return t.ui.Shop.Name }, key)
	return nil
}

// dailyCheck is how often the daily backup is looked at: it runs at the
// first look a day after the last one.
const dailyCheck = 10 * time.Minute

// runDailyBackups looks every dailyCheck (and a minute after the start)
// whether the daily backup is due, and makes it; a failure is shown. It
// keeps the last days' reports first (Store.KeepReportDays).
func (t *Till) runDailyBackups() {
	if t.stopDaily != nil {
		close(t.stopDaily) // begun again (training): one timer
	}
	t.stopDaily = make(chan struct{})
	terminal := t.ui.Shop.TerminalID
	every(t.stopDaily, time.Minute, dailyCheck, func() {
		// The last 37 days' reports (30 days and the week before) kept,
		// so that the first an owner opens is quick.
		if err := t.store.KeepReportDays(context.Background(), terminal, time.Now(), 37); err != nil {
			logError("report days", err)
		}
		if _, err := t.backups.RunDaily(context.Background(), time.Now(), nil); err != nil {
			logError("daily backup", err)
			t.ui.Do(func() {
				screens.ShowError(t.window, fmt.Errorf("%s: %w", lang.X("backup.daily_failed", "The daily backup failed"), err))
			})
		}
	})
}

// configure reads the shop's settings and builds the services and the
// screens' dependencies, in the order they need each other.
func (t *Till) configure(ctx context.Context, path string) error {
	op, err := t.seed(ctx)
	if err != nil {
		return err
	}
	shop, err := t.readShop(ctx, path)
	if err != nil {
		return err
	}
	key := t.deviceKey
	if _, err := t.store.FailStrandedPayments(ctx); err != nil {
		return err
	}
	for _, step := range []func(context.Context, screens.Shop, []byte) error{
		t.startPrinting, t.startStaff, t.startSales, t.startPayments, t.startMembers, t.startDemo, t.startBackups, t.startUpdates,
	} {
		if err := step(ctx, shop, key); err != nil {
			return err
		}
	}
	t.staff.Start(op)
	t.ui = &screens.UI{Window: t.window, Shop: shop, Session: t.session, Async: screens.BackgroundAsync, Do: fyne.Do,
		After: t.opts.afterFunc, Beep: t.opts.beep}
	if t.ui.Beep == nil && !t.opts.inlineUI {
		t.ui.Beep = systemBeep{}
	}
	if t.opts.inlineUI {
		t.ui.Async = screens.InlineAsync
		t.ui.Do = func(f func()) { f() }
		if t.ui.After == nil {
			// Tests that run the UI inline must not have a real timer
			// lock the till or take a notice off from its own
			// goroutine; those about timers pass a fake clock.
			t.ui.After = func(time.Duration, func()) screens.Timer { return stoppedTimer{} }
		}
	}
	t.holdDialogsWhileLocked()
	if t.demo != nil {
		t.ui.Demo = t.demo
	}
	t.startIdle()
	t.deps = t.screenDeps()
	return nil
}

// seed fills the demo database in demo mode and returns the demo cashier,
// signed in at start; a shop's till claims its database and starts signed
// out (the zero operator), or signed in as who was when it comes back from
// training; in training the database must be a training one.
func (t *Till) seed(ctx context.Context) (models.Operator, error) {
	if t.opts.Demo {
		return demo.Seed(ctx, t.store)
	}
	mode := models.DatabaseShop
	if t.training != nil {
		mode = models.DatabaseTraining
	}
	// A shop's till starts signed out: its staff sign in.
	return t.resume, t.store.ClaimDatabase(ctx, mode)
}

// readShop reads the language and what the screens show of the shop.
func (t *Till) readShop(ctx context.Context, path string) (screens.Shop, error) {
	shop := screens.Shop{Lang: t.opts.Lang, Version: t.opts.Version, DBPath: path, Training: t.training != nil}
	var taxMode, cur string
	for _, s := range []struct {
		key, def string
		v        *string
	}{
		{models.SettingLanguage, "zh", &shop.Lang}, {models.SettingStoreName, "收银台", &shop.Name},
		{models.SettingTerminalID, models.DefaultTerminalID, &shop.TerminalID}, {models.SettingTaxMode, string(models.TaxInclusive), &taxMode},
		{models.SettingCurrency, string(models.CNY), &cur},
	} {
		if *s.v != "" {
			continue // -lang wins over the stored choice
		}
		v, err := t.store.Setting(ctx, s.key, s.def)
		if err != nil {
			return shop, err
		}
		*s.v = v
	}
	shop.Lang = normLang(shop.Lang)
	shop.TaxMode, shop.Currency = models.TaxMode(taxMode), models.Currency(cur)
	useLanguage(shop.Lang)
	t.lang.Store(shop.Lang)
	return shop, nil
}

func (t *Till) startPrinting(ctx context.Context, shop screens.Shop, _ []byte) (err error) {
	t.printing, err = printing.New(ctx, printing.Config{Store: t.store,
		Shop: func() receipt.Shop {
			return receipt.Shop{Name: shop.Name, TerminalID: shop.TerminalID, Lang: t.lang.Load().(string), Training: shop.Training}
		},
		Translate: lang.X, Report: t.reportPrint, Log: logError, DataDir: filepath.Dir(shop.DBPath)})
	return err
}

// reportPrint shows a printing failure, from the printing worker; the sale
// is kept either way.
func (t *Till) reportPrint(err error) {
	if err != nil {
		t.ui.Do(func() { screens.ShowError(t.window, err) })
	}
}

func (t *Till) startStaff(ctx context.Context, shop screens.Shop, key []byte) (err error) {
	if t.fingers, err = fingers.Open(ctx, t.store, shop.TerminalID, key, t.opts.Demo, logError); err != nil {
		return err
	}
	if t.staff, err = staff.New(ctx, t.store, shop.TerminalID, t.fingers, logError); err != nil {
		return err
	}
	if key != nil {
		t.staff.SetOTPKey(payments.SubKey(key, "owner one-time codes"))
	}
	t.session = t.staff.Session()
	return nil
}

func (t *Till) startSales(ctx context.Context, shop screens.Shop, _ []byte) (err error) {
	var host sales.Host     // nil without an acquirer
	addr := t.opts.Acquirer // -acquirer, else the one set up
	simulated := t.opts.Demo || t.training != nil
	if t.training != nil {
		addr = "" // training never reaches the shop's acquirer: the in-process simulator
	} else if addr == "" && !t.opts.Demo {
		if addr, err = t.store.Setting(ctx, models.SettingAcquirerAddr, ""); err != nil {
			return err
		}
	}
	if simulated || addr != "" {
		t.host = hostlink.New(hostlink.Config{Store: t.store, TerminalID: shop.TerminalID, Currency: shop.Currency,
			Addr: addr, Offline: t.offlinePolicy, OnStatus: t.showSyncStatus, Log: logError, Session: t.session,
			MasterKey: func(ctx context.Context) ([]byte, error) { return t.store.MasterKey(ctx, t.deviceKey) },
			CardSeal:  payments.SubKey(t.deviceKey, "offline card data")})
		host = t.host
	}
	if t.sales, err = sales.New(ctx, t.store, t.session, host, t.printing); err != nil {
		return err
	}
	if t.risk, err = risk.New(ctx, t.store, shop.TerminalID, t.offlinePolicy); err != nil {
		return err
	}
	t.risk.OnAlert(func(a risk.Alert) {
		t.ui.Do(func() {
			if t.shell != nil {
				t.shell.RiskAlert(a.RiskAlert, a.Subject)
			}
		})
	})
	t.sales.SetRisk(t.risk)
	return nil
}

// offlinePolicy is the offline policy with the floor limit in force.
func (t *Till) offlinePolicy() payments.OfflinePolicy {
	if t.cards == nil {
		return payments.DefaultOfflinePolicy
	}
	return t.cards.Offline()
}

func (t *Till) startPayments(ctx context.Context, shop screens.Shop, key []byte) (err error) {
	if t.host == nil {
		return nil
	}
	if t.cards, err = cardpay.New(ctx, t.store, t.sales, key); err != nil {
		return err
	}
	t.qr = qrpayment.New(t.sales, t.store, shop.Name, shop.TerminalID)
	t.signing = signing.New(t.store, shop.TerminalID)
	return nil
}

func (t *Till) startMembers(_ context.Context, shop screens.Shop, _ []byte) error {
	if t.fingers == nil {
		return nil
	}
	var cards members.Cards
	if t.cards != nil {
		cards = t.cards
	}
	t.members = members.New(t.store, t.session, t.fingers, cards, shop.Currency)
	if t.cards != nil {
		t.cards.VerifyWith(t.members.VerifyCardholder)
	}
	return nil
}

func (t *Till) startDemo(ctx context.Context, shop screens.Shop, _ []byte) (err error) {
	if t.training != nil {
		// Training taps the demo cards and pays QR codes as the
		// customer's phone would, at the simulated acquirer; the
		// staff's own fingers on the shop's reader, if there is one.
		t.demo, err = demo.New(ctx, t.store, shop.TerminalID, t.cards, nil, nil, t.host, models.Operator{})
		return err
	}
	if !t.opts.Demo {
		return nil
	}
	manager, err := demo.Stored(ctx, t.store, demo.Manager)
	if err != nil {
		return err
	}
	t.demo, err = demo.New(ctx, t.store, shop.TerminalID, t.cards, t.fingers, t.members, t.host, manager)
	return err
}

// screenDeps gives each screen the services it uses; a service that is not
// there stays a nil interface.
func (t *Till) screenDeps() screens.Deps {
	devs := ports.New(t.store)
	tests := &setupDevices{store: t.store, printing: t.printing, cards: t.cards, ports: devs, fingers: t.fingers,
		dataDir: filepath.Dir(t.path)}
	d := screens.Deps{Catalog: t.catalog, Sales: t.sales, Staff: t.staff, Printer: t.printing, Slips: t.printing,
		SignOut: t.signOut, Scan: devs, Audit: t.store, Exports: export.New(t.store, t.ui.Shop.TerminalID), Reports: t.sales,
		Settings: screens.SettingsDeps{SetLanguage: t.setLanguage, Staff: t.staff, AutoLock: t.staff,
			Discount: t.sales, Stock: t.sales, Printer: t.printing, Serial: devs, Scan: devs, Permissions: t.staff, StaffAdmin: t.staff,
			Devices: tests, Risk: t.risk, Backups: t.backups,
			Catalog: catalog.NewFiles(t.store, t.catalog, t.ui.Shop.TerminalID, t.ui.Shop.Currency)}}
	sh := shifts.New(t.store, t.session)
	sh.Drawer, sh.Log = t.printing, logError
	d.Shifts = sh
	switch {
	case t.training != nil:
		// Training changes nothing of the shop's set-up and backs
		// nothing up; it is left from Settings.
		d.Settings.Backups = nil
		d.Settings.Training = t
	case !t.opts.Demo:
		d.Settings.Setup = setup.New(t.store, t.deviceKey) // the demo's shop and acquirer are the demo's
		d.Settings.Training = t
	}
	if t.host != nil {
		d.Host = t.host
		d.Cards, d.QR, d.Settings.Cards, d.Settings.Merchant = t.cards, t.qr, t.cards, t.qr
		d.Signatures = t.signing
	}
	if t.fingers != nil {
		d.Members, d.MemberReports, d.Drawer = t.members, t.members, t.printing
	}
	if t.updates != nil {
		d.Settings.Updates, d.Updates = t.updates, t.updates
	}
	return d
}

// logError reports an error no one is shown.
func logError(what string, err error) { fyne.LogError(what, err) }

// confirmClose closes the window, after a warning when payments are not
// yet reported to the acquirer.
func (t *Till) confirmClose() {
	screens.ConfirmUnsynced(t.ui, t.deps.Host, lang.X("unsynced.close", "Close Till anyway?"), t.window.Close)
}

// signOut ends the operator's shift: the login screen takes the next
// operator's code. An order in the cart is kept for them.
func (t *Till) signOut() {
	login := screens.NewLogin(t.ui, t.deps.Staff)
	t.staff.SignOut()
	login.OnLogin = func(op models.Operator) {
		t.staff.SignIn(context.Background(), op)
		if t.opts.Training && t.training == nil && !t.opts.Demo {
			// -training: the first sign-in enters training, once.
			t.opts.Training = false
			err := t.StartTraining(op)
			if err == nil {
				return
			}
			t.buildUI()
			screens.ShowError(t.window, err)
			return
		}
		t.buildUI()
	}
	t.login = login
	t.window.SetContent(screens.WithTrainingBanner(t.ui, login.Content()))
	login.TakeKeys(t.window.Canvas())
}

// buildUI puts a fresh shell in the window, keeping any order in progress.
func (t *Till) buildUI() {
	var keep *models.Order
	if t.shell != nil {
		keep = t.shell.Sell.Order()
	}
	t.login = nil
	t.shell = screens.NewShell(t.ui, t.deps)
	if keep != nil && !keep.IsEmpty() {
		t.shell.Sell.SetOrder(keep)
	}
	t.window.SetContent(firstframe.Wrap(t.shell.Content()))
}

// loadCatalog builds the search index off the UI goroutine and shows it.
func (t *Till) loadCatalog(ctx context.Context) {
	var err error
	t.ui.Async(func() {
		err = t.catalog.Load(ctx, t.store)
	}, func() {
		if err != nil {
			screens.ShowError(t.window, err)
			return
		}
		if t.shell != nil { // else the sell screen reads it when built
			t.shell.Sell.ReloadCatalog()
		}
		firstframe.Signal("catalog-ready")
	})
}

// setLanguage stores the language and rebuilds the screens in it.
func (t *Till) setLanguage(l string) {
	l = normLang(l)
	if err := t.store.SetSetting(context.Background(), models.SettingLanguage, l); err != nil {
		screens.ShowError(t.window, err)
		return
	}
	useLanguage(l)
	t.lang.Store(l)
	t.ui.Shop.Lang = l
	t.window.SetTitle(lang.X("app.window_title", "Till"))
	t.buildUI()
	t.shell.ShowSettings()
	if t.host != nil {
		var pending int64
		var last time.Time
		var connected bool
		var err error
		t.ui.Async(func() {
			pending, last, connected, err = t.host.Status(context.Background())
		}, func() {
			if err == nil {
				t.shell.SetSyncStatus(pending, last, connected)
			}
		})
	}
}

// showSyncStatus puts the count of unsynced payments and the last sync in
// the top bar; it may be called from any goroutine.
func (t *Till) showSyncStatus(pending int64, last time.Time, connected bool) {
	t.ui.Do(func() {
		if t.shell != nil {
			t.shell.SetSyncStatus(pending, last, connected)
		}
	})
}

// Shell is the window's screens, for tests.
func (t *Till) Shell() *screens.Shell { return t.shell }

// Window is Till's window.
func (t *Till) Window() fyne.Window { return t.window }

// Store is Till's database.
func (t *Till) Store() *models.Store { return t.store }

// Close stops the workers, the devices and the acquirer link and closes
// the database.
func (t *Till) Close() error {
	t.stopServices()
	t.endTrainingOnClose()
	return t.store.Close()
}

// stopServices stops the workers, the devices and the acquirer link, and
// forgets them, leaving the store open.
func (t *Till) stopServices() {
	t.closeSetupDevices()
	if t.stopDaily != nil {
		close(t.stopDaily)
		t.stopDaily = nil
	}
	if t.stopUpdates != nil {
		close(t.stopUpdates)
		t.stopUpdates = nil
	}
	if t.lock.idle != nil {
		t.lock.idle.Stop()
	}
	if t.host != nil {
		t.host.Close()
	}
	if t.cards != nil {
		t.cards.Close()
	}
	if t.scanner != nil {
		t.scanner.Close()
	}
	if t.printing != nil {
		t.printing.Stop()
	}
	if t.fingers != nil {
		t.fingers.Close()
	}
	t.host, t.cards, t.qr, t.signing, t.fingers, t.members, t.demo, t.scanner = nil, nil, nil, nil, nil, nil, nil, nil
	t.lock.idle = nil
}

// showStartError shows why Till could not start, in the user's language,
// with nothing written, and waits for the window to close.
func showStartError(a fyne.App, err error) {
	w := a.NewWindow(lang.X("app.window_title", "Till"))
	msg := widget.NewLabel(screens.Message(err))
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton(lang.X("action.quit", "Quit"), a.Quit)
	w.SetContent(container.NewPadded(container.NewBorder(
		widget.NewLabelWithStyle(lang.X("app.cannot_start", "Till cannot start"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWrap(fyne.NewSize(200, 56), quit), nil, nil, msg)))
	w.Resize(fyne.NewSize(640, 320))
	fyne.LogError("app: start", fmt.Errorf("%w", err))
	w.ShowAndRun()
}
