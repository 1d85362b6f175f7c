// Package fingerprint drives a ZhianTec ZFM-20 / R307 / AS608 family optical
// fingerprint module over its UART protocol.
//
// A [Module] talks to the sensor over any [io.ReadWriter]; [Open] opens a
// serial port (8N1, default 57600 bps) and [Ports] lists the serial ports of
// the machine for a settings screen. Every instruction the point of sale
// needs is a method: capture ([Module.GenImage]), feature extraction
// ([Module.Img2Tz]), model creation ([Module.RegModel]), the template library
// ([Module.Store], [Module.LoadChar], [Module.DeleteChar], [Module.Empty],
// [Module.TemplateCount]), matching ([Module.Search], [Module.Match]) and
// template transfer ([Module.UpChar], [Module.DownChar]).
//
// [Enroll] and [Identify] put the instructions together into the two flows a
// till uses: enrolling a cashier's finger into a page of the library, and
// finding which page a finger on the sensor belongs to. Both poll the sensor
// until a finger is placed or their context ends.
//
// Packet framing is available without a module through [EncodePacket] and
// [ReadPacket]:
//
//	EF 01 | ADDR(4) | PID(1) | LEN(2) | CONTENT(LEN-2) | SUM(2)
//
// where LEN counts the content and the checksum, and SUM is the 16-bit sum of
// PID, both LEN bytes and every content byte. All numbers are big-endian.
//
// Every call has a timeout ([Module.SetTimeout], default [DefaultTimeout]), so
// a module that stops answering ends the call with [ErrTimeout] rather than a
// hang. Errors are comparable with [errors.Is] against the sentinel errors of
// this package; any other confirmation code from the module is reported as a
// [ConfirmationError].
//
// The sibling package fpsim simulates a module for tests and demo mode.
package fingerprint
