package emv

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// errNextCandidate tells Read to try the next candidate application.
var errNextCandidate = errors.New("emv: try the next application")

// kernel holds the state of one Read.
type kernel struct {
	ch      *Channel
	cfg     Config
	tx      Transaction
	term    map[uint32][]byte // terminal data objects
	card    map[uint32][]byte // data objects from the selected application
	buffers [][]byte          // responses to wipe when the read ends
	static  []byte            // static data to be authenticated (records the AFL flags)
}

// Read reads the contactless card on t for tx: it selects the PPSE (or, when
// the card has none, each configured AID in turn), picks the first
// application the terminal accepts, runs GET PROCESSING OPTIONS, reads the
// records the AFL lists and, if the card has not produced an application
// cryptogram yet, asks for an ARQC with GENERATE AC. Failures the cashier can
// act on are *models.Error values with the Key* keys of this package; a card
// that answered TC is returned like one that answered ARQC, with CID telling
// them apart. Response buffers are zeroed before Read returns.
func Read(ctx context.Context, t Transport, cfg Config, tx Transaction) (*Card, error) {
	if t == nil {
		return nil, errors.New("emv: no transport")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if tx, err = tx.withDefaults(cfg); err != nil {
		return nil, err
	}
	if cfg.ContactlessLimit > 0 && tx.Amount >= cfg.ContactlessLimit {
		return nil, cardError(KeyOverLimit, fmt.Errorf("amount %d at or above the contactless limit %d", tx.Amount, cfg.ContactlessLimit))
	}
	ch, ok := t.(*Channel)
	if !ok {
		ch = NewChannel(t)
	}
	start := ch.Count()
	k := &kernel{ch: ch, cfg: cfg, tx: tx}
	defer k.wipe()
	if k.term, err = terminalData(cfg, tx); err != nil {
		return nil, err
	}
	cands, err := k.candidates(ctx)
	if err != nil {
		return nil, err
	}
	var last error
	for _, c := range cands {
		card, err := k.tryApp(ctx, c)
		if errors.Is(err, errNextCandidate) {
			last = err
			continue
		}
		if card != nil {
			card.APDUs = ch.Count() - start
		}
		return card, err
	}
	return nil, cardError(KeyNoApp, last)
}

// transmit sends cmd through the channel, remembers the response for wiping
// and turns a transport failure into a read error.
func (k *kernel) transmit(ctx context.Context, what string, cmd []byte) (data []byte, sw uint16, err error) {
	resp, err := k.ch.Transmit(ctx, cmd)
	if err != nil {
		return nil, 0, cardError(KeyRead, fmt.Errorf("%s: %w", what, err))
	}
	k.buffers = append(k.buffers, resp)
	data, sw = splitSW(resp)
	return data, sw, nil
}

// wipe zeroes every response the read received.
func (k *kernel) wipe() {
	for _, b := range k.buffers {
		clear(b)
	}
	k.buffers = nil
	clear(k.static)
	k.static = nil
}

// readError returns a read error for a status word the step did not expect.
func readError(what string, sw uint16) error {
	return cardError(KeyRead, fmt.Errorf("%s: card answered %04X", what, sw))
}

// tryApp selects candidate c and reads it. errNextCandidate means the
// application cannot be used and the next one should be tried.
func (k *kernel) tryApp(ctx context.Context, c candidate) (*Card, error) {
	k.card = map[uint32][]byte{}
	clear(k.static)
	k.static = nil
	data, sw, err := k.transmit(ctx, "SELECT AID", SelectCommand(c.aid))
	if err != nil {
		return nil, err
	}
	switch sw {
	case SWOK:
	case SWFunctionNotSupp:
		return nil, cardError(KeyNotAccepted, fmt.Errorf("SELECT %X: card blocked (6A81)", c.aid))
	default: // 6283 blocked, 6A82 absent, anything else: not usable
		return nil, fmt.Errorf("SELECT %X answered %04X: %w", c.aid, sw, errNextCandidate)
	}
	fci, err := Decode(data)
	if err != nil {
		return nil, cardError(KeyRead, fmt.Errorf("FCI of %X: %w", c.aid, err))
	}
	aid := c.aid
	if df, ok := Find(fci, 0x84); ok && len(df.Value) >= 5 && len(df.Value) <= 16 {
		if !c.fromPPSE && !hasPrefix(df.Value, c.aid) {
			return nil, fmt.Errorf("SELECT %X gave DF name %X: %w", c.aid, df.Value, errNextCandidate)
		}
		aid = df.Value
	}
	k.collect(fci)
	if err := k.gpo(ctx); err != nil {
		return nil, err
	}
	afl, err := parseAFL(k.card[0x94])
	if err != nil {
		return nil, cardError(KeyRead, err)
	}
	if err := k.readRecords(ctx, afl); err != nil {
		return nil, err
	}
	if _, ok := k.card[0x9F26]; !ok {
		if err := k.generateAC(ctx); err != nil {
			return nil, err
		}
	}
	return k.result(c, aid)
}

// gpo sends GET PROCESSING OPTIONS with the PDOL data and stores AIP, AFL
// and whatever else the card returned.
func (k *kernel) gpo(ctx context.Context) error {
	entries, err := parseDOL(k.card[0x9F38])
	if err != nil {
		return cardError(KeyRead, fmt.Errorf("PDOL: %w", err))
	}
	pdolData, err := fillDOL(entries, k.lookup)
	if err != nil {
		return cardError(KeyRead, fmt.Errorf("PDOL: %w", err))
	}
	cmd, err := GPOCommand(pdolData)
	if err != nil {
		return cardError(KeyRead, err)
	}
	data, sw, err := k.transmit(ctx, "GET PROCESSING OPTIONS", cmd)
	if err != nil {
		return err
	}
	switch sw {
	case SWOK:
	case SWConditionsNotMet:
		return fmt.Errorf("GET PROCESSING OPTIONS answered 6985: %w", errNextCandidate)
	default:
		return readError("GET PROCESSING OPTIONS", sw)
	}
	list, err := Decode(data)
	if err != nil {
		return cardError(KeyRead, fmt.Errorf("GPO response: %w", err))
	}
	if len(list) == 0 {
		return cardError(KeyRead, errors.New("GPO response is empty"))
	}
	switch gpo := list[0]; gpo.Tag {
	case 0x80:
		if len(gpo.Value) < 2 {
			return cardError(KeyRead, errors.New("GPO format 1 response has no AIP"))
		}
		k.set(0x82, gpo.Value[:2])
		k.set(0x94, gpo.Value[2:])
	case 0x77:
		k.collect(gpo.Children)
	default:
		return cardError(KeyRead, fmt.Errorf("GPO response template %s is neither 80 nor 77", TagString(gpo.Tag)))
	}
	if len(k.card[0x82]) != 2 {
		return cardError(KeyRead, errors.New("GPO response has no 2-byte AIP"))
	}
	return nil
}

// readRecords reads every record the AFL lists, keeping the first n of each
// entry that the AFL flags for offline data authentication as static data.
// Any status other than 9000, a record that is not one 70 template, or a
// primitive object found twice ends the read.
func (k *kernel) readRecords(ctx context.Context, afl []aflEntry) error {
	seen := map[uint32]bool{}
	for _, e := range afl {
		for rec := int(e.first); rec <= int(e.last); rec++ {
			what := fmt.Sprintf("READ RECORD SFI %d record %d", e.sfi, rec)
			data, sw, err := k.transmit(ctx, what, ReadRecordCommand(e.sfi, byte(rec)))
			if err != nil {
				return err
			}
			if sw != SWOK {
				return readError(what, sw)
			}
			list, err := Decode(data)
			if err != nil {
				return cardError(KeyRead, fmt.Errorf("%s: %w", what, err))
			}
			if len(list) != 1 || list[0].Tag != 0x70 {
				return cardError(KeyRead, fmt.Errorf("%s: not a single 70 template", what))
			}
			if rec-int(e.first) < int(e.oda) {
				k.addStatic(e.sfi, data, list[0])
			}
			var dup uint32
			walk(list[0].Children, func(t TLV) {
				if seen[t.Tag] && dup == 0 {
					dup = t.Tag
				}
				seen[t.Tag] = true
				k.put(t.Tag, t.Value)
			})
			if dup != 0 {
				return cardError(KeyRead, fmt.Errorf("%s: %s appears twice in the records", what, TagString(dup)))
			}
		}
	}
	return nil
}

// generateAC asks a card that returned no cryptogram during GPO (format 1,
// e.g. Mastercard M/Chip) for an ARQC, filling CDOL1 (8C).
func (k *kernel) generateAC(ctx context.Context) error {
	cdol, ok := k.card[0x8C]
	if !ok {
		return cardError(KeyRead, errors.New("the card gave no cryptogram and no CDOL1"))
	}
	entries, err := parseDOL(cdol)
	if err != nil {
		return cardError(KeyRead, fmt.Errorf("CDOL1: %w", err))
	}
	data, err := fillDOL(entries, k.lookup)
	if err != nil {
		return cardError(KeyRead, fmt.Errorf("CDOL1: %w", err))
	}
	cmd, err := generateACCommand(CIDARQC, data)
	if err != nil {
		return cardError(KeyRead, err)
	}
	resp, sw, err := k.transmit(ctx, "GENERATE AC", cmd)
	if err != nil {
		return err
	}
	if sw != SWOK {
		return readError("GENERATE AC", sw)
	}
	list, err := Decode(resp)
	if err != nil {
		return cardError(KeyRead, fmt.Errorf("GENERATE AC response: %w", err))
	}
	if len(list) == 0 {
		return cardError(KeyRead, errors.New("GENERATE AC response is empty"))
	}
	switch t := list[0]; t.Tag {
	case 0x80:
		if len(t.Value) < 11 {
			return cardError(KeyRead, errors.New("GENERATE AC format 1 response shorter than 11 bytes"))
		}
		k.set(0x9F27, t.Value[:1])
		k.set(0x9F36, t.Value[1:3])
		k.set(0x9F26, t.Value[3:11])
		if len(t.Value) > 11 {
			k.set(0x9F10, t.Value[11:])
		}
	case 0x77:
		walk(t.Children, func(o TLV) { k.set(o.Tag, o.Value) })
	default:
		return cardError(KeyRead, fmt.Errorf("GENERATE AC response template %s is neither 80 nor 77", TagString(t.Tag)))
	}
	if len(k.card[0x9F26]) == 0 {
		return cardError(KeyRead, errors.New("GENERATE AC response has no cryptogram"))
	}
	return nil
}

// walk calls f for every primitive object in list, depth-first.
func walk(list []TLV, f func(TLV)) {
	for _, t := range list {
		if t.Constructed() {
			walk(t.Children, f)
			continue
		}
		f(t)
	}
}

// collect stores every primitive object of list not stored yet.
func (k *kernel) collect(list []TLV) { walk(list, func(t TLV) { k.put(t.Tag, t.Value) }) }

// put stores a card data object unless one with that tag is stored already.
func (k *kernel) put(tag uint32, v []byte) {
	if _, ok := k.card[tag]; !ok {
		k.card[tag] = v
	}
}

// set stores a card data object, replacing any earlier value.
func (k *kernel) set(tag uint32, v []byte) { k.card[tag] = v }

// lookup finds the value of a DOL entry: terminal data first, then card data.
func (k *kernel) lookup(tag uint32) ([]byte, bool) {
	if v, ok := k.term[tag]; ok {
		return v, true
	}
	v, ok := k.card[tag]
	return v, ok
}

// hasPrefix reports whether b begins with prefix.
func hasPrefix(b, prefix []byte) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == string(prefix)
}

// hexUpper formats b as upper-case hex.
func hexUpper(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
