package app

import (
	"bytes"
	"context"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
)

// syncBuffer is a log's output, written from any goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// The staff codes of TestStaffCodesAreNeverWrittenOrLogged.
const managerCode, cashierCode = "482916", "730541"

// typeDigits taps code's digits on the keypad shown, then done.
func typeDigits(t *testing.T, till *Till, code, done string) {
	t.Helper()
	for _, r := range code {
		tapKeys(t, till, string(r))
	}
	tapKeys(t, till, done)
}

// TestStaffCodesAreNeverWrittenOrLogged runs a shift with codes of its
// own: a sign-in, an unlock, a discount approved, an order held and
// recalled, a sale voided and another refunded by a manager's code, and
// wrong codes on the way; then no file in the data folder (the database,
// its log, the device key…) nor the log holds a code.
func TestStaffCodesAreNeverWrittenOrLogged(t *testing.T) {
	var logs syncBuffer
	log.SetOutput(&logs)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })

	till := startDemoWithHost(t)
	ctx := context.Background()
	w := till.Window()
	boss, err := demo.Stored(ctx, till.Store(), demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := till.staff.AddOperator(ctx, models.Operator{Name: "王经理", Role: models.RoleManager}, managerCode, boss)
	if err != nil {
		t.Fatal(err)
	}
	cashier, err := till.staff.AddOperator(ctx, models.Operator{Name: "刘收银", Role: models.RoleCashier}, cashierCode, boss)
	if err != nil {
		t.Fatal(err)
	}

	// Sign-in: a wrong code first, then the cashier's.
	test.Tap(button(t, w, "Operator: 演示收银员"))
	typeDigits(t, till, "924613", "Sign in")
	if !shownText(w, "No operator has that code") {
		t.Fatal("a wrong code was not refused")
	}
	typeDigits(t, till, cashierCode, "Sign in")
	if till.login != nil || till.session.Operator().ID != cashier.ID {
		t.Fatalf("signed in: %+v", shopOwner(t, till))
	}

	// A discount above the limit: the cashier's own code is refused, the
	// manager's approves.
	scan(w, colaCode)
	scan(w, colaCode)
	o := till.Shell().Sell.Order()
	test.Tap(cartButtonAt(t, w, 3))
	tapKeys(t, till, "Percent %", "C", "2", "0", "OK")
	typeDigits(t, till, cashierCode, "OK")
	if !shownText(w, "That is not a manager's code") {
		t.Fatal("the cashier's code approved")
	}
	tapKeys(t, till, "C")
	typeDigits(t, till, managerCode, "OK")
	if len(o.Approvals) != 1 || o.Approvals[0].Manager.ID != manager.ID {
		t.Fatalf("approvals %+v", o.Approvals)
	}

	// Held with its approval (the manager named in its JSON, never by
	// their code), recalled, paid.
	tapKeys(t, till, "Hold")
	held, err := till.sales.HeldOrders(ctx)
	if err != nil || len(held) != 1 {
		t.Fatalf("held %+v %v", held, err)
	}
	if found := searchDataFolder(t, till, `"Name":"王经理"`); len(found) == 0 {
		t.Fatal("the held order's JSON is not in the data folder: the search proves nothing")
	}
	if found := searchDataFolder(t, till, codes...); len(found) > 0 {
		t.Fatalf("held: the data folder holds %q", found)
	}
	tapKeys(t, till, "Recall")
	test.Tap(buttonContaining(t, w, models.Yuan(held[0].Total).String()))
	o = till.Shell().Sell.Order()
	total := models.Yuan(o.Total).String()
	tapKeys(t, till, "Pay "+total, "Exact "+total, "Take cash", "New sale")

	// The till locks; the cashier unlocks with their code.
	till.lockNow()
	typeDigits(t, till, cashierCode, "Unlock")
	if till.Locked() {
		t.Fatal("the cashier's code did not unlock")
	}

	// The discounted sale voided, and a card sale refunded after the
	// settlement, each by the manager's code.
	orders := todaysOrders(t, till)
	if len(orders) != 1 {
		t.Fatalf("orders %+v", orders)
	}
	tapKeys(t, till, "Orders")
	till.Shell().Orders.ShowOrder(orders[0].ID)
	tapKeys(t, till, "Void")
	typeDigits(t, till, managerCode, "OK")
	tapKeys(t, till, "Done")
	if got, _ := till.Store().OrderByID(ctx, orders[0].ID); got.Status != models.OrderVoided {
		t.Fatalf("voided: %s", got.Status)
	}
	tapKeys(t, till, "Sell")
	sellColasForCash(t, w, 1)
	cash := todaysOrders(t, till)[0]
	tapKeys(t, till, "Orders")
	till.Shell().Orders.ShowOrder(cash.ID)
	tapKeys(t, till, "Refund")
	typeDigits(t, till, managerCode, "OK")
	tapKeys(t, till, "C", "2", "OK", "Done")
	got, _ := till.Store().OrderByID(ctx, cash.ID)
	if got.Status != models.OrderRefunded || len(got.Payments) != 2 ||
		got.Payments[1].Reference != "manager="+itoa(manager.ID)+":"+manager.Name {
		t.Fatalf("refunded: %s %+v", got.Status, got.Payments)
	}
	card := payColasByCard(t, till, 2, "622848******4321")
	if _, err := till.host.Settle(ctx, manager); err != nil {
		t.Fatal(err)
	}
	till.Shell().Orders.SetQuery("4321")
	till.Shell().Orders.ShowOrder(card.ID)
	tapKeys(t, till, "Refund")
	typeDigits(t, till, managerCode, "OK")
	tapKeys(t, till, "C", "2", "OK", "Done")
	if got, _ := till.Store().OrderByID(ctx, card.ID); got.Status != models.OrderRefunded || got.Refunded != 200 {
		t.Fatalf("refunded at the bank: %s %d", got.Status, got.Refunded)
	}
	if n := auditCount(t, till, "sign_in"); n != 1 {
		t.Fatalf("%d sign-ins audited", n)
	}

	// Nothing written holds a code, nor a code where one used to leak.
	if found := searchDataFolder(t, till, codes...); len(found) > 0 {
		t.Errorf("the data folder holds %q", found)
	}
	out := logs.Bytes()
	for _, s := range codes {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("the log holds %q:\n%s", s, out)
		}
	}
}

// codes are the test's staff codes, and the demo's where they used to be
// written: a refund's reference, an order's JSON.
var codes = []string{managerCode, cashierCode,
	"manager=" + managerCode, "manager=" + demo.ManagerCode, `"Code":"` + demo.ManagerCode, `"Code":"` + demo.OperatorCode}

// searchDataFolder lists which of needles a file of till's data folder (the
// database, its write-ahead log, the device key…) holds.
func searchDataFolder(t *testing.T, till *Till, needles ...string) []string {
	t.Helper()
	if _, err := os.Stat(till.Store().Path() + "-wal"); err != nil {
		t.Fatalf("no write-ahead log to search: %v", err)
	}
	var found []string
	err := filepath.WalkDir(filepath.Dir(till.Store().Path()), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range needles {
			if bytes.Contains(data, []byte(s)) {
				found = append(found, filepath.Base(path)+": "+s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestWrongCodesLockTheTillAcrossARestart types five wrong codes on the
// lock screen, restarts Till (in Chinese) and finds it still locked, told
// in the user's language, until the wait is over.
func TestWrongCodesLockTheTillAcrossARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	a := test.NewTempApp(t)
	clock := &fakeClock{}
	till, err := Start(a, Options{DBPath: db, Lang: "en", Demo: true, inlineUI: true, afterFunc: clock.AfterFunc})
	if err != nil {
		t.Fatal(err)
	}
	till.Window().Resize(WindowSize)
	w := till.Window()
	start := time.Now()
	till.staff.Now = func() time.Time { return start }
	clock.Advance(2 * time.Minute)
	if !till.Locked() {
		t.Fatal("not locked")
	}
	for i := 1; i <= 4; i++ {
		typeDigits(t, till, "52"+strconv.Itoa(i)+"947", "Unlock")
		if !shownText(w, "No operator has that code") {
			t.Fatalf("wrong code %d: not refused", i)
		}
	}
	typeDigits(t, till, "528947", "Unlock")
	if !shownText(w, "Too many wrong codes: try again in 30 seconds") {
		t.Fatal("the fifth wrong code did not lock code entry")
	}
	typeDigits(t, till, demo.OperatorCode, "Unlock")
	if !till.Locked() || !shownText(w, "Too many wrong codes: try again in 30 seconds") {
		t.Fatal("the right code unlocked while codes are locked out")
	}
	till.Close()

	// Restarted, in Chinese: still locked out, for what is left.
	till, err = Start(a, Options{DBPath: db, Lang: "zh", Demo: true, inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	till.Window().Resize(WindowSize)
	w = till.Window()
	till.staff.Now = func() time.Time { return start.Add(20 * time.Second) }
	test.Tap(buttonContaining(t, w, demo.Operator.Name))
	typeDigits(t, till, demo.OperatorCode, "登录")
	if !shownText(w, "工号输错次数过多，请 10 秒后再试") || till.login == nil {
		t.Fatalf("after a restart: signed in %+v", shopOwner(t, till))
	}
	till.staff.Now = func() time.Time { return start.Add(31 * time.Second) }
	typeDigits(t, till, demo.OperatorCode, "登录")
	if till.login != nil || till.session.Operator().Name != demo.Operator.Name {
		t.Fatal("the right code did not sign in once the wait was over")
	}
	list, err := till.staff.Lockouts(context.Background())
	if err != nil || len(list) != 1 || list[0].TerminalID != "T01" || list[0].Failures != 0 {
		t.Fatalf("lock-outs after the sign-in: %+v %v", list, err)
	}
}
