package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
)

// staffButton is the button showing text on the Settings row of the
// member of staff named name.
func staffButton(t *testing.T, w fyne.Window, name, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	uitest.Walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		row, ok := o.(*fyne.Container)
		if !ok || len(row.Objects) != 2 {
			return false
		}
		if l, ok := row.Objects[0].(*widget.Label); !ok || !strings.HasPrefix(l.Text, name+" · ") {
			return false
		}
		uitest.Walk(row.Objects[1], func(o fyne.CanvasObject) bool {
			if b, ok := o.(*widget.Button); ok && b.Text == text {
				found = b
			}
			return found != nil
		})
		return found != nil
	})
	if found == nil {
		t.Fatalf("no %q on the row of %s; shown %q", text, name, uitest.Texts(w))
	}
	return found
}

// TestAnOwnerMakesACashierAManagerWhoseCodeThenApprovesAVoid: in a set-up
// shop the owner adds a cashier, whose code cannot approve a void; the
// owner makes her a manager in Settings, and her code approves it; made a
// cashier again, it approves nothing more.
func TestAnOwnerMakesACashierAManagerWhoseCodeThenApprovesAVoid(t *testing.T) {
	const liNaCode = "730415"
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "till.db")
	setUpShop(t, db, "街角便利店")
	till, err := Start(test.NewTempApp(t), Options{DBPath: db, Lang: "en", inlineUI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { till.Close() })
	w := till.Window()
	typeDigits(t, till, ownerCode, "Sign in")
	owner := till.session.Operator()
	if owner.Role != models.RoleOwner {
		t.Fatalf("signed in: %+v", owner)
	}
	// The owner adds a cashier in Settings, and sells for cash.
	tapKeys(t, till, "Settings", "Add staff")
	setupEntries(t, till, "李娜", liNaCode, liNaCode)
	tapKeys(t, till, "Add staff")
	if !shownText(w, "李娜 · Cashier: 0 fingers") {
		t.Fatalf("the staff after adding a cashier: %q", uitest.Texts(w))
	}
	sell := func() models.Order {
		t.Helper()
		o := models.NewOrder(models.CNY, models.TaxInclusive)
		if _, err := o.AddProduct(models.Product{ID: 1, Name: "测试", Price: 350, Currency: models.CNY}, models.Units(1)); err != nil {
			t.Fatal(err)
		}
		till.Shell().ShowPay(o)
		till.Shell().Pay.Tender(500)
		till.Shell().Pay.Confirm()
		if till.Shell().Current() != "receipt" {
			t.Fatalf("after the cash sale: %s", till.Shell().Current())
		}
		return todaysOrders(t, till)[0] // the latest first
	}
	voidWith := func(o models.Order, code string) {
		t.Helper()
		tapKeys(t, till, "Orders")
		till.Shell().Orders.ShowOrder(o.ID)
		tapKeys(t, till, "Void")
		typeDigits(t, till, code, "OK")
	}
	status := func(o models.Order) models.OrderStatus {
		t.Helper()
		got, err := till.Store().OrderByID(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	first := sell()
	voidWith(first, liNaCode)
	if !shownText(w, "That is not a manager's code") || status(first) == models.OrderVoided {
		t.Fatalf("a cashier's code at a void: %s; shown %q", status(first), uitest.Texts(w))
	}
	tapKeys(t, till, "Cancel")

	// The owner makes her a manager: her name and role in one dialog.
	tapKeys(t, till, "Settings")
	test.Tap(staffButton(t, w, "李娜", "Edit"))
	if es := uitest.Entries(w); len(es) != 1 || es[0].Text != "李娜" {
		t.Fatalf("the edit dialog's entries: %d", len(es))
	}
	tapKeys(t, till, "Owner") // offered to an owner; not kept
	tapKeys(t, till, "Manager", "Save")
	if !shownText(w, "李娜 · Manager: 0 fingers") || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("the staff after the edit: %q", uitest.Texts(w))
	}
	edits, err := till.Store().AuditEntries(ctx, "operator_edit")
	if err != nil || len(edits) != 1 || edits[0].OperatorID != owner.ID || !strings.Contains(edits[0].Detail, "cashier -> manager") ||
		strings.Contains(edits[0].Detail, liNaCode) {
		t.Fatalf("the edit audited: %+v %v", edits, err)
	}
	liNa, err := till.Store().OperatorByCode(ctx, liNaCode)
	if err != nil || liNa.Role != models.RoleManager {
		t.Fatalf("stored: %+v %v", liNa, err)
	}

	// Her code approves the void now, and the void names her.
	voidWith(first, liNaCode)
	if status(first) != models.OrderVoided {
		t.Fatalf("the void approved by the new manager: %s; shown %q", status(first), uitest.Texts(w))
	}
	tapKeys(t, till, "Done")
	voids, err := till.Store().AuditEntries(ctx, "void")
	if err != nil || len(voids) != 1 || voids[0].OperatorID != liNa.ID {
		t.Fatalf("the void audited: %+v %v", voids, err)
	}

	// A cashier again: her code approves nothing more.
	tapKeys(t, till, "Settings")
	test.Tap(staffButton(t, w, "李娜", "Edit"))
	tapKeys(t, till, "Cashier", "Save")
	if !shownText(w, "李娜 · Cashier: 0 fingers") {
		t.Fatalf("the staff after the second edit: %q", uitest.Texts(w))
	}
	second := sell()
	voidWith(second, liNaCode)
	if !shownText(w, "That is not a manager's code") || status(second) == models.OrderVoided {
		t.Fatalf("a demoted manager's code at a void: %s; shown %q", status(second), uitest.Texts(w))
	}
}
