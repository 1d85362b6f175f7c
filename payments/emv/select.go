package emv

import (
	"context"
	"fmt"
	"sort"
)

// candidate is an application to try, in the order they are tried.
type candidate struct {
	aid      []byte
	label    string
	priority byte
	fromPPSE bool // listed by the card's directory, else a configured AID
}

// candidates selects the PPSE and returns the card's directory entries the
// terminal accepts, by priority. Without a usable directory it falls back to
// the configured AIDs, in order. A directory listing only applications the
// terminal does not accept gives a not_accepted error.
func (k *kernel) candidates(ctx context.Context) ([]candidate, error) {
	data, sw, err := k.transmit(ctx, "SELECT PPSE", SelectCommand(PPSEName))
	if err != nil {
		return nil, err
	}
	if sw == SWOK {
		list, listed, ok := directory(data, k.cfg.AIDs)
		if ok && len(list) > 0 {
			return list, nil
		}
		if ok && listed > 0 {
			return nil, cardError(KeyNotAccepted, fmt.Errorf("none of the %d applications on the card is accepted", listed))
		}
	}
	list := make([]candidate, 0, len(k.cfg.AIDs))
	for _, aid := range k.cfg.AIDs {
		list = append(list, candidate{aid: aid})
	}
	return list, nil
}

// directory parses a PPSE FCI and returns the entries (61) whose ADF name
// (4F) equals or begins with an accepted AID, sorted by the low nibble of
// their priority (87); 0 (no priority) sorts last and ties keep the card's
// order. listed counts the well-formed entries; ok is false when the FCI
// cannot be parsed or has no directory (BF0C).
func directory(fci []byte, accepted [][]byte) (list []candidate, listed int, ok bool) {
	objs, err := Decode(fci)
	if err != nil {
		return nil, 0, false
	}
	dir, found := Find(objs, 0xBF0C)
	if !found {
		return nil, 0, false
	}
	for _, entry := range dir.Children {
		if entry.Tag != 0x61 {
			continue
		}
		adf, found := Find(entry.Children, 0x4F)
		if !found || len(adf.Value) < 5 || len(adf.Value) > 16 {
			continue
		}
		listed++
		if !acceptedAID(adf.Value, accepted) {
			continue
		}
		c := candidate{aid: adf.Value, fromPPSE: true}
		if l, found := Find(entry.Children, 0x50); found {
			c.label = string(l.Value)
		}
		if p, found := Find(entry.Children, 0x87); found && len(p.Value) == 1 {
			c.priority = p.Value[0]
		}
		list = append(list, c)
	}
	sort.SliceStable(list, func(i, j int) bool { return rank(list[i].priority) < rank(list[j].priority) })
	return list, listed, true
}

// rank orders Application Priority Indicators: 1 first, 15 next to last,
// 0 (no priority) last.
func rank(p byte) int {
	if n := int(p & 0x0F); n != 0 {
		return n
	}
	return 16
}

// acceptedAID reports whether aid equals or begins with one of accepted.
func acceptedAID(aid []byte, accepted [][]byte) bool {
	for _, a := range accepted {
		if hasPrefix(aid, a) {
			return true
		}
	}
	return false
}
