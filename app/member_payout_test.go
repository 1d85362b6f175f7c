package app

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
)

// TestMemberPaidOutThenRemovedAndReported: in English and in Chinese, a
// member leaving with ¥66.00 on their balance is removed by the manager
// (asked for by the cashier): the balance is paid out in cash from the
// open shift's drawer, the slip prints, the drawer opens, the shift
// expects ¥66.00 less, and the membership ends; the members' report then
// shows it. The dialog and the report are captured for a look.
func TestMemberPaidOutThenRemovedAndReported(t *testing.T) {
	for _, c := range []struct {
		lang                               string
		members, remove, ok, pay, paidOut  string
		reports, finger, heading, totalRow string
		dismiss                            string // Fyne's own OK of an information dialog
	}{
		{"en", "Members", "Remove", "OK", "Pay out ¥66.00 in cash and remove", "¥66.00 was paid out to 李* 139****1111",
			"Reports", "Demo finger: 演示店长", "Members' balances", "Total · 2 members", "OK"},
		{"zh", "会员", "注销", "确定", "退还现金 ¥66.00 并注销", "已向 李* 139****1111 退还现金 ¥66.00",
			"报表", "模拟指纹：演示店长", "会员余额", "合计 · 2 位会员", "好"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			till := startDemo(t, c.lang)
			w := till.Window()
			ctx := context.Background()
			path := filePrinter(t, till)
			m := demoMemberWith(t, till, "李娜", 6600)
			cashier, err := demo.Stored(ctx, till.Store(), demo.Operator)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := till.Store().OpenShift(ctx, "T01", cashier, 10000, nil, time.Time{}); err != nil {
				t.Fatal(err)
			}
			tapKeys(t, till, c.members)
			till.Shell().Members.Search("李娜")
			tapKeys(t, till, c.remove)
			typeDigits(t, till, demo.ManagerCode, c.ok) // the cashier asks the manager
			pay := uitest.Button(t, w, c.pay)
			if why := uitest.Unseen(w, pay); why != "" {
				t.Fatalf("the payout button %s", why)
			}
			saveShot(t, w, "member-payout-"+c.lang)
			tapKeys(t, till, c.pay)
			if !labelShown(w, c.paidOut) {
				t.Fatalf("no word of the payout: %q", uitest.Texts(w))
			}
			saveShot(t, w, "member-paid-out-"+c.lang)
			tapKeys(t, till, c.dismiss)

			got, err := till.Store().MemberByID(ctx, m.ID)
			if err != nil || got.Active || got.Balance != 0 {
				t.Fatalf("the member after the payout: %+v %v", got, err)
			}
			if n := auditCount(t, till, models.ActionMemberPayout); n != 1 {
				t.Fatalf("%d payouts audited", n)
			}
			x, err := till.Store().XReport(ctx, "T01")
			if err != nil || x.Expected != 10000-6600 || x.Figures.CashOutAmount != 6600 {
				t.Fatalf("X report %+v %v", x, err)
			}
			if n := drawerKicks(t, path, 1); n != 1 {
				t.Fatalf("%d drawer kicks", n)
			}
			data, _ := os.ReadFile(path)
			ops, err := escposdecode.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			slip := strings.Join(escposdecode.Lines(ops), "\n")
			for _, want := range []string{"139****1111", "66.00", "T01"} {
				if !strings.Contains(slip, want) {
					t.Errorf("the printed slip lacks %q:\n%s", want, slip)
				}
			}

			// The members' report of today, from the reports.
			till.Shell().ShowDayEnd()
			tapKeys(t, till, c.reports, c.finger)
			r := till.Shell().Reports
			if r == nil || r.OnMembers == nil {
				t.Fatal("no members' report offered")
			}
			r.OnMembers(1, time.Now())
			mr := till.Shell().MemberReport
			if mr == nil {
				t.Fatal("no members' report shown")
			}
			rep := mr.Report()
			var ended *models.MemberReportRow
			for i, row := range rep.Rows {
				if !row.Balanced() {
					t.Errorf("row does not add up: %+v", row)
				}
				if row.MemberID == m.ID {
					ended = &rep.Rows[i]
				}
			}
			if ended == nil || ended.Other != 6600 || ended.PaidOut != 6600 || ended.Closing != 0 || ended.Name != "-" {
				t.Fatalf("the member paid out in the report: %+v", rep.Rows)
			}
			if !rep.Total.Balanced() || len(rep.Rows) != 2 {
				t.Fatalf("report %+v", rep)
			}
			if !labelShown(w, c.heading) && !uitest.Shown(w, c.heading) {
				t.Errorf("no heading %q", c.heading)
			}
			if cell, _ := mr.Cell(len(rep.Rows)+1, 0); cell != c.totalRow {
				t.Errorf("totals row %q, want %q", cell, c.totalRow)
			}
			saveShot(t, w, "member-report-"+c.lang)
		})
	}
}
