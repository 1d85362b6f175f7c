package receipt

import (
	"strings"

	"github.com/till-pos/till/models"
)

// SchemeName is a card scheme's name in the current language, as receipts,
// slips and screens show it: 银联, Visa, Mastercard, 美国运通, JCB in
// Chinese; UnionPay, Visa, Mastercard, American Express, JCB in English. A
// scheme it does not know is shown in capitals; none at all as "scheme not
// known".
func SchemeName(scheme string, tr Translate) string {
	switch strings.ToLower(strings.TrimSpace(scheme)) {
	case "unionpay":
		return tr("scheme.unionpay", "UnionPay")
	case "visa":
		return tr("scheme.visa", "Visa")
	case "mastercard":
		return tr("scheme.mastercard", "Mastercard")
	case "amex":
		return tr("scheme.amex", "American Express")
	case "jcb":
		return tr("scheme.jcb", "JCB")
	case "discover":
		return tr("scheme.discover", "Discover")
	case "":
		return tr("scheme.unknown", "Scheme not known")
	}
	return strings.ToUpper(scheme)
}

// WalletName is a QR wallet's name in the current language: 微信支付,
// 支付宝, 云闪付 in Chinese; WeChat Pay, Alipay, UnionPay QR in English.
// A wallet it does not know is shown as it is stored; none at all as "".
func WalletName(wallet string, tr Translate) string {
	switch strings.ToLower(strings.TrimSpace(wallet)) {
	case "wechat":
		return tr("wallet.wechat", "WeChat Pay")
	case "alipay":
		return tr("wallet.alipay", "Alipay")
	case "unionpay":
		return tr("wallet.unionpay", "UnionPay QR")
	case "":
		return ""
	}
	return wallet
}

// PaymentName names how a payment was made, for one line of a slip or a
// screen: the tender and, when known, the card's scheme, the QR wallet or
// the member, masked ("Card UnionPay", "QR code WeChat Pay", "Member
// balance 王* 139****5678").
func PaymentName(p models.Payment, tr Translate) string {
	name := TenderName(p.Tender, tr)
	detail := ""
	switch p.Tender {
	case models.TenderCard:
		if p.Scheme != "" {
			detail = SchemeName(p.Scheme, tr)
		}
	case models.TenderQR:
		detail = WalletName(p.Scheme, tr)
	case models.TenderFingerprint:
		detail = p.MemberMasked
	}
	if detail != "" {
		name += " " + detail
	}
	return name
}

// batchGroupName names a settlement slip's group of payments: a card
// scheme, a QR wallet, or our own QR when the wallet is not known.
func batchGroupName(t models.Tender, scheme string, tr Translate) string {
	if t == models.TenderQR {
		if scheme == "" {
			return tr("wallet.merchant_qr", "Our QR, customer scanned")
		}
		return WalletName(scheme, tr)
	}
	return SchemeName(scheme, tr)
}
