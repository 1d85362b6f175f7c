package export_test

import (
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/export"
)

// readCSV reads an export file: it starts with a byte order mark.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "\ufeff") {
		t.Fatalf("%s has no byte order mark", path)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestExportWritesOrdersLinesAndPaymentsOfThePeriod: two cash sales and a
// card sale, one refunded; the three files hold them with their lines and
// payments, amounts in yuan, the Chinese names whole; a cashier may not
// export; another period holds nothing.
func TestExportWritesOrdersLinesAndPaymentsOfThePeriod(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	cashier, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := demo.Stored(ctx, s, demo.Manager)
	if err != nil {
		t.Fatal(err)
	}
	cola, err := s.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	var orders []*models.Order
	for i, tender := range []models.Tender{models.TenderCash, models.TenderCard, models.TenderCash} {
		o := models.NewOrder(models.CNY, models.TaxInclusive)
		if _, err := o.AddProduct(*cola, models.Units(int64(i+1))); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitSale(ctx, o, []models.Payment{{Tender: tender, Status: models.PaymentApproved, Amount: o.Total,
			Tendered: o.Total}}, models.SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	if _, err := s.RefundOrder(ctx, models.Undo{OrderID: orders[2].ID, PaymentID: orders[2].Payments[0].ID, Amount: 350,
		Manager: manager}); err != nil {
		t.Fatal(err)
	}
	e := export.New(s, "T01")
	now := time.Now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	dir := t.TempDir()
	if _, err := e.Export(ctx, dir, from, from.AddDate(0, 0, 1), cashier, nil); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a cashier's export: %v", err)
	}
	f, err := e.Export(ctx, dir, from, from.AddDate(0, 0, 1), manager, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Orders != 3 || f.Lines != 3 || f.Payments != 4 || len(f.Files) != 3 {
		t.Fatalf("rows: %+v", f)
	}
	os_ := readCSV(t, f.Files[0])
	if len(os_) != 4 || os_[0][0] != "order" || os_[1][0] != orders[0].Number || os_[2][10] != "7.00" || os_[3][11] != "3.50" {
		t.Fatalf("orders.csv: %v", os_)
	}
	lines := readCSV(t, f.Files[1])
	if len(lines) != 4 || lines[1][3] != "可口可乐 330ml" || lines[3][6] != "3.50" || lines[3][7] != "3" || lines[3][11] != "10.50" {
		t.Fatalf("lines.csv: %v", lines)
	}
	pays := readCSV(t, f.Files[2])
	if len(pays) != 5 || pays[2][3] != "card" || pays[4][5] != "-3.50" || pays[4][0] != orders[2].Number {
		t.Fatalf("payments.csv: %v", pays)
	}
	g, err := e.Export(ctx, t.TempDir(), from.AddDate(0, 0, -7), from, manager, nil)
	if err != nil || g.Orders+g.Lines+g.Payments != 0 {
		t.Fatalf("last week: %+v %v", g, err)
	}
}
