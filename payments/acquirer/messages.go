package acquirer

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/moov-io/iso8583"
)

// Message type indicators Till uses.
const (
	MTIAuthRequest        = "0100"
	MTISaleRequest        = "0200"
	MTISaleResponse       = "0210"
	MTIAdviceRequest      = "0220"
	MTIAdviceResponse     = "0230"
	MTIBatchUpload        = "0320"
	MTIBatchUploadResp    = "0330"
	MTIReversalRequest    = "0400"
	MTIReversalResponse   = "0410"
	MTISettlementRequest  = "0500"
	MTISettlementResponse = "0510"
	MTIAdminAdvice        = "0620" // a payment reported for the record (any tender)
	MTIAdminAdviceResp    = "0630"
	MTINetworkRequest     = "0800"
	MTINetworkResponse    = "0810"
)

// Processing codes (field 3) Till uses.
const (
	ProcPurchase = "000000"
	ProcVoid     = "020000"
	ProcRefund   = "200000"
	ProcQuery    = "310000"
)

// Network management codes (field 70).
const (
	NetSignOn = "001"
	NetEcho   = "301"
)

// POS entry modes (field 22, first two digits; the third is PIN capability).
const (
	EntryManual      = "012"
	EntryQR          = "032"
	EntryContactless = "072"
)

// Terminal identifies the terminal to the host: fields 41 and 42.
type Terminal struct {
	TID string // 8 characters
	MID string // 15 characters
}

// Request is what a financial request carries; zero fields are left out.
type Request struct {
	MTI       string
	ProcCode  string
	Amount    int64 // minor units
	Currency  string
	STAN      int // 1..999999
	Time      time.Time
	EntryMode string
	Track2    string // only in flight, encrypted under the data key (field 57): never stored or logged
	ICC       string // field 55, hex
	PayCode   string // field 48: a customer's payment code (QR), only in flight
	RRN       string // field 37 of the original, for voids, refunds and queries
	AuthCode  string // field 38 of the original
	Original  string // field 90: original MTI, STAN, time, acquirer and forwarder
	Reference string // field 62: the terminal-unique key of the payment
	Batch     int    // field 60

	// offlineAuthenticated is not sent: the card passed offline data
	// authentication, so the sale may be approved offline.
	offlineAuthenticated bool
}

// Build makes the ISO 8583 message of a request from terminal t.
func (r Request) Build(t Terminal) (*iso8583.Message, error) {
	if r.STAN < 1 || r.STAN > 999999 {
		return nil, fmt.Errorf("acquirer: STAN %d out of range", r.STAN)
	}
	if len(r.Track2) > 37 {
		return nil, fmt.Errorf("acquirer: track 2 of %d characters", len(r.Track2))
	}
	if len(t.TID) != 8 || len(t.MID) != 15 {
		return nil, fmt.Errorf("acquirer: TID %q or MID %q has the wrong length", t.TID, t.MID)
	}
	m := NewMessage()
	m.MTI(r.MTI)
	set := func(id int, v string) error {
		if v == "" {
			return nil
		}
		if err := m.Field(id, v); err != nil {
			return fmt.Errorf("acquirer: field %d: %w", id, err)
		}
		return nil
	}
	ts := r.Time.UTC()
	fields := []struct {
		id int
		v  string
	}{
		{3, r.ProcCode},
		{7, ts.Format("0102150405")},
		{11, fmt.Sprintf("%06d", r.STAN)},
		{12, r.Time.Format("150405")},
		{13, r.Time.Format("0102")},
		{22, r.EntryMode},
		{37, r.RRN},
		{38, r.AuthCode},
		{48, r.PayCode},
		{41, t.TID},
		{42, t.MID},
		{55, r.ICC},
		{62, r.Reference},
		{90, r.Original},
	}
	if r.Amount > 0 {
		fields = append(fields, struct {
			id int
			v  string
		}{4, fmt.Sprintf("%012d", r.Amount)})
	}
	if r.Currency != "" {
		fields = append(fields, struct {
			id int
			v  string
		}{49, r.Currency})
	}
	if r.Batch > 0 {
		fields = append(fields, struct {
			id int
			v  string
		}{60, fmt.Sprintf("%06d", r.Batch)})
	}
	for _, f := range fields {
		if err := set(f.id, f.v); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Echo builds an echo test (0800, field 70 = 301), which carries no MAC.
func Echo(t Terminal, stan int, now time.Time) (*iso8583.Message, error) {
	m, err := Request{MTI: MTINetworkRequest, STAN: stan, Time: now}.Build(t)
	if err != nil {
		return nil, err
	}
	if err := m.Field(70, NetEcho); err != nil {
		return nil, fmt.Errorf("acquirer: field 70: %w", err)
	}
	return m, nil
}

// macField is where a message's MAC goes: 128 when it has a secondary
// bitmap, else 64. Either is the last field, so the MAC covers every byte
// before it.
func macField(m *iso8583.Message) int {
	for id := range m.GetFields() {
		if id > 64 {
			return 128
		}
	}
	return 64
}

// NeedsMAC reports whether m must carry a MAC: every message but the echo
// test, the sign-on (the terminal has no working key yet) and their answers.
func NeedsMAC(m *iso8583.Message) bool {
	mti, _ := m.GetMTI()
	code := NetworkCode(m)
	return !((mti == MTINetworkRequest || mti == MTINetworkResponse) && (code == NetEcho || code == NetSignOn))
}

// NetworkCode is field 70 of m as three digits ("" when absent): the field
// is numeric, so its leading zeros do not survive unpacking.
func NetworkCode(m *iso8583.Message) string {
	v, _ := m.GetString(70)
	n, err := strconv.Atoi(v)
	if v == "" || err != nil {
		return v
	}
	return fmt.Sprintf("%03d", n)
}

// Pack packs m, with its MAC under key when it needs one.
func Pack(m *iso8583.Message, key *MACKey) ([]byte, error) {
	if key == nil || !NeedsMAC(m) {
		b, err := m.Pack()
		if err != nil {
			return nil, fmt.Errorf("acquirer: pack: %w", err)
		}
		return b, nil
	}
	return PackSigned(m, key)
}

// PackSigned packs m with its MAC under key in field 64 (or 128). The MAC
// field is the last, fixed at 16 characters: m is packed once with a
// placeholder, whose bytes are then replaced by the MAC of all before them.
func PackSigned(m *iso8583.Message, key *MACKey) ([]byte, error) {
	id := macField(m)
	if err := m.Field(id, strings.Repeat("0", 16)); err != nil {
		return nil, fmt.Errorf("acquirer: MAC field: %w", err)
	}
	b, err := m.Pack()
	if err != nil {
		return nil, fmt.Errorf("acquirer: pack: %w", err)
	}
	mac := key.Sum(b[:len(b)-16])
	hexMAC := strings.ToUpper(hex.EncodeToString(mac[:]))
	copy(b[len(b)-16:], hexMAC)
	if err := m.Field(id, hexMAC); err != nil {
		return nil, fmt.Errorf("acquirer: MAC field: %w", err)
	}
	return b, nil
}

// ErrBadMAC means a message's MAC is missing or wrong.
var ErrBadMAC = errors.New("acquirer: bad MAC")

// Unpack decodes a message; with a key, the MAC of every message that needs
// one must verify. Malformed bytes give an error, never a panic.
func Unpack(b []byte, key *MACKey) (m *iso8583.Message, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("acquirer: malformed message: %v", r)
		}
	}()
	m = NewMessage()
	if err := m.Unpack(b); err != nil {
		return nil, fmt.Errorf("acquirer: malformed message: %w", err)
	}
	if key == nil || !NeedsMAC(m) {
		return m, nil
	}
	if !verifyMAC(b, m, key) {
		return nil, ErrBadMAC
	}
	return m, nil
}

// VerifyMAC reports whether b, already unpacked as m, ends with its MAC
// under key: Unpack's check without unpacking again.
func VerifyMAC(b []byte, m *iso8583.Message, key *MACKey) bool { return verifyMAC(b, m, key) }

// verifyMAC reports whether b, unpacked as m, ends with its MAC under key.
func verifyMAC(b []byte, m *iso8583.Message, key *MACKey) bool {
	field, err := m.GetString(macField(m))
	mac, herr := hex.DecodeString(field)
	if err != nil || herr != nil || len(mac) != 8 || len(b) < 16 || string(b[len(b)-16:]) != field {
		return false
	}
	return key.Verify(b[:len(b)-16], mac)
}

// CheckResponse makes sure resp answers req: the response MTI of the
// request's, and the same processing code, STAN, TID and MID (fields 3, 11,
// 41, 42), before anything in it is trusted (ErrMismatchedAnswer); and an
// amount, when the answer names one, the request's (ErrWrongAmount).
func CheckResponse(req, resp *iso8583.Message) error {
	reqMTI, err := req.GetMTI()
	if err != nil {
		return fmt.Errorf("acquirer: request MTI: %w", err)
	}
	respMTI, err := resp.GetMTI()
	if err != nil || len(respMTI) != 4 || len(reqMTI) != 4 {
		return fmt.Errorf("%w: no MTI", ErrMismatchedAnswer)
	}
	want, _ := strconv.Atoi(reqMTI)
	if got, err := strconv.Atoi(respMTI); err != nil || got != want+10 {
		return fmt.Errorf("%w: %s does not answer %s", ErrMismatchedAnswer, respMTI, reqMTI)
	}
	for _, id := range []int{3, 11, 41, 42} {
		a, _ := req.GetString(id)
		b, _ := resp.GetString(id)
		if a != b {
			return fmt.Errorf("%w: field %d is %q, the request had %q", ErrMismatchedAnswer, id, b, a)
		}
	}
	if b, _ := resp.GetString(4); b != "" {
		a, _ := req.GetString(4)
		x, _ := strconv.ParseInt(a, 10, 64)
		y, err := strconv.ParseInt(b, 10, 64)
		if err != nil || x != y {
			return fmt.Errorf("%w: %q, the request had %q", ErrWrongAmount, b, a)
		}
	}
	return nil
}
