package fingerprint

import (
	"errors"
	"fmt"
)

var (
	// ErrChecksum means a packet received from the module had a checksum
	// that does not match its content: line noise or a baud rate mismatch.
	ErrChecksum = errors.New("fingerprint: bad packet checksum")

	// ErrNoFinger is the "no finger on the sensor" answer (code 0x02) to
	// GenImage. It is not a failure: callers poll until a finger is placed.
	ErrNoFinger = errors.New("fingerprint: no finger on the sensor")

	// ErrNoMatch means a search found no template for the finger (code 0x09)
	// or a 1:1 match found the two character files differ (code 0x08).
	ErrNoMatch = errors.New("fingerprint: finger not recognised")

	// ErrTimeout means the module did not answer in time: it is switched
	// off, on another baud rate, or has stopped responding.
	ErrTimeout = errors.New("fingerprint: module not answering")

	// ErrGone means the port was closed or the device unplugged; the Module
	// cannot be used any more and the port must be opened again.
	ErrGone = errors.New("fingerprint: port closed or device unplugged")

	// ErrBadPacket means the bytes received do not form a valid packet (no
	// header, unknown packet identifier, impossible length, truncated frame)
	// or an answer does not fit the instruction sent.
	ErrBadPacket = errors.New("fingerprint: malformed packet")
)

// ConfirmationError is a confirmation code from the module other than those
// reported as ErrNoFinger and ErrNoMatch.
type ConfirmationError struct {
	Code byte
}

var codeText = map[byte]string{
	CodeOK:             "OK",
	CodeRecvError:      "module could not receive the packet",
	CodeNoFinger:       "no finger on the sensor",
	CodeCaptureFailed:  "failed to capture the finger image",
	CodeImageMessy:     "fingerprint image too messy",
	CodeFewFeatures:    "too few feature points in the image",
	CodeNoMatch:        "fingerprints do not match",
	CodeNotFound:       "no matching fingerprint in the library",
	CodeMergeFailed:    "failed to combine the character files",
	CodeBadPage:        "page ID beyond the library",
	CodeBadTemplate:    "error reading the template, or template invalid",
	CodeUploadFailed:   "failed to upload the character file",
	CodeRecvDataFailed: "module cannot receive the following data packets",
	CodeUpImageFailed:  "failed to upload the image",
	CodeDeleteFailed:   "failed to delete the template",
	CodeClearFailed:    "failed to clear the library",
	CodeWrongPassword:  "wrong password",
	CodeNoImage:        "no valid primary image in the buffer",
	CodeFlashError:     "error writing the flash memory",
	CodeBadRegister:    "invalid register number",
	CodeBadAddress:     "address code error",
	CodeNeedPassword:   "password must be verified first",
	CodeHostBadPacket:  "bad packet",
	CodeHostTimeout:    "timeout",
}

// Message returns a readable description of the confirmation code.
func (e ConfirmationError) Message() string {
	if t, ok := codeText[e.Code]; ok {
		return t
	}
	return "unknown confirmation code"
}

func (e ConfirmationError) Error() string {
	return fmt.Sprintf("fingerprint: module answered %02X: %s", e.Code, e.Message())
}

// Is reports a ConfirmationError with the no-finger or no-match codes as
// ErrNoFinger or ErrNoMatch, and compares equal to one with the same code.
func (e ConfirmationError) Is(target error) bool {
	switch target {
	case ErrNoFinger:
		return e.Code == CodeNoFinger
	case ErrNoMatch:
		return e.Code == CodeNoMatch || e.Code == CodeNotFound
	}
	if t, ok := target.(ConfirmationError); ok {
		return t.Code == e.Code
	}
	return false
}

// codeError maps a confirmation code to an error (nil for CodeOK).
func codeError(code byte) error {
	switch code {
	case CodeOK:
		return nil
	case CodeNoFinger:
		return ErrNoFinger
	case CodeNoMatch, CodeNotFound:
		return ErrNoMatch
	}
	return ConfirmationError{Code: code}
}
