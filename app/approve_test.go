package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/services/demo"
)

// auditDetails are the details of an order's audit entries of an action.
func auditDetails(t *testing.T, till *Till, o *models.Order, action string) []string {
	t.Helper()
	events, err := till.Store().OrderHistory(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		if e.Kind == "audit:"+action {
			out = append(out, e.Detail)
		}
	}
	return out
}

// operatorID is the stored ID of a demo operator.
func operatorID(t *testing.T, till *Till, op models.Operator) uint {
	t.Helper()
	got, err := demo.Stored(context.Background(), till.Store(), op)
	if err != nil {
		t.Fatal(err)
	}
	return got.ID
}

// shopOwner is the demo shop's owner as stored: who changes the settings
// a test sets.
func shopOwner(t *testing.T, till *Till) models.Operator {
	t.Helper()
	m, err := demo.Stored(context.Background(), till.Store(), demo.Owner)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCashierDiscountAboveTheLimitWaitsForAManager(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sell := till.Shell().Sell
	scan(w, colaCode)
	scan(w, colaCode) // ¥7.00
	o := sell.Order()

	// 10% is the default limit: a cashier gives it alone.
	test.Tap(cartButtonAt(t, w, 3))
	tapKeys(t, till, "Percent %", "1", "0", "OK")
	if o.Lines[0].LineDiscount != 70 || len(o.Approvals) != 0 || labelShown(w, "A manager's code is needed") {
		t.Fatalf("10%% discount: %d, approvals %v", o.Lines[0].LineDiscount, o.Approvals)
	}

	// 20% is held until a manager approves: the cashier's finger is refused.
	test.Tap(cartButtonAt(t, w, 3))
	tapKeys(t, till, "Percent %", "C", "2", "0", "OK")
	if !labelShown(w, "A manager's code is needed") {
		t.Fatal("a discount above the limit did not ask for a manager")
	}
	if o.Lines[0].LineDiscount != 70 {
		t.Fatalf("the discount was given before approval: %d", o.Lines[0].LineDiscount)
	}
	tapKeys(t, till, "Demo finger: 演示收银员")
	if !shownText(w, "A manager must authorize this") || o.Lines[0].LineDiscount != 70 {
		t.Fatalf("the cashier's own finger approved: %d", o.Lines[0].LineDiscount)
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if o.Lines[0].LineDiscount != 140 || len(o.Approvals) != 1 || o.Approvals[0].Manager.Name != demo.Manager.Name {
		t.Fatalf("after the manager's finger: %d, approvals %+v", o.Lines[0].LineDiscount, o.Approvals)
	}

	// An order discount of ¥1.00 on ¥5.60 is above 10%: the cashier's code is
	// refused, the manager's accepted.
	tapKeys(t, till, "Order discount", "Amount ¥", "1", "OK")
	tapKeys(t, till, "1", "0", "0", "1", "OK")
	if !shownText(w, "That is not a manager's code") || o.DiscountTotal != 140 {
		t.Fatalf("the cashier's code approved: discount %d", o.DiscountTotal)
	}
	tapKeys(t, till, "C", "8", "8", "8", "8", "OK")
	if o.DiscountTotal != 240 || len(o.Approvals) != 2 {
		t.Fatalf("after the manager's code: discount %d, approvals %d", o.DiscountTotal, len(o.Approvals))
	}

	total := models.Yuan(o.Total).String()
	tapKeys(t, till, "Pay "+total, "Exact "+total, "Take cash")
	orders := todaysOrders(t, till)
	if len(orders) != 1 || orders[0].Total != 460 {
		t.Fatalf("orders stored: %+v", orders)
	}
	details := auditDetails(t, till, &orders[0], models.ActionDiscountOverride)
	if len(details) != 2 {
		t.Fatalf("discount approvals audited: %q", details)
	}
	manager := "manager=" + itoa(operatorID(t, till, demo.Manager)) + ":" + demo.Manager.Name
	cashier := "cashier=" + itoa(operatorID(t, till, demo.Operator)) + ":" + demo.Operator.Name
	for i, want := range [][]string{{manager, cashier, "line=1", "discount=percent:2000", "amount=140"},
		{manager, cashier, "order", "discount=amount:100", "amount=100", "base=560"}} {
		for _, w := range want {
			if !strings.Contains(details[i], w) {
				t.Errorf("approval %d %q lacks %q", i, details[i], w)
			}
		}
	}
	entries, _ := till.Store().AuditEntries(context.Background(), models.ActionDiscountOverride)
	if len(entries) != 2 || entries[0].OperatorID != operatorID(t, till, demo.Manager) || entries[0].Subject != orders[0].Number {
		t.Fatalf("audit entries %+v", entries)
	}
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

func TestDiscountLimitSetInSettingsByAManager(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	till.Shell().ShowSettings()
	till.Shell().Settings.AskDiscountLimit()
	tapKeys(t, till, "Demo finger: 演示收银员")
	if !shownText(w, "A manager must authorize this") {
		t.Fatal("the cashier's finger authorized a new limit")
	}
	tapKeys(t, till, "8", "8", "8", "8", "OK", "C", "5", "OK")
	if got := till.sales.DiscountLimit(); got != 500 {
		t.Fatalf("limit %d after setting 5%%", got)
	}
	if v, _ := till.Store().Setting(context.Background(), models.SettingDiscountLimit, ""); v != "500" {
		t.Fatalf("stored limit %q", v)
	}
	if n := auditCount(t, till, "setting"); n != 1 {
		t.Fatalf("%d setting changes audited", n)
	}
	// Out of range is refused, the limit kept.
	till.Shell().Settings.AskDiscountLimit()
	tapKeys(t, till, "8", "8", "8", "8", "OK", "C", "1", "0", "1", "OK")
	if !shownText(w, "between 0% and 100%") || till.sales.DiscountLimit() != 500 {
		t.Fatalf("101%% accepted: %d", till.sales.DiscountLimit())
	}
	tapKeys(t, till, "Cancel")

	// 6% is now above the limit.
	till.Shell().ShowSell()
	scan(w, colaCode)
	test.Tap(cartButtonAt(t, w, 3))
	tapKeys(t, till, "Percent %", "6", "OK")
	if !labelShown(w, "A manager's code is needed") || till.Shell().Sell.Order().DiscountTotal != 0 {
		t.Fatal("6% above a 5% limit was not held for a manager")
	}
}

func TestManagerGivesAnyDiscountAlone(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	test.Tap(button(t, w, "Operator: 演示收银员"))
	tapKeys(t, till, "Demo finger: 演示店长")
	scan(w, colaCode)
	test.Tap(cartButtonAt(t, w, 3))
	tapKeys(t, till, "Percent %", "5", "0", "OK")
	o := till.Shell().Sell.Order()
	if o.DiscountTotal != 175 || labelShown(w, "A manager's code is needed") {
		t.Fatalf("a manager's 50%% discount: %d", o.DiscountTotal)
	}
	// Recorded as the manager's own approval.
	if len(o.Approvals) != 1 || o.Approvals[0].Manager.Name != demo.Manager.Name || o.Approvals[0].Cashier.Name != demo.Manager.Name {
		t.Fatalf("approvals %+v", o.Approvals)
	}
}

func TestPriceOverrideApprovedAndSold(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	sell := till.Shell().Sell
	scan(w, colaCode)
	o := sell.Order()
	price := cartButtonAt(t, w, 4)
	if price.Text != "¥" || price.Size().Height < 48 || price.Size().Width < 48 {
		t.Fatalf("price button %q %v", price.Text, price.Size())
	}
	test.Tap(price)
	tapKeys(t, till, "C", "3", "OK")
	if !labelShown(w, "A manager's code is needed") || o.Lines[0].UnitPrice != 350 {
		t.Fatalf("a cashier's price override was not held: %d", o.Lines[0].UnitPrice)
	}
	tapKeys(t, till, "Demo finger: 演示收银员")
	if !shownText(w, "A manager must authorize this") || o.Lines[0].UnitPrice != 350 {
		t.Fatal("the cashier's own finger approved a price")
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if o.Lines[0].UnitPrice != 300 || o.Total != 300 {
		t.Fatalf("after approval: price %d total %d", o.Lines[0].UnitPrice, o.Total)
	}
	tapKeys(t, till, "Pay ¥3.00", "Exact ¥3.00", "Take cash")
	orders := todaysOrders(t, till)
	if len(orders) != 1 {
		t.Fatalf("%d orders", len(orders))
	}
	got, err := till.Store().OrderByID(context.Background(), orders[0].ID)
	if err != nil || got.Total != 300 || got.Lines[0].UnitPrice != 300 || got.Lines[0].Gross != 300 {
		t.Fatalf("stored order %+v %v", got, err)
	}
	details := auditDetails(t, till, got, models.ActionPriceOverride)
	if len(details) != 1 {
		t.Fatalf("price overrides audited: %q", details)
	}
	for _, want := range []string{"manager=" + itoa(operatorID(t, till, demo.Manager)) + ":" + demo.Manager.Name,
		"cashier=" + itoa(operatorID(t, till, demo.Operator)) + ":" + demo.Operator.Name, "sku=", "old=350", "new=300"} {
		if !strings.Contains(details[0], want) {
			t.Errorf("price override %q lacks %q", details[0], want)
		}
	}
}

// filePrinter sets a file as the receipt printer and returns its path.
func filePrinter(t *testing.T, till *Till) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "printer.bin")
	if err := till.printing.Configure(context.Background(), receipt.PrinterSettings{URL: "file://" + path,
		Paper: "58", QR: "native", Cut: "partial", Chinese: true}, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	return path
}

// drawerKicks waits until the printer file holds n drawer kicks (or 10 s)
// and returns how many it holds.
func drawerKicks(t *testing.T, path string, n int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(path)
		got := 0
		if ops, err := escposdecode.Decode(data); err == nil {
			got = strings.Count(strings.Join(escposdecode.Lines(ops), "\n"), "[DRAWER]")
		}
		if raw := bytes.Count(data, []byte{0x1B, 0x70, 0x00, 0x32, 0x32}); raw != got {
			t.Fatalf("decoded %d drawer kicks, %d in the bytes", got, raw)
		}
		if got >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOpenDrawerNeedsAManager(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	tapKeys(t, till, "Open drawer")
	if !labelShown(w, "No receipt printer is set") {
		t.Fatal("opening the drawer without a printer did not say why")
	}
	tapKeys(t, till, "OK")
	path := filePrinter(t, till)

	tapKeys(t, till, "Open drawer", "Demo finger: 演示收银员")
	if !shownText(w, "A manager must authorize this") {
		t.Fatal("the cashier's finger opened the drawer")
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if got := drawerKicks(t, path, 1); got != 1 {
		t.Fatalf("%d drawer kicks after the manager's approval", got)
	}
	entries, err := till.Store().AuditEntries(context.Background(), models.ActionDrawerOpen)
	if err != nil || len(entries) != 1 {
		t.Fatalf("drawer openings audited: %+v %v", entries, err)
	}
	if e := entries[0]; e.OperatorID != operatorID(t, till, demo.Manager) ||
		!strings.Contains(e.Detail, demo.Manager.Name) || !strings.Contains(e.Detail, demo.Operator.Name) {
		t.Fatalf("audit entry %+v", e)
	}
	if s := till.Shell().Sell.Status(); !strings.Contains(s, "Drawer opened") {
		t.Fatalf("status %q", s)
	}

	// A manager at the till confirms, and may change their mind.
	test.Tap(button(t, w, "Operator: 演示收银员"))
	tapKeys(t, till, "Demo finger: 演示店长")
	tapKeys(t, till, "Open drawer", "No")
	tapKeys(t, till, "Open drawer", "Yes")
	if got := drawerKicks(t, path, 2); got != 2 {
		t.Fatalf("%d drawer kicks after the manager confirmed", got)
	}
	if n := auditCount(t, till, models.ActionDrawerOpen); n != 2 {
		t.Fatalf("%d drawer openings audited", n)
	}
}
