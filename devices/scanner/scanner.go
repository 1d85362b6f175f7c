package scanner

import (
	"errors"
	"fmt"
	"sync"

	"go.bug.st/serial"

	"github.com/till-pos/till/devices/serialport"
)

// DefaultBaud is the speed used when Config.Baud is zero; most scanners ship
// configured for it.
const DefaultBaud = 9600

var (
	// ErrNoPort means the serial port named in Config.Port does not exist
	// (no such device node, or a node with no device behind it).
	ErrNoPort = errors.New("scanner: no such serial port")

	// ErrPortGone means the port failed while being read, typically because a
	// USB-serial scanner was unplugged. Scanner.Err wraps it together with the
	// underlying read error.
	ErrPortGone = errors.New("scanner: serial port gone")

	// ErrClosed means the Scanner was closed with Scanner.Close.
	ErrClosed = errors.New("scanner: closed")
)

// Config describes the serial port a scanner is attached to.
type Config struct {
	// Port is the device path, such as /dev/ttyUSB0 or /dev/ttyACM0 (COM3 on
	// Windows).
	Port string
	// Baud is the line speed; zero means DefaultBaud. The frame is always 8N1.
	Baud int
}

// Scanner reads codes from a serial barcode scanner. Create it with Open.
type Scanner struct {
	port  serial.Port
	codes chan string
	done  chan struct{} // closed by Close
	ended chan struct{} // closed when the reading goroutine has returned

	closeOnce sync.Once
	closeErr  error

	mu  sync.Mutex
	err error
}

// Open opens the serial port described by cfg (8 data bits, no parity, one
// stop bit) and starts reading codes from it. If the port does not exist the
// error wraps ErrNoPort.
func Open(cfg Config) (*Scanner, error) {
	baud := cfg.Baud
	if baud == 0 {
		baud = DefaultBaud
	}
	if baud < 0 {
		return nil, fmt.Errorf("scanner: invalid baud rate %d", cfg.Baud)
	}
	mode := &serial.Mode{
		BaudRate: baud,
		DataBits: 8,
		Parity:   serial.NoParity,
		StopBits: serial.OneStopBit,
	}
	port, err := serial.Open(cfg.Port, mode)
	if err != nil {
		if serialport.IsNoPort(err) {
			return nil, fmt.Errorf("%w: %s: %w", ErrNoPort, cfg.Port, err)
		}
		return nil, fmt.Errorf("scanner: open %s: %w", cfg.Port, err)
	}
	// Reads block until data arrives; Close wakes a pending read, so no
	// polling timeout is needed.
	if err := port.SetReadTimeout(serial.NoTimeout); err != nil {
		port.Close()
		return nil, fmt.Errorf("scanner: open %s: %w", cfg.Port, err)
	}
	s := &Scanner{
		port:  port,
		codes: make(chan string, 16),
		done:  make(chan struct{}),
		ended: make(chan struct{}),
	}
	go s.run()
	return s, nil
}

func (s *Scanner) run() {
	defer close(s.ended)
	defer close(s.codes)

	err := readCodes(s.port, func(code string) bool {
		select {
		case s.codes <- code:
			return true
		case <-s.done:
			return false
		}
	})

	select {
	case <-s.done:
		err = ErrClosed
	default:
		// The port failed (or reported end of input) without Close being
		// called: the device is gone.
		if err == nil {
			err = ErrPortGone
		} else {
			err = fmt.Errorf("%w: %w", ErrPortGone, err)
		}
		s.port.Close()
	}
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// Codes returns the channel on which scanned codes are delivered in order.
// It is closed when the port goes away or the Scanner is closed; Err then
// tells why.
func (s *Scanner) Codes() <-chan string {
	return s.codes
}

// Err returns nil while the Codes channel is open. Once it has been closed it
// returns why: an error wrapping ErrPortGone if the port failed, or ErrClosed
// after Close.
func (s *Scanner) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close closes the port, stops the reading goroutine and waits for it to
// return; the Codes channel is closed by the time Close returns. Codes not yet
// received are discarded. Calling Close again returns the first call's result.
func (s *Scanner) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		s.closeErr = s.port.Close()
		<-s.ended
	})
	return s.closeErr
}
