package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/till-pos/till/internal/uitest"
	"github.com/till-pos/till/models"
)

// fakeMemberReports returns rep for every period asked, records the asks
// and the exports.
type fakeMemberReports struct {
	rep      models.MemberReport
	asks     [][2]time.Time
	exports  []string // folder, by whom
	writeErr error
}

func (f *fakeMemberReports) Report(_ context.Context, by models.Operator, from, to time.Time) (models.MemberReport, error) {
	if err := models.DefaultPermissions().Check(by, models.PermReports); err != nil {
		return models.MemberReport{}, err
	}
	f.asks = append(f.asks, [2]time.Time{from, to})
	r := f.rep
	r.From, r.To = from, to
	return r, nil
}

func (f *fakeMemberReports) ExportReport(_ context.Context, dir string, rep models.MemberReport, by models.Operator) (string, error) {
	f.exports = append(f.exports, dir+" by "+by.Name)
	if f.writeErr != nil {
		return "", f.writeErr
	}
	return dir + "/till-members.csv", nil
}

// memberReportFixture: Li Lei topped up and spent, Han Meimei kept her
// balance, an ended membership brought ¥80 in and was paid it out.
func memberReportFixture() models.MemberReport {
	rows := []models.MemberReportRow{
		{MemberID: 1, Name: "Li Lei", Phone: "138****5678", Active: true, Opening: 10000, TopUps: 5000, Spent: 750, Closing: 14250},
		{MemberID: 2, Name: "Han Meimei", Phone: "139****0001", Active: true, Opening: 3000, Closing: 3000},
		{MemberID: 3, Name: "-", Phone: "-", PaidOut: 8000, Other: 8000},
	}
	return models.MemberReport{Rows: rows, Total: models.MemberReportRow{Opening: 13000, TopUps: 5000, Spent: 750, PaidOut: 8000, Other: 8000, Closing: 17250}}
}

func TestMemberReportFromTheReports(t *testing.T) {
	f := &fakeMemberReports{rep: memberReportFixture()}
	sh, ui, _ := newTestShell(t, func(d *Deps, _ *shellFakes) {
		d.Reports, d.MemberReports = &fakeReports{rep: reportFixture()}, f
	})
	w := ui.Window
	sh.ShowReports()
	keys(t, w, "8888") // the cashier signed in asks a manager
	tap(t, w, "OK")
	sh.Reports.Choose(7, testNow)
	tap(t, w, "Members")
	r := sh.MemberReport
	if r == nil {
		t.Fatal("no members' report")
	}
	// The period is the reports screen's: the 7 days ending today.
	from := time.Date(2025, 3, 8, 0, 0, 0, 0, time.Local)
	if len(f.asks) != 1 || !f.asks[0][0].Equal(from) || !f.asks[0][1].Equal(from.AddDate(0, 0, 7)) {
		t.Fatalf("asked %v", f.asks)
	}
	want := strings.Join([]string{
		"Member | Opening | Top-ups | Spent | Paid out | Brought in | Closing",
		"Li Lei · 138****5678 | ¥100.00 | ¥50.00 | ¥7.50 | ¥0.00 | ¥0.00 | ¥142.50",
		"Han Meimei · 139****0001 | ¥30.00 | ¥0.00 | ¥0.00 | ¥0.00 | ¥0.00 | ¥30.00",
		"Ended membership #3 | ¥0.00 | ¥0.00 | ¥0.00 | ¥80.00 | ¥80.00 | ¥0.00",
		"Total · 3 members | ¥130.00 | ¥50.00 | ¥7.50 | ¥80.00 | ¥80.00 | ¥172.50", ""}, "\n")
	if got := r.String(); got != want {
		t.Fatalf("table:\n%s\nwant\n%s", got, want)
	}
	if _, bold := r.Cell(4, 6); !bold {
		t.Error("the totals are not bold")
	}
	mustShow(t, w, "Members' balances")
	mustShow(t, w, "2025-03-08 – 2025-03-14")
	shoot(t, w, "member-report")

	// A day instead: asked again.
	tap(t, w, "Day")
	if n := len(f.asks); n != 2 || !f.asks[1][0].Equal(time.Date(2025, 3, 14, 0, 0, 0, 0, time.Local)) {
		t.Fatalf("asked %v", f.asks)
	}

	// The CSV file, into the folder typed.
	tap(t, w, "Export CSV")
	es := entries(w)
	if len(es) != 1 {
		t.Fatalf("%d entries in the export dialog", len(es))
	}
	es[0].SetText("/data/exports")
	tap(t, w, "Export CSV")
	if len(f.exports) != 1 || f.exports[0] != "/data/exports by "+manager.Name {
		t.Fatalf("exports %v", f.exports)
	}
	mustShow(t, w, "Written: /data/exports/till-members.csv")
	f.writeErr = &models.Error{Code: models.EINVALID, Key: "error.members.report_file", Fallback: "{{.Path}} cannot be written: choose another folder",
		Args: map[string]any{"Path": "/nope/till-members.csv"}, Err: errors.New("no such folder")}
	tap(t, w, "Export CSV")
	mustShow(t, w, "/nope/till-members.csv cannot be written: choose another folder")
	tap(t, w, "Close")

	// Back to the reports.
	tap(t, w, "Reports")
	if sh.Screen() != sh.Reports.Content() {
		t.Fatal("Back did not show the reports")
	}
}

func TestReportsHideMembersWithoutTheService(t *testing.T) {
	sh, ui, _ := newTestShell(t, func(d *Deps, _ *shellFakes) { d.Reports = &fakeReports{rep: reportFixture()} })
	w := ui.Window
	sh.ShowReports()
	keys(t, w, "8888")
	tap(t, w, "OK")
	if sh.Reports == nil {
		t.Fatal("no reports")
	}
	if b := uitest.FindButton(w, "Members", false); b != nil && b.Visible() {
		t.Fatal("a Members button without a members' report")
	}
}

// TestMemberReportFitsAPortraitTablet: the reports and the members'
// report fit a waiter's tablet in portrait and a small landscape one.
func TestMemberReportFitsAPortraitTablet(t *testing.T) {
	f := &fakeMemberReports{rep: memberReportFixture()}
	sh, ui, _ := newTestShell(t, func(d *Deps, _ *shellFakes) {
		d.Reports, d.MemberReports = &fakeReports{rep: reportFixture()}, f
	})
	w := ui.Window
	sh.ShowReports()
	keys(t, w, "8888")
	tap(t, w, "OK")
	for _, size := range []fyne.Size{{Width: 800, Height: 1280}, {Width: 1024, Height: 768}} {
		w.Resize(size)
		if m := w.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
			t.Errorf("reports at %v need %v", size, m)
		}
		if why := uitest.Unseen(w, uitest.Button(t, w, "Members")); why != "" {
			t.Errorf("reports at %v: Members %s", size, why)
		}
		shoot(t, w, fmt.Sprintf("reports-%.0fx%.0f", size.Width, size.Height))
		sh.Reports.OnMembers(1, testNow)
		if m := w.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
			t.Errorf("members' report at %v needs %v", size, m)
		}
		for _, b := range []string{"Export CSV", "Reports", "30 days"} {
			if why := uitest.Unseen(w, uitest.Button(t, w, b)); why != "" {
				t.Errorf("members' report at %v: %s %s", size, b, why)
			}
		}
		shoot(t, w, fmt.Sprintf("member-report-%.0fx%.0f", size.Width, size.Height))
		tap(t, w, "Reports")
	}
}
