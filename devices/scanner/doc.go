// Package scanner drives a serial barcode scanner: the kind plugged in over
// USB-serial or RS-232 that sends every scanned code as ASCII text followed by
// CR, LF or CR LF.
//
// Open a port with [Open] and receive codes from [Scanner.Codes]. The framing
// itself is available without a port through [ReadCodes] and [SplitCodes], so
// it can be used on any [io.Reader].
//
// Framing rules, applied to every line (bytes up to a CR or LF):
//   - surrounding spaces are trimmed, and empty lines are skipped;
//   - a line longer than [MaxCodeLen] bytes is dropped entirely;
//   - a line containing any byte outside printable ASCII (0x20–0x7E) is dropped;
//   - an unterminated line at the end of the input is dropped, because a
//     scanner always terminates a code and a partial one may name the wrong
//     product.
package scanner
