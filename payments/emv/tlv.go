package emv

import (
	"errors"
	"fmt"
)

// TLV is one BER-TLV data object. Tag holds the tag bytes big-endian (9F26 is
// 0x9F26). Value is the raw value; for a constructed object (bit 0x20 of the
// first tag byte set) Children holds the objects decoded from Value.
type TLV struct {
	Tag      uint32
	Value    []byte
	Children []TLV
}

// maxDepth bounds template nesting, so hostile input cannot recurse deeply.
const maxDepth = 16

// errTruncated reports data that ends inside an object.
var errTruncated = errors.New("data ends early")

// Constructed reports whether t is a template (it contains other objects).
func (t TLV) Constructed() bool { return IsConstructed(t.Tag) }

// IsConstructed reports whether tag is a constructed tag: bit 0x20 of its
// first byte is set.
func IsConstructed(tag uint32) bool { return firstTagByte(tag)&0x20 != 0 }

// firstTagByte returns the leading (most significant non-zero) byte of tag.
func firstTagByte(tag uint32) byte {
	for tag > 0xFF {
		tag >>= 8
	}
	return byte(tag)
}

// TagString formats tag the way EMV documents write it, e.g. "9F26".
func TagString(tag uint32) string { return fmt.Sprintf("%02X", tag) }

// Decode parses b as a sequence of BER-TLV objects, descending into
// constructed templates. Tags of up to 4 bytes and lengths in short form or
// in long form 81, 82 and 83 are accepted; 00 bytes before, between and after
// objects are skipped. Values are sub-slices of b, not copies. Truncated or
// malformed input gives an error, never a panic.
func Decode(b []byte) ([]TLV, error) {
	list, err := decode(b, 0)
	if err != nil {
		return nil, fmt.Errorf("tlv: %w", err)
	}
	return list, nil
}

func decode(b []byte, depth int) ([]TLV, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("templates nested deeper than %d", maxDepth)
	}
	var out []TLV
	for off := 0; off < len(b); {
		if b[off] == 0x00 {
			off++
			continue
		}
		start := off
		tag, n, err := readTag(b[off:])
		if err != nil {
			return nil, fmt.Errorf("tag at offset %d: %w", start, err)
		}
		off += n
		l, n, err := readLength(b[off:])
		if err != nil {
			return nil, fmt.Errorf("length of %s at offset %d: %w", TagString(tag), start, err)
		}
		off += n
		if l > len(b)-off {
			return nil, fmt.Errorf("value of %s at offset %d: %d bytes announced, %d left: %w",
				TagString(tag), start, l, len(b)-off, errTruncated)
		}
		t := TLV{Tag: tag, Value: b[off : off+l : off+l]}
		off += l
		if IsConstructed(tag) {
			kids, err := decode(t.Value, depth+1)
			if err != nil {
				return nil, fmt.Errorf("inside %s: %w", TagString(tag), err)
			}
			t.Children = kids
		}
		out = append(out, t)
	}
	return out, nil
}

// readTag reads a tag of 1 to 4 bytes from the start of b.
func readTag(b []byte) (tag uint32, n int, err error) {
	if len(b) == 0 {
		return 0, 0, errTruncated
	}
	tag = uint32(b[0])
	if b[0]&0x1F != 0x1F {
		return tag, 1, nil
	}
	for i := 1; ; i++ {
		if i >= len(b) {
			return 0, 0, errTruncated
		}
		if i >= 4 {
			return 0, 0, errors.New("tag longer than 4 bytes")
		}
		tag = tag<<8 | uint32(b[i])
		if b[i]&0x80 == 0 {
			return tag, i + 1, nil
		}
	}
}

// readLength reads a short-form length or a long-form 81/82/83 length.
func readLength(b []byte) (l, n int, err error) {
	if len(b) == 0 {
		return 0, 0, errTruncated
	}
	switch first := b[0]; {
	case first < 0x80:
		return int(first), 1, nil
	case first == 0x80:
		return 0, 0, errors.New("indefinite length is not allowed")
	case first > 0x83:
		return 0, 0, fmt.Errorf("length form %02X is not supported", first)
	default:
		k := int(first & 0x7F)
		if len(b) < 1+k {
			return 0, 0, errTruncated
		}
		for _, c := range b[1 : 1+k] {
			l = l<<8 | int(c)
		}
		return l, 1 + k, nil
	}
}

// Find returns the first object with tag in list, searching depth-first
// (an object before its children, children before the next sibling).
func Find(list []TLV, tag uint32) (TLV, bool) {
	for _, t := range list {
		if t.Tag == tag {
			return t, true
		}
		if found, ok := Find(t.Children, tag); ok {
			return found, true
		}
	}
	return TLV{}, false
}

// Encode serialises list in BER-TLV with minimal lengths. A constructed
// object with Children is encoded from its children, otherwise from Value.
func Encode(list []TLV) []byte {
	var out []byte
	for _, t := range list {
		out = appendObject(out, t)
	}
	return out
}

func appendObject(dst []byte, t TLV) []byte {
	if t.Constructed() && t.Children != nil {
		return Append(dst, t.Tag, Encode(t.Children))
	}
	return Append(dst, t.Tag, t.Value)
}

// Append appends one primitive-or-raw object (tag, length, value) to dst.
func Append(dst []byte, tag uint32, value []byte) []byte {
	dst = appendTag(dst, tag)
	dst = appendLength(dst, len(value))
	return append(dst, value...)
}

func appendTag(dst []byte, tag uint32) []byte {
	started := false
	for shift := 24; shift >= 0; shift -= 8 {
		b := byte(tag >> shift)
		if b != 0 || started || shift == 0 {
			dst = append(dst, b)
			started = true
		}
	}
	return dst
}

func appendLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	case n <= 0xFFFF:
		return append(dst, 0x82, byte(n>>8), byte(n))
	case n <= 0xFFFFFF:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(dst, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}
