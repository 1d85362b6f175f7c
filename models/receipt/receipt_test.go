package receipt

import (
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

func tr(_, fallback string, _ ...any) string { return fallback }

func TestColumns(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "可口可乐": 8, "可乐 330ml": 10, "¥12.50": 6, "（）": 4} {
		if got := Columns(s); got != want {
			t.Errorf("Columns(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestPlainTextAlignsColumns(t *testing.T) {
	paid := time.Date(2026, 11, 24, 10, 30, 0, 0, time.Local)
	o := &models.Order{Number: "T01-00000007", Currency: models.CNY, TaxMode: models.TaxInclusive,
		OperatorName: "演示收银员", PaidAt: &paid,
		Lines: []models.OrderLine{
			{Name: "可口可乐 330ml", UnitPrice: 350, Qty: models.Units(2), TaxRateBP: 1300},
			{Name: "散装苹果", Unit: "千克", Weighed: true, UnitPrice: 1280, Qty: 255, TaxRateBP: 900},
		}}
	if err := o.Recalc(); err != nil {
		t.Fatal(err)
	}
	o.Payments = []models.Payment{{Tender: models.TenderCash, Amount: o.Total, Tendered: 5000, Change: 5000 - o.Total}}
	for _, cols := range []int{32, 48} {
		text := PlainText(Build(o, Shop{Name: "便利店", TerminalID: "T01"}, tr), cols)
		for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			if c := Columns(line); c > cols {
				t.Errorf("%d cols: line %q takes %d columns", cols, line, c)
			}
		}
		for _, want := range []string{"T01-00000007", "可口可乐 330ml", "0.255 千克 × ¥12.80", "¥7.00", "¥3.26", "Change", "¥39.74", "演示收银员"} {
			if !strings.Contains(text, want) {
				t.Errorf("%d cols: receipt lacks %q:\n%s", cols, want, text)
			}
		}
		// Amounts are pushed to the right edge.
		for _, line := range strings.Split(text, "\n") {
			if strings.HasSuffix(line, "¥7.00") && Columns(line) != cols {
				t.Errorf("%d cols: amount not right-aligned in %q", cols, line)
			}
		}
	}
}

func TestPlainTextSplitsLongRows(t *testing.T) {
	text := PlainText([]Row{{Left: strings.Repeat("长", 20), Right: "¥1,000.00"}}, 32)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the row split over two lines, got %q", text)
	}
	for _, l := range lines {
		if Columns(l) > 32 {
			t.Errorf("line %q too wide", l)
		}
	}
}

func TestRefundSlip(t *testing.T) {
	o := &models.Order{Number: "T01-00000007", Currency: models.CNY, Total: 1400, Refunded: 900,
		Payments: []models.Payment{
			{Tender: models.TenderCard, Amount: 1400, MaskedPAN: "**** **** **** 1234", Reference: "000000000042"},
			{Tender: models.TenderCard, Amount: -500}, {Tender: models.TenderCard, Amount: -400}}}
	text := PlainText(BuildSlip(o, SlipRefund, 400, "店长", time.Now(), Shop{Name: "示范店"}, tr), 32)
	for _, want := range []string{"REFUND", "T01-00000007", "¥14.00", "**** **** **** 1234", "000000000042",
		"-¥4.00", "Refunded in all", "¥9.00", "店长", "signature"} {
		if !strings.Contains(text, want) {
			t.Errorf("refund slip lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "Paid by") != 1 {
		t.Errorf("refund rows listed as tenders:\n%s", text)
	}
}

func TestCardPaymentOnTheReceipt(t *testing.T) {
	o := &models.Order{Number: "T01-00000009", Currency: models.CNY, Total: 700, Subtotal: 700,
		Payments: []models.Payment{
			{Tender: models.TenderCard, Status: models.PaymentDeclined, Amount: 700, Tendered: 700, MaskedPAN: "**** **** **** 1111"},
			{Tender: models.TenderCard, Status: models.PaymentApproved, Amount: 700, Tendered: 700,
				MaskedPAN: "**** **** **** 1234", Scheme: "unionpay", AuthCode: "123456", CVM: "no_cvm"}}}
	text := PlainText(Build(o, Shop{Name: "示范店"}, tr), 32)
	for _, want := range []string{"UnionPay", "**** **** **** 1234", "Auth code", "123456", "No PIN, no signature"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "411111") {
		t.Errorf("a declined attempt is on the receipt:\n%s", text)
	}
}

func TestSettlementSlip(t *testing.T) {
	s := Settlement{Batch: 12, At: time.Date(2026, 11, 26, 22, 5, 0, 0, time.Local), TID: "T0000001", MID: "898310012345678",
		Code: "00", Currency: models.CNY,
		Totals: models.BatchTotals{DebitCount: 4, DebitAmount: 2600, CreditCount: 1, CreditAmount: 500},
		Schemes: []models.SchemeTotals{
			{Tender: models.TenderCard, Scheme: "unionpay", BatchTotals: models.BatchTotals{DebitCount: 2, DebitAmount: 1900, CreditCount: 1, CreditAmount: 500}},
			{Tender: models.TenderCard, Scheme: "visa", BatchTotals: models.BatchTotals{DebitCount: 1, DebitAmount: 350}},
			{Tender: models.TenderQR, BatchTotals: models.BatchTotals{DebitCount: 1, DebitAmount: 200}},
			{Tender: models.TenderQR, Scheme: "wechat", BatchTotals: models.BatchTotals{DebitCount: 1, DebitAmount: 150}},
		}}
	text := PlainText(BuildSettlementSlip(s, Shop{Name: "示范店"}, tr), 32)
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if c := Columns(line); c > 32 {
			t.Errorf("line %q takes %d columns", line, c)
		}
	}
	for _, want := range []string{"SETTLEMENT", "Batch", "000012", "2026-11-26 22:05:00", "898310012345678", "T0000001",
		"Card", "UnionPay", "Sales 2", "¥19.00", "Refunds 1", "¥5.00", "Visa", "QR code", "Our QR, customer scanned",
		"WeChat Pay", "Batch total", "Sales 4", "¥26.00", "00 Approved", "Balanced"} {
		if !strings.Contains(text, want) {
			t.Errorf("settlement slip lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "UnionPay") > strings.Index(text, "WeChat Pay") || strings.Count(text, "Card\n") != 1 {
		t.Errorf("schemes not grouped by tender:\n%s", text)
	}
	s.Uploaded = 3
	if text := PlainText(BuildSettlementSlip(s, Shop{Name: "示范店"}, tr), 32); !strings.Contains(text, "Agreed after upload (3)") {
		t.Errorf("a settlement after a batch upload:\n%s", text)
	}
}

func TestReceiptNamesAnOpenItemInItsLanguage(t *testing.T) {
	paid := time.Date(2026, 11, 24, 10, 30, 0, 0, time.Local)
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	o.Number, o.PaidAt = "T01-00000008", &paid
	if _, err := o.AddOpenItem(1250, models.Units(1)); err != nil {
		t.Fatal(err)
	}
	o.Payments = []models.Payment{{Tender: models.TenderCash, Amount: o.Total, Tendered: 2000, Change: 2000 - o.Total}}
	for lang, name := range map[string]string{"en": "Other item", "zh": "其他商品"} {
		text := PlainText(Build(o, Shop{Name: "便利店", Lang: lang}, tr), 32)
		for _, want := range []string{name, "1 × ¥12.50", "¥1.44", "¥7.50"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the receipt lacks %q:\n%s", lang, want, text)
			}
		}
	}
}

// TestMerchantCopyCarriesTheElectronicSignature: a card payment signed on
// the screen prints its signature image and feature code on the merchant
// copy only, in place of the line to sign on; unsigned, the line stays.
func TestMerchantCopyCarriesTheElectronicSignature(t *testing.T) {
	o := &models.Order{Number: "T01-00000010", Currency: models.CNY, Total: 105000, Subtotal: 105000,
		Payments: []models.Payment{{ID: 7, Tender: models.TenderCard, Status: models.PaymentApproved, Amount: 105000,
			Tendered: 105000, MaskedPAN: "**** **** **** 1234", Scheme: "visa", AuthCode: "123456", CVM: "signature"}}}
	shop := Shop{Name: "示范店"}
	sigs := map[uint]Signed{7: {Image: []byte("png"), FeatureCode: "0A1B2C3D"}}
	merchant := BuildWith(o, shop, tr, Options{Copy: "merchant", Signatures: sigs})
	text := PlainText(merchant, 32)
	for _, want := range []string{"Cardholder e-signature", "[image]", "Feature code", "0A1B2C3D"} {
		if !strings.Contains(text, want) {
			t.Errorf("merchant copy lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Customer signature:") {
		t.Errorf("a signed copy still has a line to sign on:\n%s", text)
	}
	if text := PlainText(BuildWith(o, shop, tr, Options{Copy: "customer", Signatures: sigs}), 32); strings.Contains(text, "[image]") {
		t.Errorf("the customer copy carries the signature:\n%s", text)
	}
	if text := PlainText(BuildWith(o, shop, tr, Options{Copy: "merchant"}), 32); !strings.Contains(text, "Customer signature:") ||
		strings.Contains(text, "[image]") {
		t.Errorf("an unsigned merchant copy:\n%s", text)
	}
}

func TestTrainingMarksReceiptsAndSlipsTopAndBottom(t *testing.T) {
	paid := time.Date(2026, 12, 2, 10, 30, 0, 0, time.Local)
	o := &models.Order{Number: "T01-00000001", Currency: models.CNY, TaxMode: models.TaxInclusive, PaidAt: &paid,
		Lines: []models.OrderLine{{Name: "可口可乐 330ml", UnitPrice: 350, Qty: models.Units(1), TaxRateBP: 1300}}}
	if err := o.Recalc(); err != nil {
		t.Fatal(err)
	}
	o.Payments = []models.Payment{{Tender: models.TenderCash, Amount: o.Total, Tendered: o.Total}}
	const mark = "*** TRAINING — NOT A SALE ***"
	for _, training := range []bool{false, true} {
		shop := Shop{Name: "便利店", TerminalID: "T01", Training: training}
		for name, rows := range map[string][]Row{
			"receipt":    Build(o, shop, tr),
			"merchant":   BuildWith(o, shop, tr, Options{Copy: "merchant", Reprint: true}),
			"void slip":  BuildSlip(o, SlipVoid, o.Total, "李店长", paid, shop, tr),
			"settlement": BuildSettlementSlip(Settlement{Currency: models.CNY, At: paid}, shop, tr),
		} {
			first, last := rows[0].Left, rows[len(rows)-1].Left
			text := PlainText(rows, 32)
			if training && (first != mark || last != mark || strings.Count(text, mark) != 2) {
				t.Errorf("%s in training: first %q, last %q:\n%s", name, first, last, text)
			}
			if !training && strings.Contains(text, mark) {
				t.Errorf("%s outside training is marked:\n%s", name, text)
			}
		}
	}
}
