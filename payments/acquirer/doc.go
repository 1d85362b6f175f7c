// Package acquirer speaks ISO 8583:1987 to the acquirer host: Till's message
// spec (one place, so an acquirer's variant can replace it), the frames on
// the wire, the MAC of field 64/128, request builders, response checks and
// the meaning of response codes. docs/acquirer-protocol.md describes the
// messages for an acquirer's integrator.
package acquirer
