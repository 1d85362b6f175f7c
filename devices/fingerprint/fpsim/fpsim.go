// Package fpsim simulates a ZhianTec ZFM-20 / R307 / AS608 fingerprint module
// for tests and demo mode. It serves the module's UART protocol on any
// io.ReadWriter, typically the master side of a pseudo-terminal whose slave
// is opened with fingerprint.Open (see [Sim.StartPTY]).
//
// Fingers are names. [Sim.PlaceFinger] puts a finger on the sensor and
// [Sim.LiftFinger] takes it away. The character file of a finger is derived
// from its name with SHA-256, so it is the same on every capture; two
// character files or templates match, with a score of at least 100, exactly
// when they come from the same finger. A template enrolled for one finger
// never matches another.
//
// Fault switches make the simulator misbehave for tests: [Sim.CorruptNext]
// spoils the checksum of the next answer, [Sim.Silent] stops answering and
// [Sim.Garbage] answers the next command with random bytes.
package fpsim

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"sync"

	"github.com/till-pos/till/devices/fingerprint"
)

// CharSize is the size of a character file or template.
const CharSize = 512

// keySize is the part of a character file that identifies the finger.
const keySize = 32

// maxDown bounds a DownChar data phase.
const maxDown = 4096

// SystemID is the system identifier code reported by ReadSysPara.
const SystemID = 0x0009

// Sim is a simulated module. Its methods are safe for concurrent use with
// Serve.
type Sim struct {
	mu       sync.Mutex
	addr     uint32
	password uint32
	verified bool
	level    int
	finger   string // finger on the sensor, "" for none
	image    string // finger in the image buffer, "" for none
	buf      [3][]byte
	lib      [][]byte
	down     *downState

	corrupt bool
	silent  bool
	garbage bool
	rng     *rand.Rand

	commands int
}

type downState struct {
	buf  int
	data []byte
}

// New returns a simulated module with room for capacity templates (1000 if
// capacity <= 0), the factory address and password, and no finger.
func New(capacity int) *Sim {
	if capacity <= 0 {
		capacity = 1000
	}
	capacity = min(capacity, 0xFFFF)
	return &Sim{
		addr:     fingerprint.DefaultAddress,
		verified: true,
		level:    3,
		lib:      make([][]byte, capacity),
		rng:      rand.New(rand.NewPCG(1, 2)),
	}
}

// CharFile returns the character file the simulator derives from a finger.
func CharFile(finger string) []byte {
	out := make([]byte, 0, CharSize+sha256.Size)
	key := sha256.Sum256([]byte("fpsim finger " + finger))
	out = append(out, key[:]...)
	for i := uint32(0); len(out) < CharSize; i++ {
		var seed [keySize + 4]byte
		copy(seed[:], key[:])
		binary.BigEndian.PutUint32(seed[keySize:], i)
		h := sha256.Sum256(seed[:])
		out = append(out, h[:]...)
	}
	return out[:CharSize]
}

// score compares two character files or templates: 0 for different fingers,
// 100..199 for the same one.
func score(a, b []byte) int {
	if len(a) < keySize || len(b) < keySize || string(a[:keySize]) != string(b[:keySize]) {
		return 0
	}
	return 100 + int(a[1])%100
}

// PlaceFinger puts the finger with the given name on the sensor, replacing
// any finger already there.
func (s *Sim) PlaceFinger(id string) {
	s.mu.Lock()
	s.finger = id
	s.mu.Unlock()
}

// LiftFinger removes the finger from the sensor.
func (s *Sim) LiftFinger() {
	s.mu.Lock()
	s.finger = ""
	s.mu.Unlock()
}

// SetPassword sets the module password; while it is not 0, every command
// but VfyPwd needs the password verified first.
func (s *Sim) SetPassword(pw uint32) {
	s.mu.Lock()
	s.password = pw
	s.verified = pw == 0
	s.mu.Unlock()
}

// Preload stores the template of a finger at page directly, as if it had
// been enrolled.
func (s *Sim) Preload(page int, finger string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if page < 0 || page >= len(s.lib) {
		return errors.New("fpsim: page out of range")
	}
	s.lib[page] = CharFile(finger)
	return nil
}

// Commands returns the number of command packets received.
func (s *Sim) Commands() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands
}

// CorruptNext makes the next answer carry a wrong checksum.
func (s *Sim) CorruptNext() {
	s.mu.Lock()
	s.corrupt = true
	s.mu.Unlock()
}

// Silent makes the module stop answering (true) or answer again (false).
// Commands are still carried out.
func (s *Sim) Silent(on bool) {
	s.mu.Lock()
	s.silent = on
	s.mu.Unlock()
}

// Garbage makes the module answer the next command with random bytes that
// contain no packet header.
func (s *Sim) Garbage() {
	s.mu.Lock()
	s.garbage = true
	s.mu.Unlock()
}

// Serve answers commands read from rw until reading or writing fails, and
// returns that error (io.EOF at the end of the input).
func (s *Sim) Serve(rw io.ReadWriter) error {
	r := bufio.NewReader(rw)
	for {
		p, err := fingerprint.ReadPacket(r)
		switch {
		case errors.Is(err, fingerprint.ErrChecksum):
			s.mu.Lock()
			out := s.ack(fingerprint.CodeRecvError)
			s.mu.Unlock()
			if err := s.send(rw, out); err != nil {
				return err
			}
			continue
		case errors.Is(err, fingerprint.ErrBadPacket):
			continue // resynchronise on the next header
		case err != nil:
			return err
		}
		s.mu.Lock()
		out := s.handle(p)
		s.mu.Unlock()
		if err := s.send(rw, out); err != nil {
			return err
		}
	}
}

// send writes the answers (already encoded, possibly spoiled).
func (s *Sim) send(w io.Writer, out [][]byte) error {
	for _, b := range out {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sim) encode(pid byte, content []byte) []byte {
	b, _ := fingerprint.EncodePacket(fingerprint.Packet{Address: s.addr, PID: pid, Content: content})
	return b
}

// ack builds the acknowledgement, applying the fault switches. s.mu is held.
func (s *Sim) ack(code byte, params ...byte) [][]byte {
	if s.silent {
		return nil
	}
	if s.garbage {
		s.garbage = false
		g := make([]byte, 64)
		for i := range g {
			g[i] = byte(s.rng.UintN(0xEF)) // never 0xEF: no header
		}
		return [][]byte{g}
	}
	b := s.encode(fingerprint.PIDAck, append([]byte{code}, params...))
	if s.corrupt {
		s.corrupt = false
		b[len(b)-1] ^= 0x5A
	}
	return [][]byte{b}
}

// argLen is the parameter length of each instruction that has parameters.
var argLen = map[byte]int{
	fingerprint.InsImg2Tz: 1, fingerprint.InsSearch: 5, fingerprint.InsHighSpeedSearch: 5,
	fingerprint.InsStore: 3, fingerprint.InsLoadChar: 3, fingerprint.InsUpChar: 1,
	fingerprint.InsDownChar: 1, fingerprint.InsDeleteChar: 4, fingerprint.InsVfyPwd: 4,
}

func u16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }

// handle carries out one packet and returns the answer. s.mu is held.
func (s *Sim) handle(p fingerprint.Packet) [][]byte {
	if p.PID == fingerprint.PIDData || p.PID == fingerprint.PIDEndData {
		return s.downData(p)
	}
	if p.PID != fingerprint.PIDCommand || len(p.Content) == 0 {
		return s.ack(fingerprint.CodeRecvError)
	}
	s.commands++
	s.down = nil
	if p.Address != s.addr {
		return s.ack(fingerprint.CodeBadAddress)
	}
	ins, args := p.Content[0], p.Content[1:]
	if !s.verified && ins != fingerprint.InsVfyPwd {
		return s.ack(fingerprint.CodeNeedPassword)
	}
	if len(args) < argLen[ins] {
		return s.ack(fingerprint.CodeRecvError)
	}
	bufOK := func() (int, bool) {
		b := int(args[0])
		return b, b == 1 || b == 2
	}
	be := binary.BigEndian
	switch ins {
	case fingerprint.InsVfyPwd:
		if be.Uint32(args) != s.password {
			return s.ack(fingerprint.CodeWrongPassword)
		}
		s.verified = true
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsGenImg:
		if s.finger == "" {
			return s.ack(fingerprint.CodeNoFinger)
		}
		s.image = s.finger
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsImg2Tz:
		b, ok := bufOK()
		if !ok {
			return s.ack(fingerprint.CodeRecvError)
		}
		if s.image == "" {
			return s.ack(fingerprint.CodeNoImage)
		}
		s.buf[b] = CharFile(s.image)
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsRegModel:
		if score(s.buf[1], s.buf[2]) == 0 {
			return s.ack(fingerprint.CodeMergeFailed)
		}
		model := append([]byte(nil), s.buf[1]...)
		s.buf[1], s.buf[2] = model, append([]byte(nil), model...)
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsMatch:
		sc := score(s.buf[1], s.buf[2])
		if sc == 0 {
			return s.ack(fingerprint.CodeNoMatch, 0, 0)
		}
		return s.ack(fingerprint.CodeOK, u16(sc)...)
	case fingerprint.InsStore:
		b, ok := bufOK()
		if !ok {
			return s.ack(fingerprint.CodeRecvError)
		}
		page := int(be.Uint16(args[1:]))
		if page >= len(s.lib) {
			return s.ack(fingerprint.CodeBadPage)
		}
		if len(s.buf[b]) == 0 {
			return s.ack(fingerprint.CodeBadTemplate)
		}
		s.lib[page] = append([]byte(nil), s.buf[b]...)
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsSearch, fingerprint.InsHighSpeedSearch:
		b, ok := bufOK()
		if !ok {
			return s.ack(fingerprint.CodeRecvError)
		}
		start, n := int(be.Uint16(args[1:])), int(be.Uint16(args[3:]))
		for page := start; page < start+n && page < len(s.lib); page++ {
			if sc := score(s.buf[b], s.lib[page]); sc > 0 {
				return s.ack(fingerprint.CodeOK, append(u16(page), u16(sc)...)...)
			}
		}
		return s.ack(fingerprint.CodeNotFound, 0, 0, 0, 0)
	case fingerprint.InsLoadChar:
		b, ok := bufOK()
		if !ok {
			return s.ack(fingerprint.CodeRecvError)
		}
		page := int(be.Uint16(args[1:]))
		if page >= len(s.lib) {
			return s.ack(fingerprint.CodeBadPage)
		}
		if s.lib[page] == nil {
			return s.ack(fingerprint.CodeBadTemplate)
		}
		s.buf[b] = append([]byte(nil), s.lib[page]...)
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsUpChar:
		b, ok := bufOK()
		if !ok {
			return s.ack(fingerprint.CodeRecvError)
		}
		if len(s.buf[b]) == 0 {
			return s.ack(fingerprint.CodeUploadFailed)
		}
		faulty := s.silent || s.garbage
		out := s.ack(fingerprint.CodeOK)
		if faulty {
			return out
		}
		data := s.buf[b]
		for len(data) > 0 {
			n := min(fingerprint.DefaultPacketSize, len(data))
			pid := fingerprint.PIDData
			if n == len(data) {
				pid = fingerprint.PIDEndData
			}
			out = append(out, s.encode(pid, data[:n]))
			data = data[n:]
		}
		return out
	case fingerprint.InsDownChar:
		b, ok := bufOK()
		if !ok {
			return s.ack(fingerprint.CodeRecvError)
		}
		s.down = &downState{buf: b}
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsDeleteChar:
		page, n := int(be.Uint16(args)), int(be.Uint16(args[2:]))
		if page+n > len(s.lib) {
			return s.ack(fingerprint.CodeDeleteFailed)
		}
		for i := page; i < page+n; i++ {
			s.lib[i] = nil
		}
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsEmpty:
		clear(s.lib)
		return s.ack(fingerprint.CodeOK)
	case fingerprint.InsTemplateNum:
		n := 0
		for _, t := range s.lib {
			if t != nil {
				n++
			}
		}
		return s.ack(fingerprint.CodeOK, u16(n)...)
	case fingerprint.InsReadSysPara:
		status := 0
		if s.verified {
			status |= 1 << 2
		}
		if s.image != "" {
			status |= 1 << 3
		}
		r := append(u16(status), u16(SystemID)...)
		r = append(r, u16(len(s.lib))...)
		r = append(r, u16(s.level)...)
		r = be.AppendUint32(r, s.addr)
		r = append(r, u16(2)...) // 128-byte packets
		r = append(r, u16(6)...) // 57600 bps
		return s.ack(fingerprint.CodeOK, r...)
	}
	return s.ack(fingerprint.CodeRecvError)
}

// downData collects the data phase of DownChar; the module does not answer
// data packets.
func (s *Sim) downData(p fingerprint.Packet) [][]byte {
	if s.down == nil {
		return nil
	}
	s.down.data = append(s.down.data, p.Content...)
	if len(s.down.data) > maxDown {
		s.down = nil
		return nil
	}
	if p.PID == fingerprint.PIDEndData {
		s.buf[s.down.buf] = s.down.data
		s.down = nil
	}
	return nil
}
