package vpcd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"
)

const bound = 10 * time.Second

var atr = []byte{0x3B, 0x80, 0x80, 0x01, 0x01}

// echoCard answers 9000 to everything and echoes the data of 00 EE xx xx Lc.
type echoCard struct{}

func (echoCard) ATR() []byte { return atr }

func (echoCard) Respond(apdu []byte) []byte {
	if len(apdu) > 5 && apdu[0] == 0x00 && apdu[1] == 0xEE {
		return append(append([]byte{}, apdu[5:]...), 0x90, 0x00)
	}
	return []byte{0x90, 0x00}
}

// reader is the driver's side of one slot: it accepts one card.
func reader(t *testing.T) (addr string, accept func() net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l.Addr().String(), func() net.Conn {
		t.Helper()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		_ = c.SetDeadline(time.Now().Add(bound))
		return c
	}
}

func exchange(t *testing.T, c net.Conn, p []byte) []byte {
	t.Helper()
	if err := WriteFrame(c, p); err != nil {
		t.Fatal(err)
	}
	r, err := ReadFrame(c)
	if err != nil {
		t.Fatalf("reply to % X: %v", p, err)
	}
	return r
}

func TestProtocol(t *testing.T) {
	addr, accept := reader(t)
	in, err := Insert(context.Background(), addr, echoCard{})
	if err != nil {
		t.Fatal(err)
	}
	c := accept()

	// Controls without a reply, then GET ATR: the ATR must be the next
	// frame, proving nothing was sent for the others.
	for _, ctrl := range []byte{CtrlPowerOn, CtrlReset, CtrlPowerOff, 3} {
		if err := WriteFrame(c, []byte{ctrl}); err != nil {
			t.Fatal(err)
		}
	}
	if got := exchange(t, c, []byte{CtrlGetATR}); !bytes.Equal(got, atr) {
		t.Fatalf("ATR = % X", got)
	}
	if got := exchange(t, c, []byte{0x00, 0xEE, 0x00, 0x00, 0x02, 0xAB, 0xCD}); !bytes.Equal(got, []byte{0xAB, 0xCD, 0x90, 0x00}) {
		t.Fatalf("echo = % X", got)
	}
	if got := exchange(t, c, []byte{0x00, 0xA4, 0x04, 0x00}); !bytes.Equal(got, []byte{0x90, 0x00}) {
		t.Fatalf("SELECT = % X", got)
	}
	if in.APDUs() != 2 {
		t.Errorf("APDUs() = %d", in.APDUs())
	}
	if err := in.Remove(); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := ReadFrame(c); err != io.EOF {
		t.Errorf("reader read after Remove: %v, want EOF", err)
	}
	if err := in.Remove(); err != nil {
		t.Errorf("second Remove: %v", err)
	}
}

func TestRemoveAfter(t *testing.T) {
	addr, accept := reader(t)
	in, err := Insert(context.Background(), addr, echoCard{})
	if err != nil {
		t.Fatal(err)
	}
	c := accept()
	in.RemoveAfter(2)
	for range 2 {
		exchange(t, c, []byte{0x00, 0xB2, 0x01, 0x0C, 0x00})
	}
	// Controls still work: the card only leaves on the next APDU.
	exchange(t, c, []byte{CtrlGetATR})
	if err := WriteFrame(c, []byte{0x00, 0xB2, 0x02, 0x0C, 0x00}); err != nil {
		t.Fatal(err)
	}
	if p, err := ReadFrame(c); err == nil {
		t.Fatalf("card answered % X after its limit", p)
	}
	select {
	case <-in.Done():
	case <-time.After(bound):
		t.Fatal("session did not end")
	}
	if in.Err() != nil || in.Remove() != nil {
		t.Errorf("Err() = %v after RemoveAfter", in.Err())
	}
	if in.APDUs() != 2 {
		t.Errorf("APDUs() = %d", in.APDUs())
	}
}

// A stutter breaks the answer off with a TCP reset, and the card is back
// at once on a new connection with the same ATR; the stuttered APDUs never
// reach the card.
func TestStutterAfter(t *testing.T) {
	addr, accept := reader(t)
	in, err := Insert(context.Background(), addr, echoCard{})
	if err != nil {
		t.Fatal(err)
	}
	c := accept()
	in.StutterAfter(1, 2)
	echo := []byte{0x00, 0xEE, 0x00, 0x00, 0x01, 0x42}
	if got := exchange(t, c, echo); !bytes.Equal(got, []byte{0x42, 0x90, 0x00}) {
		t.Fatalf("echo before the stutters = % X", got)
	}
	for i := 1; i <= 2; i++ {
		if err := WriteFrame(c, echo); err != nil {
			t.Fatal(err)
		}
		if p, err := ReadFrame(c); !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("stutter %d: read % X, %v; want the connection reset", i, p, err)
		}
		// The card is back, the same card.
		c = accept()
		if got := exchange(t, c, []byte{CtrlGetATR}); !bytes.Equal(got, atr) {
			t.Fatalf("ATR after stutter %d = % X", i, got)
		}
		if in.Stutters() != i {
			t.Fatalf("Stutters() = %d after stutter %d", in.Stutters(), i)
		}
	}
	if got := exchange(t, c, echo); !bytes.Equal(got, []byte{0x42, 0x90, 0x00}) {
		t.Fatalf("echo after the stutters = % X", got)
	}
	if in.APDUs() != 2 || in.Stutters() != 2 {
		t.Errorf("APDUs() = %d, Stutters() = %d; want 2 and 2", in.APDUs(), in.Stutters())
	}
	select {
	case <-in.Done():
		t.Fatalf("session ended: %v", in.Err())
	default:
	}
	if err := in.Remove(); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := ReadFrame(c); err != io.EOF {
		t.Errorf("reader read after Remove: %v, want EOF", err)
	}
}

// A card removed after a stutter leaves the field: the connection it made
// again is closed too.
func TestRemoveAfterAStutter(t *testing.T) {
	addr, accept := reader(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in, err := Insert(ctx, addr, echoCard{})
	if err != nil {
		t.Fatal(err)
	}
	c := accept()
	in.StutterAfter(0, 1)
	if err := WriteFrame(c, []byte{0x00, 0xA4, 0x04, 0x00}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFrame(c); err == nil {
		t.Fatal("a stuttered APDU was answered")
	}
	if err := in.Remove(); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	c = accept()
	if p, err := ReadFrame(c); err != io.EOF {
		t.Errorf("reader read after Remove: % X, %v; want EOF", p, err)
	}
}

func TestContextRemovesCard(t *testing.T) {
	addr, accept := reader(t)
	ctx, cancel := context.WithCancel(context.Background())
	in, err := Insert(ctx, addr, echoCard{})
	if err != nil {
		t.Fatal(err)
	}
	c := accept()
	exchange(t, c, []byte{CtrlGetATR})
	cancel()
	select {
	case <-in.Done():
	case <-time.After(bound):
		t.Fatal("session did not end after cancel")
	}
	if err := in.Err(); err != nil {
		t.Errorf("Err() = %v", err)
	}
}

func TestReaderHangsUp(t *testing.T) {
	addr, accept := reader(t)
	in, err := Insert(context.Background(), addr, echoCard{})
	if err != nil {
		t.Fatal(err)
	}
	accept().Close()
	select {
	case <-in.Done():
	case <-time.After(bound):
		t.Fatal("session did not end")
	}
	if err := in.Err(); !errors.Is(err, io.EOF) {
		t.Errorf("Err() = %v, want EOF", err)
	}
	if err := in.Remove(); !errors.Is(err, io.EOF) {
		t.Errorf("Remove() = %v, want EOF", err)
	}
}

func TestInsertNoReader(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	if _, err := Insert(context.Background(), addr, echoCard{}); err == nil {
		t.Fatal("Insert into a closed port succeeded")
	}
}

func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	big := bytes.Repeat([]byte{0x5A}, MaxFrame)
	for _, p := range [][]byte{{}, {4}, {1, 2, 3}, big} {
		if err := WriteFrame(&buf, p); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFrame(&buf)
		if err != nil || !bytes.Equal(got, p) {
			t.Fatalf("round trip of %d bytes: %d bytes, %v", len(p), len(got), err)
		}
	}
	if err := WriteFrame(&buf, make([]byte, MaxFrame+1)); !errors.Is(err, ErrFrameTooLong) {
		t.Errorf("oversized frame: %v", err)
	}
	if _, err := ReadFrame(bytes.NewReader([]byte{0x00, 0x05, 1, 2})); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated frame: %v", err)
	}
	if _, err := ReadFrame(bytes.NewReader([]byte{0x00})); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated header: %v", err)
	}
}

type rw struct {
	io.Reader
	io.Writer
}

// FuzzFrames feeds arbitrary bytes, as if from the reader, to the protocol
// loop: it must neither panic nor hang, and each reply must be a well-formed
// frame.
func FuzzFrames(f *testing.F) {
	f.Add([]byte{0x00, 0x01, 0x04})
	f.Add([]byte{0x00, 0x01, 0x01, 0x00, 0x01, 0x04, 0x00, 0x05, 0x00, 0xA4, 0x04, 0x00, 0x00})
	f.Add([]byte{0x00, 0x00, 0x00, 0x01, 0x02})
	f.Add([]byte{0xFF, 0xFF, 0x01})
	f.Add([]byte{0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		err := Serve(rw{bytes.NewReader(data), &out}, echoCard{})
		if err == nil {
			t.Fatal("Serve ended without an error")
		}
		for out.Len() > 0 {
			if _, err := ReadFrame(&out); err != nil {
				t.Fatalf("malformed reply: %v", err)
			}
		}
	})
}
