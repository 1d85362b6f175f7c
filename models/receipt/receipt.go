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
	// Barcode or QR, when set, make the row a centred barcode (CODE128)
	// or QR code of that data instead of text.
	Barcode, QR string
	// Image, when set, makes the row a centred 1-bit image (a PNG: the
	// cardholder's electronic signature).
	Image []byte
}

// Shop is what a receipt says about where the sale happened.
type Shop struct {
	Name       string
	Address    string
	TerminalID string
	Lang       string // "zh" or "en": which product names to print
	// Header and Footer are the shop's own lines above and below the
	// receipt (opening hours, a slogan, a return policy); empty: none.
	Header, Footer string
	// Training marks every receipt and slip TRAINING at its top and its
	// bottom: it was printed in training mode and nothing on it counts.
	Training bool
}

// Marked is rows with the TRAINING mark above and below them when shop is
// in training, else rows as they are. Every receipt and slip goes through
// it.
func Marked(rows []Row, shop Shop, tr Translate) []Row {
	if !shop.Training {
		return rows
	}
	mark := Row{Left: tr("receipt.training", "*** TRAINING — NOT A SALE ***"), Center: true, Style: Bold}
	out := make([]Row, 0, len(rows)+4)
	out = append(out, mark, Row{Rule: true})
	out = append(out, rows...)
	return append(out, Row{Rule: true}, mark)
}

// Options choose a printing of a receipt.
type Options struct {
	// Copy names the copy of a card receipt: "merchant" or "customer";
	// empty for a receipt printed once.
	Copy string
	// Reprint marks a receipt printed again later.
	Reprint bool
	// Signatures are the cardholders' electronic signatures of the order's
	// card payments, by payment ID: the merchant copy prints them in place
	// of a line to sign on.
	Signatures map[uint]Signed
}

// Signed is a card payment's electronic signature as a slip prints it.
type Signed struct {
	Image       []byte // 1-bit PNG
	FeatureCode string // the transaction feature code, 8 hex digits
}

// Translate returns the text for a key in the current language; lang.X fits.
type Translate func(key, fallback string, data ...any) string

// Build lays out the receipt of a paid order.
func Build(o *models.Order, shop Shop, tr Translate) []Row {
	return BuildWith(o, shop, tr, Options{})
}

// BuildWith lays out the receipt of a paid order for one printing: a copy
// of a card receipt, or a reprint.
func BuildWith(o *models.Order, shop Shop, tr Translate, opts Options) []Row {
	money := func(v int64) string { return models.Money{Minor: v, Currency: o.Currency}.String() }
	rows := headerRows(o, shop, tr, opts)
	rows = append(rows, lineRows(o, shop.Lang, tr, money)...)
	rows = append(rows, totalRows(o, tr, money)...)
	rows = append(rows, paymentRows(o, tr, money)...)
	if opts.Copy == "merchant" && hasCard(o) {
		rows = append(rows, signatureRows(o, tr, opts.Signatures)...)
	}
	rows = append(rows, Row{Rule: true}, Row{Barcode: o.Number}, Row{QR: o.Number})
	for _, f := range splitLines(shop.Footer) {
		rows = append(rows, Row{Left: f, Center: true})
	}
	rows = append(rows, Row{Left: tr("receipt.thanks", "Thank you, welcome back"), Center: true})
	return Marked(rows, shop, tr)
}

// signatureRows are the merchant copy's signature block: each electronic
// signature a card payment carries, with its feature code, or a line for
// the cardholder to sign on paper when none does.
func signatureRows(o *models.Order, tr Translate, sigs map[uint]Signed) []Row {
	var rows []Row
	for _, p := range o.Payments {
		s, ok := sigs[p.ID]
		if !ok || p.Tender != models.TenderCard || len(s.Image) == 0 {
			continue
		}
		rows = append(rows, Row{Rule: true}, Row{Left: tr("slip.esignature", "Cardholder e-signature")},
			Row{Image: s.Image})
		if s.FeatureCode != "" {
			rows = append(rows, Row{Left: tr("slip.feature_code", "Feature code"), Right: s.FeatureCode})
		}
	}
	if len(rows) > 0 {
		return rows
	}
	return []Row{{Rule: true}, {Left: tr("slip.signature", "Customer signature:")}, {Left: " "}}
}

// headerRows are the top of a receipt: the shop, its header lines, the
// title with the reprint and copy marks, then the order number, the time it
// was paid (or created, if not yet paid), the terminal and the operator.
func headerRows(o *models.Order, shop Shop, tr Translate, opts Options) []Row {
	at := o.CreatedAt
	if o.PaidAt != nil {
		at = *o.PaidAt
	}
	rows := []Row{{Left: shop.Name, Center: true, Style: Large}}
	if shop.Address != "" {
		rows = append(rows, Row{Left: shop.Address, Center: true})
	}
	for _, h := range splitLines(shop.Header) {
		rows = append(rows, Row{Left: h, Center: true})
	}
	rows = append(rows, Row{Left: tr("receipt.title", "Sales receipt"), Center: true})
	if opts.Reprint {
		rows = append(rows, Row{Left: tr("receipt.reprint", "REPRINT"), Center: true, Style: Bold})
	}
	switch opts.Copy {
	case "merchant":
		rows = append(rows, Row{Left: tr("receipt.merchant_copy", "Merchant copy"), Center: true, Style: Bold})
	case "customer":
		rows = append(rows, Row{Left: tr("receipt.customer_copy", "Customer copy"), Center: true, Style: Bold})
	}
	rows = append(rows, Row{Rule: true},
		Row{Left: tr("receipt.order", "Order"), Right: o.Number},
		Row{Left: tr("receipt.time", "Time"), Right: at.Local().Format(time.DateTime)})
	if shop.TerminalID != "" {
		rows = append(rows, Row{Left: tr("receipt.terminal", "Terminal"), Right: shop.TerminalID})
	}
	return append(rows, Row{Left: tr("receipt.operator", "Operator"), Right: o.OperatorName}, Row{Rule: true})
}

// lineRows are the order's lines in language lang: the name, then the
// quantity (with its unit when weighed) times the unit price, and the line's
// discount if it has one.
func lineRows(o *models.Order, lang string, tr Translate, money func(int64) string) []Row {
	var rows []Row
	for _, l := range o.Lines {
		rows = append(rows, Row{Left: l.DisplayName(lang)})
		qty := l.Qty.String()
		if unit := unitOf(l, lang); l.Weighed && unit != "" {
			qty += " " + unit
		}
		rows = append(rows, Row{Left: "  " + qty + " × " + money(l.UnitPrice), Right: money(l.Gross)})
		if l.LineDiscount > 0 {
			rows = append(rows, Row{Left: "  " + tr("receipt.line_discount", "Discount"), Right: "-" + money(l.LineDiscount)})
		}
	}
	return rows
}

// totalRows are the subtotal, the order's discount if any, the VAT
// (included in the prices or added to them) and the total.
func totalRows(o *models.Order, tr Translate, money func(int64) string) []Row {
	rows := []Row{{Rule: true},
		{Left: tr("receipt.subtotal", "Subtotal"), Right: money(o.Subtotal)}}
	if o.DiscountTotal > 0 {
		rows = append(rows, Row{Left: tr("receipt.discount", "Discount"), Right: "-" + money(o.DiscountTotal)})
	}
	taxLabel := tr("receipt.tax_included", "VAT included")
	if o.TaxMode == models.TaxExclusive {
		taxLabel = tr("receipt.tax_added", "VAT")
	}
	return append(rows, Row{Left: taxLabel, Right: money(o.TaxTotal)},
		Row{Left: tr("receipt.total", "Total"), Right: money(o.Total), Style: Bold})
}

// paymentRows are the order's paid payments: each tender and the amount
// tendered, the change of a cash payment, a card or QR payment's details,
// and the member and balance left of a member's balance payment.
func paymentRows(o *models.Order, tr Translate, money func(int64) string) []Row {
	var rows []Row
	for _, p := range o.Payments {
		if !paid(p) {
			continue
		}
		rows = append(rows, Row{Left: TenderName(p.Tender, tr), Right: money(p.Tendered)})
		if p.Tender == models.TenderCash {
			rows = append(rows, Row{Left: tr("receipt.change", "Change"), Right: money(p.Change)})
		}
		rows = append(rows, cardRows(p, tr)...)
		rows = append(rows, memberRows(p, tr, money)...)
	}
	return rows
}

// hasCard reports whether a card paid (part of) o.
func hasCard(o *models.Order) bool {
	for _, p := range o.Payments {
		if p.Tender == models.TenderCard && paid(p) {
			return true
		}
	}
	return false
}

// splitLines cuts a setting's text into its non-empty lines.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
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

// cardRows are a card or QR payment's details: the card's scheme and
// masked number, or the QR wallet and the masked payment code; the
// authorization code; how the cardholder was verified.
func cardRows(p models.Payment, tr Translate) []Row {
	var rows []Row
	switch {
	case p.Tender == models.TenderQR && (p.Scheme != "" || p.MaskedPAN != ""):
		rows = append(rows, Row{Left: "  " + WalletName(p.Scheme, tr), Right: p.MaskedPAN})
	case p.MaskedPAN != "":
		scheme := ""
		if p.Scheme != "" {
			scheme = SchemeName(p.Scheme, tr)
		}
		rows = append(rows, Row{Left: "  " + scheme, Right: p.MaskedPAN})
	}
	if p.AuthCode != "" {
		rows = append(rows, Row{Left: "  " + tr("receipt.auth_code", "Auth code"), Right: p.AuthCode})
	}
	if p.CVM != "" {
		rows = append(rows, Row{Left: "  " + CVMName(p.CVM, tr)})
	}
	return rows
}

// memberRows are a member balance payment's member, masked, and the
// balance left just after it, as stored with the payment.
func memberRows(p models.Payment, tr Translate, money func(int64) string) []Row {
	if p.Tender != models.TenderFingerprint {
		return nil
	}
	var rows []Row
	if p.MemberMasked != "" {
		rows = append(rows, Row{Left: "  " + tr("receipt.member", "Member"), Right: p.MemberMasked})
	}
	if p.BalanceLeft != nil {
		rows = append(rows, Row{Left: "  " + tr("receipt.balance_left", "Balance left"), Right: money(*p.BalanceLeft)})
	}
	return rows
}

// CVMName is how a receipt names the cardholder verification used.
func CVMName(cvm string, tr Translate) string {
	switch cvm {
	case "no_cvm":
		return tr("cvm.no_cvm", "No PIN, no signature")
	case "signature":
		return tr("cvm.signature", "Signature")
	case "fingerprint":
		return tr("cvm.fingerprint", "Member's fingerprint (shop check)")
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
	case models.TenderFingerprint: // a member pays from their balance by finger
		return tr("tender.member_balance", "Member balance")
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

// fit cuts s to at most cols columns, as width counts them.
func fit(s string, cols int, width func(string) int) string {
	n := 0
	for i, r := range s {
		w := width(string(r))
		if n+w > cols {
			return s[:i]
		}
		n += w
	}
	return s
}

// Line is one printed line: its text laid out to the paper's columns (or
// a barcode or QR code), and how it is printed.
type Line struct {
	Text        string
	Bold        bool
	Double      bool // double width and height: the text uses half the columns
	Center      bool
	Barcode, QR string
	Image       []byte // a PNG printed centred
}

// Layout lays rows out for a fixed-width printer of cols columns (32 on 58
// mm paper, 48 on 80 mm), a Chinese character taking two. Left and right
// parts that do not fit on one line are split over two.
func Layout(rows []Row, cols int) []Line { return LayoutWith(rows, cols, Columns) }

// LayoutWith is Layout for a printer that counts a text's columns with
// width (its own character set decides which characters print double
// width).
func LayoutWith(rows []Row, cols int, width func(string) int) []Line {
	var out []Line
	for _, r := range rows {
		l := Line{Bold: r.Style != Plain, Double: r.Style == Large, Barcode: r.Barcode, QR: r.QR, Image: r.Image}
		w := cols
		if l.Double {
			w = cols / 2
		}
		switch {
		case r.Barcode != "" || r.QR != "" || r.Image != nil:
			l.Center = true
		case r.Rule:
			l.Text = strings.Repeat("-", cols)
		case r.Center:
			l.Center = true
			s := fit(r.Left, w, width)
			l.Text = strings.Repeat(" ", (w-width(s))/2) + s
		default:
			left, right := r.Left, r.Right
			gap := w - width(left) - width(right)
			if gap < 1 && right != "" {
				first := l
				first.Text = fit(left, w, width)
				out = append(out, first)
				left = ""
				gap = w - width(right)
			}
			l.Text = fit(left, w, width)
			if right != "" {
				l.Text += strings.Repeat(" ", max(gap, 0)) + fit(right, w, width)
			}
		}
		out = append(out, l)
	}
	return out
}

// PlainText renders rows as text for a fixed-width printer of cols columns;
// a barcode or QR code shows as its data in brackets.
func PlainText(rows []Row, cols int) string {
	var b strings.Builder
	for _, l := range Layout(rows, cols) {
		switch {
		case l.Barcode != "":
			b.WriteString("[barcode " + l.Barcode + "]")
		case l.QR != "":
			b.WriteString("[QR " + l.QR + "]")
		case l.Image != nil:
			b.WriteString("[image]")
		default:
			b.WriteString(l.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
