package screens

// This file writes an order's history as sentences: what was done, by whom
// when it matters, and for a request to the bank what was asked and what it
// answered, its codes on a smaller line beneath for whoever calls the bank.

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/models/receipt"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/emv"
)

// historySteps lists an order's history under its heading, oldest first.
func historySteps(history []models.HistoryEvent) *fyne.Container {
	steps := container.NewVBox(widget.NewLabelWithStyle(lang.X("orders.history", "History"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, e := range history {
		step := widget.NewLabel(e.At.Local().Format("15:04:05") + "  " + historySentence(e))
		step.Wrapping = fyne.TextWrapWord
		if e.Host == nil {
			steps.Add(step)
			continue
		}
		codes := canvas.NewText(hostCodes(*e.Host), theme.Color(theme.ColorNamePlaceHolder))
		codes.TextSize = theme.CaptionTextSize()
		steps.Add(container.NewVBox(step, container.NewPadded(codes)))
	}
	return steps
}

// historySentence tells one event of an order's history.
func historySentence(e models.HistoryEvent) string {
	if e.Host != nil {
		return hostSentence(e.Kind, *e.Host)
	}
	if len(e.Kind) > 6 && e.Kind[:6] == "audit:" {
		return auditText(e.Kind)
	}
	switch e.Kind {
	case "outbox:pending":
		return lang.X("history.outbox_pending", "Not yet reported to the acquirer")
	case "outbox:sent":
		return lang.X("history.outbox_sent", "Reported to the acquirer")
	case "signature:kept":
		return lang.X("history.signature_kept", "The cardholder signed on the screen (feature code {{.Code}})",
			map[string]any{"Code": e.Detail})
	case "signature:pending":
		return lang.X("history.signature_pending", "Signature not yet sent to the bank")
	case "signature:uploaded":
		return lang.X("history.signature_uploaded", "Signature sent to the bank")
	case "signature:refused":
		return lang.X("history.signature_refused", "The bank did not take the signature: keep the merchant copy, which carries it")
	}
	return e.Kind
}

// hostWhat names what a request to the bank asked for.
func hostWhat(h models.HostStep) string {
	switch {
	case h.MTI == acquirer.MTIReversalRequest:
		return lang.X("history.what_reversal", "reversal")
	case h.MTI == acquirer.MTIAdviceRequest:
		return lang.X("history.what_advice", "offline payment")
	case h.MTI == acquirer.MTIAdminAdvice:
		return lang.X("history.what_record", "payment record")
	case h.ProcCode == acquirer.ProcVoid:
		return lang.X("history.what_void", "void")
	case h.ProcCode == acquirer.ProcRefund:
		return lang.X("history.what_refund", "refund")
	case h.ProcCode == acquirer.ProcQuery:
		return lang.X("history.what_query", "status check")
	}
	return lang.X("history.what_payment", "payment")
}

// hostSentence tells the state of a request to the bank.
func hostSentence(kind string, h models.HostStep) string {
	data := map[string]any{"What": hostWhat(h), "Amount": models.Money{Minor: h.Amount, Currency: h.Currency}.String()}
	switch kind {
	case "host:sent":
		return lang.X("history.host_sent", "The {{.What}} of {{.Amount}} was sent to the bank, which has not answered yet", data)
	case "host:answered":
		if h.Code == acquirer.Approved {
			return lang.X("history.host_approved", "The bank approved the {{.What}} of {{.Amount}}", data)
		}
		data["Reason"] = Message(acquirer.ResponseError(h.Code))
		return lang.X("history.host_declined", "The bank declined the {{.What}} of {{.Amount}}: {{.Reason}}", data)
	case "host:timed_out":
		return lang.X("history.host_timed_out", "The bank did not answer the {{.What}} of {{.Amount}}; it is reversed", data)
	case "host:reversed":
		return lang.X("history.host_reversed", "The {{.What}} of {{.Amount}} was reversed at the bank", data)
	case "host:not_sent":
		return lang.X("history.host_not_sent", "The bank could not be reached for the {{.What}} of {{.Amount}}", data)
	case "host:offline":
		return lang.X("history.host_offline", "The {{.What}} of {{.Amount}} was approved offline, under the floor limit", data)
	case "host:advised":
		return lang.X("history.host_advised", "The offline approval of {{.Amount}} was reported to the bank", data)
	}
	return kind
}

// hostCodes is the line of a request's codes: message type, processing
// code, trace number and, once answered, the answer, reference and
// authorization codes.
func hostCodes(h models.HostStep) string {
	s := fmt.Sprintf("%s · %s · STAN %06d", h.MTI, h.ProcCode, h.STAN)
	if h.Code != "" {
		s += " · " + lang.X("history.code", "answer {{.Code}}", map[string]any{"Code": h.Code})
	}
	if h.RRN != "" {
		s += " · " + lang.X("history.rrn", "reference {{.RRN}}", map[string]any{"RRN": h.RRN})
	}
	if h.AuthCode != "" {
		s += " · " + lang.X("history.auth", "authorization {{.Auth}}", map[string]any{"Auth": h.AuthCode})
	}
	return s
}

// cardChecks tells, for each card payment of o, what the terminal checked
// and told the bank: offline data authentication (passed, or why not), how
// the cardholder was verified, and the TVR sent.
func cardChecks(o *models.Order) fyne.CanvasObject {
	box := container.NewVBox()
	for _, p := range o.Payments {
		if p.Tender != models.TenderCard || p.Amount < 0 || (p.ODA == "" && p.TVR == "") {
			continue
		}
		line := widget.NewLabel(CardCheckText(p))
		line.Wrapping = fyne.TextWrapWord
		box.Add(line)
	}
	return box
}

// CardCheckText is one card payment's checks as a line: "Card 1232 ·
// offline authentication: Passed · Signature · TVR 0000000000".
func CardCheckText(p models.Payment) string {
	oda := lang.X("oda.passed", "Passed")
	if p.ODA != string(emv.ODAPassed) {
		oda = odaReasonText(p.ODA)
	}
	s := lang.X("history.card_checks", "Card {{.Last4}} · offline authentication: {{.ODA}}", map[string]any{
		"Last4": p.MaskedPAN[max(0, len(p.MaskedPAN)-4):], "ODA": oda})
	if p.CVM != "" {
		s += " · " + receipt.CVMName(p.CVM, lang.X)
	}
	if p.TVR != "" {
		s += " · TVR " + p.TVR
	}
	return s
}

// odaReasonText is why a card's offline data authentication did not pass,
// in the language shown.
func odaReasonText(reason string) string {
	switch reason {
	case "oda.reason.ca_expired":
		return lang.X("oda.reason.ca_expired", "The CA key has expired")
	case "oda.reason.ca_revoked":
		return lang.X("oda.reason.ca_revoked", "The CA key or the issuer certificate is revoked")
	case "oda.reason.cert_expired":
		return lang.X("oda.reason.cert_expired", "A certificate has expired")
	case "oda.reason.data":
		return lang.X("oda.reason.data", "Data the check needs is missing or malformed")
	case "oda.reason.icc_cert":
		return lang.X("oda.reason.icc_cert", "The card's certificate is invalid")
	case "oda.reason.issuer_cert":
		return lang.X("oda.reason.issuer_cert", "The issuer certificate is invalid")
	case "oda.reason.no_keys":
		return lang.X("oda.reason.no_keys", "No CA public keys are loaded")
	case "oda.reason.not_offered":
		return lang.X("oda.reason.not_offered", "The card offers no offline data authentication")
	case "oda.reason.signature":
		return lang.X("oda.reason.signature", "The card's signature does not verify")
	case "oda.reason.unknown_ca":
		return lang.X("oda.reason.unknown_ca", "The card's CA key is not in the table")
	}
	return reason
}
