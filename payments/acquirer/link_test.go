package acquirer_test

import (
	"context"
	"encoding/hex"
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

var (
	term = acquirer.Terminal{TID: "T0000001", MID: "898310012345678"}
	// tmk is the terminal master key the tests' host and terminal share.
	tmk = must(hex.DecodeString("00112233445566778899AABBCCDDEEFF"))
)

func mustKey(s string) *acquirer.MACKey {
	k, err := acquirer.NewMACKey([]byte(s))
	if err != nil {
		panic(err)
	}
	return k
}

func startHost(t testing.TB) *simhost.Host {
	t.Helper()
	h, err := simhost.Start(simhost.Options{MasterKey: tmk, LedgerPath: filepath.Join(t.TempDir(), "ledger.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// dial connects to the host at addr with the tests' master key unless o
// names another.
func dial(t testing.TB, addr string, o acquirer.LinkOptions) *acquirer.Link {
	t.Helper()
	if o.MasterKey == nil {
		o.MasterKey = tmk
	}
	l, err := acquirer.Dial(context.Background(), addr, term, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func saleOf(amount int64, stan int, ref string) acquirer.Request {
	return acquirer.Request{MTI: acquirer.MTISaleRequest, ProcCode: acquirer.ProcPurchase, Amount: amount,
		Currency: "156", STAN: stan, Time: time.Now(), EntryMode: acquirer.EntryContactless, Reference: ref}
}

func TestAuthorizeAgainstSimulatedHost(t *testing.T) {
	h := startHost(t)
	l := dial(t, h.Addr(), acquirer.LinkOptions{})
	if err := l.Echo(context.Background(), 1); err != nil {
		t.Fatalf("echo: %v", err)
	}
	r, err := l.Authorize(context.Background(), saleOf(1250, 2, "T01-1"))
	if err != nil || !r.Approved() || r.RRN == "" || r.AuthCode == "" {
		t.Fatalf("sale: %+v, %v", r, err)
	}
	// Each decline rule gives its code and a message for the cashier.
	for i, c := range []string{"05", "51", "54", "61", "91", "96"} {
		amt := int64(1200) + int64(c[0]-'0')*10 + int64(c[1]-'0')
		r, err := l.Authorize(context.Background(), saleOf(amt, 10+i, "T01-d"+c))
		var e *models.Error
		if err != nil || r.Code != c || !errors.As(r.Err(), &e) || e.Key != "acquirer.rc."+c {
			t.Errorf("amount %d: %+v, %v", amt, r, err)
		}
	}
	// A resend of the same payment gets the first answer and no second entry.
	again, err := l.Authorize(context.Background(), saleOf(1250, 3, "T01-1"))
	if err != nil || again.RRN != r0(t, h) {
		t.Fatalf("resend: %+v, %v", again, err)
	}
	ledger := h.Ledger()
	if len(ledger) != 7 || ledger[0].Amount != 1250 || ledger[0].Code != "00" {
		t.Fatalf("ledger = %+v", ledger)
	}
}

// r0 is the RRN of the host's first ledger entry.
func r0(t *testing.T, h *simhost.Host) string {
	t.Helper()
	l := h.Ledger()
	if len(l) == 0 {
		t.Fatal("empty ledger")
	}
	return l[0].RRN
}

func TestLedgerSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	h, err := simhost.Start(simhost.Options{MasterKey: tmk, LedgerPath: path})
	if err != nil {
		t.Fatal(err)
	}
	l := dial(t, h.Addr(), acquirer.LinkOptions{})
	if _, err := l.Authorize(context.Background(), saleOf(800, 1, "T01-x")); err != nil {
		t.Fatal(err)
	}
	h.Close()
	h2, err := simhost.Start(simhost.Options{MasterKey: tmk, LedgerPath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Close()
	if got := h2.Ledger(); len(got) != 1 || got[0].Amount != 800 {
		t.Fatalf("ledger after restart = %+v", got)
	}
}

func TestBadMACIsRefused(t *testing.T) {
	h := startHost(t)
	// A terminal with another master key cannot read the working keys of
	// its sign-on: their check values do not match, and nothing is sent.
	l := dial(t, h.Addr(), acquirer.LinkOptions{MasterKey: must(hex.DecodeString("FFEEDDCCBBAA99887766554433221100"))})
	if _, err := l.Authorize(context.Background(), saleOf(1000, 1, "T01-m")); !errors.Is(err, acquirer.ErrWorkingKeyKCV) ||
		!errors.Is(err, acquirer.ErrNoSession) {
		t.Fatalf("wrong master key: %v", err)
	}
	if n := len(h.Ledger()); n != 0 {
		t.Fatalf("host recorded %d entries for a message it could not verify", n)
	}
}

// silentHost accepts connections and reads, and never answers.
func silentHost(t *testing.T, reply func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				for {
					if _, err := acquirer.ReadFrame(c); err != nil {
						return
					}
					reply(c)
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestNoAnswerIsATimeout(t *testing.T) {
	addr := silentHost(t, func(net.Conn) {})
	l := dial(t, addr, acquirer.LinkOptions{SendTimeout: 300 * time.Millisecond})
	if _, err := l.Authorize(context.Background(), saleOf(1000, 1, "T01-t")); !errors.Is(err, acquirer.ErrTimeout) {
		t.Fatalf("silent host: %v", err)
	}
}

func TestMalformedAnswersAreErrors(t *testing.T) {
	for name, answer := range map[string][]byte{
		"garbage":   []byte("this is not ISO 8583"),
		"truncated": []byte("0210F23"),
		"bad len":   {0xff},
		"cut short": nil,
	} {
		t.Run(name, func(t *testing.T) {
			addr := silentHost(t, func(c net.Conn) {
				switch name {
				case "bad len":
					c.Write([]byte{0xff, 0xff, 0x00})
					return
				case "cut short":
					c.Write([]byte{0, 80, '0', '2', '1', '0'})
					c.Close()
					return
				}
				acquirer.WriteFrame(c, answer)
			})
			// No waiting for the send timeout: the unreadable answer ends
			// the request at once, as a reason to reverse it.
			l := dial(t, addr, acquirer.LinkOptions{SendTimeout: time.Minute})
			if _, err := l.Authorize(context.Background(), saleOf(1000, 1, "T01-g")); !errors.Is(err, acquirer.ErrBadAnswer) {
				t.Fatalf("malformed answer: %v", err)
			}
		})
	}
}

func TestDialRefused(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if _, err := acquirer.Dial(context.Background(), addr, term, acquirer.LinkOptions{MasterKey: tmk, ConnectTimeout: time.Second}); err == nil {
		t.Fatal("connected to a closed port")
	}
}

// BenchmarkAuthorize is one 0200/0210 round trip to the simulated host on
// loopback: build, sign, frame, send, verify, check; the host keeps its
// ledger in memory, so the figure is the protocol's, not the disk's.
func BenchmarkAuthorize(b *testing.B) {
	h, err := simhost.Start(simhost.Options{MasterKey: tmk})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	l := dial(b, h.Addr(), acquirer.LinkOptions{})
	if err := l.SignOn(context.Background()); err != nil {
		b.Fatal(err)
	}
	stan := 0
	for b.Loop() {
		stan = stan%999999 + 1
		if _, err := l.Authorize(context.Background(), saleOf(1000, stan, "")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawEcho sends the same bytes as BenchmarkAuthorize's request to a
// TCP echo on loopback and reads them back: the baseline of the network.
func BenchmarkRawEcho(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		for {
			m, err := acquirer.ReadFrame(c)
			if err != nil || acquirer.WriteFrame(c, m) != nil {
				return
			}
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	m, _ := saleOf(1000, 1, "").Build(term)
	msg, err := acquirer.PackSigned(m, mustKey("0123456789abcdef"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := acquirer.WriteFrame(c, msg); err != nil {
			b.Fatal(err)
		}
		if _, err := acquirer.ReadFrame(c); err != nil {
			b.Fatal(err)
		}
	}
}
