package app

import (
	"image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"os"
	"path/filepath"
	"testing"
)

// TestReportsFromDayEnd: after two cash sales, a manager (asked for) opens
// the reports from Day end, in English and in Chinese; today's figures are
// the sales, the hour's bar holds them, and the screen is captured for a
// look.
func TestReportsFromDayEnd(t *testing.T) {
	for _, c := range []struct {
		lang                                    string
		pay, exact, take, reports, finger, shot string
	}{
		{"en", "Pay ¥3.50", "Exact ¥3.50", "Take cash", "Reports", "Demo finger: 演示店长", "reports"},
		{"zh", "收款 ¥3.50", "刚好 ¥3.50", "确认收款", "报表", "模拟指纹：演示店长", "reports-zh"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			till := startDemo(t, c.lang)
			w := till.Window()
			for range 2 {
				scan(w, colaCode)
				tapKeys(t, till, c.pay, c.exact, c.take)
				till.Shell().ShowSell()
			}
			till.Shell().ShowDayEnd()
			tapKeys(t, till, c.reports, c.finger)
			r := till.Shell().Reports
			if r == nil {
				t.Fatalf("no reports shown (screen %s)", till.Shell().Current())
			}
			rep := r.Report()
			if rep.Orders != 2 || rep.NetSales != 700 || len(rep.Takings.Tenders) != 1 {
				t.Fatalf("today's report: %+v", rep)
			}
			var bar int64
			for i, d := range r.Hours().Data {
				bar += d.Value
				if d.Value != 0 {
					r.Hours().Select(i) // as a tap does: its figures above the bars
				}
			}
			if bar != 700 {
				t.Fatalf("the hours chart holds %d", bar)
			}
			if d := r.Tenders(); len(d.Data) != 1 || d.Data[0].Value != 700 {
				t.Fatalf("the tenders chart: %+v", d.Data)
			}
			if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
				shoot := func(name string) {
					if f, err := os.Create(filepath.Join(dir, name)); err == nil {
						png.Encode(f, w.Canvas().Capture())
						f.Close()
					}
				}
				shoot(c.shot + ".png")
				if s, ok := r.Content().(*container.Scroll); ok {
					s.ScrollToOffset(fyne.NewPos(0, 420)) // the tenders and the tables
				}
				shoot(c.shot + "-lower.png")
			}
		})
	}
}
