package nfc_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ebfe/scard"

	"github.com/till-pos/till/devices/nfc"
	"github.com/till-pos/till/devices/nfc/nfctest"
	"github.com/till-pos/till/devices/nfc/vpcd"
)

// bound is the longest any test waits for an event before failing; events
// normally arrive within pcscd's presence poll (well under a second).
const bound = 15 * time.Second

var (
	selectPPSE = mustHex("00A404000E325041592E5359532E444446303100")
	ppseFCI    = mustHex("6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000000031010870101" + "9000")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// testCard answers SELECT PPSE with an FCI, GET DATA 9F36 with a tag carrying
// its name, and 9000 to anything else.
type testCard struct{ name string }

func (testCard) ATR() []byte { return slices.Clone(nfctest.ContactlessATR) }

func (c testCard) Respond(apdu []byte) []byte {
	switch {
	case bytes.Equal(apdu, selectPPSE):
		return slices.Clone(ppseFCI)
	case bytes.HasPrefix(apdu, []byte{0x80, 0xCA, 0x9F, 0x36}):
		return append([]byte(c.name), 0x90, 0x00)
	}
	return []byte{0x90, 0x00}
}

var getName = []byte{0x80, 0xCA, 0x9F, 0x36, 0x00}

func TestMain(m *testing.M) {
	if os.Getenv("NFC_TEST_NO_SERVICE") != "" {
		// Child of TestOpenNoService: the socket path points nowhere.
		_, err := nfc.Open()
		if errors.Is(err, nfc.ErrNoService) {
			fmt.Println("NO_SERVICE_OK")
			os.Exit(0)
		}
		fmt.Printf("Open: %v\n", err)
		os.Exit(1)
	}
	unlock, err := nfctest.LockReaders()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	before := runtime.NumGoroutine()
	code := m.Run()
	unlock()
	if code == 0 {
		// Every goroutine started by the package must have ended.
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			fmt.Fprintf(os.Stderr, "goroutine leak: %d > %d\n%s\n", n, before, buf[:runtime.Stack(buf, true)])
			code = 1
		}
	}
	os.Exit(code)
}

// warm is done once per run: the package's first test may follow another
// package's use of the daemon.
var warm sync.Once

func open(t testing.TB) *nfc.Service {
	t.Helper()
	nfctest.EnsurePCSCD(t)
	warm.Do(func() { nfctest.WarmUp(t) })
	s, err := nfc.Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Service.Close: %v", err)
		}
	})
	return s
}

// insert puts a card in the slot at addr and waits until pcscd reports it.
// The cleanup removes the card and waits until pcscd's status thread has
// seen it go, so that the next test starts with an empty reader.
func insert(t testing.TB, addr, reader string, card vpcd.Card) *vpcd.Inserted {
	t.Helper()
	in, err := vpcd.Insert(context.Background(), addr, card)
	if err != nil {
		t.Fatalf("Insert: %v", err)
	}
	counter := nfctest.WaitPresent(t, reader, bound)
	t.Cleanup(func() {
		if err := in.Remove(); err != nil {
			t.Errorf("Remove: %v", err)
		}
		nfctest.WaitRemoval(t, reader, counter, bound)
	})
	return in
}

type result struct {
	card *nfc.Card
	err  error
}

func waitAsync(s *nfc.Service, ctx context.Context, reader string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		c, err := s.WaitForCard(ctx, reader)
		ch <- result{c, err}
	}()
	return ch
}

func receive(t testing.TB, ch <-chan result) (*nfc.Card, error) {
	t.Helper()
	select {
	case r := <-ch:
		if r.card != nil {
			t.Cleanup(func() { _ = r.card.Close() })
		}
		return r.card, r.err
	case <-time.After(bound):
		t.Fatalf("WaitForCard did not return within %v", bound)
		return nil, nil
	}
}

func transmit(t testing.TB, c *nfc.Card, apdu []byte) []byte {
	t.Helper()
	rsp, err := c.Transmit(context.Background(), apdu)
	if err != nil {
		t.Fatalf("Transmit(% X): %v", apdu, err)
	}
	return rsp
}

func TestReaders(t *testing.T) {
	s := open(t)
	readers, err := s.Readers()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{nfctest.Reader0, nfctest.Reader1} {
		if !slices.Contains(readers, r) {
			t.Errorf("Readers() = %q, missing %q", readers, r)
		}
	}
}

func TestWaitForCardTransmit(t *testing.T) {
	s := open(t)
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	in := insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"zero"})

	card, err := receive(t, ch)
	if err != nil {
		t.Fatalf("WaitForCard: %v", err)
	}
	if got := card.ATR(); !bytes.Equal(got, nfctest.ContactlessATR) {
		t.Errorf("ATR = % X, want % X", got, nfctest.ContactlessATR)
	}
	if card.Reader() != nfctest.Reader0 {
		t.Errorf("Reader() = %q", card.Reader())
	}
	if got := transmit(t, card, selectPPSE); !bytes.Equal(got, ppseFCI) {
		t.Errorf("SELECT PPSE → % X, want % X", got, ppseFCI)
	}
	if got := transmit(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, 0x00}); !bytes.Equal(got, []byte{0x90, 0x00}) {
		t.Errorf("READ RECORD → % X, want 90 00", got)
	}
	if in.APDUs() != 2 {
		t.Errorf("card answered %d APDUs, want 2", in.APDUs())
	}
	if err := card.Close(); err != nil {
		t.Errorf("Card.Close: %v", err)
	}
	if err := card.Close(); err != nil {
		t.Errorf("second Card.Close: %v", err)
	}
	if _, err := card.Transmit(context.Background(), selectPPSE); !errors.Is(err, nfc.ErrClosed) {
		t.Errorf("Transmit after Close: %v, want ErrClosed", err)
	}
}

func TestCardAlreadyPresent(t *testing.T) {
	s := open(t)
	insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"early"})
	card, err := receive(t, waitAsync(s, context.Background(), nfctest.Reader0))
	if err != nil {
		t.Fatalf("WaitForCard: %v", err)
	}
	if got := transmit(t, card, getName); string(got) != "early\x90\x00" {
		t.Errorf("GET DATA → %q", got)
	}
}

func TestWaitForCardCancelled(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := waitAsync(s, ctx, nfctest.Reader0)
	// Give the wait a moment to block in GetStatusChange; correctness does
	// not depend on it (a cancel that comes first is honoured too).
	timer := time.AfterFunc(200*time.Millisecond, cancel)
	defer timer.Stop()
	_, err := receive(t, ch)
	if !errors.Is(err, nfc.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitForCard after cancel: %v, want ErrCancelled", err)
	}

	// Already cancelled.
	_, err = receive(t, waitAsync(s, ctx, nfctest.Reader0))
	if !errors.Is(err, nfc.ErrCancelled) {
		t.Fatalf("WaitForCard with cancelled ctx: %v", err)
	}
}

func TestWaitForCardDeadline(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := receive(t, waitAsync(s, ctx, nfctest.Reader0))
	if !errors.Is(err, nfc.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitForCard past deadline: %v, want ErrTimeout", err)
	}
}

func TestServiceCloseCancelsWait(t *testing.T) {
	nfctest.EnsurePCSCD(t)
	s, err := nfc.Open()
	if err != nil {
		t.Fatal(err)
	}
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	timer := time.AfterFunc(200*time.Millisecond, func() { _ = s.Close() })
	defer timer.Stop()
	_, err = receive(t, ch)
	if !errors.Is(err, nfc.ErrCancelled) && !errors.Is(err, nfc.ErrClosed) {
		t.Fatalf("WaitForCard after Service.Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Readers(); !errors.Is(err, nfc.ErrClosed) {
		t.Errorf("Readers after Close: %v", err)
	}
}

func TestNoSuchReader(t *testing.T) {
	s := open(t)
	_, err := receive(t, waitAsync(s, context.Background(), "No Such Reader 00 00"))
	if !errors.Is(err, nfc.ErrNoReader) {
		t.Fatalf("WaitForCard(no such reader): %v, want ErrNoReader", err)
	}
}

func TestCardRemovedMidSession(t *testing.T) {
	s := open(t)
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	in := insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"gone"})
	card, err := receive(t, ch)
	if err != nil {
		t.Fatal(err)
	}
	transmit(t, card, selectPPSE)

	// The card leaves as the next command arrives.
	in.RemoveAfter(0)
	start := time.Now()
	_, err = card.Transmit(context.Background(), selectPPSE)
	t.Logf("Transmit after removal: %v (%v)", err, time.Since(start))
	if !errors.Is(err, nfc.ErrCardRemoved) {
		t.Fatalf("Transmit to a card pulled away mid-APDU: %v, want ErrCardRemoved", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	if err := card.WaitRemoved(ctx); err != nil {
		t.Fatalf("WaitRemoved: %v", err)
	}
	t.Logf("removal seen after %v", time.Since(start))
	_, err = card.Transmit(context.Background(), selectPPSE)
	if !errors.Is(err, nfc.ErrCardRemoved) {
		t.Fatalf("Transmit after WaitRemoved: %v, want ErrCardRemoved", err)
	}
	select {
	case <-in.Done():
	case <-time.After(bound):
		t.Fatal("virtual card session did not end")
	}
}

// A card that stays on the reader while one exchange breaks off: the
// exchange fails as a stutter (a read may start again), not as the card
// leaving, and the reader goes on reporting the same card, which answers
// the next command.
func TestAStutterFailsTheExchangeWhileTheCardStays(t *testing.T) {
	s := open(t)
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	in := insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"shaky"})
	card, err := receive(t, ch)
	if err != nil {
		t.Fatal(err)
	}
	transmit(t, card, selectPPSE)
	events := nfctest.WaitPresent(t, nfctest.Reader0, bound)

	in.StutterAfter(0, 1)
	start := time.Now()
	_, err = card.Transmit(context.Background(), getName)
	t.Logf("Transmit that stuttered: %v (%v)", err, time.Since(start))
	if err == nil {
		t.Fatal("an exchange that broke off succeeded")
	}
	if !nfc.Stuttered(err) || errors.Is(err, nfc.ErrCardRemoved) {
		t.Fatalf("Transmit that stuttered: %v, want a stutter (nfc.Stuttered), not ErrCardRemoved", err)
	}
	// A failed transmission, as a physical reader reports one, rather than
	// the empty answer the driver makes of a connection closed in order.
	if !errors.Is(err, scard.ErrNotTransacted) {
		t.Errorf("Transmit that stuttered: %v, want SCARD_E_NOT_TRANSACTED", err)
	}
	if in.Stutters() != 1 || in.APDUs() != 1 {
		t.Fatalf("card: %d stutters, %d APDUs answered; want 1 and 1", in.Stutters(), in.APDUs())
	}
	// The reader still has the card, and never saw it leave: pcscd's
	// count of card events is the one of the card's arrival.
	if now := nfctest.WaitPresent(t, nfctest.Reader0, bound); now != events {
		t.Fatalf("the reader counted card events %d → %d: it saw the card leave", events, now)
	}
	select {
	case <-in.Done():
		t.Fatalf("the card's session ended: %v", in.Err())
	default:
	}
	// The same connection goes on with the card.
	if got := transmit(t, card, getName); string(got) != "shaky\x90\x00" {
		t.Errorf("GET DATA after the stutter → %q", got)
	}
	if in.Stutters() != 1 || in.APDUs() != 2 {
		t.Errorf("card: %d stutters, %d APDUs answered; want 1 and 2", in.Stutters(), in.APDUs())
	}
}

func TestRemovedBetweenCommands(t *testing.T) {
	s := open(t)
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	in := insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"pulled"})
	card, err := receive(t, ch)
	if err != nil {
		t.Fatal(err)
	}
	transmit(t, card, selectPPSE)
	if err := in.Remove(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = card.Transmit(context.Background(), getName)
	t.Logf("Transmit after removal: %v (%v)", err, time.Since(start))
	if !errors.Is(err, nfc.ErrCardRemoved) {
		t.Fatalf("Transmit after removal: %v, want ErrCardRemoved", err)
	}
	// Later calls fail the same way, at once.
	start = time.Now()
	_, err = card.Transmit(context.Background(), getName)
	t.Logf("second Transmit after removal: %v (%v)", err, time.Since(start))
	if !errors.Is(err, nfc.ErrCardRemoved) {
		t.Fatalf("second Transmit after removal: %v, want ErrCardRemoved", err)
	}
}

func TestWaitRemovedCancelledByClose(t *testing.T) {
	s := open(t)
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"stay"})
	card, err := receive(t, ch)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- card.WaitRemoved(context.Background()) }()
	timer := time.AfterFunc(200*time.Millisecond, func() { _ = card.Close() })
	defer timer.Stop()
	select {
	case err := <-done:
		if !errors.Is(err, nfc.ErrCancelled) && !errors.Is(err, nfc.ErrClosed) {
			t.Fatalf("WaitRemoved after Close: %v", err)
		}
	case <-time.After(bound):
		t.Fatal("WaitRemoved did not return after Close")
	}
}

func TestSecondReaderIndependent(t *testing.T) {
	s := open(t)
	ch0 := waitAsync(s, context.Background(), nfctest.Reader0)
	ch1 := waitAsync(s, context.Background(), nfctest.Reader1)
	insert(t, nfctest.Addr1, nfctest.Reader1, testCard{"one"})
	c1, err := receive(t, ch1)
	if err != nil {
		t.Fatalf("WaitForCard(%s): %v", nfctest.Reader1, err)
	}
	if c1.Reader() != nfctest.Reader1 {
		t.Errorf("card in %q", c1.Reader())
	}
	if got := transmit(t, c1, getName); string(got) != "one\x90\x00" {
		t.Errorf("reader 1 answered %q", got)
	}
	// Reader 0 is still waiting.
	select {
	case r := <-ch0:
		t.Fatalf("WaitForCard(%s) returned without a card: %v", nfctest.Reader0, r.err)
	default:
	}
	insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"zero"})
	c0, err := receive(t, ch0)
	if err != nil {
		t.Fatalf("WaitForCard(%s): %v", nfctest.Reader0, err)
	}
	if got := transmit(t, c0, getName); string(got) != "zero\x90\x00" {
		t.Errorf("reader 0 answered %q", got)
	}
	if got := transmit(t, c1, getName); string(got) != "one\x90\x00" {
		t.Errorf("reader 1 answered %q", got)
	}
}

func TestWatchReaders(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	lists := make(chan []string, 10)
	done := make(chan error, 1)
	go func() {
		done <- s.WatchReaders(ctx, func(r []string) { lists <- r })
	}()
	select {
	case r := <-lists:
		if !slices.Contains(r, nfctest.Reader0) || !slices.Contains(r, nfctest.Reader1) {
			t.Errorf("first list %q lacks the virtual readers", r)
		}
	case <-time.After(bound):
		t.Fatal("WatchReaders did not report the reader list")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, nfc.ErrCancelled) {
			t.Errorf("WatchReaders after cancel: %v", err)
		}
	case <-time.After(bound):
		t.Fatal("WatchReaders did not return after cancel")
	}
}

func TestOpenNoService(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NFC_TEST_NO_SERVICE=1", "PCSCLITE_CSOCK_NAME=/nonexistent/pcscd.comm")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "NO_SERVICE_OK") {
		t.Fatalf("Open without pcscd: %v\n%s", err, out)
	}
}

func TestTransmitRejectsShortAPDU(t *testing.T) {
	s := open(t)
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	insert(t, nfctest.Addr0, nfctest.Reader0, testCard{"short"})
	card, err := receive(t, ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := card.Transmit(context.Background(), nil); err == nil {
		t.Error("Transmit(nil) succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := card.Transmit(ctx, selectPPSE); !errors.Is(err, nfc.ErrCancelled) {
		t.Errorf("Transmit with cancelled ctx: %v", err)
	}
}

func BenchmarkTransmitVirtual(b *testing.B) {
	s := open(b)
	ch := waitAsync(s, context.Background(), nfctest.Reader0)
	insert(b, nfctest.Addr0, nfctest.Reader0, testCard{"bench"})
	card, err := receive(b, ch)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := card.Transmit(ctx, selectPPSE); err != nil {
			b.Fatal(err)
		}
	}
}
