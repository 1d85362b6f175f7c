// Package receipt lays out a sale's receipt once, as rows of text, so that
// the screen preview and the paper printer show the same thing.
package receipt

import (
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/till-pos/till/models"
)

// Style is how a row is emphasised.
type Style int

// Row styles.
const (
	Plain Style = iota
	Bold
	Large // double width and height on paper, a heading on screen
)

// Row is one line of a receipt: Left and Right text pushed to either edge,
// or centred Left alone; Rule draws a separator instead of text.
type Row struct {
	Left, Right string
	Center      bool
	Style       Style
	Rule        bool
}

// Shop is what a receipt says about where the sale happened.
type Shop struct {
	Name       string
	TerminalID string
	Lang       string // "zh" or "en": which product names to print
}

// Translate returns the text for a key in the current language; lang.X fits.
type Translate func(key, fallback string, data ...any) string

// Build lays out the receipt of a paid order.
func Build(o *models.Order, shop Shop, tr Translate) []Row {
	money := func(v int64) string { return models.Money{Minor: v, Currency: o.Currency}.String() }
	at := o.CreatedAt
	if o.PaidAt != nil {
		at = *o.PaidAt
	}
	rows := []Row{
		{Left: shop.Name, Center: true, Style: Large},
		{Left: tr("receipt.title", "Sales receipt"), Center: true},
		{Rule: true},
		{Left: tr("receipt.order", "Order"), Right: o.Number},
		{Left: tr("receipt.time", "Time"), Right: at.Local().Format(time.DateTime)},
		{Left: tr("receipt.operator", "Operator"), Right: o.OperatorName},
		{Rule: true},
	}
	for _, l := range o.Lines {
		rows = append(rows, Row{Left: l.DisplayName(shop.Lang)})
		qty := l.Qty.String()
		if unit := unitOf(l, shop.Lang); l.Weighed && unit != "" {
			qty += " " + unit
		}
		rows = append(rows, Row{Left: "  " + qty + " × " + money(l.UnitPrice), Right: money(l.Gross)})
		if l.LineDiscount > 0 {
			rows = append(rows, Row{Left: "  " + tr("receipt.line_discount", "Discount"), Right: "-" + money(l.LineDiscount)})
		}
	}
	rows = append(rows, Row{Rule: true},
		Row{Left: tr("receipt.subtotal", "Subtotal"), Right: money(o.Subtotal)})
	if o.DiscountTotal > 0 {
		rows = append(rows, Row{Left: tr("receipt.discount", "Discount"), Right: "-" + money(o.DiscountTotal)})
	}
	taxLabel := tr("receipt.tax_included", "VAT included")
	if o.TaxMode == models.TaxExclusive {
		taxLabel = tr("receipt.tax_added", "VAT")
	}
	rows = append(rows, Row{Left: taxLabel, Right: money(o.TaxTotal)},
		Row{Left: tr("receipt.total", "Total"), Right: money(o.Total), Style: Bold})
	for _, p := range o.Payments {
		if !paid(p) {
			continue
		}
		rows = append(rows, Row{Left: TenderName(p.Tender, tr), Right: money(p.Tendered)})
		if p.Tender == models.TenderCash {
			rows = append(rows, Row{Left: tr("receipt.change", "Change"), Right: money(p.Change)})
		}
		rows = append(rows, cardRows(p, tr)...)
	}
	rows = append(rows, Row{Rule: true},
		Row{Left: tr("receipt.thanks", "Thank you, welcome back"), Center: true})
	return rows
}

// paid reports whether a payment took (or gave back) money, so belongs on
// the receipt; declined and failed attempts do not.
func paid(p models.Payment) bool {
	switch p.Status {
	case models.PaymentDeclined, models.PaymentFailed, models.PaymentReversed, models.PaymentPending:
		return false
	}
	return true
}

// cardRows are a card payment's masked number, authorization code and how
// the cardholder was verified.
func cardRows(p models.Payment, tr Translate) []Row {
	var rows []Row
	if p.MaskedPAN != "" {
		rows = append(rows, Row{Left: "  " + strings.ToUpper(p.Scheme), Right: p.MaskedPAN})
	}
	if p.AuthCode != "" {
		rows = append(rows, Row{Left: "  " + tr("receipt.auth_code", "Auth code"), Right: p.AuthCode})
	}
	if p.CVM != "" {
		rows = append(rows, Row{Left: "  " + CVMName(p.CVM, tr)})
	}
	return rows
}

// CVMName is how a receipt names the cardholder verification used.
func CVMName(cvm string, tr Translate) string {
	switch cvm {
	case "no_cvm":
		return tr("cvm.no_cvm", "No PIN, no signature")
	case "fingerprint":
		return tr("cvm.fingerprint", "Fingerprint verified")
	case "cdcvm":
		return tr("cvm.cdcvm", "Verified on the customer's device")
	}
	return cvm
}

func unitOf(l models.OrderLine, lang string) string {
	if lang == "en" && l.UnitEN != "" {
		return l.UnitEN
	}
	return l.Unit
}

// TenderName is the tender's name in the current language.
func TenderName(t models.Tender, tr Translate) string {
	switch t {
	case models.TenderCash:
		return tr("tender.cash", "Cash")
	case models.TenderCard:
		return tr("tender.card", "Card")
	case models.TenderQR:
		return tr("tender.qr", "QR code")
	case models.TenderFingerprint:
		return tr("tender.fingerprint", "Fingerprint")
	}
	return string(t)
}

// Columns counts how many printer columns s takes: a Chinese (wide or
// fullwidth) character takes two, others one.
func Columns(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// fit cuts s to at most cols columns.
func fit(s string, cols int) string {
	n := 0
	for i, r := range s {
		w := Columns(string(r))
		if n+w > cols {
			return s[:i]
		}
		n += w
	}
	return s
}

// PlainText renders rows for a fixed-width printer of cols columns (32 on
// 58 mm paper, 48 on 80 mm). Left and right parts that do not fit on one
// line are split over two.
func PlainText(rows []Row, cols int) string {
	var b strings.Builder
	for _, r := range rows {
		switch {
		case r.Rule:
			b.WriteString(strings.Repeat("-", cols))
		case r.Center:
			s := fit(r.Left, cols)
			b.WriteString(strings.Repeat(" ", (cols-Columns(s))/2) + s)
		default:
			left, right := r.Left, r.Right
			gap := cols - Columns(left) - Columns(right)
			if gap < 1 && right != "" {
				b.WriteString(fit(left, cols) + "\n")
				left = ""
				gap = cols - Columns(right)
			}
			b.WriteString(fit(left, cols))
			if right != "" {
				b.WriteString(strings.Repeat(" ", max(gap, 0)) + fit(right, cols))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
