package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/fingers"
)

var entries = uitest.Entries

func receiptText(till *Till) string { return receipt.PlainText(till.Shell().Receipt.Rows(), 40) }

func memberBalance(t *testing.T, till *Till, name string) int64 {
	t.Helper()
	ms, err := till.Store().Members(context.Background(), name)
	if err != nil || len(ms) != 1 {
		t.Fatalf("member %s: %v %v", name, ms, err)
	}
	return ms[0].Balance
}

// demoMemberWith adds a member with an enrolled demo finger and an opening
// balance, as the store would after an import.
func demoMemberWith(t *testing.T, till *Till, name string, balance int64) models.Member {
	t.Helper()
	ctx := context.Background()
	m, err := till.Store().AddMember(ctx, name, "13900001111", shopOwner(t, till), "T01")
	if err != nil {
		t.Fatal(err)
	}
	if err := till.fingers.EnrolDemo(ctx, "member", m.ID, name, demo.Manager, fingers.PurposeMember); err != nil {
		t.Fatal(err)
	}
	if balance > 0 {
		if err := till.Store().OpeningBalance(ctx, m.ID, balance, demo.Manager, "T01"); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestMemberEnrolTopUpAndPayByFinger(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	tapKeys(t, till, "Members")
	members := till.Shell().Members
	if got := members.Shown(); len(got) != 1 || got[0].Name != demo.Member.Name || got[0].Balance != 20000 {
		t.Fatalf("demo members: %+v", got)
	}

	// Enrol: name, phone (kept masked), consent, three placements.
	tapKeys(t, till, "New member")
	es := entries(w)
	if len(es) != 2 {
		t.Fatalf("%d entries in the new member dialog", len(es))
	}
	test.Type(es[0], "王芳")
	test.Type(es[1], "12345")
	tapKeys(t, till, "Customer agrees: enrol finger")
	if !shownText(w, "is not a mobile number") {
		t.Fatal("a bad phone number was not refused")
	}
	es[1].SetText("139 1234 5678")
	tapKeys(t, till, "Customer agrees: enrol finger")
	if !labelShown(w, "王芳 can now pay with this finger") {
		t.Fatal("enrolment did not finish")
	}
	tapKeys(t, till, "OK")
	if n := auditCount(t, till, "consent"); n != 1 {
		t.Fatalf("%d consent audit entries", n)
	}
	fps, _ := till.Store().Fingerprints(context.Background())
	var enrolled int
	for _, fp := range fps {
		if fp.OwnerKind == "member" && fp.ConsentBy == "王芳" && fp.Purpose == fingers.PurposeMember {
			enrolled++
		}
	}
	if enrolled != 1 {
		t.Fatalf("member fingerprints: %+v", fps)
	}

	// Top up ¥500 by cash: the top-up is an order of its own.
	members.Search("王芳")
	if got := members.Shown(); len(got) != 1 || got[0].Phone != "139****5678" {
		t.Fatalf("found: %+v", got)
	}
	tapKeys(t, till, "Top up", "5", "0", "0", "OK")
	if till.Shell().Pay == nil || till.Shell().Pay.OnMember != nil {
		t.Fatal("a top-up is not paid on the pay screen, or could be paid from a balance")
	}
	tapKeys(t, till, "Exact ¥500.00", "Take cash")
	if got := memberBalance(t, till, "王芳"); got != 50000 {
		t.Fatalf("balance after top-up: %d", got)
	}
	tapKeys(t, till, "New sale")

	// Pay by finger: a stranger's finger is refused, the member's pays.
	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Fingerprint", "Demo finger: 访客")
	if !shownText(w, "not recognised") || till.Shell().Current() != "pay" {
		t.Fatal("a stranger's finger was not refused")
	}
	tapKeys(t, till, "Demo finger: 王芳")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("after the member's finger: %s", till.Shell().Current())
	}
	if got := memberBalance(t, till, "王芳"); got != 50000-700 {
		t.Fatalf("balance after paying: %d", got)
	}
	// The receipt names the tender, the member (masked) and what is left.
	r := receiptText(till)
	for _, want := range []string{"Member balance", "  Member", "王* 139****5678", "  Balance left", "¥493.00"} {
		if !strings.Contains(r, want) {
			t.Fatalf("receipt lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r, "王芳") || strings.Contains(r, "Fingerprint") {
		t.Fatalf("receipt shows the member's name or the old tender name:\n%s", r)
	}
	orders := todaysOrders(t, till)
	sale := orders[0]
	if sale.Status != models.OrderPaid || len(sale.Payments) != 1 || sale.Payments[0].Tender != models.TenderFingerprint {
		t.Fatalf("sale: %+v", sale)
	}

	// Paying again moves the balance on; a reprint of the first receipt
	// still says what was left then.
	tapKeys(t, till, "New sale")
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥3.50", "Fingerprint", "Demo finger: 王芳")
	if got := memberBalance(t, till, "王芳"); got != 50000-700-350 {
		t.Fatalf("balance after the second payment: %d", got)
	}
	stored, err := till.Store().OrderByID(context.Background(), sale.ID)
	if err != nil {
		t.Fatal(err)
	}
	again := receipt.PlainText(receipt.BuildWith(stored, receipt.Shop{Name: "Till"}, lang.X, receipt.Options{Reprint: true}), 40)
	if !strings.Contains(again, "¥493.00") || strings.Contains(again, "¥489.50") {
		t.Fatalf("reprint:\n%s", again)
	}
	if r := receiptText(till); !strings.Contains(r, "¥489.50") {
		t.Fatalf("second receipt:\n%s", r)
	}
}

func TestShortBalancePaysPartAndAnotherTenderTheRest(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	demoMemberWith(t, till, "李娜", 500)
	demoMemberWith(t, till, "赵六", 0)

	// No balance at all: a clear message, nothing stored.
	scan(w, colaCode)
	scan(w, colaCode)
	tapKeys(t, till, "Pay ¥7.00", "Fingerprint", "Demo finger: 赵六")
	if !shownText(w, "赵六 has no balance left") {
		t.Fatal("an empty balance was not explained")
	}
	tapKeys(t, till, "OK")

	// Short: ¥5 from the balance, then the customer walks away: the
	// balance comes back.
	tapKeys(t, till, "Fingerprint", "Demo finger: 李娜")
	if !labelShown(w, "李娜's balance is ¥5.00, short of ¥7.00") {
		t.Fatal("a short balance was not explained")
	}
	tapKeys(t, till, "Yes")
	if pay := till.Shell().Pay; pay == nil || !shownText(w, "¥2.00") || memberBalance(t, till, "李娜") != 0 {
		t.Fatal("the rest is not due on the pay screen")
	}
	tapKeys(t, till, "Back to order")
	if got := memberBalance(t, till, "李娜"); got != 500 {
		t.Fatalf("balance after the customer left: %d", got)
	}
	if o := todaysOrders(t, till); len(o) != 1 || o[0].Status != models.OrderCancelled {
		t.Fatalf("orders: %+v", o)
	}

	// Again, and the rest in cash.
	tapKeys(t, till, "Pay ¥7.00", "Fingerprint", "Demo finger: 李娜", "Yes", "Exact ¥2.00", "Take cash")
	if till.Shell().Current() != "receipt" {
		t.Fatalf("screen %s", till.Shell().Current())
	}
	o := todaysOrders(t, till)[0]
	if o.Status != models.OrderPaid || len(o.Payments) != 2 || memberBalance(t, till, "李娜") != 0 {
		t.Fatalf("order: %+v", o)
	}
	var tenders []string
	for _, p := range o.Payments {
		tenders = append(tenders, string(p.Tender)+":"+models.FormatMinor(p.Amount))
	}
	if strings.Join(tenders, " ") != "fingerprint:5.00 cash:2.00" {
		t.Fatalf("payments %v", tenders)
	}
}

// TestCardAboveNoPINLimitSignedAndShopChecked: above the ¥1,000 no-PIN
// limit the cardholder signs (the bank is told: CVM "signature"); a card a
// member linked also needs the member's finger, the shop's own check, and a
// stranger's finger stops it before the bank is asked.
func TestCardAboveNoPINLimitSignedAndShopChecked(t *testing.T) {
	till := startDemoWithHost(t)
	sell := till.Shell().Sell
	item, ok := till.catalog.Lookup(colaCode)
	if !ok || !sell.AddItem(item, models.Units(300)) { // ¥1,050: above the ¥1,000 no-PIN limit
		t.Fatal("cannot fill the cart")
	}
	till.Shell().ShowPayCard(sell.Order())
	card := till.Shell().Card

	// The linked card with a stranger's finger: refused, nothing charged.
	till.fingers.PlaceDemo(demo.Stranger)
	tapKeys(t, till, "Tap demo card: UnionPay")
	if !strings.Contains(card.Message(), "not the cardholder's") || hostCharged(till) != 0 {
		t.Fatalf("stranger's finger: %q, host charged %d", card.Message(), hostCharged(till))
	}
	// The cardholder's finger passes the shop's check; the bank hears of a
	// signature.
	till.fingers.PlaceDemo(demo.Member.Name)
	tapKeys(t, till, "Tap demo card: UnionPay")
	signOnScreen(t, till)
	if till.Shell().Current() != "receipt" {
		t.Fatalf("screen %s, message %q", till.Shell().Current(), card.Message())
	}
	o := todaysOrders(t, till)[0]
	p := o.Payments[len(o.Payments)-1]
	if o.Status != models.OrderPaid || p.CVM != "signature" || p.Amount != 105000 {
		t.Fatalf("payment: %+v", p)
	}
	if r := receiptText(till); !strings.Contains(r, "Signature") || strings.Contains(r, "ingerprint") {
		t.Fatalf("receipt:\n%s", r)
	}
}

func TestRemovingAMemberDeletesTheirFingers(t *testing.T) {
	till := startDemo(t, "en")
	m := demoMemberWith(t, till, "李娜", 0)
	before, _ := till.fingers.Templates()
	tapKeys(t, till, "Members")
	till.Shell().Members.Search("李娜")
	tapKeys(t, till, "Remove")
	typeDigits(t, till, demo.ManagerCode, "OK") // the cashier asks the manager
	tapKeys(t, till, "Yes")
	after, _ := till.fingers.Templates()
	if after != before-1 {
		t.Fatalf("templates on the module: %d, then %d", before, after)
	}
	fps, _ := till.Store().Fingerprints(context.Background())
	for _, fp := range fps {
		if fp.OwnerKind == "member" && fp.OwnerID == m.ID {
			t.Fatal("the member's fingerprint is still in the database")
		}
	}
	if got, _ := till.Store().MemberByID(context.Background(), m.ID); got.Active || got.Name != "-" || got.Phone != "-" {
		t.Fatalf("removed member: %+v", got)
	}
	// The finger no longer pays.
	till.fingers.PlaceDemo("李娜")
	if _, err := till.members.Identify(context.Background()); errKey(err) != "error.fingerprint.no_match" {
		t.Fatalf("a removed member's finger: %v", err)
	}
}

func TestAStaffMemberWhoLeavesLosesTheirFingers(t *testing.T) {
	till := startDemo(t, "en")
	ctx := context.Background()
	seller, err := till.Store().EnsureOperator(ctx, models.Operator{Name: "李四", Role: models.RoleCashier, Active: true}, "2001")
	if err != nil {
		t.Fatal(err)
	}
	manager, _ := demo.Stored(ctx, till.Store(), demo.Manager)
	if err := till.staff.Enroll(ctx, seller, manager, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := till.fingers.Templates()
	tapKeys(t, till, "Settings")
	settings := till.Shell().Settings

	// The cashier signed in cannot be removed.
	cashier, _ := demo.Stored(ctx, till.Store(), demo.Operator)
	settings.AskRemoveOperator(cashier)
	tapKeys(t, till, "Demo finger: 演示店长", "Yes")
	if !shownText(till.Window(), "is signed in: sign out before removing them") {
		t.Fatal("the signed-in cashier was removable")
	}
	tapKeys(t, till, "OK")

	// 李四 leaves, a manager's finger authorizing it.
	settings.AskRemoveOperator(seller)
	tapKeys(t, till, "Demo finger: 演示收银员")
	if !shownText(till.Window(), "A manager must authorize this") {
		t.Fatal("a cashier's finger authorized it")
	}
	tapKeys(t, till, "Demo finger: 演示店长", "Yes")
	if after, _ := till.fingers.Templates(); after != before-1 {
		t.Fatalf("templates on the module: %d, then %d", before, after)
	}
	fps, _ := till.Store().Fingerprints(ctx)
	for _, fp := range fps {
		if fp.OwnerKind == "operator" && fp.OwnerID == seller.ID {
			t.Fatal("the fingerprint is still in the database")
		}
	}
	if _, err := till.Store().OperatorByCode(ctx, "2001"); err == nil {
		t.Fatal("a removed operator can still sign in by code")
	}
	till.fingers.PlaceDemo("李四")
	if _, err := till.staff.Identify(ctx); errKey(err) != "error.fingerprint.no_match" {
		t.Fatalf("a removed operator's finger: %v", err)
	}
	if n := auditCount(t, till, "operator_remove"); n != 1 {
		t.Fatalf("%d removal audit entries", n)
	}
}

// rowButton is the button labelled text in the smallest container that
// also shows a label containing row.
func rowButton(t *testing.T, w fyne.Window, row, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var best int
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		c, ok := o.(*fyne.Container)
		if !ok {
			return false
		}
		var b *widget.Button
		hasRow, n := false, 0
		walk(c, func(o fyne.CanvasObject) bool {
			n++
			switch x := o.(type) {
			case *widget.Button:
				if x.Text == text {
					b = x
				}
			case *widget.Label:
				hasRow = hasRow || strings.Contains(x.Text, row)
			}
			return false
		})
		if b != nil && hasRow && (found == nil || n < best) {
			found, best = b, n
		}
		return false
	})
	if found == nil {
		t.Fatalf("no button %q by %q", text, row)
	}
	return found
}

func TestEnrolACashierInSettingsThenSignInByFinger(t *testing.T) {
	till := startDemo(t, "en")
	w := till.Window()
	ctx := context.Background()
	if _, err := till.Store().EnsureOperator(ctx, models.Operator{Name: "李四", Role: models.RoleCashier, Active: true}, "2001"); err != nil {
		t.Fatal(err)
	}
	tapKeys(t, till, "Settings")
	till.Shell().Settings.RefreshStaff()
	test.Tap(rowButton(t, w, "李四 · Cashier", "Enrol a finger"))
	tapKeys(t, till, "Demo finger: 演示收银员")
	if !shownText(w, "A manager must authorize this") {
		t.Fatal("a cashier authorized an enrolment")
	}
	tapKeys(t, till, "Demo finger: 演示店长")
	if !labelShown(w, "李四 agrees that a template of their fingerprint is kept") {
		t.Fatal("no consent asked")
	}
	tapKeys(t, till, "Yes")
	if !labelShown(w, "李四 can now sign in with this finger") {
		t.Fatal("enrolment did not finish")
	}
	tapKeys(t, till, "OK")
	rowButton(t, w, "李四 · Cashier: 1 finger", "Enrol a finger") // the staff list shows the new finger
	// Sign out; 李四's finger signs in.
	test.Tap(button(t, w, "Operator: 演示收银员"))
	till.fingers.PlaceDemo("李四")
	tapKeys(t, till, "Read finger")
	if till.login != nil || till.session.Operator().Name != "李四" {
		t.Fatalf("after 李四's finger: %+v", shopOwner(t, till))
	}
}
