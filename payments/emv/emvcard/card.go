package emvcard

import (
	"bytes"
	"crypto/sha256"
	"sync"

	"github.com/till-pos/till/payments/emv"
)

// atr is the answer to reset of the emulated card (ISO 14443-4 card seen
// through a PC/SC contactless reader).
var atr = []byte{0x3B, 0x80, 0x80, 0x01, 0x01}

// Card is an emulated card answering APDUs from a Profile. It is safe for
// concurrent use.
type Card struct {
	mu       sync.Mutex
	p        Profile
	count    int
	selected int // index in p.Apps, -1 none
	atc      []uint16
	pending  []byte // rest of a chained answer: data then SW
	wrongLe  []byte // answer withheld by a 6CXX, for the resent command
	resend   []byte // the command (without Le) that answer belongs to
}

// New returns a card in the field, nothing selected.
func New(p Profile) *Card {
	c := &Card{p: p, selected: -1, atc: make([]uint16, len(p.Apps))}
	for i, a := range p.Apps {
		c.atc[i] = a.ATC
	}
	return c
}

// ATR returns the answer to reset, 3B 80 80 01 01.
func (c *Card) ATR() []byte { return append([]byte(nil), atr...) }

// Respond answers one command APDU with response data and SW1 SW2. Garbage
// gets 6700 (wrong length), 6E00 (class) or 6D00 (instruction). Once the
// card has left the field (Profile.RemoveAfter) it returns nil.
func (c *Card) Respond(apdu []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count++
	if c.p.RemoveAfter > 0 && c.count > c.p.RemoveAfter {
		return nil
	}
	cmd, ok := parseAPDU(apdu)
	if !ok {
		c.pending = nil
		return sw(0x6700)
	}
	if cmd.ins == 0xC0 && cmd.cla == 0x00 {
		return c.getResponse(cmd)
	}
	c.pending = nil
	var resp []byte
	if c.wrongLe != nil && cmd.le == len(c.wrongLe)-2 && bytes.Equal(c.resend, withoutLe(apdu, cmd)) {
		resp = c.wrongLe // the resent command: no second cryptogram
	} else {
		resp = c.dispatch(cmd)
	}
	c.wrongLe, c.resend = nil, nil
	if c.p.WrongLe && cmd.le == 0 && isOK(resp) && len(resp) > 2 && len(resp) < 258 {
		c.wrongLe, c.resend = resp, withoutLe(apdu, cmd)
		return sw(0x6C00 | uint16(len(resp)-2))
	}
	return c.deliver(resp)
}

// isOK reports whether an answer ends in 9000.
func isOK(resp []byte) bool {
	n := len(resp)
	return n >= 2 && resp[n-2] == 0x90 && resp[n-1] == 0x00
}

// withoutLe returns a copy of apdu without its Le byte.
func withoutLe(apdu []byte, cmd command) []byte {
	if cmd.le >= 0 {
		apdu = apdu[:len(apdu)-1]
	}
	return append([]byte(nil), apdu...)
}

// command is a parsed short command APDU.
type command struct {
	cla, ins, p1, p2 byte
	data             []byte
	le               int // -1 when absent
}

// parseAPDU parses the four short APDU cases.
func parseAPDU(b []byte) (command, bool) {
	if len(b) < 4 {
		return command{}, false
	}
	cmd := command{cla: b[0], ins: b[1], p1: b[2], p2: b[3], le: -1}
	switch {
	case len(b) == 4:
	case len(b) == 5:
		cmd.le = int(b[4])
	case b[4] != 0 && len(b) == 5+int(b[4]):
		cmd.data = b[5:]
	case b[4] != 0 && len(b) == 6+int(b[4]):
		cmd.data = b[5 : len(b)-1]
		cmd.le = int(b[len(b)-1])
	default:
		return command{}, false
	}
	return cmd, true
}

// dispatch returns the full answer (data + SW) to a command.
func (c *Card) dispatch(cmd command) []byte {
	switch {
	case cmd.cla == 0x00 && cmd.ins == 0xA4:
		return c.selectFile(cmd)
	case cmd.cla == 0x00 && cmd.ins == 0xB2:
		return c.readRecord(cmd)
	case cmd.cla == 0x80 && cmd.ins == 0xA8:
		return c.gpo(cmd)
	case cmd.cla == 0x80 && cmd.ins == 0xAE:
		return c.generateAC(cmd)
	case cmd.cla == 0x80 && cmd.ins == 0xCA:
		return c.getData(cmd)
	case cmd.cla != 0x00 && cmd.cla != 0x80:
		return sw(0x6E00)
	}
	return sw(0x6D00)
}

// deliver applies the ChainChunk fault to a 9000 answer.
func (c *Card) deliver(resp []byte) []byte {
	if !isOK(resp) {
		return resp
	}
	if c.p.ChainChunk > 0 && len(resp)-2 > c.p.ChainChunk {
		c.pending = resp
		return c.nextChunk(c.p.ChainChunk)
	}
	return resp
}

// getResponse serves the next part of a chained answer.
func (c *Card) getResponse(cmd command) []byte {
	if len(c.pending) == 0 || cmd.le < 0 {
		c.pending = nil
		return sw(0x6985)
	}
	max := cmd.le
	if max == 0 {
		max = 256
	}
	if c.p.ChainChunk > 0 && c.p.ChainChunk < max {
		max = c.p.ChainChunk
	}
	return c.nextChunk(max)
}

// nextChunk returns up to max bytes of pending data followed by 61XX, or
// the last data with the final status word.
func (c *Card) nextChunk(max int) []byte {
	data := c.pending[:len(c.pending)-2]
	if len(data) <= max {
		out := c.pending
		c.pending = nil
		return out
	}
	out := append([]byte(nil), data[:max]...)
	c.pending = c.pending[max:]
	rest := len(c.pending) - 2
	if rest > 255 {
		rest = 0 // 6100: 256 or more
	}
	return append(out, 0x61, byte(rest))
}

// selectFile answers SELECT by DF name.
func (c *Card) selectFile(cmd command) []byte {
	if cmd.p1 != 0x04 || len(cmd.data) == 0 {
		return sw(0x6A86)
	}
	if bytes.Equal(cmd.data, emv.PPSEName) {
		if c.p.NoPPSE {
			return sw(0x6A82)
		}
		return append(c.ppse(), 0x90, 0x00)
	}
	for i, a := range c.p.Apps {
		if !bytes.HasPrefix(a.AID, cmd.data) {
			continue
		}
		fci := c.fci(a)
		if a.Blocked {
			c.selected = -1
			return append(fci, 0x62, 0x83)
		}
		c.selected = i
		return append(fci, 0x90, 0x00)
	}
	c.selected = -1
	return sw(0x6A82)
}

// ppse returns the FCI of the contactless directory.
func (c *Card) ppse() []byte {
	var entries []emv.TLV
	for _, a := range c.p.Apps {
		e := []emv.TLV{{Tag: 0x4F, Value: a.AID}}
		if a.Label != "" {
			e = append(e, emv.TLV{Tag: 0x50, Value: []byte(a.Label)})
		}
		if a.Priority != 0 {
			e = append(e, emv.TLV{Tag: 0x87, Value: []byte{a.Priority}})
		}
		entries = append(entries, emv.TLV{Tag: 0x61, Children: e})
	}
	return emv.Encode([]emv.TLV{{Tag: 0x6F, Children: []emv.TLV{
		{Tag: 0x84, Value: emv.PPSEName},
		{Tag: 0xA5, Children: []emv.TLV{{Tag: 0xBF0C, Children: entries}}},
	}}})
}

// fci returns the FCI of an application.
func (c *Card) fci(a App) []byte {
	var prop []emv.TLV
	if a.Label != "" {
		prop = append(prop, emv.TLV{Tag: 0x50, Value: []byte(a.Label)})
	}
	if a.PDOL != nil {
		prop = append(prop, emv.TLV{Tag: 0x9F38, Value: a.PDOL})
	}
	return emv.Encode([]emv.TLV{{Tag: 0x6F, Children: []emv.TLV{
		{Tag: 0x84, Value: a.AID},
		{Tag: 0xA5, Value: []byte{}, Children: prop},
	}}})
}

// pdolLength returns the length of the data a DOL asks for, or -1 if the
// DOL is malformed.
func dolLength(dol []byte) int {
	total := 0
	for i := 0; i < len(dol); {
		if dol[i]&0x1F == 0x1F {
			i++
			for i < len(dol) && dol[i]&0x80 != 0 {
				i++
			}
		}
		i++
		if i >= len(dol) {
			return -1
		}
		total += int(dol[i])
		i++
	}
	return total
}

// gpo answers GET PROCESSING OPTIONS.
func (c *Card) gpo(cmd command) []byte {
	if c.selected < 0 {
		return sw(0x6985)
	}
	a := c.p.Apps[c.selected]
	if len(cmd.data) < 2 || cmd.data[0] != 0x83 || int(cmd.data[1]) != len(cmd.data)-2 ||
		int(cmd.data[1]) != dolLength(a.PDOL) {
		return sw(0x6700)
	}
	if a.RefuseGPO {
		return sw(0x6985)
	}
	if a.Format1 {
		v := append(append([]byte(nil), a.AIP[:]...), a.AFL...)
		return append(emv.Append(nil, 0x80, v), 0x90, 0x00)
	}
	atc := c.nextATC()
	t := []emv.TLV{{Tag: 0x82, Value: a.AIP[:]}, {Tag: 0x94, Value: a.AFL}}
	if a.Track2 != nil {
		t = append(t, emv.TLV{Tag: 0x57, Value: a.Track2})
	}
	if a.CTQ != nil {
		t = append(t, emv.TLV{Tag: 0x9F6C, Value: a.CTQ})
	}
	t = append(t,
		emv.TLV{Tag: 0x9F27, Value: []byte{a.CID}},
		emv.TLV{Tag: 0x9F36, Value: []byte{byte(atc >> 8), byte(atc)}},
		emv.TLV{Tag: 0x9F26, Value: c.cryptogram(a, cmd.data, atc)})
	if a.IAD != nil {
		t = append(t, emv.TLV{Tag: 0x9F10, Value: a.IAD})
	}
	if a.PANSeq != nil {
		t = append(t, emv.TLV{Tag: 0x5F34, Value: a.PANSeq})
	}
	if a.FDDA != nil {
		t = append(t, emv.TLV{Tag: 0x9F4B, Value: a.FDDA.signGPO(a.PDOL, cmd.data[2:], atc)})
	}
	return append(emv.Encode([]emv.TLV{{Tag: 0x77, Children: t}}), 0x90, 0x00)
}

// generateAC answers GENERATE AC with template 77.
func (c *Card) generateAC(cmd command) []byte {
	if c.selected < 0 {
		return sw(0x6985)
	}
	a := c.p.Apps[c.selected]
	atc := c.nextATC()
	cid := a.CID
	if cmd.p1&0xC0 < cid&0xC0 {
		cid = cmd.p1 & 0xC0 // a card never gives more than was asked for
	}
	t := []emv.TLV{
		{Tag: 0x9F27, Value: []byte{cid}},
		{Tag: 0x9F36, Value: []byte{byte(atc >> 8), byte(atc)}},
		{Tag: 0x9F26, Value: c.cryptogram(a, cmd.data, atc)},
	}
	if a.IAD != nil {
		t = append(t, emv.TLV{Tag: 0x9F10, Value: a.IAD})
	}
	return append(emv.Encode([]emv.TLV{{Tag: 0x77, Children: t}}), 0x90, 0x00)
}

// getData answers GET DATA for the ATC.
func (c *Card) getData(cmd command) []byte {
	if c.selected < 0 || cmd.p1 != 0x9F || cmd.p2 != 0x36 {
		return sw(0x6A88)
	}
	atc := c.atc[c.selected]
	return append(emv.Append(nil, 0x9F36, []byte{byte(atc >> 8), byte(atc)}), 0x90, 0x00)
}

// readRecord answers READ RECORD from the selected application's records.
func (c *Card) readRecord(cmd command) []byte {
	if c.selected < 0 {
		return sw(0x6985)
	}
	if cmd.p2&0x07 != 0x04 {
		return sw(0x6A86)
	}
	sfi := cmd.p2 >> 3
	for _, r := range c.p.Apps[c.selected].Records {
		if r.SFI == sfi && r.Number == cmd.p1 {
			return append(append([]byte(nil), r.Data...), 0x90, 0x00)
		}
	}
	return sw(0x6A83)
}

// nextATC returns the ATC for a new cryptogram and advances it.
func (c *Card) nextATC() uint16 {
	atc := c.atc[c.selected]
	c.atc[c.selected]++
	return atc
}

// cryptogram returns the fixed AC of the app, or one derived from the
// command data and ATC (not a real MAC: a test card has no keys).
func (c *Card) cryptogram(a App, data []byte, atc uint16) []byte {
	if a.AC != nil {
		return a.AC
	}
	h := sha256.New()
	h.Write(a.AID)
	h.Write(data)
	h.Write([]byte{byte(atc >> 8), byte(atc)})
	return h.Sum(nil)[:8]
}

// sw returns a bare status word.
func sw(code uint16) []byte { return []byte{byte(code >> 8), byte(code)} }
