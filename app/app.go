package app

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/devices/scanner"
	"github.com/till-pos/till/internal/firstframe"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/resources"
	"github.com/till-pos/till/screens"
)

// AppID is Till's application ID, as in FyneApp.toml.
const AppID = "pos.till.app"

// WindowSize is Till's window on a desktop: a 1280×800 landscape tablet.
var WindowSize = fyne.NewSize(1280, 800)

// defaultOperator is logged in until operator login by fingerprint exists.
var defaultOperator = models.Operator{Code: "001", Name: "收银员", Role: models.RoleCashier, Active: true}

// Till is a running terminal: its store, catalog, screens and window.
type Till struct {
	opts       Options
	store      *models.Store
	catalog    *catalog
	env        *screens.Env
	shell      *screens.Shell
	window     fyne.Window
	sync       atomic.Pointer[syncLink] // nil until the acquirer is reached
	stopSync   context.CancelFunc       // stops the sync worker
	syncWanted bool                     // demo mode, or an acquirer was named
	login      *screens.Login           // the login screen while no one is signed in
	cards      *cards                   // card payments; nil without an acquirer
	qr         *qrPayments              // QR payments; nil without an acquirer
	scanner    *scanner.Scanner         // a serial barcode scanner, if one is set
	printing   *printing                // the receipt printer
	fingers    *fingers                 // the fingerprint reader; nil without one
	lock       locking                  // the auto-lock
}

// Run starts Till and returns when its window closes.
func Run(opts Options) error {
	a := fyneapp.NewWithID(AppID)
	t, err := Start(a, opts)
	if err != nil {
		showStartError(a, err)
		return err
	}
	defer t.Close()
	if t.syncWanted {
		ctx, cancel := context.WithCancel(context.Background())
		t.stopSync = cancel
		go t.runSync(ctx)
	}
	t.window.ShowAndRun()
	return nil
}

// Start opens the store and builds the window in a, without running the
// event loop; tests drive the result with Fyne's test app.
func Start(a fyne.App, opts Options) (*Till, error) {
	ctx := context.Background()
	lng := normLang(opts.Lang)
	useLanguage(lng)
	a.Settings().SetTheme(&screens.Theme{Regular: resources.FontRegular, Bold: resources.FontBold})

	path, err := prepareDBPath(opts.DBPath)
	if err != nil {
		return nil, &models.Error{Code: models.EDATABASE, Key: "error.db.no_folder",
			Fallback: "The data folder {{.Dir}} does not exist", Args: map[string]any{"Dir": filepath.Dir(path)}, Err: err}
	}
	store, err := models.Open(path)
	if err != nil {
		return nil, err
	}
	t := &Till{opts: opts, store: store, catalog: &catalog{}}
	if err := t.configure(ctx, path); err != nil {
		store.Close()
		return nil, err
	}
	t.window = a.NewWindow(lang.X("app.window_title", "Till"))
	t.env.Window = t.window
	t.window.Resize(WindowSize)
	t.buildUI()
	t.window.SetCloseIntercept(t.confirmClose)
	t.loadCatalog(ctx)
	t.startScanner(ctx)
	t.syncWanted = opts.Demo || opts.Acquirer != ""
	return t, nil
}

// configure reads the settings, seeds demo data and prepares the screens' Env.
func (t *Till) configure(ctx context.Context, path string) error {
	s := t.store
	op := defaultOperator
	var err error
	if t.opts.Demo {
		if op, err = seedDemo(ctx, s); err != nil {
			return err
		}
	} else if op, err = s.EnsureOperator(ctx, defaultOperator); err != nil {
		return err
	}
	lng := t.opts.Lang
	if lng == "" {
		if lng, err = s.Setting(ctx, models.SettingLanguage, "zh"); err != nil {
			return err
		}
	}
	lng = normLang(lng)
	useLanguage(lng)
	name, err := s.Setting(ctx, models.SettingStoreName, "收银台")
	if err != nil {
		return err
	}
	term, err := s.Setting(ctx, models.SettingTerminalID, "T01")
	if err != nil {
		return err
	}
	taxMode, err := s.Setting(ctx, models.SettingTaxMode, string(models.TaxInclusive))
	if err != nil {
		return err
	}
	cur, err := s.Setting(ctx, models.SettingCurrency, string(models.CNY))
	if err != nil {
		return err
	}
	if _, err := s.FailStrandedPayments(ctx); err != nil {
		return err
	}
	sl := &sales{store: s, terminalID: term, operator: op}
	if err := sl.loadDiscountLimit(ctx); err != nil {
		return err
	}
	t.env = &screens.Env{
		Catalog: t.catalog,
		Sales:   sl,
		Shop: screens.Shop{Name: name, TerminalID: term, Operator: op, Currency: models.Currency(cur),
			TaxMode: models.TaxMode(taxMode), Lang: lng, Version: t.opts.Version, DBPath: path},
		Async:       screens.BackgroundAsync,
		Do:          fyne.Do,
		SetLanguage: t.setLanguage,
		SignOut:     t.signOut,
	}
	if t.opts.inlineUI {
		t.env.Async = screens.InlineAsync
		t.env.Do = func(f func()) { f() }
	}
	if err := t.startIdle(ctx); err != nil {
		return err
	}
	if t.printing, err = newPrinting(ctx, t); err != nil {
		return err
	}
	key, err := loadDeviceKey(path)
	if err != nil {
		return err
	}
	if t.fingers, err = newFingers(ctx, t, key); err != nil {
		return err
	}
	if t.fingers != nil {
		t.env.Fingers = t.fingers
	}
	t.env.Serial = serialDevices{t}
	t.env.Printer = printerScreens{t.printing}
	if t.opts.Demo || t.opts.Acquirer != "" {
		t.env.Acquirer = acquirerScreens{t}
		sl.link = acquirerScreens{t}.link
		if t.cards, err = newCards(ctx, s, sl, key, t.opts.Demo); err != nil {
			return err
		}
		t.cards.onLimits = func(l screens.CardLimits) {
			if link := t.sync.Load(); link != nil {
				link.auth.Offline.FloorLimit = l.Floor
			}
		}
		t.env.Cards = t.cards
		t.qr = newQRPayments(t, sl)
		t.env.QR = t.qr
	}
	if t.fingers != nil {
		mm := members{t, t.fingers}
		t.env.Members = mm
		if t.cards != nil {
			t.cards.verify = mm.verifyCardholder
		}
		if t.opts.Demo {
			return t.seedDemoMember(ctx)
		}
	}
	return nil
}

// confirmClose closes the window, after a warning when payments are not
// yet reported to the acquirer.
func (t *Till) confirmClose() {
	screens.ConfirmUnsynced(t.env, lang.X("unsynced.close", "Close Till anyway?"), t.window.Close)
}

// signOut ends the operator's shift: the login screen takes the next
// operator's code. An order in the cart is kept for them.
func (t *Till) signOut() {
	login := screens.NewLogin(t.env)
	login.OnLogin = func(op models.Operator) {
		t.env.Shop.Operator = op
		t.env.Sales.(*sales).operator = op
		if err := t.store.AuditOverride(context.Background(), t.env.Shop.TerminalID, op, "sign_in", "",
			fmt.Sprintf("%s (%s) signed in", op.Name, op.Code)); err != nil {
			fyne.LogError("app: audit sign-in", err)
		}
		t.buildUI()
	}
	t.login = login
	t.window.SetContent(login.Content())
}

// buildUI puts a fresh shell in the window, keeping any order in progress.
func (t *Till) buildUI() {
	var keep *models.Order
	if t.shell != nil {
		keep = t.shell.Sell.Order()
	}
	t.login = nil
	t.shell = screens.NewShell(t.env)
	if keep != nil && !keep.IsEmpty() {
		t.shell.Sell.SetOrder(keep)
	}
	t.window.SetContent(firstframe.Wrap(t.shell.Content()))
}

// loadCatalog builds the search index off the UI goroutine and shows it.
func (t *Till) loadCatalog(ctx context.Context) {
	var err error
	t.env.Async(func() {
		// Collect garbage eagerly while the index is built: a large catalog
		// then peaks near its final size instead of twice it.
		old := debug.SetGCPercent(20)
		defer debug.SetGCPercent(old)
		var idx *models.CatalogIndex
		var cats []models.Category
		if idx, cats, err = t.store.LoadCatalogIndex(ctx); err == nil {
			t.catalog.set(idx, cats)
		}
	}, func() {
		if err != nil {
			screens.ShowError(t.window, err)
			return
		}
		t.shell.Sell.ReloadCatalog()
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
	t.env.Shop.Lang = l
	t.window.SetTitle(lang.X("app.window_title", "Till"))
	t.buildUI()
	t.shell.ShowSettings()
	if t.syncWanted {
		t.showSyncStatus(context.Background())
	}
}

// Shell is the window's screens, for tests.
func (t *Till) Shell() *screens.Shell { return t.shell }

// Window is Till's window.
func (t *Till) Window() fyne.Window { return t.window }

// Store is Till's database.
func (t *Till) Store() *models.Store { return t.store }

// Close stops the sync worker and the acquirer link and closes the database.
func (t *Till) Close() error {
	if t.lock.idle != nil {
		t.lock.idle.Stop()
	}
	if t.stopSync != nil {
		t.stopSync()
	}
	t.closeAcquirer()
	if t.cards != nil {
		t.cards.close()
	}
	if t.scanner != nil {
		t.scanner.Close()
	}
	if t.printing != nil {
		t.printing.stop()
	}
	if t.fingers != nil {
		t.fingers.close()
	}
	return t.store.Close()
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
