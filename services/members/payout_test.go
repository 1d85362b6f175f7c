package members_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/members"
)

// TestPayOutThenRemove: the cashier signed in may not pay a balance out;
// the manager does, from the open shift's drawer, and the membership then
// ends.
func TestPayOutThenRemove(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	cashier := r.session.Operator()
	if cashier.Role != models.RoleCashier {
		t.Fatalf("signed in as a %s", cashier.Role)
	}
	zhang := r.add(t, "张伟", "13800135678")
	top, err := r.members.TopUp(zhang, 2500)
	if err != nil {
		t.Fatal(err)
	}
	r.paidInCash(t, top)
	if _, err := r.members.PayOut(ctx, zhang, r.manager); err != models.ErrNoShift {
		t.Fatalf("payout with no shift open: %v", err)
	}
	if _, err := r.store.OpenShift(ctx, "T01", cashier, 10000, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.members.PayOut(ctx, zhang, cashier); !models.IsDenied(err) {
		t.Fatalf("a cashier's payout: %v", err)
	}
	p, err := r.members.PayOut(ctx, zhang, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if p.Amount != 2500 || p.TerminalID != "T01" || p.Member != "张* 138****5678" || p.OperatorName != r.manager.Name {
		t.Fatalf("payout %+v", p)
	}
	x, err := r.store.XReport(ctx, "T01")
	if err != nil || x.Expected != 10000-2500 || x.Figures.CashOutAmount != 2500 {
		t.Fatalf("X report %+v %v", x, err)
	}
	if err := r.members.Remove(ctx, zhang, r.manager); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.reader.Templates(); n != 0 {
		t.Fatalf("%d templates left", n)
	}
}

func TestMembersReportAndItsFile(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	li := r.add(t, "李娜", "13900139000")
	top, err := r.members.TopUp(li, 12345)
	if err != nil {
		t.Fatal(err)
	}
	r.paidInCash(t, top)
	from := time.Now().Add(-time.Hour)
	to := from.Add(24 * time.Hour)
	if _, err := r.members.Report(ctx, r.session.Operator(), from, to); !models.IsDenied(err) {
		t.Fatalf("a cashier's members' report: %v", err)
	}
	rep, err := r.members.Report(ctx, r.manager, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 1 || rep.Rows[0].TopUps != 12345 || rep.Total.Closing != 12345 {
		t.Fatalf("report %+v", rep)
	}
	dir := t.TempDir()
	path, err := r.members.ExportReport(ctx, dir, rep, r.manager)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir || filepath.Base(path) != members.ReportFileName(from, to) {
		t.Fatalf("written to %s", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "\ufeffmember,name,phone,opening,top_ups,spent,paid_out,other,closing\n" +
		strconv.FormatUint(uint64(li.ID), 10) + ",李娜,139****9000,0.00,123.45,0.00,0.00,0.00,123.45\n" +
		"total,,,0.00,123.45,0.00,0.00,0.00,123.45\n"
	if string(data) != want {
		t.Fatalf("file:\n%q\nwant\n%q", data, want)
	}
	_, err = r.members.ExportReport(ctx, filepath.Join(dir, "no such folder"), rep, r.manager)
	if errKey(err) != "error.members.report_file" || !strings.Contains(err.Error(), "no such folder") {
		t.Fatalf("a missing folder: %v", err)
	}
	if _, err := r.members.ExportReport(ctx, dir, rep, r.session.Operator()); !models.IsDenied(err) {
		t.Fatalf("a cashier's export: %v", err)
	}
}
