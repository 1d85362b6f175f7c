package fingerprint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"go.bug.st/serial"

	"github.com/till-pos/till/devices/serialport"
)

// DefaultTimeout is how long a command waits for the module's answer.
const DefaultTimeout = 2 * time.Second

// DefaultPollInterval is the pause between two captures while Enroll and
// Identify wait for a finger to be placed or lifted.
const DefaultPollInterval = 50 * time.Millisecond

// maxTemplate bounds the data phase of UpChar.
const maxTemplate = 64 << 10

// Module is a fingerprint module on a serial link. Its methods are safe for
// concurrent use; commands are sent one at a time.
type Module struct {
	rw     io.ReadWriter
	closer io.Closer

	mu       sync.Mutex // one command at a time; guards the fields below
	addr     uint32
	timeout  time.Duration
	poll     time.Duration
	pktSize  int
	capacity int    // from ReadSysParams, 0 until read
	pending  []byte // received bytes not yet parsed

	in        chan []byte   // chunks from the reader goroutine
	readErr   error         // set before in is closed
	closed    chan struct{} // closed by Close
	closeOnce sync.Once

	trips atomic.Int64
}

// New returns a Module talking over rw with the default address, timeout and
// packet size. A goroutine reads rw until it fails; if rw is an io.Closer,
// Close closes it, which ends that goroutine.
func New(rw io.ReadWriter) *Module {
	m := &Module{
		rw:      rw,
		addr:    DefaultAddress,
		timeout: DefaultTimeout,
		poll:    DefaultPollInterval,
		pktSize: DefaultPacketSize,
		in:      make(chan []byte, 64),
		closed:  make(chan struct{}),
	}
	if c, ok := rw.(io.Closer); ok {
		m.closer = c
	}
	go m.readLoop()
	return m
}

// Open opens a serial port (8N1) at baud bits per second, DefaultBaud if baud
// is 0. A port that does not exist is reported as ErrGone.
func Open(port string, baud int) (*Module, error) {
	if baud == 0 {
		baud = DefaultBaud
	}
	if baud < 0 {
		return nil, fmt.Errorf("fingerprint: invalid baud rate %d", baud)
	}
	mode := &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	p, err := serial.Open(port, mode)
	if err != nil {
		if serialport.IsNoPort(err) {
			return nil, fmt.Errorf("%w: %s: %w", ErrGone, port, err)
		}
		return nil, fmt.Errorf("fingerprint: open %s: %w", port, err)
	}
	// Reads block until data arrives; Close wakes a pending read. Timeouts
	// are kept by the Module itself.
	if err := p.SetReadTimeout(serial.NoTimeout); err != nil {
		p.Close()
		return nil, fmt.Errorf("fingerprint: open %s: %w", port, err)
	}
	return New(p), nil
}

// Ports lists the serial ports of the machine.
func Ports() ([]string, error) {
	ports, err := serial.GetPortsList()
	if err != nil {
		return nil, fmt.Errorf("fingerprint: list ports: %w", err)
	}
	return ports, nil
}

// Close closes the port. Later calls fail with ErrGone.
func (m *Module) Close() error {
	var err error
	m.closeOnce.Do(func() {
		close(m.closed)
		if m.closer != nil {
			err = m.closer.Close()
		}
	})
	return err
}

// SetTimeout sets how long each command waits for an answer (and each data
// packet of UpChar). d <= 0 restores DefaultTimeout.
func (m *Module) SetTimeout(d time.Duration) {
	if d <= 0 {
		d = DefaultTimeout
	}
	m.mu.Lock()
	m.timeout = d
	m.mu.Unlock()
}

// Timeout returns the command timeout.
func (m *Module) Timeout() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.timeout
}

// SetPollInterval sets the pause between captures while Enroll and Identify
// wait for a finger. d < 0 means no pause.
func (m *Module) SetPollInterval(d time.Duration) {
	m.mu.Lock()
	m.poll = max(d, 0)
	m.mu.Unlock()
}

func (m *Module) pollInterval() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.poll
}

// SetAddress sets the module address used in every packet (DefaultAddress
// unless changed on the module).
func (m *Module) SetAddress(addr uint32) {
	m.mu.Lock()
	m.addr = addr
	m.mu.Unlock()
}

// RoundTrips returns how many command/answer exchanges have been made on the
// link. The data packets of UpChar and DownChar belong to the exchange of
// their command and are not counted separately.
func (m *Module) RoundTrips() int64 { return m.trips.Load() }

// readLoop moves bytes from the port to m.in until the port fails or the
// Module is closed.
func (m *Module) readLoop() {
	buf := make([]byte, 512)
	empty := 0
	for {
		n, err := m.rw.Read(buf)
		if n > 0 {
			empty = 0
			chunk := make([]byte, n)
			copy(chunk, buf[:n])
			select {
			case m.in <- chunk:
			case <-m.closed:
				m.readErr = ErrGone
				close(m.in)
				return
			}
		}
		if err != nil {
			m.readErr = err
			close(m.in)
			return
		}
		if n == 0 {
			// A reader with a read timeout returns (0, nil); do not spin.
			empty++
			if empty > 3 {
				time.Sleep(time.Millisecond)
			}
		}
	}
}

// gone builds the error for a dead link.
func (m *Module) gone(cause error) error {
	select {
	case <-m.closed:
		return fmt.Errorf("%w: module closed", ErrGone)
	default:
	}
	if cause == nil || errors.Is(cause, ErrGone) {
		return ErrGone
	}
	return fmt.Errorf("%w: %w", ErrGone, cause)
}

// deadlineReader reads from the Module's input until a deadline.
type deadlineReader struct {
	m        *Module
	deadline time.Time
}

func (d deadlineReader) Read(p []byte) (int, error) {
	m := d.m
	if len(m.pending) == 0 {
		wait := time.Until(d.deadline)
		if wait <= 0 {
			// Take what has already arrived, but do not wait.
			select {
			case b, ok := <-m.in:
				if !ok {
					return 0, m.gone(m.readErr)
				}
				m.pending = b
			default:
				return 0, ErrTimeout
			}
		} else {
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case b, ok := <-m.in:
				if !ok {
					return 0, m.gone(m.readErr)
				}
				m.pending = b
			case <-t.C:
				return 0, ErrTimeout
			case <-m.closed:
				return 0, m.gone(nil)
			}
		}
	}
	n := copy(p, m.pending)
	m.pending = m.pending[n:]
	return n, nil
}

// discard drops input received so far, such as a late answer to a command
// that timed out. It reports a dead link.
func (m *Module) discard() error {
	m.pending = nil
	for {
		select {
		case <-m.closed:
			return m.gone(nil)
		case _, ok := <-m.in:
			if !ok {
				return m.gone(m.readErr)
			}
		default:
			return nil
		}
	}
}

// settle drops input until the line has been quiet for a moment (bounded by
// the timeout), after a corrupt answer whose tail may still be arriving.
func (m *Module) settle() {
	const quiet = 20 * time.Millisecond
	m.pending = nil
	end := time.Now().Add(m.timeout)
	for time.Now().Before(end) {
		t := time.NewTimer(quiet)
		select {
		case _, ok := <-m.in:
			t.Stop()
			if !ok {
				return
			}
		case <-t.C:
			return
		case <-m.closed:
			t.Stop()
			return
		}
	}
}

// write sends one packet. m.mu is held.
func (m *Module) write(pid byte, content []byte) error {
	b, err := EncodePacket(Packet{Address: m.addr, PID: pid, Content: content})
	if err != nil {
		return err
	}
	select {
	case <-m.closed:
		return m.gone(nil)
	default:
	}
	for len(b) > 0 {
		n, err := m.rw.Write(b)
		if err != nil {
			return m.gone(err)
		}
		if n == 0 {
			return m.gone(io.ErrShortWrite)
		}
		b = b[n:]
	}
	return nil
}

// read reads one packet within the timeout. m.mu is held.
func (m *Module) read() (Packet, error) {
	p, err := ReadPacket(deadlineReader{m: m, deadline: time.Now().Add(m.timeout)})
	if err != nil {
		if errors.Is(err, ErrBadPacket) || errors.Is(err, ErrChecksum) {
			m.settle()
		}
		return Packet{}, err
	}
	return p, nil
}

// exchange sends a command and reads its acknowledgement. It returns the
// confirmation code and the return parameters, which must be at least
// minParams bytes long. m.mu is held.
func (m *Module) exchange(ins byte, minParams int, params ...byte) (byte, []byte, error) {
	if err := m.discard(); err != nil {
		return 0, nil, err
	}
	content := append([]byte{ins}, params...)
	if err := m.write(PIDCommand, content); err != nil {
		return 0, nil, err
	}
	m.trips.Add(1)
	p, err := m.read()
	if err != nil {
		return 0, nil, err
	}
	if p.PID != PIDAck || len(p.Content) < 1 {
		m.settle()
		return 0, nil, fmt.Errorf("%w: answer with PID %02X and %d content bytes", ErrBadPacket, p.PID, len(p.Content))
	}
	code, ret := p.Content[0], p.Content[1:]
	if code == CodeOK && len(ret) < minParams {
		return 0, nil, fmt.Errorf("%w: %d return bytes, want %d", ErrBadPacket, len(ret), minParams)
	}
	return code, ret, nil
}

// command runs one instruction and turns a confirmation code other than OK
// into an error.
func (m *Module) command(name string, ins byte, minParams int, params ...byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.commandLocked(name, ins, minParams, params...)
}

func (m *Module) commandLocked(name string, ins byte, minParams int, params ...byte) ([]byte, error) {
	code, ret, err := m.exchange(ins, minParams, params...)
	if err == nil {
		err = codeError(code)
	}
	if err != nil {
		if errors.Is(err, ErrNoFinger) || errors.Is(err, ErrNoMatch) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ret, nil
}

func checkBuffer(buf int) error {
	if buf != 1 && buf != 2 {
		return fmt.Errorf("fingerprint: char buffer %d (want 1 or 2)", buf)
	}
	return nil
}

func checkPage(name string, v int) error {
	if v < 0 || v > 0xFFFF {
		return fmt.Errorf("fingerprint: %s %d out of range", name, v)
	}
	return nil
}

func u16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }

// VerifyPassword sends the module password (VfyPwd). It is needed only if a
// password has been set on the module; the factory password is 0.
func (m *Module) VerifyPassword(pw uint32) error {
	_, err := m.command("VfyPwd", InsVfyPwd, 0, binary.BigEndian.AppendUint32(nil, pw)...)
	return err
}

// SysParams are the module's system parameters (ReadSysPara).
type SysParams struct {
	Status        uint16 // status register
	SystemID      uint16 // system identifier code
	Capacity      int    // library size in templates
	SecurityLevel int    // 1..5
	Address       uint32 // module address
	PacketSize    int    // data packet size in bytes: 32, 64, 128 or 256
	Baud          int    // bits per second
}

// ReadSysParams reads the module's system parameters. The capacity and the
// packet size are remembered for Identify and DownChar.
func (m *Module) ReadSysParams() (SysParams, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.commandLocked("ReadSysPara", InsReadSysPara, 16)
	if err != nil {
		return SysParams{}, err
	}
	be := binary.BigEndian
	sp := SysParams{
		Status:        be.Uint16(r[0:]),
		SystemID:      be.Uint16(r[2:]),
		Capacity:      int(be.Uint16(r[4:])),
		SecurityLevel: int(be.Uint16(r[6:])),
		Address:       be.Uint32(r[8:]),
		PacketSize:    32 << (be.Uint16(r[12:]) & 3),
		Baud:          9600 * int(be.Uint16(r[14:])),
	}
	m.capacity = sp.Capacity
	m.pktSize = sp.PacketSize
	return sp, nil
}

// TemplateCount returns the number of templates stored in the library.
func (m *Module) TemplateCount() (int, error) {
	r, err := m.command("TempleteNum", InsTemplateNum, 2)
	if err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint16(r)), nil
}

// GenImage captures a finger image into the image buffer. With no finger on
// the sensor it returns ErrNoFinger; callers poll.
func (m *Module) GenImage() error {
	_, err := m.command("GenImg", InsGenImg, 0)
	return err
}

// Img2Tz extracts a character file from the image buffer into char buffer 1
// or 2.
func (m *Module) Img2Tz(buf int) error {
	if err := checkBuffer(buf); err != nil {
		return err
	}
	_, err := m.command("Img2Tz", InsImg2Tz, 0, byte(buf))
	return err
}

// RegModel combines the character files in buffers 1 and 2 into a template,
// left in both buffers. Two different fingers give
// ConfirmationError{CodeMergeFailed}.
func (m *Module) RegModel() error {
	_, err := m.command("RegModel", InsRegModel, 0)
	return err
}

// Store saves the template in char buffer buf to page pageID of the library.
func (m *Module) Store(buf, pageID int) error {
	if err := checkBuffer(buf); err != nil {
		return err
	}
	if err := checkPage("page ID", pageID); err != nil {
		return err
	}
	_, err := m.command("Store", InsStore, 0, append([]byte{byte(buf)}, u16(pageID)...)...)
	return err
}

// Search looks for the character file in buffer buf among count pages of the
// library from page start. It returns the page and the match score, or
// ErrNoMatch.
func (m *Module) Search(buf, start, count int) (pageID, score int, err error) {
	if err := checkBuffer(buf); err != nil {
		return 0, 0, err
	}
	if err := checkPage("start page", start); err != nil {
		return 0, 0, err
	}
	if err := checkPage("page count", count); err != nil {
		return 0, 0, err
	}
	params := append(append([]byte{byte(buf)}, u16(start)...), u16(count)...)
	r, err := m.command("Search", InsSearch, 4, params...)
	if err != nil {
		return 0, 0, err
	}
	return int(binary.BigEndian.Uint16(r)), int(binary.BigEndian.Uint16(r[2:])), nil
}

// Match compares the character files in buffers 1 and 2 and returns the
// score, or ErrNoMatch.
func (m *Module) Match() (score int, err error) {
	r, err := m.command("Match", InsMatch, 2)
	if err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint16(r)), nil
}

// LoadChar loads the template at page pageID into char buffer buf.
func (m *Module) LoadChar(buf, pageID int) error {
	if err := checkBuffer(buf); err != nil {
		return err
	}
	if err := checkPage("page ID", pageID); err != nil {
		return err
	}
	_, err := m.command("LoadChar", InsLoadChar, 0, append([]byte{byte(buf)}, u16(pageID)...)...)
	return err
}

// DeleteChar deletes n templates from page pageID on.
func (m *Module) DeleteChar(pageID, n int) error {
	if err := checkPage("page ID", pageID); err != nil {
		return err
	}
	if err := checkPage("count", n); err != nil {
		return err
	}
	_, err := m.command("DeleteChar", InsDeleteChar, 0, append(u16(pageID), u16(n)...)...)
	return err
}

// Empty deletes every template in the library.
func (m *Module) Empty() error {
	_, err := m.command("Empty", InsEmpty, 0)
	return err
}

// UpChar uploads the character file or template in buffer buf to the host.
func (m *Module) UpChar(buf int) ([]byte, error) {
	if err := checkBuffer(buf); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.commandLocked("UpChar", InsUpChar, 0, byte(buf)); err != nil {
		return nil, err
	}
	var tpl []byte
	for {
		p, err := m.read()
		if err != nil {
			return nil, fmt.Errorf("UpChar data: %w", err)
		}
		if p.PID != PIDData && p.PID != PIDEndData {
			m.settle()
			return nil, fmt.Errorf("UpChar data: %w: PID %02X", ErrBadPacket, p.PID)
		}
		tpl = append(tpl, p.Content...)
		if len(tpl) > maxTemplate {
			m.settle()
			return nil, fmt.Errorf("UpChar data: %w: more than %d bytes", ErrBadPacket, maxTemplate)
		}
		if p.PID == PIDEndData {
			return tpl, nil
		}
	}
}

// DownChar downloads a character file or template to buffer buf, in data
// packets of the module's packet size (DefaultPacketSize unless
// ReadSysParams reported another).
func (m *Module) DownChar(buf int, tpl []byte) error {
	if err := checkBuffer(buf); err != nil {
		return err
	}
	if len(tpl) == 0 || len(tpl) > maxTemplate {
		return fmt.Errorf("fingerprint: DownChar: template of %d bytes", len(tpl))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.commandLocked("DownChar", InsDownChar, 0, byte(buf)); err != nil {
		return err
	}
	size := m.pktSize
	if size <= 0 || size > MaxContent {
		size = DefaultPacketSize
	}
	for len(tpl) > 0 {
		n := min(size, len(tpl))
		pid := PIDData
		if n == len(tpl) {
			pid = PIDEndData
		}
		if err := m.write(pid, tpl[:n]); err != nil {
			return fmt.Errorf("DownChar data: %w", err)
		}
		tpl = tpl[n:]
	}
	return nil
}
