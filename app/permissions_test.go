package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/ports"
	"github.com/till-pos/till/services/setup"
)

// TestEveryPrivilegedOperationIsRefusedWithoutItsPermission: whatever a
// screen does, every privileged operation, asked or approved by someone
// whose role the shop's matrix does not allow it, is refused by the
// services and the store, and changes nothing.
func TestEveryPrivilegedOperationIsRefusedWithoutItsPermission(t *testing.T) {
	till := startDemoWithHost(t)
	ctx := context.Background()
	cashier, err := demo.Stored(ctx, till.Store(), demo.Operator)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := demo.Stored(ctx, till.Store(), demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	// The owner leaves cashiers nothing of the matrix.
	m := models.DefaultPermissions()
	m[models.RoleCashier] = map[models.Permission]bool{}
	if err := till.staff.SetPermissions(ctx, m, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	o := sellOneCola(t, till)
	mem := demoMemberWith(t, till, "李雷", 0)
	audit := func() int64 {
		var n int64
		for _, a := range []string{"settings", "void", "refund", "drawer", "member_add", "member_remove", "member_payout", "operator_add", "permissions",
			models.ActionUpdateChannel, models.ActionUpdateInstall} {
			c, _ := till.Store().CountAudit(ctx, a)
			n += int64(c)
		}
		return n
	}
	before := audit()
	ops, _ := till.Store().Operators(ctx)
	su := setup.New(till.Store(), till.deviceKey)
	devs := ports.New(till.Store())
	for _, c := range []struct {
		name string
		do   func() error
	}{
		{"void", func() error { _, err := till.sales.Void(ctx, o.ID, cashier); return err }},
		{"refund", func() error { _, err := till.sales.Refund(ctx, o.ID, 100, cashier); return err }},
		{"the drawer without a sale", func() error { return till.sales.OpenDrawer(ctx, cashier) }},
		{"the discount limit", func() error { return till.sales.SetDiscountLimit(ctx, 500, cashier) }},
		{"selling below zero", func() error { return till.sales.SetAllowBelowZero(ctx, false, cashier) }},
		{"auto-lock", func() error { return till.staff.SetAutoLockMinutes(ctx, 0, cashier) }},
		{"the printer", func() error { return till.printing.Configure(ctx, receipt.PrinterSettings{Paper: "80"}, cashier) }},
		{"a serial port", func() error { return devs.SetPort(ctx, "scanner", "/dev/ttyS9", cashier) }},
		{"the wedge scanner", func() error { return devs.SetScan(ctx, 80, models.ScanSuffixEnter, cashier) }},
		{"the card reader", func() error { return till.cards.ChooseReader(ctx, "another", cashier) }},
		{"the card limits", func() error { return till.cards.SetLimits(ctx, till.cards.Limits(), cashier) }},
		{"the QR names", func() error { return till.qr.SetMerchantNames(ctx, till.qr.MerchantNames(), cashier) }},
		{"the shop", func() error { return su.SaveShop(ctx, models.ShopDetails{Name: "别家店"}, cashier) }},
		{"the acquirer", func() error {
			return su.SaveAcquirer(ctx, models.AcquirerLink{Addr: "127.0.0.1:8583", TID: "12345678", MID: "123456789012345",
				Key1: tmkComponent1, Check1: checkValue(t, tmkComponent1), Key2: tmkComponent2, Check2: checkValue(t, tmkComponent2)}, cashier)
		}},
		{"the QR account", func() error {
			return su.SaveQRMerchant(ctx, models.QRAccount{GUID: "A000000333010101", MerchantID: "123456789012345", MCC: "5411"}, cashier)
		}},
		{"the close of day", func() error { _, err := till.host.Settle(ctx, cashier); return err }},
		{"adding staff", func() error {
			_, err := till.staff.AddOperator(ctx, models.Operator{Name: "新人", Role: models.RoleCashier}, "730415", cashier)
			return err
		}},
		{"editing staff", func() error {
			_, err := till.staff.EditOperator(ctx, manager, "店长", models.RoleCashier, cashier)
			return err
		}},
		{"removing staff", func() error { return till.staff.RemoveOperator(ctx, manager, cashier) }},
		{"another's code", func() error { return till.staff.SetCode(ctx, manager, "730415", cashier) }},
		{"the matrix", func() error { return till.staff.SetPermissions(ctx, models.DefaultPermissions(), cashier) }},
		{"enrolling a member", func() error { _, err := till.members.Add(ctx, "韩梅梅", "13900002222", cashier); return err }},
		{"linking a card", func() error { return till.Store().LinkCard(ctx, mem.ID, "token", cashier, "T01") }},
		{"removing a member", func() error { return till.members.Remove(ctx, mem, cashier) }},
		{"the update channel", func() error {
			return till.updates.SetChannel(ctx, "https://updates.example.com/manifest.json", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", cashier)
		}},
		{"the update channel, by a manager", func() error {
			return till.updates.SetChannel(ctx, "https://updates.example.com/manifest.json", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", manager)
		}},
		{"installing an update", func() error { return till.updates.Install(ctx, "0.2.0", cashier, nil) }},
		{"paying a member's balance out", func() error { _, err := till.members.PayOut(ctx, mem, cashier); return err }},
		{"the members' report", func() error {
			_, err := till.members.Report(ctx, cashier, time.Now().Add(-time.Hour), time.Now())
			return err
		}},
	} {
		if err := c.do(); !refused(err) {
			t.Errorf("%s by a cashier: %v, want refused", c.name, err)
		}
	}
	// Nothing changed.
	if got, _ := till.Store().OrderByID(ctx, o.ID); got.Status != models.OrderPaid {
		t.Errorf("the order after the refusals: %s", got.Status)
	}
	if n := audit(); n != before {
		t.Errorf("%d audit entries written by refused operations", n-before)
	}
	if now, _ := till.Store().Operators(ctx); len(now) != len(ops) {
		t.Errorf("staff: %d, then %d", len(ops), len(now))
	}
	if found, _ := till.members.Find(ctx, "李雷"); len(found) != 1 {
		t.Errorf("the member after the refusals: %+v", found)
	}
}

// refused reports whether err refuses its asker: their role may not (the
// matrix), approvals are given by managers and owners, or only an owner
// may.
func refused(err error) bool {
	var e *models.Error
	return models.IsDenied(err) || errors.As(err, &e) && (e.Key == models.ErrManagerNeeded.Key || e.Key == "error.permission.owner_only")
}
