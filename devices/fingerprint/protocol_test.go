package fingerprint_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/devices/fingerprint/fpsim"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Test vectors of PROTOCOLS.md §3.5 (address FFFFFFFF).
var commandVectors = []struct {
	name    string
	content []byte
	wire    string
}{
	{"VfyPwd(0)", []byte{0x13, 0, 0, 0, 0}, "EF 01 FF FF FF FF 01 00 07 13 00 00 00 00 00 1B"},
	{"GenImg", []byte{0x01}, "EF 01 FF FF FF FF 01 00 03 01 00 05"},
	{"Img2Tz(1)", []byte{0x02, 0x01}, "EF 01 FF FF FF FF 01 00 04 02 01 00 08"},
	{"Img2Tz(2)", []byte{0x02, 0x02}, "EF 01 FF FF FF FF 01 00 04 02 02 00 09"},
	{"RegModel", []byte{0x05}, "EF 01 FF FF FF FF 01 00 03 05 00 09"},
	{"Store(1,1)", []byte{0x06, 0x01, 0x00, 0x01}, "EF 01 FF FF FF FF 01 00 06 06 01 00 01 00 0F"},
	{"Match", []byte{0x03}, "EF 01 FF FF FF FF 01 00 03 03 00 07"},
	{"Search(1,0,A3)", []byte{0x04, 0x01, 0x00, 0x00, 0x00, 0xA3}, "EF 01 FF FF FF FF 01 00 08 04 01 00 00 00 A3 00 B1"},
	{"TempleteNum", []byte{0x1D}, "EF 01 FF FF FF FF 01 00 03 1D 00 21"},
	{"ReadSysPara", []byte{0x0F}, "EF 01 FF FF FF FF 01 00 03 0F 00 13"},
	{"Empty", []byte{0x0D}, "EF 01 FF FF FF FF 01 00 03 0D 00 11"},
}

var ackVectors = []struct {
	name    string
	content []byte
	wire    string
}{
	{"ACK OK", []byte{0x00}, "EF 01 FF FF FF FF 07 00 03 00 00 0A"},
	{"ACK no finger", []byte{0x02}, "EF 01 FF FF FF FF 07 00 03 02 00 0C"},
	{"Search hit id5 sc80", []byte{0x00, 0x00, 0x05, 0x00, 0x50}, "EF 01 FF FF FF FF 07 00 07 00 00 05 00 50 00 63"},
	{"TempleteNum = 3", []byte{0x00, 0x00, 0x03}, "EF 01 FF FF FF FF 07 00 05 00 00 03 00 0F"},
}

func TestVectors(t *testing.T) {
	check := func(name string, pid byte, content []byte, wire string) {
		want := unhex(t, wire)
		p := fingerprint.Packet{Address: fingerprint.DefaultAddress, PID: pid, Content: content}
		got, err := fingerprint.EncodePacket(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: EncodePacket = % X, %v; want % X", name, got, err, want)
		}
		if sum := p.Checksum(); sum != uint16(want[len(want)-2])<<8|uint16(want[len(want)-1]) {
			t.Errorf("%s: Checksum = %04X", name, sum)
		}
		back, err := fingerprint.ReadPacket(bytes.NewReader(want))
		if err != nil || back.Address != p.Address || back.PID != pid || !bytes.Equal(back.Content, content) {
			t.Errorf("%s: ReadPacket = %+v, %v", name, back, err)
		}
	}
	for _, v := range commandVectors {
		check(v.name, fingerprint.PIDCommand, v.content, v.wire)
	}
	for _, v := range ackVectors {
		check(v.name, fingerprint.PIDAck, v.content, v.wire)
	}
}

// recorder keeps a copy of every packet written through it.
type recorder struct {
	net.Conn
	mu    sync.Mutex
	wrote bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.mu.Lock()
	r.wrote.Write(b)
	r.mu.Unlock()
	return r.Conn.Write(b)
}

func (r *recorder) take() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := bytes.Clone(r.wrote.Bytes())
	r.wrote.Reset()
	return b
}

// TestDriverWritesVectors checks the bytes the driver sends, and the bytes
// the simulator answers, against the documented vectors.
func TestDriverWritesVectors(t *testing.T) {
	host, dev := net.Pipe()
	hostRec := &recorder{Conn: host}
	devRec := &recorder{Conn: dev}
	sim := fpsim.New(0xA3)
	done := make(chan error, 1)
	go func() { done <- sim.Serve(devRec) }()
	m := fingerprint.New(hostRec)
	defer func() {
		m.Close()
		dev.Close()
		<-done
	}()

	want := func(i int, answer string) {
		t.Helper()
		v := commandVectors[i]
		if got := hostRec.take(); !bytes.Equal(got, unhex(t, v.wire)) {
			t.Errorf("%s sent % X, want %s", v.name, got, v.wire)
		}
		if answer != "" {
			if got := devRec.take(); !bytes.Equal(got, unhex(t, answer)) {
				t.Errorf("%s answered % X, want %s", v.name, got, answer)
			}
		} else {
			devRec.take()
		}
	}
	noErr := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	noErr(m.VerifyPassword(0))
	want(0, ackVectors[0].wire)
	if err := m.GenImage(); !errors.Is(err, fingerprint.ErrNoFinger) {
		t.Fatalf("GenImage without finger: %v", err)
	}
	want(1, ackVectors[1].wire)
	sim.PlaceFinger("alice")
	noErr(m.GenImage())
	want(1, ackVectors[0].wire)
	noErr(m.Img2Tz(1))
	want(2, ackVectors[0].wire)
	noErr(m.Img2Tz(2))
	want(3, ackVectors[0].wire)
	noErr(m.RegModel())
	want(4, ackVectors[0].wire)
	noErr(m.Store(1, 1))
	want(5, ackVectors[0].wire)
	_, err := m.Match()
	noErr(err)
	want(6, "")
	page, _, err := m.Search(1, 0, 0xA3)
	noErr(err)
	if page != 1 {
		t.Errorf("Search page = %d, want 1", page)
	}
	want(7, "")
	noErr(sim.Preload(2, "bob"))
	noErr(sim.Preload(3, "carol"))
	n, err := m.TemplateCount()
	noErr(err)
	if n != 3 {
		t.Errorf("TemplateCount = %d, want 3", n)
	}
	want(8, ackVectors[3].wire)
	_, err = m.ReadSysParams()
	noErr(err)
	want(9, "")
	noErr(m.Empty())
	want(10, ackVectors[0].wire)
	if got := m.RoundTrips(); got != 12 {
		t.Errorf("RoundTrips = %d, want 12", got)
	}
}

func TestReadPacketErrors(t *testing.T) {
	ok := unhex(t, ackVectors[0].wire)
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, io.EOF},
		{"junk then packet", append([]byte{0x55, 0xEF, 0x00}, ok...), nil},
		{"only junk", bytes.Repeat([]byte{0x55}, 20), fingerprint.ErrBadPacket},
		{"short junk", []byte{0x55, 0x55}, fingerprint.ErrBadPacket},
		{"truncated header", ok[:5], fingerprint.ErrBadPacket},
		{"truncated body", ok[:10], fingerprint.ErrBadPacket},
		{"bad checksum", append(bytes.Clone(ok[:11]), ok[11]^1), fingerprint.ErrChecksum},
		{"bad pid", unhex(t, "EF 01 FF FF FF FF 05 00 03 00 00 08"), fingerprint.ErrBadPacket},
		{"length 1", unhex(t, "EF 01 FF FF FF FF 07 00 01 00"), fingerprint.ErrBadPacket},
		{"length too long", unhex(t, "EF 01 FF FF FF FF 07 FF FF 00"), fingerprint.ErrBadPacket},
	}
	for _, c := range cases {
		_, err := fingerprint.ReadPacket(bytes.NewReader(c.in))
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := fingerprint.EncodePacket(fingerprint.Packet{Content: make([]byte, 257)}); !errors.Is(err, fingerprint.ErrBadPacket) {
		t.Errorf("EncodePacket of 257 bytes: %v", err)
	}
}

func TestConfirmationError(t *testing.T) {
	for code := 0; code < 0x100; code++ {
		e := fingerprint.ConfirmationError{Code: byte(code)}
		if e.Message() == "" || !strings.Contains(e.Error(), e.Message()) {
			t.Errorf("code %02X: %q", code, e.Error())
		}
	}
	if m := (fingerprint.ConfirmationError{Code: 0x0A}).Message(); !strings.Contains(m, "combine") {
		t.Errorf("0x0A message %q", m)
	}
	if !errors.Is(fingerprint.ConfirmationError{Code: 0x02}, fingerprint.ErrNoFinger) ||
		!errors.Is(fingerprint.ConfirmationError{Code: 0x09}, fingerprint.ErrNoMatch) ||
		errors.Is(fingerprint.ConfirmationError{Code: 0x0A}, fingerprint.ErrNoMatch) {
		t.Error("ConfirmationError.Is")
	}
}

func FuzzReadPacket(f *testing.F) {
	for _, v := range commandVectors {
		f.Add(unhex(f, v.wire))
	}
	for _, v := range ackVectors {
		f.Add(unhex(f, v.wire))
	}
	f.Add([]byte{0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x02})
	f.Add([]byte{0x00, 0xEF, 0xEF, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for range 64 {
			p, err := fingerprint.ReadPacket(r)
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, fingerprint.ErrBadPacket) && !errors.Is(err, fingerprint.ErrChecksum) {
					t.Fatalf("unexpected error %v", err)
				}
				if errors.Is(err, io.EOF) {
					return
				}
				continue
			}
			if len(p.Content) > fingerprint.MaxContent {
				t.Fatalf("content of %d bytes", len(p.Content))
			}
			enc, err := fingerprint.EncodePacket(p)
			if err != nil {
				t.Fatal(err)
			}
			again, err := fingerprint.ReadPacket(bytes.NewReader(enc))
			if err != nil || again.Address != p.Address || again.PID != p.PID || !bytes.Equal(again.Content, p.Content) {
				t.Fatalf("re-read %+v, %v; want %+v", again, err, p)
			}
		}
	})
}
