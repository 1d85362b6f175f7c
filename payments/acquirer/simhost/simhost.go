// Package simhost is an acquirer host for demo mode and tests: it speaks
// Till's ISO 8583 over TCP and is as strict as a real one. A terminal signs
// on first and gets working keys under its master key; the host refuses a
// request before sign-on (77), a MAC under a stale or wrong key (A0), an
// advice it cannot charge (no chip data or track 2 that opens under the
// data key: 30), a void, refund or batch upload whose original it cannot
// find by its data (25), and a reversal or advice it has applied already
// (94); each refusal is logged with why. It approves or declines by fixed
// rules, answers a resent request with its first response, and keeps a
// ledger that a test can reconcile with the terminal's.
package simhost

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moov-io/iso8583"

	"github.com/till-pos/till/payments/acquirer"
)

// Entry is one financial message the host accepted.
type Entry struct {
	Key      string `json:"key"` // the terminal's unique key (field 62), or TID+STAN
	MTI      string `json:"mti"`
	ProcCode string `json:"proc_code"`
	Amount   int64  `json:"amount"`
	Code     string `json:"code"`
	RRN      string `json:"rrn"`
	Auth     string `json:"auth,omitempty"`
	Original string `json:"original,omitempty"` // a void's or refund's original payment key
	// Wallet is, for a QR payment, the wallet that paid it (or, for a
	// payment code, the code's wallet), told in field 63 once approved.
	Wallet string `json:"wallet,omitempty"`
	// At is the request's transmission time (field 7, MMDDhhmmss), by which
	// with the STAN a later void, refund or upload names it.
	At string `json:"at,omitempty"`
	// PAN is the last four digits of the card charged, from track 2 (an
	// advice's or a sale's): proof that the host could charge it.
	PANLast4 string `json:"pan4,omitempty"`
	// Reversed and Voided are set on a sale a later reversal or void undid.
	Reversed bool   `json:"-"`
	Voided   bool   `json:"-"`
	TID      string `json:"tid"`
	STAN     string `json:"stan"`
	Batch    int    `json:"batch"`
}

// Host is a running simulated acquirer.
type Host struct {
	master     []byte              // the terminals' master key
	sessions   map[string]*session // by TID: the keys of the last sign-on
	lifetime   time.Duration       // how long working keys are valid
	logf       func(format string, args ...any)
	refusals   []string // why requests were refused, in order
	badKCV     bool     // send sign-on keys with a wrong check value, a fault switch
	garble     int      // answers still to send as bytes that are not a message, a fault switch
	garbleRate float64  // share of answers sent as bytes that are not a message, a fault switch
	ln         net.Listener
	ledger     *os.File // JSON lines, synced after each entry; nil: memory only
	mu         sync.Mutex
	entries    []Entry
	answered   map[string]Entry // key → the first answer to that payment
	seq        int
	drop       int              // responses still to drop, a fault switch
	dropRate   float64          // share of responses to drop at random, a fault switch
	rng        *mrand.Rand      // for dropRate
	latency    time.Duration    // added before each answer, a fault switch
	refuse     bool             // close every new connection at once, a fault switch
	closed     bool             // Close has begun: connections accepted late are closed
	badKey     *acquirer.MACKey // sign answers with this wrong key, a fault switch
	skewSTAN   int              // answers still to send with another STAN, a fault switch
	skewAmt    int              // answers still to send with another amount, a fault switch
	// QR payments: how each payment code behaves (by code), and which
	// payments confirm at the customer's next look at their phone (by key).
	codes    map[string]PayCodeBehavior
	confirms map[string]bool
	settles  int // settlement requests (0500) answered
	signOns  int // sign-ons answered
	wg       sync.WaitGroup
	conns    map[net.Conn]struct{}

	// signatures are the e-signature images uploaded (0820), by TID and RRN.
	signatures map[string][]byte
}

// DemoMasterKey is the master key of demo mode and of the simulator run
// on its own: public, so never a real terminal's.
const DemoMasterKey = "7EA1D0C0DE5EED0F7EA1D0C0DE5EED0F"

// session is a terminal's working keys, and those it had before.
type session struct {
	keys  *acquirer.WorkingKeys
	stale []*acquirer.WorkingKeys
}

// Options configure a Host.
type Options struct {
	Addr       string // default 127.0.0.1:0
	LedgerPath string // where the ledger is kept; empty keeps it in memory
	// TLS, when set, makes the host accept TLS connections only.
	TLS *tls.Config
	// MasterKey is the terminal master key the working keys are sent
	// under (one for every terminal of this host); required.
	MasterKey []byte
	// KeyLifetime is how long a sign-on's keys are valid (default 24 h).
	KeyLifetime time.Duration
	// Log, when set, is told why each request was refused, and each
	// sign-on.
	Log func(format string, args ...any)
}

// Start listens and serves until Close.
func Start(o Options) (*Host, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if len(o.MasterKey) != acquirer.MasterKeySize {
		return nil, fmt.Errorf("simhost: a master key of %d bytes is needed", acquirer.MasterKeySize)
	}
	if o.KeyLifetime == 0 {
		o.KeyLifetime = 24 * time.Hour
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	h := &Host{master: o.MasterKey, sessions: map[string]*session{}, lifetime: o.KeyLifetime, logf: o.Log,
		answered: map[string]Entry{}, conns: map[net.Conn]struct{}{},
		codes: map[string]PayCodeBehavior{}, confirms: map[string]bool{}}
	if o.LedgerPath != "" {
		if err := h.load(o.LedgerPath); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("simhost: listen: %w", err)
	}
	if o.TLS != nil {
		ln = tls.NewListener(ln, o.TLS)
	}
	h.ln = ln
	h.wg.Add(1)
	go h.serve()
	return h, nil
}

// load replays an existing ledger file and opens it for appending.
func (h *Host) load(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("simhost: ledger: %w", err)
	}
	dec := json.NewDecoder(f)
	for {
		var e Entry
		if err := dec.Decode(&e); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			f.Close()
			return fmt.Errorf("simhost: ledger %s: %w", path, err)
		}
		h.apply(e)
	}
	h.seq = len(h.entries)
	h.ledger = f
	return nil
}

// Addr is the host's address.
func (h *Host) Addr() string { return h.ln.Addr().String() }

// Ledger returns a copy of the accepted financial messages.
func (h *Host) Ledger() []Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Entry{}, h.entries...)
}

// Close stops the host and closes every connection.
func (h *Host) Close() error {
	err := h.ln.Close()
	h.mu.Lock()
	h.closed = true
	for c := range h.conns {
		c.Close()
	}
	h.mu.Unlock()
	h.wg.Wait()
	if h.ledger != nil {
		h.ledger.Close()
	}
	return err
}

func (h *Host) serve() {
	defer h.wg.Done()
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.mu.Lock()
		// A connection accepted just before Close took the listener away
		// would otherwise be served for ever and Close would wait for it.
		if h.refuse || h.closed {
			h.mu.Unlock()
			c.Close()
			continue
		}
		h.conns[c] = struct{}{}
		h.mu.Unlock()
		h.wg.Add(1)
		go h.handle(c)
	}
}

func (h *Host) handle(c net.Conn) {
	defer h.wg.Done()
	defer func() {
		h.mu.Lock()
		delete(h.conns, c)
		h.mu.Unlock()
		c.Close()
	}()
	// With latency, requests are answered concurrently, as a real host
	// does, so one slow answer does not hold up the next; writes take turns.
	var writing sync.Mutex
	var pending sync.WaitGroup
	defer pending.Wait()
	r := bufio.NewReader(c)
	for {
		b, err := acquirer.ReadFrame(r)
		if err != nil {
			return
		}
		h.mu.Lock()
		delay := h.latency
		h.mu.Unlock()
		reply := func() {
			out, err := h.answer(b)
			if err != nil {
				return // nothing sensible to answer: the terminal's timeout decides
			}
			if delay > 0 {
				time.Sleep(delay)
			}
			writing.Lock()
			defer writing.Unlock()
			acquirer.WriteFrame(c, out)
		}
		if delay == 0 {
			// Quick answers in turn, on the connection's own goroutine.
			reply()
			continue
		}
		pending.Add(1)
		go func() {
			defer pending.Done()
			reply()
		}()
	}
}

// answer returns the response to one request's bytes.
func (h *Host) answer(b []byte) ([]byte, error) {
	req, err := acquirer.Unpack(b, nil)
	if err != nil {
		return nil, err
	}
	mti, _ := req.GetMTI()
	resp := acquirer.NewMessage()
	n, err := strconv.Atoi(mti)
	if err != nil {
		return nil, err
	}
	resp.MTI(fmt.Sprintf("%04d", n+10))
	for _, id := range []int{3, 4, 7, 11, 12, 13, 41, 42, 49, 70} {
		if v, err := req.GetString(id); err == nil && v != "" {
			if err := resp.Field(id, v); err != nil {
				return nil, err
			}
		}
	}
	tid, _ := req.GetString(41)
	if mti == acquirer.MTINetworkRequest {
		if acquirer.NetworkCode(req) == acquirer.NetSignOn {
			return h.signOn(resp, tid)
		}
		resp.Field(39, acquirer.Approved) // the echo test
		return acquirer.Pack(resp, nil)
	}
	h.mu.Lock()
	sess := h.sessions[tid]
	h.mu.Unlock()
	switch {
	case sess == nil:
		return h.refuseUnsigned(resp, acquirer.CodeSignOnNeeded, "%s %s from %s before it signed on", mti, stanOf(req), tid)
	}
	if !acquirer.VerifyMAC(b, req, sess.keys.MAC) {
		for _, old := range sess.stale {
			if acquirer.VerifyMAC(b, req, old.MAC) {
				return h.refuseUnsigned(resp, acquirer.CodeBadMAC, "%s %s from %s MACed under a stale key", mti, stanOf(req), tid)
			}
		}
		return h.refuseUnsigned(resp, acquirer.CodeBadMAC, "%s %s from %s with a bad MAC", mti, stanOf(req), tid)
	}
	if !sess.keys.ValidUntil.After(time.Now()) {
		return h.refuseUnsigned(resp, acquirer.CodeBadMAC, "%s %s from %s under keys that expired at %s", mti, stanOf(req), tid, sess.keys.ValidUntil.Format(time.RFC3339))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.decide(req, resp, mti, tid, sess.keys)
}

func stanOf(m *iso8583.Message) string {
	s, _ := m.GetString(11)
	return "STAN " + s
}

// refuseUnsigned answers code without a MAC (the host cannot sign for a
// terminal whose key it does not share) and logs why.
func (h *Host) refuseUnsigned(resp *iso8583.Message, code, format string, args ...any) ([]byte, error) {
	h.mu.Lock()
	h.refused(format, args...)
	h.mu.Unlock()
	resp.Field(39, code)
	return resp.Pack()
}

// refused logs why a request was refused (h.mu held).
func (h *Host) refused(format string, args ...any) {
	why := fmt.Sprintf(format, args...)
	h.refusals = append(h.refusals, why)
	h.logf("simhost: refused: %s", why)
}

// Refusals lists why requests were refused, oldest first.
func (h *Host) Refusals() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.refusals...)
}

// signOn gives terminal tid new working keys: the MAC and data keys under
// the master key with their check values (field 62) and their expiry (48).
// The keys it had become stale.
func (h *Host) signOn(resp *iso8583.Message, tid string) ([]byte, error) {
	mac, data := make([]byte, 16), make([]byte, 16)
	if _, err := rand.Read(mac); err != nil {
		return nil, err
	}
	if _, err := rand.Read(data); err != nil {
		return nil, err
	}
	until := time.Now().Add(h.lifetime).UTC().Truncate(time.Second)
	keys, err := acquirer.NewWorkingKeys(mac, data, until)
	if err != nil {
		return nil, err
	}
	f62, err := acquirer.WrapWorkingKeys(h.master, mac, data)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	if h.badKCV {
		f62 = f62[:32] + "000000" + f62[38:]
	}
	old := h.sessions[tid]
	s := &session{keys: keys}
	if old != nil {
		s.stale = append(old.stale, old.keys)
	}
	h.sessions[tid] = s
	h.signOns++
	h.mu.Unlock()
	h.logf("simhost: %s signed on; keys valid until %s", tid, until.Format(time.RFC3339))
	resp.Field(39, acquirer.Approved)
	resp.Field(62, f62)
	resp.Field(48, until.Format("20060102150405"))
	return acquirer.Pack(resp, nil)
}

// decide answers a signed request from tid (h.mu held).
func (h *Host) decide(req, resp *iso8583.Message, mti, tid string, keys *acquirer.WorkingKeys) ([]byte, error) {
	if mti == acquirer.MTISignatureUpload {
		return h.signature(req, resp, tid, keys)
	}
	key, _ := req.GetString(62)
	stan, _ := req.GetString(11)
	if key == "" {
		key = tid + "/" + stan
	}
	at, _ := req.GetString(7)
	if mti == acquirer.MTIReversalRequest {
		return h.reverse(req, resp, key, tid, stan, keys)
	}
	batchField, _ := req.GetString(60)
	batch, _ := strconv.Atoi(batchField)
	if mti == acquirer.MTISettlementRequest {
		return h.settle(req, resp, tid, batch, keys)
	}
	proc, _ := req.GetString(3)
	proc = strings.Repeat("0", max(0, 6-len(proc))) + proc
	if mti == acquirer.MTISaleRequest && proc == acquirer.ProcQuery {
		return h.query(req, resp, keys)
	}
	if mti == acquirer.MTIBatchUpload {
		return h.upload(req, resp, key, tid, batch, keys)
	}
	var pan4 string
	if f57, _ := req.GetString(acquirer.FieldEncryptedTrack2); f57 != "" {
		t2, err := acquirer.OpenTrack2(keys.Data, tid, f57)
		if err != nil {
			h.refused("%s %s: %v", mti, key, err)
			resp.Field(39, "30")
			return h.sign(resp, keys)
		}
		pan4 = last4(t2)
	}
	e, resent := h.answered[key]
	if mti == acquirer.MTIAdviceRequest {
		if resent && e.MTI == acquirer.MTIAdviceRequest {
			h.refused("advice %s applied already: not applied again", key)
			resp.Field(39, "94")
			return h.sign(resp, keys)
		}
		if why := chargeable(req, pan4); why != "" {
			h.refused("advice %s cannot be charged: %s", key, why)
			resp.Field(39, "30")
			return h.sign(resp, keys)
		}
	}
	if !resent && mti == acquirer.MTISaleRequest && (proc == acquirer.ProcVoid || proc == acquirer.ProcRefund) {
		code, orig, why := h.checkUndo(req, proc, tid)
		if code != acquirer.Approved {
			h.refused("%s %s: %s", proc, key, why)
			resp.Field(39, code)
			return h.sign(resp, keys)
		}
		amount, _ := req.GetString(4)
		amt, _ := strconv.ParseInt(amount, 10, 64)
		h.seq++
		e = Entry{Key: key, MTI: mti, ProcCode: proc, Amount: amt, Code: acquirer.Approved, Original: orig.Key,
			RRN: fmt.Sprintf("%012d", h.seq), Auth: fmt.Sprintf("%06d", h.seq%1000000), TID: tid, STAN: stan, At: at, Batch: batch}
		if err := h.record(e); err != nil {
			return nil, err
		}
		resent = true
	}
	if !resent {
		// A new payment: decide, number and record it.
		amount, _ := req.GetString(4)
		amt, _ := strconv.ParseInt(amount, 10, 64)
		h.seq++
		code := rule(amount)
		entry, _ := req.GetString(22)
		wallet := ""
		if mti == acquirer.MTISaleRequest && proc == acquirer.ProcPurchase && strings.HasPrefix(entry, "03") {
			code, wallet = h.qrSale(req, key, code)
		}
		if mti == acquirer.MTIAdviceRequest || mti == acquirer.MTIAdminAdvice {
			code = acquirer.Approved // an advice reports a payment already made
		}
		e = Entry{Key: key, MTI: mti, ProcCode: proc, Amount: amt, Code: code, Wallet: wallet,
			RRN: fmt.Sprintf("%012d", h.seq), TID: tid, STAN: stan, At: at, Batch: batch, PANLast4: pan4}
		if e.Code == acquirer.Approved {
			e.Auth = fmt.Sprintf("%06d", h.seq%1000000)
		}
		if err := h.record(e); err != nil {
			return nil, err
		}
	}
	// A resend gets the first answer again, not a second charge.
	resp.Field(39, e.Code)
	if e.RRN != "" {
		resp.Field(37, e.RRN)
	}
	if e.Auth != "" {
		resp.Field(38, e.Auth)
	}
	tellWallet(resp, e)
	return h.sign(resp, keys)
}

// last4 is the last four digits of the card number in track 2.
func last4(track2 string) string {
	pan, _, _ := strings.Cut(strings.NewReplacer("D", "=", "d", "=").Replace(track2), "=")
	if len(pan) < 12 {
		return ""
	}
	return pan[len(pan)-4:]
}

// chargeable says why an advice could not be charged ("" when it can): it
// needs the card (track 2, opened under the data key) and the card's
// cryptogram (field 55 with 9F26).
func chargeable(req *iso8583.Message, pan4 string) string {
	icc, _ := req.GetString(55)
	switch {
	case pan4 == "":
		return "no track 2 under the data key"
	case !strings.Contains(strings.ToUpper(icc), "9F26"):
		return "no chip data with the cryptogram (9F26)"
	}
	return ""
}

// tellWallet puts in field 63 the wallet that paid an approved QR payment.
func tellWallet(resp *iso8583.Message, e Entry) {
	if e.Wallet != "" && e.Code == acquirer.Approved {
		resp.Field(63, e.Wallet)
	}
}

// reverse undoes the payment with the request's key, if there is one: 00
// when undone, 94 when undone already (not applied again), 25 when the host
// never saw it.
func (h *Host) reverse(req, resp *iso8583.Message, key, tid, stan string, keys *acquirer.WorkingKeys) ([]byte, error) {
	orig, ok := h.answered[key]
	if !ok {
		// The original has not arrived (yet): remember the reversal so that a
		// late original is refused rather than charged.
		if err := h.record(Entry{Key: key, MTI: acquirer.MTIReversalRequest, Code: "25", TID: tid, STAN: stan}); err != nil {
			return nil, err
		}
		resp.Field(39, "25")
		return h.sign(resp, keys)
	}
	if orig.Code != acquirer.Approved && orig.Code != acquirer.InProgress {
		// Declined, or itself refused after an early reversal: nothing to undo.
		// (A QR payment still waiting for the customer is closed.)
		resp.Field(39, "25")
		return h.sign(resp, keys)
	}
	if orig.Reversed {
		h.refused("reversal of %s applied already: not applied again", key)
		resp.Field(39, "94")
		return h.sign(resp, keys)
	}
	if err := h.record(Entry{Key: key, MTI: acquirer.MTIReversalRequest, Amount: orig.Amount,
		Code: acquirer.Approved, RRN: orig.RRN, TID: tid, STAN: stan}); err != nil {
		return nil, err
	}
	resp.Field(39, acquirer.Approved)
	resp.Field(37, orig.RRN)
	return h.sign(resp, keys)
}

// sign packs a response with its MAC under keys, or returns nil to drop it
// while a drop fault switch is on; the other fault switches garble it,
// answer with another STAN or another amount, or sign with a wrong key.
func (h *Host) sign(resp *iso8583.Message, keys *acquirer.WorkingKeys) ([]byte, error) {
	if h.drop > 0 {
		h.drop--
		return nil, errDropped
	}
	if h.dropRate > 0 && h.rng.Float64() < h.dropRate {
		return nil, errDropped
	}
	if h.garble > 0 || (h.garbleRate > 0 && h.rng.Float64() < h.garbleRate) {
		h.garble = max(0, h.garble-1)
		return []byte("this is not an ISO 8583 message"), nil
	}
	if h.skewSTAN > 0 {
		h.skewSTAN--
		stan, _ := resp.GetString(11)
		n, _ := strconv.Atoi(stan)
		resp.Field(11, fmt.Sprintf("%06d", n%999999+1))
	}
	if h.skewAmt > 0 {
		h.skewAmt--
		amt, _ := resp.GetString(4)
		n, _ := strconv.ParseInt(amt, 10, 64)
		resp.Field(4, fmt.Sprintf("%012d", n+100))
	}
	if h.badKey != nil {
		return acquirer.Pack(resp, h.badKey)
	}
	return acquirer.Pack(resp, keys.MAC)
}

// GarbleAnswers makes the host answer the next n requests (after deciding
// and recording them) with bytes that are not a message.
func (h *Host) GarbleAnswers(n int) {
	h.mu.Lock()
	h.garble = n
	h.mu.Unlock()
}

// SkewSTAN makes the host answer the next n requests (after deciding and
// recording them) under another STAN.
func (h *Host) SkewSTAN(n int) {
	h.mu.Lock()
	h.skewSTAN = n
	h.mu.Unlock()
}

// SkewAmount makes the host answer the next n requests (after deciding and
// recording them) naming another amount.
func (h *Host) SkewAmount(n int) {
	h.mu.Lock()
	h.skewAmt = n
	h.mu.Unlock()
}

// SendBadKeyCheck makes the host's sign-on answers carry a wrong check
// value for the MAC key (false: right again).
func (h *Host) SendBadKeyCheck(bad bool) {
	h.mu.Lock()
	h.badKCV = bad
	h.mu.Unlock()
}

// RollKeys makes every terminal's working keys stale, as a host rolling its
// keys does: the next request under them is refused (A0) until the
// terminal signs on again.
func (h *Host) RollKeys() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for tid, s := range h.sessions {
		h.sessions[tid] = &session{keys: expiredKeys(s.keys), stale: append(s.stale, s.keys)}
	}
}

// expiredKeys are keys that no MAC verifies under and that have expired.
func expiredKeys(k *acquirer.WorkingKeys) *acquirer.WorkingKeys {
	mac, data := make([]byte, 16), make([]byte, 16)
	rand.Read(mac)
	rand.Read(data)
	x, _ := acquirer.NewWorkingKeys(mac, data, time.Now().Add(-time.Second))
	return x
}

// SignOns counts the sign-ons the host has answered.
func (h *Host) SignOns() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.signOns
}

// RefuseConnections makes the host close every new connection at once (and
// drop the open ones), as a host that is down would; false accepts again.
func (h *Host) RefuseConnections(refuse bool) {
	h.mu.Lock()
	h.refuse = refuse
	h.mu.Unlock()
	if refuse {
		h.CloseConnections()
	}
}

// SignWithWrongKey makes the host sign its answers with a key the terminal
// does not share (nil signs with the right one again).
func (h *Host) SignWithWrongKey(k *acquirer.MACKey) {
	h.mu.Lock()
	h.badKey = k
	h.mu.Unlock()
}

var errDropped = errors.New("simhost: response dropped")

// DropResponses makes the host decide and record the next n requests but
// send no answer to them, as when a response is lost on the way.
func (h *Host) DropResponses(n int) {
	h.mu.Lock()
	h.drop = n
	h.mu.Unlock()
}

// SetLatency delays every answer by d, a fault switch (0 turns it off).
func (h *Host) SetLatency(d time.Duration) {
	h.mu.Lock()
	h.latency = d
	h.mu.Unlock()
}

// CloseConnections drops every open connection, as a host restart or a
// network fault would; new connections are still accepted.
func (h *Host) CloseConnections() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		c.Close()
	}
}

// DropRandomly makes the host drop a share (0–1) of its answers at random,
// after deciding and recording them; seed makes the choice repeatable.
func (h *Host) DropRandomly(share float64, seed int64) {
	h.mu.Lock()
	h.dropRate, h.rng = share, mrand.New(mrand.NewSource(seed))
	h.mu.Unlock()
}

// GarbleRandomly makes the host answer a share (0–1) of requests, after
// deciding and recording them, with bytes that are not a message; it
// shares DropRandomly's random source (call that first to seed it).
func (h *Host) GarbleRandomly(share float64) {
	h.mu.Lock()
	h.garbleRate = share
	if h.rng == nil {
		h.rng = mrand.New(mrand.NewSource(1))
	}
	h.mu.Unlock()
}

// Settlements counts the settlement requests (0500) the host has answered.
func (h *Host) Settlements() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.settles
}

// Charged counts the approved purchases that no reversal undid, and sums them.
func (h *Host) Charged() (count int, sum int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range h.charged("", -1) {
		count++
		sum += e.Amount
	}
	return count, sum
}

// charged lists the approved, unreversed purchases (sales, and advices of
// offline approvals), of one terminal and batch if given.
func (h *Host) charged(tid string, batch int) []Entry {
	var out []Entry
	for _, e := range h.entries {
		if (e.MTI != acquirer.MTISaleRequest && e.MTI != acquirer.MTIAdviceRequest) ||
			e.ProcCode != acquirer.ProcPurchase ||
			e.Code != acquirer.Approved || h.answered[e.Key].Reversed || h.answered[e.Key].Voided {
			continue
		}
		if (tid != "" && e.TID != tid) || (batch >= 0 && e.Batch != batch) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// settle compares the terminal's totals for a batch with the host's: 00 when
// they agree, 95 when not.
func (h *Host) settle(req, resp *iso8583.Message, tid string, batch int, keys *acquirer.WorkingKeys) ([]byte, error) {
	h.settles++
	var count, credits int
	var sum, creditSum int64
	for _, e := range h.charged(tid, batch) {
		count++
		sum += e.Amount
	}
	for _, e := range h.entries {
		if e.ProcCode == acquirer.ProcRefund && e.Code == acquirer.Approved && e.TID == tid && e.Batch == batch &&
			!h.answered[e.Key].Reversed {
			credits++
			creditSum += e.Amount
		}
	}
	// Zero-padded numbers come back without their zeros, "0" as "".
	nf, _ := req.GetString(76)
	af, _ := req.GetString(88)
	cf, _ := req.GetString(74)
	csf, _ := req.GetString(86)
	n, _ := strconv.Atoi(nf)
	amt, _ := strconv.ParseInt(af, 10, 64)
	cn, _ := strconv.Atoi(cf)
	camt, _ := strconv.ParseInt(csf, 10, 64)
	code := "95"
	if n == count && amt == sum && cn == credits && camt == creditSum {
		code = acquirer.Approved
	}
	resp.Field(39, code)
	return h.sign(resp, keys)
}

// apply adds an entry to the ledger in memory.
func (h *Host) apply(e Entry) {
	if e.MTI == mtiQRPaid {
		h.applyQRPaid(e)
		return
	}
	if e.MTI == acquirer.MTIBatchUpload {
		h.entries = append(h.entries, e)
		h.refile(e.Key, e.Batch)
		return
	}
	h.entries = append(h.entries, e)
	if e.MTI == acquirer.MTIReversalRequest {
		orig, ok := h.answered[e.Key]
		if !ok {
			// A reversal ahead of its original: the original, if it comes,
			// finds this answer (25) and is not charged.
			orig = Entry{Key: e.Key, MTI: acquirer.MTISaleRequest, Code: "25", TID: e.TID}
		}
		orig.Reversed = true
		h.answered[e.Key] = orig
		return
	}
	h.answered[e.Key] = e
	if e.ProcCode == acquirer.ProcVoid && e.Code == acquirer.Approved {
		orig := h.answered[e.Original]
		orig.Voided = true
		h.answered[e.Original] = orig
	}
}

// byRRN finds the approved, standing purchase of a terminal with an RRN.
func (h *Host) byRRN(tid, rrn string) (Entry, bool) {
	for _, e := range h.charged(tid, -1) {
		if e.RRN == rrn {
			return h.answered[e.Key], true
		}
	}
	return Entry{}, false
}

// checkUndo decides a void or refund by the original's data: 25 when no
// standing purchase of the terminal has the RRN, STAN and time given (and
// the authorization code, when given), 12 for a void outside the original's
// batch or of another amount, 13 for a refund beyond what is left to refund;
// why says what did not match.
func (h *Host) checkUndo(req *iso8583.Message, proc, tid string) (code string, orig Entry, why string) {
	orig, why = h.findOriginal(req, tid)
	if why != "" {
		return "25", orig, why
	}
	amount, _ := req.GetString(4)
	amt, _ := strconv.ParseInt(amount, 10, 64)
	if proc == acquirer.ProcVoid {
		batchField, _ := req.GetString(60)
		if b, _ := strconv.Atoi(batchField); b != orig.Batch || amt != orig.Amount {
			return "12", orig, fmt.Sprintf("a void of %s must be in its batch %d and for its amount %d", orig.Key, orig.Batch, orig.Amount)
		}
		return acquirer.Approved, orig, ""
	}
	left := orig.Amount
	for _, e := range h.entries {
		if e.ProcCode == acquirer.ProcRefund && e.Original == orig.Key && e.Code == acquirer.Approved && !h.answered[e.Key].Reversed {
			left -= e.Amount
		}
	}
	if amt <= 0 || amt > left {
		return "13", orig, fmt.Sprintf("a refund of %d where %d is left of %s", amt, left, orig.Key)
	}
	return acquirer.Approved, orig, ""
}

// findOriginal finds the standing purchase a void, refund or batch upload
// names by its data: RRN (37), authorization code (38, when given), and
// the original's STAN and transmission time (field 90); why says what is
// missing or does not match.
func (h *Host) findOriginal(req *iso8583.Message, tid string) (Entry, string) {
	rrn, _ := req.GetString(37)
	auth, _ := req.GetString(38)
	od, _ := req.GetString(90)
	if rrn == "" || len(od) < 20 {
		return Entry{}, "the original's RRN and data elements (field 90) are needed"
	}
	orig, ok := h.byRRN(tid, rrn)
	if !ok {
		return Entry{}, fmt.Sprintf("no standing purchase of %s has RRN %s", tid, rrn)
	}
	stan, at := od[4:10], od[10:20]
	if n, _ := strconv.Atoi(orig.STAN); fmt.Sprintf("%06d", n) != stan || orig.At != at {
		return orig, fmt.Sprintf("RRN %s was STAN %s at %s, not %s at %s", rrn, orig.STAN, orig.At, stan, at)
	}
	if auth != "" && auth != orig.Auth {
		return orig, fmt.Sprintf("RRN %s was authorized %s, not %s", rrn, orig.Auth, auth)
	}
	return orig, ""
}

// upload files a batch upload's transaction in the batch it names, when
// the host finds it by its data (00), and refuses one it cannot find (25):
// an upload moves no money.
func (h *Host) upload(req, resp *iso8583.Message, key, tid string, batch int, keys *acquirer.WorkingKeys) ([]byte, error) {
	proc, _ := req.GetString(3)
	var orig Entry
	var why string
	if proc == acquirer.ProcPurchase {
		orig, why = h.findOriginal(req, tid)
	} else {
		var ok bool
		if orig, ok = h.answered[key]; !ok || orig.Code != acquirer.Approved {
			why = fmt.Sprintf("no approved %s %s", proc, key)
		}
	}
	if why != "" {
		h.refused("batch upload of %s: %s", key, why)
		resp.Field(39, "25")
		return h.sign(resp, keys)
	}
	if orig.Batch != batch {
		if err := h.record(Entry{Key: orig.Key, MTI: acquirer.MTIBatchUpload, ProcCode: proc, TID: tid, Batch: batch,
			Code: acquirer.Approved}); err != nil {
			return nil, err
		}
	}
	resp.Field(39, acquirer.Approved)
	return h.sign(resp, keys)
}

// Misfile moves the host's record of the payment with key to another batch,
// as a host that lost track of it would; a batch upload puts it back.
func (h *Host) Misfile(key string, batch int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refile(key, batch)
}

// refile files the entry of key in batch.
func (h *Host) refile(key string, batch int) {
	for i := range h.entries {
		if h.entries[i].Key == key && h.entries[i].MTI != acquirer.MTIBatchUpload {
			h.entries[i].Batch = batch
		}
	}
	if e, ok := h.answered[key]; ok {
		e.Batch = batch
		h.answered[key] = e
	}
}

// query answers a status query for the payment key in field 62 with that
// payment's code and RRN, or 25 when the host never saw it.
func (h *Host) query(req, resp *iso8583.Message, keys *acquirer.WorkingKeys) ([]byte, error) {
	key, _ := req.GetString(62)
	if e, ok := h.answered[key]; ok && e.Code == acquirer.InProgress && h.confirms[key] && !e.Reversed {
		// The customer confirms in their app between two looks.
		if err := h.record(Entry{Key: key, MTI: mtiQRPaid, TID: e.TID}); err != nil {
			return nil, err
		}
	}
	e, ok := h.answered[key]
	switch {
	case !ok:
		resp.Field(39, "25")
	case e.Reversed || e.Voided:
		resp.Field(39, "25")
	default:
		resp.Field(39, e.Code)
		if e.RRN != "" {
			resp.Field(37, e.RRN)
		}
		if e.Auth != "" {
			resp.Field(38, e.Auth)
		}
		tellWallet(resp, e)
	}
	return h.sign(resp, keys)
}

// record appends an entry to the ledger, durably when it has a file.
func (h *Host) record(e Entry) error {
	if h.ledger != nil {
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if _, err := h.ledger.Write(append(line, '\n')); err != nil {
			return err
		}
		if err := h.ledger.Sync(); err != nil {
			return err
		}
	}
	h.apply(e)
	return nil
}

// rule declines by the amount's last two digits, so tests can ask for any
// answer: …51 insufficient funds, …05 do not honour, …54 expired card,
// …61 over limit, …91 issuer unavailable, …96 system error.
func rule(amount string) string {
	if len(amount) < 2 {
		return acquirer.Approved
	}
	switch last := amount[len(amount)-2:]; last {
	case "05", "51", "54", "61", "91", "96":
		return last
	}
	return acquirer.Approved
}
