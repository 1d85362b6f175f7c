package simhost

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/moov-io/iso8583"

	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/qrpay"
)

// PayCodeBehavior is how the simulated wallet answers a customer's payment
// code.
type PayCodeBehavior string

// Payment code behaviours.
const (
	PayAtOnce   PayCodeBehavior = "approve" // approved at once
	PayConfirm  PayCodeBehavior = "confirm" // "user paying", confirmed at the next query
	PayNever    PayCodeBehavior = "never"   // "user paying" for ever
	PayDeclined PayCodeBehavior = "decline" // declined: insufficient funds
)

// mtiQRPaid marks, in the ledger, a QR payment the customer completed on
// their phone after the terminal's request (a merchant QR scanned, a
// payment code confirmed).
const mtiQRPaid = "QRPAID"

// ErrNoQROrder means there is no QR order waiting for payment under a key.
var ErrNoQROrder = errors.New("simhost: no QR order waits for payment under that key")

// SetPayCode makes the payment code answer with b; codes not set behave by
// their last digit: 1 confirm, 2 never, 3 decline, else approve at once.
func (h *Host) SetPayCode(code string, b PayCodeBehavior) {
	h.mu.Lock()
	h.codes[code] = b
	h.mu.Unlock()
}

func (h *Host) payCodeBehavior(code string) PayCodeBehavior {
	if b, ok := h.codes[code]; ok {
		return b
	}
	switch code[len(code)-1] {
	case '1':
		return PayConfirm
	case '2':
		return PayNever
	case '3':
		return PayDeclined
	}
	return PayAtOnce
}

// qrSale decides a QR sale (entry mode 03): without a payment code (field
// 48) it is a merchant QR order, waiting (09) for the customer to scan and
// pay; with one, the wallet answers as the code's behaviour says. code is
// the answer the amount rules gave. It returns the answer and the payment
// code's wallet ("" for a merchant QR, known once paid).
func (h *Host) qrSale(req *iso8583.Message, key, code string) (string, string) {
	pay, _ := req.GetString(48)
	if pay == "" {
		return acquirer.InProgress, ""
	}
	wallet, _ := qrpay.Classify(pay)
	switch h.payCodeBehavior(pay) {
	case PayConfirm:
		h.confirms[key] = true
		return acquirer.InProgress, string(wallet)
	case PayNever:
		return acquirer.InProgress, string(wallet)
	case PayDeclined:
		return "51", string(wallet)
	}
	return code, string(wallet)
}

// PayQR pays the merchant QR order with key from wallet w, as a customer's
// phone would after scanning it: the host then answers 00, naming the
// wallet, to the terminal's next query. An order that was closed
// (cancelled, expired) cannot be paid.
func (h *Host) PayQR(key string, w qrpay.Wallet) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.answered[key]
	if !ok || e.Code != acquirer.InProgress || e.Reversed {
		return fmt.Errorf("%w: %s", ErrNoQROrder, key)
	}
	return h.record(Entry{Key: key, MTI: mtiQRPaid, TID: e.TID, Wallet: string(w)})
}

// applyQRPaid turns a waiting QR sale into an approved, charged one.
func (h *Host) applyQRPaid(e Entry) {
	h.entries = append(h.entries, e)
	orig, ok := h.answered[e.Key]
	if !ok || orig.Code != acquirer.InProgress {
		return
	}
	orig.Code = acquirer.Approved
	orig.Auth = fmt.Sprintf("%06d", len(h.entries)%1000000)
	if e.Wallet != "" {
		orig.Wallet = e.Wallet
	}
	h.answered[e.Key] = orig
	for i := range h.entries {
		if h.entries[i].Key == e.Key && h.entries[i].MTI == acquirer.MTISaleRequest {
			h.entries[i].Code, h.entries[i].Auth, h.entries[i].Wallet = orig.Code, orig.Auth, orig.Wallet
		}
	}
	delete(h.confirms, e.Key)
}

// PayQRPayload pays the merchant QR with payload from wallet w, as a
// customer's phone would after scanning it: the host finds the order
// waiting under the payload's bill number (the terminal's order number; the
// payment's key is that number and "-P" and the attempt).
func (h *Host) PayQRPayload(payload string, w qrpay.Wallet) error {
	p, err := qrpay.Parse(payload)
	if err != nil {
		return err
	}
	bill := p.AdditionalData.BillNumber
	h.mu.Lock()
	key := ""
	for k, e := range h.answered {
		if strings.HasPrefix(k, bill+"-P") && e.Code == acquirer.InProgress && !e.Reversed {
			key = k
		}
	}
	h.mu.Unlock()
	if bill == "" || key == "" {
		return fmt.Errorf("%w: bill %q", ErrNoQROrder, bill)
	}
	return h.PayQR(key, w)
}

// Handler serves the simulated customers' side over HTTP (bind it to
// loopback only):
//
//	POST /qr/pay      payload=<the QR's text>&wallet=wechat|alipay|unionpay
//	                  a customer scans and pays a merchant QR (wallet: WeChat Pay unless given)
//	POST /paycode     code=<digits>&behavior=approve|confirm|never|decline
//	GET  /ledger      the ledger as JSON
func (h *Host) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /qr/pay", func(w http.ResponseWriter, r *http.Request) {
		wallet := qrpay.Wallet(r.FormValue("wallet"))
		switch wallet {
		case "":
			wallet = qrpay.WeChat
		case qrpay.WeChat, qrpay.Alipay, qrpay.UnionPay:
		default:
			http.Error(w, "wallet must be wechat, alipay or unionpay", http.StatusBadRequest)
			return
		}
		if err := h.PayQRPayload(r.FormValue("payload"), wallet); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		fmt.Fprintln(w, "paid")
	})
	mux.HandleFunc("POST /paycode", func(w http.ResponseWriter, r *http.Request) {
		code, b := r.FormValue("code"), PayCodeBehavior(r.FormValue("behavior"))
		switch b {
		case PayAtOnce, PayConfirm, PayNever, PayDeclined:
		default:
			http.Error(w, "behavior must be approve, confirm, never or decline", http.StatusBadRequest)
			return
		}
		if code == "" {
			http.Error(w, "code is missing", http.StatusBadRequest)
			return
		}
		h.SetPayCode(code, b)
		fmt.Fprintln(w, "set")
	})
	mux.HandleFunc("GET /ledger", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(h.Ledger())
	})
	return mux
}
