package app

import (
	"context"
	"errors"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/escposdecode"
	"github.com/till-pos/till/devices/printer/printertest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/services/printing"
)

var update = flag.Bool("update", false, "rewrite the golden receipts in testdata")

// goldenOrder is a fixed sale: Chinese names, a discount, a weighed line.
func goldenOrder(pays ...models.Payment) *models.Order {
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, time.Local)
	o := &models.Order{Number: "T01-00000042", Currency: models.CNY, TaxMode: models.TaxInclusive,
		OperatorName: "王小明", CreatedAt: at, PaidAt: &at, Status: models.OrderPaid,
		Subtotal: 2350, DiscountTotal: 100, TaxTotal: 259, Total: 2250,
		Lines: []models.OrderLine{
			{Name: "可口可乐 330ml", Qty: models.Units(2), UnitPrice: 350, Gross: 700},
			{Name: "红富士苹果（散装）", Unit: "千克", Weighed: true, Qty: 1250, UnitPrice: 1320, Gross: 1650, LineDiscount: 100},
		},
		Payments: pays}
	return o
}

// goldenSettlement is a fixed settlement: UnionPay and Visa cards, a WeChat
// payment code and our own QR, agreed after a batch upload.
func goldenSettlement() receipt.Settlement {
	return receipt.Settlement{Batch: 7, At: time.Date(2026, 11, 26, 22, 5, 0, 0, time.Local), TID: "T0000001",
		MID: "898310012345678", Code: "00", Uploaded: 2, Currency: models.CNY,
		Totals: models.BatchTotals{DebitCount: 5, DebitAmount: 6050, CreditCount: 1, CreditAmount: 500},
		Schemes: []models.SchemeTotals{
			{Tender: models.TenderCard, Scheme: "unionpay", BatchTotals: models.BatchTotals{DebitCount: 2, DebitAmount: 3500, CreditCount: 1, CreditAmount: 500}},
			{Tender: models.TenderCard, Scheme: "visa", BatchTotals: models.BatchTotals{DebitCount: 1, DebitAmount: 2200}},
			{Tender: models.TenderQR, BatchTotals: models.BatchTotals{DebitCount: 1, DebitAmount: 200}},
			{Tender: models.TenderQR, Scheme: "wechat", BatchTotals: models.BatchTotals{DebitCount: 1, DebitAmount: 150}},
		}}
}

var goldenShop = receipt.Shop{Name: "收银台示范店", Address: "上海市黄浦区南京东路 1 号", TerminalID: "T01", Lang: "zh",
	Footer: "七日内凭小票退换"}

// printed is what a printer prints for rows on a profile, as readable lines.
func printed(t *testing.T, docs []printer.Doc, p printer.Profile) string {
	t.Helper()
	var out []string
	for _, d := range docs {
		b, err := printer.Encode(d, p)
		if err != nil {
			t.Fatal(err)
		}
		ops, err := escposdecode.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, escposdecode.Lines(ops)...)
	}
	return strings.Join(out, "\n") + "\n"
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

func TestGoldenReceipts(t *testing.T) {
	useLanguage("zh")
	defer useLanguage("en")
	cash := models.Payment{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: 2250, Tendered: 5000, Change: 2750}
	card := models.Payment{Tender: models.TenderCard, Status: models.PaymentApproved, Amount: 2250, Tendered: 2250,
		MaskedPAN: "**** **** **** 1232", Scheme: "unionpay", AuthCode: "123456", CVM: "no_cvm", Reference: "000000000042"}
	for _, c := range []struct {
		name    string
		profile printer.Profile
		docs    func(p printer.Profile) []printer.Doc
	}{
		{"sale-58", printer.Profile58(), func(p printer.Profile) []printer.Doc {
			return []printer.Doc{printing.Doc(receipt.Build(goldenOrder(cash), goldenShop, lang.X), p)}
		}},
		{"sale-80", printer.Profile80(), func(p printer.Profile) []printer.Doc {
			return []printer.Doc{printing.Doc(receipt.Build(goldenOrder(cash), goldenShop, lang.X), p)}
		}},
		{"card-sale-two-copies-58", printer.Profile58(), func(p printer.Profile) []printer.Doc {
			o := goldenOrder(card)
			return []printer.Doc{
				printing.Doc(receipt.BuildWith(o, goldenShop, lang.X, receipt.Options{Copy: "merchant"}), p),
				printing.Doc(receipt.BuildWith(o, goldenShop, lang.X, receipt.Options{Copy: "customer"}), p)}
		}},
		{"qr-sale-58", printer.Profile58(), func(p printer.Profile) []printer.Doc {
			// Our QR, scanned and paid with WeChat Pay, as the host said.
			qr := models.Payment{Tender: models.TenderQR, Status: models.PaymentApproved, Amount: 2250, Tendered: 2250,
				Scheme: "wechat", AuthCode: "000043", Reference: "000000000043"}
			return []printer.Doc{printing.Doc(receipt.Build(goldenOrder(qr), goldenShop, lang.X), p)}
		}},
		{"paycode-sale-80", printer.Profile80(), func(p printer.Profile) []printer.Doc {
			// The customer's Alipay payment code, scanned.
			qr := models.Payment{Tender: models.TenderQR, Status: models.PaymentApproved, Amount: 2250, Tendered: 2250,
				Scheme: "alipay", MaskedPAN: "2845************1234", AuthCode: "000044", Reference: "000000000044"}
			return []printer.Doc{printing.Doc(receipt.Build(goldenOrder(qr), goldenShop, lang.X), p)}
		}},
		{"member-sale-58", printer.Profile58(), func(p printer.Profile) []printer.Doc {
			// Paid from a member's balance: the member masked, the balance
			// left as it was then.
			left := int64(47750)
			member := models.Payment{Tender: models.TenderFingerprint, Status: models.PaymentApproved, Amount: 2250, Tendered: 2250,
				MemberID: 3, MemberMasked: "王* 139****5678", BalanceLeft: &left}
			return []printer.Doc{printing.Doc(receipt.Build(goldenOrder(member), goldenShop, lang.X), p)}
		}},
		{"void-58", printer.Profile58(), func(p printer.Profile) []printer.Doc {
			o := goldenOrder(card)
			o.Status = models.OrderVoided
			return []printer.Doc{printing.Doc(receipt.BuildSlip(o, receipt.SlipVoid, 2250, "店长", *o.PaidAt, goldenShop, lang.X), p)}
		}},
		{"refund-80", printer.Profile80(), func(p printer.Profile) []printer.Doc {
			o := goldenOrder(cash, models.Payment{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: -500, Tendered: -500})
			o.Refunded, o.Status = 500, models.OrderRefunded
			return []printer.Doc{printing.Doc(receipt.BuildSlip(o, receipt.SlipRefund, 500, "店长", *o.PaidAt, goldenShop, lang.X), p)}
		}},
		{"settlement-58", printer.Profile58(), func(p printer.Profile) []printer.Doc {
			return []printer.Doc{printing.Doc(receipt.BuildSettlementSlip(goldenSettlement(), goldenShop, lang.X), p)}
		}},
		{"reprint-58", printer.Profile58(), func(p printer.Profile) []printer.Doc {
			return []printer.Doc{printing.Doc(receipt.BuildWith(goldenOrder(cash), goldenShop, lang.X, receipt.Options{Reprint: true}), p)}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := printed(t, c.docs(c.profile), c.profile)
			for _, l := range strings.Split(text, "\n") {
				if plain := stripMarks(l); printer.TextColumns(plain) > c.profile.Columns {
					t.Errorf("line wider than %d columns: %q", c.profile.Columns, l)
				}
			}
			golden(t, c.name, text)
		})
	}
}

// stripMarks drops escposdecode's [..] style markers at the line start.
func stripMarks(l string) string {
	for strings.HasPrefix(l, "[") {
		i := strings.Index(l, "]")
		if i < 0 {
			break
		}
		if strings.HasPrefix(l, "[QR") || strings.HasPrefix(l, "[BARCODE") || strings.HasPrefix(l, "[RASTER") {
			return ""
		}
		l = l[i+1:]
	}
	return l
}

func TestCashSalePrintsAndOpensTheDrawer(t *testing.T) {
	f := printertest.Start(t)
	till := startDemo(t, "zh")
	if err := till.printing.Configure(context.Background(), receipt.PrinterSettings{URL: f.URL(), Paper: "58", QR: "native", Cut: "partial", Chinese: true}, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	scan(till.Window(), colaCode)
	tapKeys(t, till, "收款 ¥3.50", "刚好 ¥3.50", "确认收款")
	text := f.Printed(t, "[DRAWER]")
	for _, want := range []string{"收银台示范店", "可口可乐", "￥3.50", "[BARCODE:T01-00000001]", "[QR:T01-00000001]", "[CUT]"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed receipt lacks %q:\n%s", want, text)
		}
	}
}

func TestPaperOutKeepsTheSaleAndReprints(t *testing.T) {
	f := printertest.Start(t)
	f.SetPaperOut(true)
	till := startDemo(t, "en")
	if err := till.printing.Configure(context.Background(), receipt.PrinterSettings{URL: f.URL(), Paper: "80", QR: "native", Cut: "partial", Chinese: true}, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	o := sellOneCola(t, till)
	till.printing.ReceiptThen(o, false, func(err error) { errs <- err })
	select {
	case err := <-errs:
		if models.ErrorCode(err) != models.EINVALID || !strings.Contains(err.Error(), "out of paper") {
			t.Fatalf("paper out: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("printing never finished")
	}
	if len(todaysOrders(t, till)) != 1 {
		t.Fatal("the sale was not kept")
	}
	f.SetPaperOut(false)
	till.printing.ReceiptThen(o, true, func(err error) { errs <- err })
	if err := <-errs; err != nil {
		t.Fatalf("reprint: %v", err)
	}
	if text := f.Printed(t, "REPRINT"); strings.Contains(text, "[DRAWER]") {
		t.Fatalf("a reprint opened the drawer:\n%s", text)
	}
}

// sellOneCola sells a cola for cash and returns the stored order.
func sellOneCola(t *testing.T, till *Till) *models.Order {
	t.Helper()
	ctx := context.Background()
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	p, _ := till.Store().ProductByBarcode(ctx, colaCode)
	o.AddProduct(*p, models.Units(1))
	if err := till.sales.CommitSale(ctx, o, []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved,
		Amount: o.Total, Tendered: o.Total}}); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestBadPrinterAddressIsRefused(t *testing.T) {
	till := startDemo(t, "en")
	err := till.printing.Configure(context.Background(), receipt.PrinterSettings{URL: "lpt://nowhere", Paper: "58"}, shopOwner(t, till))
	if models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("bad printer URL: %v", err)
	}
	err = till.printing.Configure(context.Background(), receipt.PrinterSettings{Paper: "58", Logo: "/nonexistent.png"}, shopOwner(t, till))
	if models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("missing logo: %v", err)
	}
	// A file printer may not append to the database.
	err = till.printing.Configure(context.Background(), receipt.PrinterSettings{URL: "file://" + till.ui.Shop.DBPath, Paper: "58"}, shopOwner(t, till))
	var me *models.Error
	if !errors.As(err, &me) || me.Key != "error.printer.in_data_folder" {
		t.Fatalf("a printer file on the database: %v", err)
	}
}

func TestReceiptLogoAndSettingsAreUsed(t *testing.T) {
	f := printertest.Start(t)
	till := startDemo(t, "zh")
	logo := filepath.Join(t.TempDir(), "logo.png")
	img := image.NewGray(image.Rect(0, 0, 64, 16))
	out, err := os.Create(logo)
	if err != nil {
		t.Fatal(err)
	}
	png.Encode(out, img)
	out.Close()
	ps := receipt.PrinterSettings{URL: f.URL(), Paper: "80", QR: "raster", Cut: "full", Chinese: true,
		Address: "上海市南京东路 1 号", Footer: "七日内凭小票退换", Logo: logo}
	if err := till.printing.Configure(context.Background(), ps, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	if got := till.printing.Settings(); got != ps {
		t.Fatalf("settings read back: %+v", got)
	}
	till.printing.Receipt(sellOneCola(t, till), false)
	text := f.Printed(t, "七日内凭小票退换")
	for _, want := range []string{"[RASTER 72x16]", "上海市南京东路 1 号", "[RASTER 72x"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed receipt lacks %q:\n%s", want, text)
		}
	}
}

func TestPrintJobsKeepTheirOrder(t *testing.T) {
	f := printertest.Start(t)
	till := startDemo(t, "en")
	if err := till.printing.Configure(context.Background(), receipt.PrinterSettings{URL: f.URL(),
		Paper: "58", QR: "native", Cut: "partial", Chinese: true}, shopOwner(t, till)); err != nil {
		t.Fatal(err)
	}
	var orders []*models.Order
	for i := 0; i < 5; i++ {
		orders = append(orders, sellOneCola(t, till))
	}
	for _, o := range orders {
		till.printing.Receipt(o, true)
	}
	text := f.Printed(t, "[BARCODE:"+orders[4].Number+"]")
	last := -1
	for _, o := range orders {
		i := strings.Index(text, "[BARCODE:"+o.Number+"]")
		if i <= last {
			t.Fatalf("receipt of %s printed out of order:\n%s", o.Number, text)
		}
		last = i
	}
}
