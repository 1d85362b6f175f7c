package emv

import "fmt"

// aflEntry is one 4-byte entry of the Application File Locator (94).
type aflEntry struct {
	sfi, first, last, oda byte
}

// maxRecords bounds the records one AFL may ask for.
const maxRecords = 64

// parseAFL splits and checks an AFL: a multiple of 4 bytes; per entry SFI
// 1..30, first record ≠ 0, last ≥ first, ODA count ≤ the records listed.
func parseAFL(b []byte) ([]aflEntry, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("AFL of %d bytes is not a multiple of 4", len(b))
	}
	var out []aflEntry
	total := 0
	for i := 0; i < len(b); i += 4 {
		e := aflEntry{sfi: b[i] >> 3, first: b[i+1], last: b[i+2], oda: b[i+3]}
		switch {
		case b[i]&0x07 != 0 || e.sfi == 0 || e.sfi == 31:
			return nil, fmt.Errorf("AFL entry %d: bad SFI byte %02X", i/4+1, b[i])
		case e.first == 0:
			return nil, fmt.Errorf("AFL entry %d: first record is 0", i/4+1)
		case e.last < e.first:
			return nil, fmt.Errorf("AFL entry %d: last record %d before first %d", i/4+1, e.last, e.first)
		case int(e.oda) > int(e.last)-int(e.first)+1:
			return nil, fmt.Errorf("AFL entry %d: %d ODA records of %d", i/4+1, e.oda, int(e.last)-int(e.first)+1)
		}
		total += int(e.last) - int(e.first) + 1
		if total > maxRecords {
			return nil, fmt.Errorf("AFL lists more than %d records", maxRecords)
		}
		out = append(out, e)
	}
	return out, nil
}
