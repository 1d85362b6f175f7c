package shifts

import (
	"context"
	"testing"

	"github.com/till-pos/till/internal/demotest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
)

func TestShiftThroughTheDayAndZ(t *testing.T) {
	ctx := context.Background()
	store, sess := demotest.Shop(t)
	manager, err := demo.Stored(ctx, store, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	svc := New(store, sess)
	drawer := &fakeDrawer{}
	svc.Drawer = drawer
	if _, err := svc.OpenShift(ctx, 20000, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveCash(ctx, models.CashOut, 1500, "window cleaner"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveCash(ctx, models.CashOut, 1500, ""); err == nil {
		t.Fatal("a cash out without a reason")
	}
	if drawer.opened != 2 {
		t.Fatalf("the drawer opened %d times for the float and one cash out", drawer.opened)
	}
	x, err := svc.XReport(ctx)
	if err != nil || x.Expected != 18500 || x.Figures.CashOutAmount != 1500 {
		t.Fatalf("X report: %+v %v", x, err)
	}
	// ¥20.00 short of ¥185.00: the cashier alone cannot close it.
	short := models.CashCount{1, 1, 0, 1, 1, 0, 0, 0, 0} // ¥165.00
	if _, err := svc.CloseShift(ctx, short, models.Operator{}); err != models.ErrVarianceManager {
		t.Fatalf("cashier's close ¥20.00 short: %v", err)
	}
	r, err := svc.CloseShift(ctx, short, manager)
	if err != nil || r.Shift.Variance != -2000 || r.Shift.ApprovedBy != manager.ID {
		t.Fatalf("approved close: %+v %v", r.Shift, err)
	}
	if _, err := svc.CloseDay(ctx, sess.Operator()); !models.IsDenied(err) {
		t.Fatalf("the cashier closed the day: %v", err)
	}
	z, err := svc.CloseDay(ctx, manager)
	if err != nil || z.Number != 1 || z.CashOutAmount != 1500 {
		t.Fatalf("Z: %+v %v", z, err)
	}
	again, err := svc.ReprintZ(ctx, 1)
	if err != nil || again.AuditHash != z.AuditHash {
		t.Fatalf("reprint: %+v %v", again, err)
	}
	if n, _ := store.CountAudit(ctx, models.ActionZReprint); n != 1 {
		t.Fatalf("%d reprints audited", n)
	}
	if last, err := svc.LastZReport(ctx); err != nil || last.Number != 1 {
		t.Fatalf("last Z: %+v %v", last, err)
	}
}

type fakeDrawer struct{ opened int }

func (d *fakeDrawer) CanOpenDrawer() error { return nil }
func (d *fakeDrawer) OpenDrawer() error {
	d.opened++
	return nil
}
