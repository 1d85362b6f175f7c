// Package nfctest gives tests a running pcscd with the vsmartcard virtual
// readers (Debian packages pcscd and vsmartcard-vpcd), starting the daemon
// when none runs, as on a build machine without an init system.
package nfctest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ebfe/scard"

	"github.com/till-pos/till/devices/nfc/vpcd"
)

// Names of the two virtual readers and the addresses their card side listens
// on.
const (
	Reader0 = "Virtual PCD 00 00"
	Reader1 = "Virtual PCD 00 01"
	Addr0   = "127.0.0.1:35963"
	Addr1   = "127.0.0.1:35964"
)

// ContactlessATR is the ATR PC/SC part 3 gives an ISO 14443-4 card without
// historical bytes.
var ContactlessATR = []byte{0x3B, 0x80, 0x80, 0x01, 0x01}

// PCSCD is the daemon started when none is running.
var PCSCD = "/usr/sbin/pcscd"

// StartTimeout bounds the wait for the virtual readers after pcscd was
// started.
var StartTimeout = 15 * time.Second

// EnsurePCSCD makes sure pcscd runs and lists both virtual readers, starting
// the daemon when needed. It fails the test (never skips it) when this is not
// possible. Test processes of several packages may call it at the same time.
// A missing pcscd is started only by the holder of the readers (LockReaders):
// a test that stopped pcscd on purpose holds them, and no other process
// brings the service back behind its back.
func EnsurePCSCD(t testing.TB) {
	t.Helper()
	if readersReady() == nil {
		return
	}
	if !holdsReaders() {
		unlock, err := LockReaders()
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		if readersReady() == nil {
			return // another process started it meanwhile
		}
	}
	if _, err := os.Stat(PCSCD); err != nil {
		t.Fatalf("nfctest: pcscd not running and %s missing (apt-get install pcscd vsmartcard-vpcd libpcsclite-dev): %v", PCSCD, err)
	}
	if _, err := os.Stat("/etc/reader.conf.d/vpcd"); err != nil {
		t.Fatalf("nfctest: virtual reader driver not configured (apt-get install vsmartcard-vpcd): %v", err)
	}
	// A pcscd that runs without the virtual readers (started before
	// vsmartcard-vpcd was installed) is left alone: say so below.
	running := pcscdRunning()
	if !running {
		// pcscd daemonises: Run returns once the parent has forked.
		out, err := exec.Command(PCSCD).CombinedOutput()
		if err != nil {
			t.Logf("nfctest: %s: %v %s", PCSCD, err, out)
		}
	}

	deadline := time.Now().Add(StartTimeout)
	for {
		err := readersReady()
		if err == nil {
			warmUp(t, deadline)
			return
		}
		if time.Now().After(deadline) {
			if running {
				t.Fatalf("nfctest: pcscd runs but does not list %q and %q after %v (restart it after installing vsmartcard-vpcd): %v",
					Reader0, Reader1, StartTimeout, err)
			}
			t.Fatalf("nfctest: started %s but readers %q and %q did not appear within %v: %v",
				PCSCD, Reader0, Reader1, StartTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readersReady checks that pcscd answers and lists both virtual readers.
func readersReady() error {
	c, err := scard.EstablishContext()
	if err != nil {
		return err
	}
	defer c.Release()
	readers, err := c.ListReaders()
	if err != nil {
		return err
	}
	for _, r := range []string{Reader0, Reader1} {
		if !slices.Contains(readers, r) {
			return fmt.Errorf("reader %q missing from %q", r, readers)
		}
	}
	return nil
}

// pcscdRunning reports whether a pcscd process exists.
func pcscdRunning() bool {
	err := exec.Command("pidof", "pcscd").Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return false
	}
	return err == nil
}

// WaitPresent waits, at most timeout, until pcscd reports a card in reader,
// and returns pcscd's card event counter for the reader at that moment.
// Pass it to WaitRemoval after taking the card out.
func WaitPresent(t testing.TB, reader string, timeout time.Duration) uint16 {
	t.Helper()
	var counter uint16
	waitState(t, reader, timeout, "a card", func(ev scard.StateFlag) bool {
		counter = uint16(ev >> 16)
		return ev&scard.StatePresent != 0
	})
	return counter
}

// WaitRemoval waits, at most timeout, until pcscd's status thread has seen
// the card that was present at event count since leave reader.
//
// Waiting for the reader to look empty is not enough with pcsc-lite 1.9:
// a transmission or a reset that fails because the card has gone marks the
// reader empty at once, while the status thread, which polls the virtual
// reader every 400 ms, still believes the card is there. A card inserted
// before that thread's next poll is then never reported. The thread counts
// every insertion and removal it sees; a changed count proves it noticed.
func WaitRemoval(t testing.TB, reader string, since uint16, timeout time.Duration) {
	t.Helper()
	waitState(t, reader, timeout, "the removal to be noticed", func(ev scard.StateFlag) bool {
		return ev&scard.StatePresent == 0 && uint16(ev>>16) != since
	})
}

// WaitEmpty waits, at most timeout, until reader reports no card. See
// WaitRemoval for why this may be too early to insert the next card.
func WaitEmpty(t testing.TB, reader string, timeout time.Duration) {
	t.Helper()
	waitState(t, reader, timeout, "an empty reader", func(ev scard.StateFlag) bool {
		return ev&scard.StatePresent == 0
	})
}

// waitState waits with GetStatusChange until done accepts the reader's
// event state, failing the test after timeout.
func waitState(t testing.TB, reader string, timeout time.Duration, what string, done func(scard.StateFlag) bool) {
	t.Helper()
	c, err := scard.EstablishContext()
	if err != nil {
		t.Fatalf("nfctest: establish context: %v", err)
	}
	defer c.Release()
	states := []scard.ReaderState{{Reader: reader, CurrentState: scard.StateUnaware}}
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			t.Fatalf("nfctest: %q: no %s after %v (state %#x)", reader, what, timeout, uint32(states[0].EventState))
		}
		err := c.GetStatusChange(states, left)
		if errors.Is(err, scard.ErrTimeout) {
			continue
		}
		if err != nil {
			t.Fatalf("nfctest: status of %q: %v", reader, err)
		}
		ev := states[0].EventState
		if ev&scard.StateUnknown != 0 {
			t.Fatalf("nfctest: reader %q unknown", reader)
		}
		if done(ev) {
			return
		}
		states[0].CurrentState = ev &^ scard.StateChanged
	}
}

// held counts this process's holds on the readers lock.
var held struct {
	sync.Mutex
	n int
}

func holdsReaders() bool {
	held.Lock()
	defer held.Unlock()
	return held.n > 0
}

// LockReaders gives the calling test process the virtual readers to itself
// until unlock: test binaries of several packages run at once, and two of
// them inserting cards on one reader would see each other's cards. It
// blocks while another process holds them.
func LockReaders() (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "nfctest-readers.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("nfctest: readers lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("nfctest: readers lock: %w", err)
	}
	held.Lock()
	held.n++
	held.Unlock()
	return func() {
		held.Lock()
		held.n--
		held.Unlock()
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// StopPCSCD stops pcscd (SIGTERM, then waits for it to exit), as a reader
// service that goes away or a reader pulled out would look to a program
// using it. Call it while holding LockReaders; EnsurePCSCD starts it again.
func StopPCSCD(t testing.TB) {
	t.Helper()
	out, err := exec.Command("pidof", "pcscd").Output()
	if err != nil {
		t.Fatalf("nfctest: pcscd is not running: %v", err)
	}
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("nfctest: pidof pcscd: %q", out)
		}
		pids = append(pids, pid)
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
			t.Fatalf("nfctest: stop pcscd %d: %v", pid, err)
		}
	}
	deadline := time.Now().Add(StartTimeout)
	for _, pid := range pids {
		for syscall.Kill(pid, 0) == nil {
			if time.Now().After(deadline) {
				t.Fatalf("nfctest: pcscd %d did not stop", pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// echoCard answers 90 00 to every command.
type echoCard struct{}

func (echoCard) ATR() []byte             { return ContactlessATR }
func (echoCard) Respond(_ []byte) []byte { return []byte{0x90, 0x00} }

// WarmUp makes sure both virtual readers exchange APDUs now, as a
// package's first test needs after another package had the daemon (and
// maybe restarted it). Call it while holding LockReaders.
func WarmUp(t testing.TB) {
	t.Helper()
	warmUp(t, time.Now().Add(StartTimeout))
}

// warmUp taps a card on each virtual reader of a pcscd just started until
// an exchange succeeds: the first exchanges on a fresh daemon's virtual
// reader can fail ("Transaction failed") while its driver settles, which
// must not fail the first test that happens to run then.
func warmUp(t testing.TB, deadline time.Time) {
	t.Helper()
	for _, r := range []struct{ reader, addr string }{{Reader0, Addr0}, {Reader1, Addr1}} {
		for attempt := 1; ; attempt++ {
			err := exchangeOnce(t, r.reader, r.addr)
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("nfctest: %q does not exchange APDUs after pcscd started: %v", r.reader, err)
			}
			t.Logf("nfctest: warming up %q, attempt %d: %v", r.reader, attempt, err)
		}
	}
}

// exchangeOnce inserts an echo card, connects and sends one command, then
// removes the card and waits for the reader to be empty.
func exchangeOnce(t testing.TB, reader, addr string) error {
	in, err := vpcd.Insert(context.Background(), addr, echoCard{})
	if err != nil {
		return err
	}
	defer func() {
		in.Remove()
		WaitEmpty(t, reader, StartTimeout)
	}()
	WaitPresent(t, reader, StartTimeout)
	c, err := scard.EstablishContext()
	if err != nil {
		return err
	}
	defer c.Release()
	card, err := c.Connect(reader, scard.ShareShared, scard.ProtocolAny)
	if err != nil {
		return err
	}
	defer card.Disconnect(scard.LeaveCard)
	_, err = card.Transmit([]byte{0x00, 0xA4, 0x04, 0x00, 0x00})
	return err
}

// Insert puts card on virtual reader 00 until the test ends, and waits
// until the reader sees it; at the end the card leaves and the reader is
// seen empty again.
func Insert(t testing.TB, card vpcd.Card) *vpcd.Inserted {
	t.Helper()
	in, err := vpcd.Insert(context.Background(), Addr0, card)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Remove()
		WaitEmpty(t, Reader0, 10*time.Second)
	})
	WaitPresent(t, Reader0, 10*time.Second)
	return in
}
