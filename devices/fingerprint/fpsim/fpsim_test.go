package fpsim_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/devices/fingerprint/fpsim"
)

func TestCharFile(t *testing.T) {
	a, b := fpsim.CharFile("alice"), fpsim.CharFile("alice")
	if len(a) != fpsim.CharSize || !bytes.Equal(a, b) {
		t.Fatalf("CharFile not deterministic or %d bytes", len(a))
	}
	if bytes.Equal(a[:32], fpsim.CharFile("bob")[:32]) {
		t.Fatal("alice and bob share a key")
	}
}

// exchange sends one command and reads the answer.
func exchange(t *testing.T, c net.Conn, content ...byte) (fingerprint.Packet, error) {
	t.Helper()
	b, err := fingerprint.EncodePacket(fingerprint.Packet{Address: fingerprint.DefaultAddress, PID: fingerprint.PIDCommand, Content: content})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
	return fingerprint.ReadPacket(c)
}

func TestServe(t *testing.T) {
	host, dev := net.Pipe()
	sim := fpsim.New(10)
	done := make(chan error, 1)
	go func() { done <- sim.Serve(dev) }()

	p, err := exchange(t, host, fingerprint.InsGenImg)
	if err != nil || p.PID != fingerprint.PIDAck || !bytes.Equal(p.Content, []byte{fingerprint.CodeNoFinger}) {
		t.Errorf("GenImg = %+v, %v", p, err)
	}
	// A command with a bad checksum is answered with "receive error".
	bad := []byte{0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x03, 0x01, 0x00, 0x06}
	host.Write(bad)
	if p, err := fingerprint.ReadPacket(host); err != nil || p.Content[0] != fingerprint.CodeRecvError {
		t.Errorf("bad checksum answer %+v, %v", p, err)
	}
	// Wrong address.
	b, _ := fingerprint.EncodePacket(fingerprint.Packet{Address: 1, PID: fingerprint.PIDCommand, Content: []byte{fingerprint.InsGenImg}})
	host.Write(b)
	if p, err := fingerprint.ReadPacket(host); err != nil || p.Content[0] != fingerprint.CodeBadAddress {
		t.Errorf("wrong address answer %+v, %v", p, err)
	}
	sim.CorruptNext()
	if _, err := exchange(t, host, fingerprint.InsTemplateNum); !errors.Is(err, fingerprint.ErrChecksum) {
		t.Errorf("CorruptNext: %v", err)
	}
	sim.Garbage()
	if _, err := exchange(t, host, fingerprint.InsTemplateNum); !errors.Is(err, fingerprint.ErrBadPacket) {
		t.Errorf("Garbage: %v", err)
	}
	// Drain the rest of the garbage.
	buf := make([]byte, 64)
	io.ReadFull(host, buf[:64-fingerprintMaxJunkRead])
	if p, err := exchange(t, host, fingerprint.InsTemplateNum); err != nil || p.Content[0] != 0 {
		t.Errorf("after garbage %+v, %v", p, err)
	}
	if sim.Commands() != 5 {
		t.Errorf("Commands = %d, want 5", sim.Commands())
	}
	host.Close()
	if err := <-done; err == nil {
		t.Error("Serve returned nil after the connection closed")
	}
}

// fingerprintMaxJunkRead is how many garbage bytes ReadPacket consumes
// before giving up: the junk allowance plus the byte that exceeds it.
const fingerprintMaxJunkRead = 9
