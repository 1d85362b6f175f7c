package emv

// Terminal Verification Results (95) byte 1 bits the kernel sets.
const (
	TVRODANotPerformed = 0x80 // offline data authentication was not performed
	TVRICCDataMissing  = 0x20 // data ODA needs was missing from the card
	TVRDDAFailed       = 0x08 // dynamic (here fast dynamic) data authentication failed
)

// TVR returns the Terminal Verification Results of the read, as field 55
// carries them in 95. Only byte 1 is filled, from the ODA outcome: 80 when
// ODA was not performed (card offers none, or no CA keys), 08 when fDDA
// failed, with 20 too when it failed because a data object it needs (8F,
// 90, 9F32, 9F46, 9F47, 9F4B, 9F69 or a needed key remainder) was absent,
// and 00 when it passed. Malformed data fails with 08 alone.
func (c *Card) TVR() [5]byte {
	var tvr [5]byte
	switch c.ODA.Outcome {
	case ODAPassed:
	case ODAFailed:
		tvr[0] = TVRDDAFailed
		if c.odaMissing {
			tvr[0] |= TVRICCDataMissing
		}
	default:
		tvr[0] = TVRODANotPerformed
	}
	return tvr
}

// SetCVMResults sets the CVM Results (9F34) in the card's field 55 data,
// replacing any there, so the issuer sees the cardholder verification the
// till performed. The other objects keep their order; 9F34 goes where the
// field 55 tag list puts it. A wiped card stays empty.
func (c *Card) SetCVMResults(r [3]byte) {
	if len(c.icc) == 0 {
		return
	}
	list, err := Decode(c.icc)
	if err != nil {
		return // the kernel built c.icc: it always decodes
	}
	rank := make(map[uint32]int, len(field55Tags))
	for i, t := range field55Tags {
		rank[t] = i
	}
	out := make([]byte, 0, len(c.icc)+6)
	done := false
	for _, t := range list {
		if t.Tag == 0x9F34 {
			continue
		}
		if i, ok := rank[t.Tag]; !done && ok && i > rank[0x9F34] {
			out = Append(out, 0x9F34, r[:])
			done = true
		}
		out = Append(out, t.Tag, t.Value)
	}
	if !done {
		out = Append(out, 0x9F34, r[:])
	}
	clear(c.icc)
	c.icc = out
}
