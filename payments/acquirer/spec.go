package acquirer

import (
	"maps"

	"github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/padding"
	"github.com/moov-io/iso8583/prefix"
	"github.com/moov-io/iso8583/specs"
)

// Spec is Till's message spec: moov-io's ISO 8583:1987 ASCII spec (ASCII
// fields, hex bitmaps) with the fields it lacks for network management,
// settlement totals and the secondary MAC.
var Spec = func() *iso8583.MessageSpec {
	fields := maps.Clone(specs.Spec87ASCII.Fields)
	numeric := func(n int, desc string) field.Field {
		return field.NewString(&field.Spec{Length: n, Description: desc, Enc: encoding.ASCII,
			Pref: prefix.ASCII.Fixed, Pad: padding.Left('0')})
	}
	fields[FieldEncryptedTrack2] = field.NewString(&field.Spec{Length: 999, Description: "Encrypted Track 2 (data key)",
		Enc: encoding.ASCII, Pref: prefix.ASCII.LLL})
	fields[70] = numeric(3, "Network Management Information Code")
	fields[74] = numeric(10, "Credits, Number")
	fields[76] = numeric(10, "Debits, Number")
	fields[77] = numeric(10, "Debits, Reversal Number")
	fields[86] = numeric(16, "Credits, Amount")
	fields[88] = numeric(16, "Debits, Amount")
	fields[89] = numeric(16, "Debits, Reversal Amount")
	fields[97] = field.NewString(&field.Spec{Length: 17, Description: "Amount, Net Settlement (C/D + 16)",
		Enc: encoding.ASCII, Pref: prefix.ASCII.Fixed})
	// The MAC fields carry the 8-byte MAC as 16 hex digits.
	mac := func(desc string) field.Field {
		return field.NewString(&field.Spec{Length: 16, Description: desc, Enc: encoding.ASCII, Pref: prefix.ASCII.Fixed})
	}
	fields[64] = mac("Message Authentication Code")
	fields[128] = mac("Message Authentication Code (secondary)")
	return &iso8583.MessageSpec{Name: "Till ISO 8583:1987 ASCII", Fields: fields}
}()

// NewMessage returns an empty message of Till's spec.
func NewMessage() *iso8583.Message { return iso8583.NewMessage(Spec) }
