// Package simhost is an acquirer host for demo mode and tests: it speaks
// Till's ISO 8583 over TCP, checks MACs, approves or declines by fixed rules,
// answers a resent request with its first response, and keeps a ledger that
// a test can reconcile with the terminal's.
package simhost

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
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
	// Reversed and Voided are set on a sale a later reversal or void undid.
	Reversed bool   `json:"-"`
	Voided   bool   `json:"-"`
	TID      string `json:"tid"`
	STAN     string `json:"stan"`
	Batch    int    `json:"batch"`
}

// Host is a running simulated acquirer.
type Host struct {
	key      *acquirer.MACKey
	ln       net.Listener
	ledger   *os.File // JSON lines, synced after each entry; nil: memory only
	mu       sync.Mutex
	entries  []Entry
	answered map[string]Entry // key → the first answer to that payment
	seq      int
	drop     int              // responses still to drop, a fault switch
	dropRate float64          // share of responses to drop at random, a fault switch
	rng      *rand.Rand       // for dropRate
	latency  time.Duration    // added before each answer, a fault switch
	refuse   bool             // close every new connection at once, a fault switch
	closed   bool             // Close has begun: connections accepted late are closed
	badKey   *acquirer.MACKey // sign answers with this wrong key, a fault switch
	// QR payments: how each payment code behaves (by code), and which
	// payments confirm at the customer's next look at their phone (by key).
	codes    map[string]PayCodeBehavior
	confirms map[string]bool
	settles  int // settlement requests (0500) answered
	wg       sync.WaitGroup
	conns    map[net.Conn]struct{}
}

// Options configure a Host.
type Options struct {
	Addr       string // default 127.0.0.1:0
	LedgerPath string // where the ledger is kept; empty keeps it in memory
	// TLS, when set, makes the host accept TLS connections only.
	TLS *tls.Config
}

// Start listens and serves until Close.
func Start(key *acquirer.MACKey, o Options) (*Host, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	h := &Host{key: key, answered: map[string]Entry{}, conns: map[net.Conn]struct{}{},
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
	// Requests are answered concurrently, as a real host does, so one slow
	// answer does not hold up the next; writes take turns.
	var writing sync.Mutex
	var pending sync.WaitGroup
	defer pending.Wait()
	for {
		b, err := acquirer.ReadFrame(c)
		if err != nil {
			return
		}
		pending.Add(1)
		go func() {
			defer pending.Done()
			out, err := h.answer(b)
			if err != nil {
				return // nothing sensible to answer: the terminal's timeout decides
			}
			h.mu.Lock()
			delay := h.latency
			h.mu.Unlock()
			if delay > 0 {
				time.Sleep(delay)
			}
			writing.Lock()
			defer writing.Unlock()
			acquirer.WriteFrame(c, out)
		}()
	}
}

// answer returns the response to one request's bytes.
func (h *Host) answer(b []byte) ([]byte, error) {
	req, err := acquirer.Unpack(b, nil)
	if err != nil {
		return nil, err
	}
	code := acquirer.Approved
	if _, err := acquirer.Unpack(b, h.key); err != nil {
		code = "A0"
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
	if mti == acquirer.MTINetworkRequest {
		resp.Field(39, code)
		return acquirer.Pack(resp, h.key)
	}
	key, _ := req.GetString(62)
	tid, _ := req.GetString(41)
	stan, _ := req.GetString(11)
	if key == "" {
		key = tid + "/" + stan
	}
	if code != acquirer.Approved {
		// Without the terminal's key the answer cannot be signed.
		resp.Field(39, code)
		return resp.Pack()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if mti == acquirer.MTIReversalRequest {
		return h.reverse(req, resp, key, tid, stan)
	}
	batchField, _ := req.GetString(60)
	batch, _ := strconv.Atoi(batchField)
	if mti == acquirer.MTISettlementRequest {
		return h.settle(req, resp, tid, batch)
	}
	proc, _ := req.GetString(3)
	proc = strings.Repeat("0", max(0, 6-len(proc))) + proc
	if mti == acquirer.MTISaleRequest && proc == acquirer.ProcQuery {
		return h.query(req, resp)
	}
	e, resent := h.answered[key]
	if !resent && mti == acquirer.MTISaleRequest && (proc == acquirer.ProcVoid || proc == acquirer.ProcRefund) {
		code, orig := h.checkUndo(req, proc, tid)
		if code != acquirer.Approved {
			resp.Field(39, code)
			return h.sign(resp)
		}
		amount, _ := req.GetString(4)
		amt, _ := strconv.ParseInt(amount, 10, 64)
		h.seq++
		e = Entry{Key: key, MTI: mti, ProcCode: proc, Amount: amt, Code: acquirer.Approved, Original: orig.Key,
			RRN: fmt.Sprintf("%012d", h.seq), Auth: fmt.Sprintf("%06d", h.seq%1000000), TID: tid, STAN: stan, Batch: batch}
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
		if mti == acquirer.MTIBatchUpload {
			code = acquirer.Approved // the terminal's record of a payment the host lost
		}
		e = Entry{Key: key, MTI: mti, ProcCode: proc, Amount: amt, Code: code, Wallet: wallet,
			RRN: fmt.Sprintf("%012d", h.seq), TID: tid, STAN: stan, Batch: batch}
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
	return h.sign(resp)
}

// tellWallet puts in field 63 the wallet that paid an approved QR payment.
func tellWallet(resp *iso8583.Message, e Entry) {
	if e.Wallet != "" && e.Code == acquirer.Approved {
		resp.Field(63, e.Wallet)
	}
}

// reverse undoes the payment with the request's key, if there is one: 00
// when undone (again), 25 when the host never saw it.
func (h *Host) reverse(req, resp *iso8583.Message, key, tid, stan string) ([]byte, error) {
	orig, ok := h.answered[key]
	if !ok {
		// The original has not arrived (yet): remember the reversal so that a
		// late original is refused rather than charged.
		if err := h.record(Entry{Key: key, MTI: acquirer.MTIReversalRequest, Code: "25", TID: tid, STAN: stan}); err != nil {
			return nil, err
		}
		resp.Field(39, "25")
		return h.sign(resp)
	}
	if orig.Code != acquirer.Approved && orig.Code != acquirer.InProgress {
		// Declined, or itself refused after an early reversal: nothing to undo.
		// (A QR payment still waiting for the customer is closed.)
		resp.Field(39, "25")
		return h.sign(resp)
	}
	if !orig.Reversed {
		if err := h.record(Entry{Key: key, MTI: acquirer.MTIReversalRequest, Amount: orig.Amount,
			Code: acquirer.Approved, RRN: orig.RRN, TID: tid, STAN: stan}); err != nil {
			return nil, err
		}
	}
	resp.Field(39, acquirer.Approved)
	resp.Field(37, orig.RRN)
	return h.sign(resp)
}

// sign packs a response with its MAC, or returns nil to drop it while a
// drop fault switch is on.
func (h *Host) sign(resp *iso8583.Message) ([]byte, error) {
	if h.drop > 0 {
		h.drop--
		return nil, errDropped
	}
	if h.dropRate > 0 && h.rng.Float64() < h.dropRate {
		return nil, errDropped
	}
	if h.badKey != nil {
		return acquirer.Pack(resp, h.badKey)
	}
	return acquirer.Pack(resp, h.key)
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
	h.dropRate, h.rng = share, rand.New(rand.NewSource(seed))
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

// charged lists the approved, unreversed purchases (sales, advices of
// offline approvals, and batch uploads of sales the host lacked), of one
// terminal and batch if given.
func (h *Host) charged(tid string, batch int) []Entry {
	var out []Entry
	for _, e := range h.entries {
		if (e.MTI != acquirer.MTISaleRequest && e.MTI != acquirer.MTIBatchUpload && e.MTI != acquirer.MTIAdviceRequest) ||
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
func (h *Host) settle(req, resp *iso8583.Message, tid string, batch int) ([]byte, error) {
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
	return h.sign(resp)
}

// apply adds an entry to the ledger in memory.
func (h *Host) apply(e Entry) {
	if e.MTI == mtiQRPaid {
		h.applyQRPaid(e)
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

// checkUndo decides a void or refund: 25 when the original is unknown, 12
// for a void outside the original's batch, 13 for a refund beyond what is
// left to refund.
func (h *Host) checkUndo(req *iso8583.Message, proc, tid string) (string, Entry) {
	rrn, _ := req.GetString(37)
	orig, ok := h.byRRN(tid, rrn)
	if !ok {
		return "25", orig
	}
	amount, _ := req.GetString(4)
	amt, _ := strconv.ParseInt(amount, 10, 64)
	if proc == acquirer.ProcVoid {
		batchField, _ := req.GetString(60)
		if b, _ := strconv.Atoi(batchField); b != orig.Batch || amt != orig.Amount {
			return "12", orig
		}
		return acquirer.Approved, orig
	}
	left := orig.Amount
	for _, e := range h.entries {
		if e.ProcCode == acquirer.ProcRefund && e.Original == orig.Key && e.Code == acquirer.Approved {
			left -= e.Amount
		}
	}
	if amt <= 0 || amt > left {
		return "13", orig
	}
	return acquirer.Approved, orig
}

// query answers a status query for the payment key in field 62 with that
// payment's code and RRN, or 25 when the host never saw it.
func (h *Host) query(req, resp *iso8583.Message) ([]byte, error) {
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
	return h.sign(resp)
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
