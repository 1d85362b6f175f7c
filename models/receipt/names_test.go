package receipt

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/resources"
)

// translator reads a language's shipped translations, as lang.X would in
// that language: the text of a key, or the fallback when it has none.
func translator(t *testing.T, language string) Translate {
	t.Helper()
	data, err := resources.Translations.ReadFile(resources.TranslationsDir + "/" + resources.TranslationFile(language))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for k, v := range raw {
		var text string
		if json.Unmarshal(v, &text) == nil { // texts with plural forms are not receipt labels
			texts[k] = text
		}
	}
	return func(key, fallback string, _ ...any) string {
		if s, ok := texts[key]; ok {
			return s
		}
		return fallback
	}
}

func TestSchemeNamesInEachLanguage(t *testing.T) {
	zh, en := translator(t, "zh"), translator(t, "en")
	for _, c := range []struct{ scheme, zh, en string }{
		{"unionpay", "银联", "UnionPay"},
		{"UnionPay", "银联", "UnionPay"},
		{"visa", "Visa", "Visa"},
		{"mastercard", "Mastercard", "Mastercard"},
		{"amex", "美国运通", "American Express"},
		{"jcb", "JCB", "JCB"},
		{"discover", "发现卡", "Discover"},
		{"rupay", "RUPAY", "RUPAY"},
		{"", "卡组织未知", "Scheme not known"},
	} {
		if got := SchemeName(c.scheme, zh); got != c.zh {
			t.Errorf("SchemeName(%q) in Chinese = %q, want %q", c.scheme, got, c.zh)
		}
		if got := SchemeName(c.scheme, en); got != c.en {
			t.Errorf("SchemeName(%q) in English = %q, want %q", c.scheme, got, c.en)
		}
	}
}

func TestWalletNamesInEachLanguage(t *testing.T) {
	zh, en := translator(t, "zh"), translator(t, "en")
	for _, c := range []struct{ wallet, zh, en string }{
		{"wechat", "微信支付", "WeChat Pay"},
		{"alipay", "支付宝", "Alipay"},
		{"unionpay", "云闪付", "UnionPay QR"},
		{"paypal", "paypal", "paypal"},
		{"", "", ""},
	} {
		if got := WalletName(c.wallet, zh); got != c.zh {
			t.Errorf("WalletName(%q) in Chinese = %q, want %q", c.wallet, got, c.zh)
		}
		if got := WalletName(c.wallet, en); got != c.en {
			t.Errorf("WalletName(%q) in English = %q, want %q", c.wallet, got, c.en)
		}
	}
}

func TestPaymentNames(t *testing.T) {
	zh := translator(t, "zh")
	for _, c := range []struct {
		p    models.Payment
		want string
	}{
		{models.Payment{Tender: models.TenderCash}, "现金"},
		{models.Payment{Tender: models.TenderCard, Scheme: "unionpay"}, "银行卡 银联"},
		{models.Payment{Tender: models.TenderCard}, "银行卡"},
		{models.Payment{Tender: models.TenderQR, Scheme: "alipay"}, "扫码 支付宝"},
		{models.Payment{Tender: models.TenderQR}, "扫码"},
	} {
		if got := PaymentName(c.p, zh); got != c.want {
			t.Errorf("PaymentName(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
}

// A Chinese receipt, slip and settlement slip name the card scheme and the
// wallet in Chinese.
func TestChineseReceiptsNameSchemeAndWallet(t *testing.T) {
	zh := translator(t, "zh")
	paid := time.Date(2026, 11, 24, 10, 30, 0, 0, time.Local)
	card := models.Payment{Tender: models.TenderCard, Status: models.PaymentApproved, Amount: 700, Tendered: 700,
		MaskedPAN: "**** **** **** 1234", Scheme: "unionpay", AuthCode: "123456", Reference: "000000000042"}
	qr := models.Payment{Tender: models.TenderQR, Status: models.PaymentApproved, Amount: 700, Tendered: 700,
		Scheme: "wechat", Reference: "000000000043"}
	order := func(p models.Payment) *models.Order {
		return &models.Order{Number: "T01-00000009", Currency: models.CNY, Total: 700, Subtotal: 700, PaidAt: &paid,
			Payments: []models.Payment{p}}
	}
	text := PlainText(Build(order(card), Shop{Name: "示范店"}, zh), 32)
	if !strings.Contains(text, "  银联") || strings.Contains(text, "UNIONPAY") {
		t.Errorf("card receipt:\n%s", text)
	}
	text = PlainText(Build(order(qr), Shop{Name: "示范店"}, zh), 32)
	if !strings.Contains(text, "扫码") || !strings.Contains(text, "  微信支付") {
		t.Errorf("QR receipt:\n%s", text)
	}
	text = PlainText(BuildSlip(order(card), SlipVoid, 700, "店长", paid, Shop{Name: "示范店"}, zh), 32)
	if !strings.Contains(text, "银行卡 银联 **** **** **** 1234") {
		t.Errorf("void slip:\n%s", text)
	}
	s := Settlement{Batch: 1, At: paid, Code: "00", Currency: models.CNY, Schemes: []models.SchemeTotals{
		{Tender: models.TenderCard, Scheme: "visa"}, {Tender: models.TenderCard, Scheme: "unionpay"},
		{Tender: models.TenderQR, Scheme: "unionpay"}, {Tender: models.TenderQR}}}
	text = PlainText(BuildSettlementSlip(s, Shop{Name: "示范店"}, zh), 32)
	for _, want := range []string{" Visa\n", " 银联\n", " 云闪付\n", " 商户二维码（顾客扫码）\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("settlement slip lacks %q:\n%s", want, text)
		}
	}
}

// A member's balance payment says so in Chinese, names the member masked
// and the balance left as stored with the payment; one stored before the
// balance was kept shows none rather than a wrong one.
func TestMemberPaymentOnTheReceipt(t *testing.T) {
	zh := translator(t, "zh")
	left := int64(49300)
	o := &models.Order{Number: "T01-00000011", Currency: models.CNY, Total: 700, Subtotal: 700,
		Payments: []models.Payment{{Tender: models.TenderFingerprint, Status: models.PaymentApproved, Amount: 700, Tendered: 700,
			MemberID: 3, MemberMasked: "王* 139****5678", BalanceLeft: &left}}}
	text := PlainText(Build(o, Shop{Name: "示范店"}, zh), 32)
	for _, want := range []string{"会员储值", "  会员", "王* 139****5678", "  余额", "¥493.00"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "指纹") {
		t.Errorf("the tender is called fingerprint:\n%s", text)
	}
	if got := PaymentName(o.Payments[0], zh); got != "会员储值 王* 139****5678" {
		t.Errorf("PaymentName = %q", got)
	}
	o.Payments[0].MemberMasked, o.Payments[0].BalanceLeft = "", nil
	if text := PlainText(Build(o, Shop{Name: "示范店"}, zh), 32); strings.Contains(text, "余额") || strings.Contains(text, "  会员") {
		t.Errorf("an old payment shows a balance or member:\n%s", text)
	}
}
