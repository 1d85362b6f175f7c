package receipt

import (
	"fmt"
	"strconv"
	"time"

	"github.com/till-pos/till/models"
)

// Settlement is what a settlement slip shows of a batch the host agreed to.
type Settlement struct {
	Batch    int
	At       time.Time // when the host answered
	TID, MID string    // the terminal and merchant IDs at the acquirer
	Code     string    // the host's answer to the totals (field 39)
	// Uploaded counts the transactions uploaded before the host agreed;
	// 0 means the totals balanced at once.
	Uploaded int
	Currency models.Currency
	Totals   models.BatchTotals
	Schemes  []models.SchemeTotals // cards first, then QR wallets
}

// BuildSettlementSlip lays out the slip of a settlement: the batch, when,
// the merchant and terminal IDs, sales and refunds by card scheme and QR
// wallet, the batch's totals, and the host's answer.
func BuildSettlementSlip(s Settlement, shop Shop, tr Translate) []Row {
	money := func(v int64) string { return models.Money{Minor: v, Currency: s.Currency}.String() }
	rows := []Row{
		{Left: shop.Name, Center: true, Style: Large},
		{Left: tr("slip.settlement", "SETTLEMENT"), Center: true, Style: Bold},
		{Rule: true},
		{Left: tr("slip.batch", "Batch"), Right: fmt.Sprintf("%06d", s.Batch)},
		{Left: tr("receipt.time", "Time"), Right: s.At.Local().Format(time.DateTime)},
		{Left: tr("slip.merchant_id", "Merchant ID"), Right: s.MID},
		{Left: tr("slip.terminal_id", "Terminal ID"), Right: s.TID},
		{Rule: true},
	}
	var tender models.Tender
	for i, g := range s.Schemes {
		if i == 0 || g.Tender != tender {
			tender = g.Tender
			rows = append(rows, Row{Left: tenderHeading(g.Tender, tr), Style: Bold})
		}
		rows = append(rows, Row{Left: " " + batchGroupName(g.Tender, g.Scheme, tr)})
		rows = append(rows, totalsRows(g.BatchTotals, "   ", money, tr)...)
	}
	if len(s.Schemes) > 0 {
		rows = append(rows, Row{Rule: true})
	}
	rows = append(rows, Row{Left: tr("slip.batch_total", "Batch total"), Style: Bold})
	rows = append(rows, totalsRows(s.Totals, " ", money, tr)...)
	return Marked(append(rows, Row{Rule: true},
		Row{Left: tr("slip.host_answer", "Host answer"), Right: answerText(s.Code, tr)},
		Row{Left: tr("slip.totals", "Totals"), Right: agreementText(s, tr)},
		Row{Rule: true}), shop, tr)
}

// totalsRows are the sales and refunds of t, counted and summed, indented.
func totalsRows(t models.BatchTotals, indent string, money func(int64) string, tr Translate) []Row {
	return []Row{
		{Left: indent + tr("slip.sales", "Sales") + " " + strconv.Itoa(t.DebitCount), Right: money(t.DebitAmount)},
		{Left: indent + tr("slip.refunds", "Refunds") + " " + strconv.Itoa(t.CreditCount), Right: money(t.CreditAmount)},
	}
}

// tenderHeading names a group of schemes: cards, QR wallets, or the rest.
func tenderHeading(t models.Tender, tr Translate) string {
	if t == "" {
		return tr("slip.other_tender", "Other")
	}
	return TenderName(t, tr)
}

// answerText is the host's response code and what it means.
func answerText(code string, tr Translate) string {
	if code == "00" {
		return code + " " + tr("slip.host_approved", "Approved")
	}
	return code
}

// agreementText says whether the host agreed to the totals at once or
// after the batch upload.
func agreementText(s Settlement, tr Translate) string {
	if s.Uploaded == 0 {
		return tr("slip.balanced", "Balanced")
	}
	return tr("slip.agreed_after_upload", "Agreed after upload") + " (" + strconv.Itoa(s.Uploaded) + ")"
}
