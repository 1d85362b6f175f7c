package app

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
)

// trainingCatalog is a shop's own small catalog.
const trainingCatalog = `{
 "categories": [{"code":"drinks","name":"饮料","name_en":"Drinks"}],
 "products": [
  {"sku":"D1","name":"可口可乐 330ml","name_en":"Coca-Cola 330ml","category":"drinks","price":"3.50","barcode":"6901234567892","tax_rate_bp":1300,"unit":"瓶","stock":"100"}
 ]}`

// trainingManagerCode is the code of the manager trainingShop adds.
const trainingManagerCode = "640281"

// trainingShop is a shop set up (setUpShop) with a catalog and a manager,
// and a sale of its own; it returns the manager.
func trainingShop(t *testing.T, db string) models.Operator {
	t.Helper()
	ctx := context.Background()
	setUpShop(t, db, "街角便利店")
	s, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cats, prods, err := models.ParseCatalogFile([]byte(trainingCatalog), models.CNY)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ImportCatalog(ctx, cats, prods); err != nil {
		t.Fatal(err)
	}
	owner, err := s.OperatorByCode(ctx, ownerCode)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.AddOperator(ctx, models.Operator{Name: "赵强", Role: models.RoleManager}, trainingManagerCode, owner, "T01")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// trainingMarks counts the receipt's rows that are the training mark.
func trainingMarks(rows []string) int {
	n := 0
	for _, r := range rows {
		if r == "*** TRAINING — NOT A SALE ***" {
			n++
		}
	}
	return n
}

// TestTrainingSaleNeverReachesTheShop: a manager starts training from
// Settings; the till runs on the training database under the banner, a
// cash sale there is marked on its receipt; leaving comes back to the
// shop's database and the sell screen, which has no trace of the sale and
// the start and end of training in its audit trail. The training file is
// never taken for the shop's.
func TestTrainingSaleNeverReachesTheShop(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "till.db")
	manager := trainingShop(t, db)
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	till.Window().Resize(WindowSize)
	w := till.Window()
	shop := till.Store()
	typeDigits(t, till, trainingManagerCode, "Sign in")
	if shownText(w, "TRAINING") {
		t.Fatal("the training banner outside training")
	}

	tapKeys(t, till, "Settings", "Start training")
	if !till.InTraining() || till.Store() == shop || till.Store().Path() != models.TrainingPath(db) {
		t.Fatalf("in training %v on %s", till.InTraining(), till.Store().Path())
	}
	if mode, _ := till.Store().DatabaseMode(ctx); mode != models.DatabaseTraining {
		t.Fatalf("training runs on a %q database", mode)
	}
	if till.Shell().Current() != "sell" || till.session.Operator().ID != manager.ID {
		t.Fatalf("training shows %q, signed in %+v", till.Shell().Current(), till.session.Operator())
	}
	if !shownText(w, "TRAINING — nothing is counted") {
		t.Fatalf("no training banner: %q", uitest.Texts(w))
	}
	// The acquirer is the in-process simulator, never the shop's.
	if till.host == nil || !till.host.Simulated() || till.demo == nil {
		t.Fatal("training has no simulated acquirer")
	}

	// A cash sale in training, its receipt marked at top and bottom.
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Exact ¥3.50", "Take cash")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after the cash sale: %q", till.Shell().Current())
	}
	var rows []string
	for _, r := range till.Shell().Receipt.Rows() {
		rows = append(rows, r.Left)
	}
	if trainingMarks(rows) != 2 || rows[0] != "*** TRAINING — NOT A SALE ***" {
		t.Fatalf("training receipt's rows: %q", rows)
	}
	if n := len(todaysOrders(t, till)); n != 1 {
		t.Fatalf("%d orders in training", n)
	}
	if !shownText(w, "TRAINING — nothing is counted") {
		t.Fatal("no banner over the receipt")
	}
	saveShot(t, w, "training")
	till.setLanguage("zh")
	if !shownText(w, "培训模式 — 不计入营业") {
		t.Fatalf("no Chinese banner: %q", uitest.Texts(w))
	}
	saveShot(t, w, "training-zh")
	till.setLanguage("en")

	// Leaving: the shop's database, the sell screen, no banner.
	tapKeys(t, till, "Leave training")
	if till.InTraining() || till.Store() != shop || till.Shell().Current() != "sell" || shownText(w, "TRAINING") {
		t.Fatalf("after leaving: training %v, screen %q", till.InTraining(), till.Shell().Current())
	}
	if till.session.Operator().ID != manager.ID {
		t.Fatalf("signed in after training: %+v", till.session.Operator())
	}
	if n := len(todaysOrders(t, till)); n != 0 {
		t.Fatalf("the training sale reached the shop: %d orders", n)
	}
	if till.host != nil {
		t.Fatal("the simulated acquirer outlived training")
	}
	trail, err := shop.FindAudit(ctx, manager, models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		if e.Action == models.AuditTrainingStart || e.Action == models.AuditTrainingEnd {
			if e.OperatorID != manager.ID {
				t.Errorf("%s by #%d, want the manager #%d", e.Action, e.OperatorID, manager.ID)
			}
			actions = append(actions, e.Action)
		}
		if e.Action == "sale" {
			t.Errorf("a sale in the shop's trail: %+v", e)
		}
	}
	if len(actions) != 2 {
		t.Fatalf("training in the shop's trail: %q", actions)
	}
	if c, err := shop.VerifyAudit(ctx, nil); err != nil || c.Break != nil {
		t.Fatalf("the shop's trail: %+v, %v", c, err)
	}

	// The training file is never started as the shop's.
	_, err = Start(test.NewTempApp(t), Options{DBPath: models.TrainingPath(db), Lang: "en", inlineUI: true})
	var me *models.Error
	if !errors.As(err, &me) || me.Key != "error.db.is_training" {
		t.Fatalf("a shop's till on the training database: %v", err)
	}
}

// TestTrainingCardSaleGoesToTheSimulatorOnly: in training a demo card pays
// at the in-process simulated acquirer; closing the till in training
// records the end in the shop's trail, and the shop's database has no
// order, payment or request to an acquirer from it.
func TestTrainingCardSaleGoesToTheSimulatorOnly(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "till.db")
	manager := trainingShop(t, db)
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			till.Close()
		}
	})
	till.Window().Resize(WindowSize)
	w := till.Window()
	typeDigits(t, till, trainingManagerCode, "Sign in")
	tapKeys(t, till, "Settings", "Start training")
	if !till.InTraining() {
		t.Fatal("not in training")
	}
	if err := till.host.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Card", "Tap demo card: UnionPay")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after a demo tap in training: screen %s, message %q", till.Shell().Current(), till.Shell().Card.Message())
	}
	sales := 0
	for _, e := range till.host.Simulator().Ledger() {
		if e.Code == "00" && e.Amount == 700 {
			sales++
		}
	}
	if sales != 1 {
		t.Fatalf("the simulator approved %d sales of ¥7.00", sales)
	}
	if marks := trainingMarksOf(till); marks != 2 {
		t.Fatalf("card receipt in training has %d marks", marks)
	}

	// A QR payment, the customer's phone played, charged at the simulator.
	clk := &acquirer.StepClock{At: time.Now()}
	clk.OnWait = func(n int) {
		if n == 1 {
			till.Shell().QR.Simulate()
		}
	}
	till.qr.Clock = clk
	tapKeys(t, till, "New sale")
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "QR code", "Show QR code")
	if till.Shell().Current() != "receipt" || hostCharged(till) != 2 { // the card's and the QR code's
		t.Fatalf("after the QR payment in training: %s, charged %d", till.Shell().Current(), hostCharged(till))
	}

	closed = true
	if err := till.Close(); err != nil {
		t.Fatal(err)
	}
	shop, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer shop.Close()
	trail, err := shop.FindAudit(ctx, manager, models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range trail {
		seen[e.Action]++
	}
	if seen[models.AuditTrainingStart] != 1 || seen[models.AuditTrainingEnd] != 1 || seen["sale"] != 0 {
		t.Fatalf("the shop's trail after closing in training: %v", seen)
	}
	if pending, _, err := shop.OutboxStatus(ctx); err != nil || pending != 0 {
		t.Fatalf("%d records for the acquirer in the shop's outbox: %v", pending, err)
	}
	from := time.Now().AddDate(0, 0, -1)
	if orders, err := shop.OrdersBetween(ctx, "T01", from, from.AddDate(0, 0, 2)); err != nil || len(orders) != 0 {
		t.Fatalf("orders in the shop's database: %d, %v", len(orders), err)
	}
}

// trainingMarksOf counts the training marks on the receipt shown.
func trainingMarksOf(till *Till) int {
	var rows []string
	for _, r := range till.Shell().Receipt.Rows() {
		rows = append(rows, r.Left)
	}
	return trainingMarks(rows)
}

// TestTrainingFromTheCommandLine: with -training, the manager's sign-in
// enters training at once, audited in the shop's trail.
func TestTrainingFromTheCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	manager := trainingShop(t, db)
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "zh", Training: true, inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	w := till.Window()
	if till.InTraining() {
		t.Fatal("in training before anyone signed in")
	}
	typeDigits(t, till, trainingManagerCode, "登录")
	if !till.InTraining() || till.Shell() == nil || till.Shell().Current() != "sell" || !shownText(w, "培训模式 — 不计入营业") {
		t.Fatalf("after the sign-in with -training: in training %v, shown %q", till.InTraining(), uitest.Texts(w))
	}
	if till.session.Operator().ID != manager.ID {
		t.Fatalf("signed in %+v", till.session.Operator())
	}
	// Signing out in training shows the sign-in screen under the banner.
	till.signOut()
	if !shownText(w, "培训模式 — 不计入营业") {
		t.Fatalf("the sign-in screen in training has no banner: %q", uitest.Texts(w))
	}
	// Signed in again, still in training; locked, the lock screen too.
	typeDigits(t, till, trainingManagerCode, "登录")
	if !till.InTraining() || till.Shell() == nil {
		t.Fatal("signing in again left training")
	}
	till.lockNow()
	if !till.Locked() || !shownText(w, "培训模式 — 不计入营业") {
		t.Fatalf("the lock screen in training has no banner: %q", uitest.Texts(w))
	}
}

// saveShot saves the window as name.png in $TILL_SCREENSHOT_DIR, if set.
func saveShot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	uitest.SaveShot(t, w, "TILL_SCREENSHOT_DIR", name)
}
