package fingerprint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Packet identifiers (the PID byte).
const (
	PIDCommand byte = 0x01 // command packet, host to module
	PIDData    byte = 0x02 // data packet, more data follows
	PIDAck     byte = 0x07 // acknowledge packet, module to host
	PIDEndData byte = 0x08 // last data packet
)

// Instruction codes (first content byte of a command packet).
const (
	InsGenImg          byte = 0x01
	InsImg2Tz          byte = 0x02
	InsMatch           byte = 0x03
	InsSearch          byte = 0x04
	InsRegModel        byte = 0x05
	InsStore           byte = 0x06
	InsLoadChar        byte = 0x07
	InsUpChar          byte = 0x08
	InsDownChar        byte = 0x09
	InsUpImage         byte = 0x0A
	InsDownImage       byte = 0x0B
	InsDeleteChar      byte = 0x0C
	InsEmpty           byte = 0x0D
	InsSetSysPara      byte = 0x0E
	InsReadSysPara     byte = 0x0F
	InsSetPwd          byte = 0x12
	InsVfyPwd          byte = 0x13
	InsGetRandomCode   byte = 0x14
	InsSetAddr         byte = 0x15
	InsHighSpeedSearch byte = 0x1B
	InsTemplateNum     byte = 0x1D
	InsReadConList     byte = 0x1F
)

// Confirmation codes (first content byte of an acknowledge packet).
const (
	CodeOK             byte = 0x00
	CodeRecvError      byte = 0x01
	CodeNoFinger       byte = 0x02
	CodeCaptureFailed  byte = 0x03
	CodeImageMessy     byte = 0x06
	CodeFewFeatures    byte = 0x07
	CodeNoMatch        byte = 0x08
	CodeNotFound       byte = 0x09
	CodeMergeFailed    byte = 0x0A
	CodeBadPage        byte = 0x0B
	CodeBadTemplate    byte = 0x0C
	CodeUploadFailed   byte = 0x0D
	CodeRecvDataFailed byte = 0x0E
	CodeUpImageFailed  byte = 0x0F
	CodeDeleteFailed   byte = 0x10
	CodeClearFailed    byte = 0x11
	CodeWrongPassword  byte = 0x13
	CodeNoImage        byte = 0x15
	CodeFlashError     byte = 0x18
	CodeBadRegister    byte = 0x1A
	CodeBadAddress     byte = 0x20
	CodeNeedPassword   byte = 0x21
	CodeHostBadPacket  byte = 0xFE // not sent by a module; host-side "bad packet"
	CodeHostTimeout    byte = 0xFF // not sent by a module; host-side timeout
)

// Link and library defaults.
const (
	// DefaultAddress is the factory module address.
	DefaultAddress uint32 = 0xFFFFFFFF
	// DefaultBaud is the factory baud rate (9600 × 6).
	DefaultBaud = 57600
	// MaxContent is the largest content accepted in one packet: 256 data
	// bytes, the largest packet size a module can be set to.
	MaxContent = 256
	// DefaultPacketSize is the factory data packet size in bytes.
	DefaultPacketSize = 128
)

// maxJunk is how many bytes ReadPacket skips while looking for the EF 01
// header before it gives up with ErrBadPacket. A module may send a stray
// handshake byte after power-up; more than a few bytes of noise means the
// line is not carrying this protocol.
const maxJunk = 8

// Packet is one protocol frame.
type Packet struct {
	Address uint32 // module address
	PID     byte   // packet identifier: PIDCommand, PIDData, PIDAck or PIDEndData
	Content []byte // instruction or confirmation code and parameters, or data
}

// Checksum returns the packet's checksum: PID + both length bytes + every
// content byte, modulo 0x10000.
func (p Packet) Checksum() uint16 {
	n := len(p.Content) + 2
	sum := uint16(p.PID) + uint16(n>>8&0xFF) + uint16(n&0xFF)
	for _, b := range p.Content {
		sum += uint16(b)
	}
	return sum
}

// EncodePacket returns the bytes of p on the wire, header and checksum
// included. It fails with ErrBadPacket if the content is longer than
// MaxContent.
func EncodePacket(p Packet) ([]byte, error) {
	if len(p.Content) > MaxContent {
		return nil, fmt.Errorf("%w: content of %d bytes (max %d)", ErrBadPacket, len(p.Content), MaxContent)
	}
	b := make([]byte, 0, 11+len(p.Content))
	b = append(b, 0xEF, 0x01)
	b = binary.BigEndian.AppendUint32(b, p.Address)
	b = append(b, p.PID)
	b = binary.BigEndian.AppendUint16(b, uint16(len(p.Content)+2))
	b = append(b, p.Content...)
	b = binary.BigEndian.AppendUint16(b, p.Checksum())
	return b, nil
}

// ReadPacket reads one packet from r. It skips up to a few stray bytes
// before the EF 01 header. It returns:
//   - ErrBadPacket if no header is found, the PID is unknown, the length is
//     out of range, or r ends in the middle of a packet;
//   - ErrChecksum if the checksum does not match (the whole packet has been
//     consumed from r);
//   - io.EOF if r ends before the first byte;
//   - any other error from r unchanged.
func ReadPacket(r io.Reader) (Packet, error) {
	var one [1]byte
	junk := 0
	started := false
	prevEF := false
	for {
		if _, err := io.ReadFull(r, one[:]); err != nil {
			return Packet{}, truncated(err, started)
		}
		started = true
		b := one[0]
		if prevEF && b == 0x01 {
			break
		}
		if prevEF {
			junk++ // the EF was junk
		}
		prevEF = b == 0xEF
		if !prevEF {
			junk++
		}
		if junk > maxJunk {
			return Packet{}, fmt.Errorf("%w: no EF 01 header", ErrBadPacket)
		}
	}
	var hdr [7]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Packet{}, truncated(err, true)
	}
	p := Packet{Address: binary.BigEndian.Uint32(hdr[0:4]), PID: hdr[4]}
	switch p.PID {
	case PIDCommand, PIDData, PIDAck, PIDEndData:
	default:
		return Packet{}, fmt.Errorf("%w: unknown PID %02X", ErrBadPacket, p.PID)
	}
	n := int(binary.BigEndian.Uint16(hdr[5:7]))
	if n < 2 || n > MaxContent+2 {
		return Packet{}, fmt.Errorf("%w: length %d", ErrBadPacket, n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return Packet{}, truncated(err, true)
	}
	p.Content = body[:n-2]
	got := binary.BigEndian.Uint16(body[n-2:])
	if want := p.Checksum(); got != want {
		return Packet{}, fmt.Errorf("%w: got %04X, want %04X", ErrChecksum, got, want)
	}
	return p, nil
}

// truncated maps the end of input in the middle of a packet to ErrBadPacket.
func truncated(err error, started bool) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if !started {
			return io.EOF
		}
		return fmt.Errorf("%w: truncated: %w", ErrBadPacket, io.ErrUnexpectedEOF)
	}
	return err
}
