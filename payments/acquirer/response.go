package acquirer

import (
	"fmt"

	"github.com/moov-io/iso8583"
)

// Response is what the host answered to a request.
type Response struct {
	Code     string // field 39
	RRN      string // field 37
	AuthCode string // field 38
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
	return Response{Code: code, RRN: rrn, AuthCode: auth}, nil
}
