package acquirer

import (
	"fmt"
	"strings"

	"github.com/moov-io/iso8583"

	"github.com/till-pos/till/models"
)

// Response is what the host answered to a request.
type Response struct {
	Code     string // field 39
	RRN      string // field 37
	AuthCode string // field 38
	// Wallet is, in the answer to a QR payment, the wallet the customer
	// paid with (field 63: "wechat", "alipay", "unionpay"); empty when the
	// host does not say.
	Wallet string
}

// Approved reports whether the payment was approved, by the host or offline.
func (r Response) Approved() bool { return r.Code == Approved || r.Code == OfflineApproved }

// Err is the cashier's message when the host did not approve, else nil.
func (r Response) Err() error { return ResponseError(r.Code) }

// ParseResponse reads the fields Till needs from a response that
// CheckResponse has accepted.
func ParseResponse(m *iso8583.Message) (Response, error) {
	code, err := m.GetString(39)
	if err != nil || len(code) != 2 {
		return Response{}, fmt.Errorf("acquirer: response without a response code")
	}
	rrn, _ := m.GetString(37)
	auth, _ := m.GetString(38)
	wallet, _ := m.GetString(63)
	return Response{Code: code, RRN: rrn, AuthCode: auth, Wallet: walletName(wallet)}, nil
}

// walletName is field 63 of an answer as a wallet's name: 1 to 16
// lowercase letters, else nothing (a host's other use of the field, or
// bad bytes, never reaches a receipt).
func walletName(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s) > 16 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return ""
		}
	}
	return s
}

// answer is the journal's record of resp.
func (r Response) answer() models.HostAnswer {
	return models.HostAnswer{Code: r.Code, RRN: r.RRN, AuthCode: r.AuthCode, Wallet: r.Wallet}
}
