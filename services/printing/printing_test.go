package printing_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/devices/printer/printertest"
	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/models/receipt/barcode"
	"github.com/till-pos/till/services/printing"
)

// reports collects what printing reports of each job.
type reports chan error

func (r reports) next(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("a print job was never reported")
		return nil
	}
}

func newPrinting(t *testing.T) (*printing.Printing, *models.Store, reports) {
	t.Helper()
	return newPrintingWith(t, storetest.Open(t), func(*printing.Config) {})
}

// newPrintingWith is newPrinting on store s, with the Config changed by
// set.
func newPrintingWith(t *testing.T, s *models.Store, set func(*printing.Config)) (*printing.Printing, *models.Store, reports) {
	t.Helper()
	rep := make(reports, 64)
	cfg := printing.Config{Store: s,
		Shop:      func() receipt.Shop { return receipt.Shop{Name: "测试店", TerminalID: "T01", Lang: "en"} },
		Translate: func(_, fallback string, _ ...any) string { return fallback },
		Report:    func(err error) { rep <- err },
		Log:       func(what string, err error) { t.Logf("%s: %v", what, err) }}
	set(&cfg)
	pr, err := printing.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pr.Stop)
	return pr, s, rep
}

// cashOrder is a paid order numbered n, paid in cash.
func cashOrder(n int) *models.Order {
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, time.Local)
	return &models.Order{Number: fmt.Sprintf("T01-%08d", n), Currency: models.CNY, TaxMode: models.TaxInclusive,
		OperatorName: "王小明", CreatedAt: at, PaidAt: &at, Status: models.OrderPaid, Subtotal: 350, Total: 350,
		Lines:    []models.OrderLine{{Name: "可口可乐 330ml", Qty: models.Units(1), UnitPrice: 350, Gross: 350}},
		Payments: []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: 350, Tendered: 500, Change: 150}}}
}

func errKey(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func settings(url string) receipt.PrinterSettings {
	return receipt.PrinterSettings{URL: url, Paper: "58", QR: "native", Cut: "partial", Chinese: true}
}

func TestWithoutAPrinterNothingPrints(t *testing.T) {
	pr, _, rep := newPrinting(t)
	if err := pr.CanOpenDrawer(); errKey(err) != "error.printer.none" {
		t.Fatalf("drawer without a printer: %v", err)
	}
	if err := pr.OpenDrawer(); errKey(err) != "error.printer.none" {
		t.Fatalf("open the drawer without a printer: %v", err)
	}
	pr.Receipt(cashOrder(1), false)
	pr.Slip([]receipt.Row{{Left: "VOID"}})
	if len(rep) != 0 {
		t.Fatalf("jobs reported without a printer: %v", <-rep)
	}
}

func TestConfigureRefusesABadURLAndAnUnreadableLogo(t *testing.T) {
	pr, _, _ := newPrinting(t)
	ctx := context.Background()
	for _, url := range []string{"lpt://nowhere", "tcp://", "file://"} {
		if err := pr.Configure(ctx, settings(url), models.Operator{}); errKey(err) != "error.printer.url" {
			t.Fatalf("printer URL %q: %v", url, err)
		}
	}
	notPicture := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(notPicture, []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, logo := range []string{notPicture, filepath.Join(t.TempDir(), "missing.png")} {
		ps := settings("")
		ps.Logo = logo
		if err := pr.Configure(ctx, ps, models.Operator{}); errKey(err) != "error.printer.logo" {
			t.Fatalf("logo %s: %v", logo, err)
		}
	}
	if got := pr.Settings(); got.URL != "" || got.Logo != "" {
		t.Fatalf("refused settings were stored: %+v", got)
	}
	if pr.CanOpenDrawer() == nil {
		t.Fatal("a refused URL made a printer")
	}
	// Good settings are stored and read back.
	ps := settings("tcp://127.0.0.1:9100")
	ps.Paper, ps.Cut, ps.Chinese, ps.Footer = "80", "full", false, "七日内凭小票退换"
	if err := pr.Configure(ctx, ps, models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if got := pr.Settings(); got != ps {
		t.Fatalf("read back %+v, want %+v", got, ps)
	}
	if err := pr.CanOpenDrawer(); err != nil {
		t.Fatalf("drawer with a printer set: %v", err)
	}
}

func TestReceiptsPrintInQueueOrder(t *testing.T) {
	f := printertest.Start(t)
	pr, _, rep := newPrinting(t)
	if err := pr.Configure(context.Background(), settings(f.URL()), models.Operator{}); err != nil {
		t.Fatal(err)
	}
	var orders []*models.Order
	for i := 1; i <= 6; i++ {
		orders = append(orders, cashOrder(i))
	}
	for _, o := range orders {
		pr.Receipt(o, false)
	}
	if err := pr.OpenDrawer(); err != nil {
		t.Fatal(err)
	}
	for range len(orders) + 1 {
		if err := rep.next(t); err != nil {
			t.Fatalf("a job failed: %v", err)
		}
	}
	// Each cash sale kicks the drawer, and the drawer job once more.
	text := f.PrintedWhen(t, "7 drawer kicks", func(text string) bool { return strings.Count(text, "[DRAWER]") == len(orders)+1 })
	last := -1
	for _, o := range orders {
		i := strings.Index(text, "[BARCODE:"+o.Number+"]")
		if i <= last {
			t.Fatalf("the receipt of %s printed out of order:\n%s", o.Number, text)
		}
		last = i
	}
	if !strings.HasSuffix(strings.TrimSpace(text), "[DRAWER]") {
		t.Fatalf("the drawer job did not come last:\n%s", text)
	}
	if !strings.Contains(text, "测试店") || !strings.Contains(text, "￥3.50") {
		t.Fatalf("receipt text:\n%s", text)
	}
}

func TestPaperOutIsReportedAndNothingPrints(t *testing.T) {
	f := printertest.Start(t)
	f.SetPaperOut(true)
	pr, _, rep := newPrinting(t)
	if err := pr.Configure(context.Background(), settings(f.URL()), models.Operator{}); err != nil {
		t.Fatal(err)
	}
	pr.Receipt(cashOrder(1), false)
	if err := rep.next(t); errKey(err) != "error.printer.paper_out" {
		t.Fatalf("paper out reported as %v", err)
	}
	if text := f.Text(); strings.Contains(text, "T01-00000001") {
		t.Fatalf("printed with the paper out:\n%s", text)
	}
	// Paper loaded: a reprint prints, and does not open the drawer.
	f.SetPaperOut(false)
	pr.Receipt(cashOrder(1), true)
	if err := rep.next(t); err != nil {
		t.Fatalf("reprint: %v", err)
	}
	if text := f.Printed(t, "[BARCODE:T01-00000001]"); strings.Contains(text, "[DRAWER]") {
		t.Fatalf("a reprint opened the drawer:\n%s", text)
	}
}

func TestAPrinterThatIsGoneIsReported(t *testing.T) {
	pr, _, rep := newPrinting(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if err := pr.Configure(context.Background(), settings("tcp://"+addr), models.Operator{}); err != nil {
		t.Fatal(err)
	}
	pr.Receipt(cashOrder(1), false)
	if err := rep.next(t); errKey(err) != "error.printer.unreachable" {
		t.Fatalf("printer gone reported as %v", err)
	}
}

func TestPrintSlipWaitsForThePrinter(t *testing.T) {
	pr, _, rep := newPrinting(t)
	ctx := context.Background()
	rows := []receipt.Row{{Left: "SETTLEMENT"}, {Left: "Batch", Right: "000001"}}
	if err := pr.PrintSlip(ctx, rows); errKey(err) != "error.printer.none_slip" {
		t.Fatalf("a slip without a printer: %v", err)
	}
	f := printertest.Start(t)
	if err := pr.Configure(ctx, settings(f.URL()), models.Operator{}); err != nil {
		t.Fatal(err)
	}
	if err := pr.PrintSlip(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if text := f.Printed(t, "000001"); !strings.Contains(text, "SETTLEMENT") {
		t.Fatalf("slip printed:\n%s", text)
	}
	// Paper out: the slip's own caller hears of it, not the job report.
	f.SetPaperOut(true)
	if err := pr.PrintSlip(ctx, rows); errKey(err) != "error.printer.paper_out" {
		t.Fatalf("a slip with the paper out: %v", err)
	}
	if len(rep) != 0 {
		t.Fatalf("the slip was reported as a job too: %v", <-rep)
	}
}

// printedSymbols reads the Code 128 symbol values in the data of a GS k 73
// command as the printer takes them: "{B" or "{C" choosing the start, then
// a character a symbol (code set B, "{{" for '{') or a value a symbol (C).
func printedSymbols(t *testing.T, data []byte) []int {
	t.Helper()
	if len(data) < 2 || data[0] != '{' || (data[1] != 'B' && data[1] != 'C') {
		t.Fatalf("GS k 73 data % x: no code set B or C", data)
	}
	syms := []int{barcode.StartB}
	if data[1] == 'C' {
		syms[0] = barcode.StartC
	}
	for i := 2; i < len(data); i++ {
		c := data[i]
		switch {
		case syms[0] == barcode.StartC:
			syms = append(syms, int(c))
		case c == '{' && i+1 < len(data) && data[i+1] == '{':
			syms = append(syms, '{'-0x20)
			i++
		default:
			syms = append(syms, int(c)-0x20)
		}
	}
	return syms
}

// The receipt's barcode is the same on paper as in the preview: the ESC/POS
// stream, decoded, asks the printer for the symbols that the preview's
// encoder draws (the printer adds the check character and the stop).
func TestPrintedBarcodeIsTheOneThePreviewDraws(t *testing.T) {
	for _, number := range []string{"T01-00000042", "20261126", "1234567", "A{B}"} {
		rows := []receipt.Row{{Barcode: number}}
		for _, p := range []printer.Profile{printer.Profile58(), printer.Profile80()} {
			b, err := printer.Encode(printing.Doc(rows, p), p)
			if err != nil {
				t.Fatal(err)
			}
			ops, err := escposdecode.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			var code *escposdecode.Op
			for i := range ops {
				if ops[i].Kind == escposdecode.KindBarcode {
					code = &ops[i]
				}
			}
			if code == nil || code.Arg != 73 || code.Text != number {
				t.Fatalf("%q: printed barcode %+v", number, code)
			}
			drawn, err := barcode.EncodeCode128(number)
			if err != nil {
				t.Fatal(err)
			}
			want := drawn.Symbols[:len(drawn.Symbols)-2]
			if got := printedSymbols(t, code.Data); !slices.Equal(got, want) {
				t.Errorf("%q: printed symbols %v, the preview draws %v", number, got, want)
			}
		}
	}
}
