package emv

import (
	"errors"
	"fmt"
	"strings"
)

// terminalData returns the terminal's data objects for DOLs and field 55.
func terminalData(cfg Config, tx Transaction) (map[uint32][]byte, error) {
	country, err := bcd(cfg.Country, 2)
	if err != nil {
		return nil, fmt.Errorf("emv: terminal country: %w", err)
	}
	currency, err := bcd(tx.Currency, 2)
	if err != nil {
		return nil, fmt.Errorf("emv: transaction currency: %w", err)
	}
	d := tx.Date
	date, _ := bcd(fmt.Sprintf("%02d%02d%02d", d.Year()%100, int(d.Month()), d.Day()), 3)
	clock, _ := bcd(fmt.Sprintf("%02d%02d%02d", d.Hour(), d.Minute(), d.Second()), 3)
	term := map[uint32][]byte{
		0x9F66: cfg.TTQ[:],
		0x9F02: amountBCD(tx.Amount),
		0x9F03: make([]byte, 6),
		0x9F1A: country,
		0x5F2A: currency,
		0x9A:   date,
		0x9F21: clock,
		0x9C:   {tx.Type},
		0x9F37: append([]byte(nil), tx.UnpredictableNumber...),
		0x95:   make([]byte, 5), // zero until offline data authentication has run
	}
	if len(cfg.TerminalCapabilities) == 3 {
		term[0x9F33] = append([]byte(nil), cfg.TerminalCapabilities...)
	}
	if cfg.TerminalType != 0 {
		term[0x9F35] = []byte{cfg.TerminalType}
	}
	return term, nil
}

// field55Tags are the data objects sent in ISO 8583 field 55, in order,
// each when available.
var field55Tags = []uint32{
	0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A,
	0x82, 0x9F1A, 0x9F03, 0x9F33, 0x9F34, 0x9F35, 0x84, 0x9F09, 0x9F63, 0x9F6E,
}

// result turns the collected data into a Card and applies the local checks:
// consistent, Luhn-valid PAN, expiry, offline decline; then it runs offline
// data authentication, whose outcome goes into Card.ODA and the TVR of field
// 55 but never fails the read.
func (k *kernel) result(c candidate, aid []byte) (*Card, error) {
	card := &Card{
		AID:    hexUpper(aid),
		Label:  c.label,
		Scheme: SchemeOf(aid),
		AIP:    append([]byte(nil), k.card[0x82]...),
		CID:    CIDARQC,
	}
	if l, ok := k.card[0x50]; ok {
		card.Label = strings.TrimSpace(string(l))
	}
	if name, ok := k.card[0x5F20]; ok {
		if n := strings.TrimSpace(string(name)); n != "/" {
			card.CardholderName = n // a lone "/" stands for no name
		}
	}
	if seq, ok := k.card[0x5F34]; ok && len(seq) == 1 {
		card.PANSequence = fmt.Sprintf("%02X", seq[0])
	}
	if ctq, ok := k.card[0x9F6C]; ok {
		card.CTQ = append([]byte(nil), ctq...)
	}
	if cid, ok := k.card[0x9F27]; ok {
		if len(cid) != 1 {
			return nil, cardError(KeyRead, errors.New("CID (9F27) is not 1 byte"))
		}
		card.CID = cid[0]
	}
	if err := k.identify(card); err != nil {
		card.Wipe()
		return nil, err
	}
	if expired(card.Expiry, k.tx) {
		card.Wipe()
		return nil, cardError(KeyExpired, fmt.Errorf("expiry %s before %s", card.Expiry, k.tx.Date.Format("2006-01")))
	}
	if card.CID&0xC0 == CIDAAC {
		card.Wipe()
		return nil, cardError(KeyDeclinedOffline, errors.New("the card returned an AAC"))
	}
	card.ODA, card.odaMissing = k.fdda(aid, card.pan)
	tvr := card.TVR()
	k.term[0x95] = tvr[:]
	card.icc = k.field55()
	return card, nil
}

// identify sets the PAN, track 2 and expiry from 5A, 57 and 5F24.
func (k *kernel) identify(card *Card) error {
	var t2pan []byte
	var t2exp string
	if t2, ok := k.card[0x57]; ok {
		var err error
		if t2pan, t2exp, err = parseTrack2(t2); err != nil {
			return cardError(KeyRead, err)
		}
		card.track2 = append([]byte(nil), t2...)
	}
	switch v, ok := k.card[0x5A]; {
	case ok:
		card.pan = decodeCN(v)
		if card.pan == nil {
			return cardError(KeyRead, errors.New("PAN (5A) is not digits"))
		}
		if t2pan != nil && string(t2pan) != string(card.pan) {
			clear(t2pan)
			return cardError(KeyRead, errors.New("the PAN in 5A and in track 2 differ"))
		}
		clear(t2pan)
	case t2pan != nil:
		card.pan = t2pan
	default:
		return cardError(KeyRead, errors.New("the card gave no PAN (5A or 57)"))
	}
	if len(card.pan) < 12 || len(card.pan) > 19 || !luhn(card.pan) {
		return cardError(KeyRead, fmt.Errorf("PAN of %d digits fails the length or Luhn check", len(card.pan)))
	}
	if v, ok := k.card[0x5F24]; ok {
		if len(v) != 3 {
			return cardError(KeyRead, errors.New("expiry date (5F24) is not 3 bytes"))
		}
		card.Expiry = fmt.Sprintf("%02X%02X", v[0], v[1])
	} else {
		card.Expiry = t2exp
	}
	if !validYYMM(card.Expiry) {
		return cardError(KeyRead, fmt.Errorf("expiry %q is not a valid YYMM", card.Expiry))
	}
	return nil
}

// field55 returns the ICC data for ISO 8583 field 55.
func (k *kernel) field55() []byte {
	var out []byte
	for _, tag := range field55Tags {
		v, ok := k.term[tag]
		if !ok {
			v, ok = k.card[tag]
		}
		if ok {
			out = Append(out, tag, v)
		}
	}
	return out
}

// parseTrack2 returns the PAN digits and YYMM of track 2 equivalent data.
func parseTrack2(b []byte) (pan []byte, yymm string, err error) {
	digits := make([]byte, 0, 2*len(b))
	for _, x := range b {
		digits = append(digits, nibble(x>>4), nibble(x&0x0F))
	}
	sep := -1
	for i, d := range digits {
		if d == 'D' {
			sep = i
			break
		}
		if d < '0' || d > '9' {
			break
		}
	}
	if sep < 0 || len(digits) < sep+5 {
		clear(digits)
		return nil, "", errors.New("track 2 (57) has no separator and expiry")
	}
	yymm = string(digits[sep+1 : sep+5])
	pan = append([]byte(nil), digits[:sep]...)
	clear(digits)
	return pan, yymm, nil
}

// nibble returns the hex character of a 4-bit value.
func nibble(d byte) byte { return "0123456789ABCDEF"[d&0x0F] }

// decodeCN decodes a cn value (digits right-padded with F); nil if a
// non-digit comes before the padding.
func decodeCN(b []byte) []byte {
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		for _, d := range [2]byte{x >> 4, x & 0x0F} {
			switch {
			case d <= 9 && (len(out) == 0 || out[len(out)-1] != 'F'):
				out = append(out, '0'+d)
			case d == 0x0F:
				out = append(out, 'F')
			default:
				clear(out)
				return nil
			}
		}
	}
	n := len(out)
	for n > 0 && out[n-1] == 'F' {
		n--
	}
	return out[:n]
}

// luhn reports whether digits pass the Luhn check.
func luhn(digits []byte) bool {
	sum := 0
	for i := range digits {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// validYYMM reports whether s is four digits with a month 01..12.
func validYYMM(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	m := int(s[2]-'0')*10 + int(s[3]-'0')
	return m >= 1 && m <= 12
}

// expired reports whether the YYMM expiry is before the month of the
// transaction date (YY 00-49 is 20YY, 50-99 is 19YY).
func expired(yymm string, tx Transaction) bool {
	y := int(yymm[0]-'0')*10 + int(yymm[1]-'0')
	m := int(yymm[2]-'0')*10 + int(yymm[3]-'0')
	if y < 50 {
		y += 2000
	} else {
		y += 1900
	}
	return y*100+m < tx.Date.Year()*100+int(tx.Date.Month())
}
