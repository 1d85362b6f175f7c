package emv

import (
	"errors"
	"fmt"
)

// dolEntry is one (tag, length) pair of a Data Object List such as the PDOL
// (9F38) or CDOL1 (8C).
type dolEntry struct {
	tag    uint32
	length int
}

// parseDOL splits a DOL into its entries. DOL lengths are single bytes.
func parseDOL(b []byte) ([]dolEntry, error) {
	var out []dolEntry
	for off := 0; off < len(b); {
		tag, n, err := readTag(b[off:])
		if err != nil {
			return nil, fmt.Errorf("dol: tag at offset %d: %w", off, err)
		}
		off += n
		if off >= len(b) {
			return nil, fmt.Errorf("dol: no length for %s: %w", TagString(tag), errTruncated)
		}
		if b[off] >= 0x80 {
			return nil, fmt.Errorf("dol: length %02X of %s is not a single byte", b[off], TagString(tag))
		}
		out = append(out, dolEntry{tag: tag, length: int(b[off])})
		off++
	}
	return out, nil
}

// numericTags are the terminal data objects of format n (BCD): right
// aligned, padded or cut on the left.
var numericTags = map[uint32]bool{
	0x9F02: true, 0x9F03: true, 0x9F1A: true, 0x5F2A: true, 0x9A: true,
	0x9C: true, 0x9F21: true, 0x9F35: true, 0x5F36: true, 0x9F41: true,
}

// compressedTags are the data objects of format cn: left aligned, padded
// with FF.
var compressedTags = map[uint32]bool{0x5A: true}

var errDOLTooLong = errors.New("dol: data longer than 252 bytes")

// fillDOL builds DOL-related data by EMV Book 3 §5.4: for each entry the
// value lookup returns, fitted to the requested length; zeros for a tag
// lookup does not know or a constructed tag.
func fillDOL(entries []dolEntry, lookup func(uint32) ([]byte, bool)) ([]byte, error) {
	total := 0
	for _, e := range entries {
		total += e.length
	}
	if total > 252 {
		return nil, errDOLTooLong
	}
	out := make([]byte, 0, total)
	for _, e := range entries {
		v, ok := lookup(e.tag)
		if !ok || IsConstructed(e.tag) {
			out = append(out, make([]byte, e.length)...)
			continue
		}
		out = append(out, fit(e.tag, v, e.length)...)
	}
	return out, nil
}

// fit pads or truncates v to n bytes by the rules of its format.
func fit(tag uint32, v []byte, n int) []byte {
	out := make([]byte, n)
	switch {
	case numericTags[tag]:
		if len(v) >= n {
			copy(out, v[len(v)-n:])
		} else {
			copy(out[n-len(v):], v)
		}
	case compressedTags[tag]:
		for i := range out {
			out[i] = 0xFF
		}
		copy(out, v)
	default:
		copy(out, v)
	}
	return out
}
