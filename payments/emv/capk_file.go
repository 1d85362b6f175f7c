package emv

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Tags of a CA public key line, as terminal management systems ship CAPKs.
const (
	capkRID      = 0x9F06 // RID, 5 bytes
	capkIndex    = 0x9F22 // CA public key index, 1 byte
	capkExpiry   = 0xDF05 // expiry YYYYMMDD, 8 ASCII digits
	capkHashAlg  = 0xDF06 // hash algorithm indicator, 01 SHA-1
	capkPKAlg    = 0xDF07 // public key algorithm indicator, 01 RSA
	capkModulus  = 0xDF02
	capkExponent = 0xDF04 // 03 or 010001
	capkChecksum = 0xDF03 // SHA-1 over RID, index, modulus, exponent
	capkRevoked  = 0xDF08 // optional: 01 revoked, 00 not
)

// capkRequired are the tags every key line must have.
var capkRequired = []uint32{capkRID, capkIndex, capkExpiry, capkHashAlg, capkPKAlg, capkModulus, capkExponent, capkChecksum}

// minCAModulus is the shortest CA modulus accepted, in bytes (512 bits).
const minCAModulus = 64

// maxCAKeyLine bounds the length of one line of a CA key file.
const maxCAKeyLine = 4096

// ParseCAKeyFile reads a CA public key file: one entry a line, blank lines
// and lines starting with '#' ignored. A key line is hex TLV: 9F06 RID,
// 9F22 index, DF05 expiry (YYYYMMDD as ASCII digits), DF06 hash algorithm
// 01, DF07 algorithm 01, DF02 modulus, DF04 exponent (03 or 010001), DF03
// checksum (must equal CAKey.Checksum) and optionally DF08 01 for a revoked
// key. A revocation line reads "revoke <RID hex> <index hex> <serial hex>"
// and names a revoked issuer certificate. The key's Expiry is the end of
// its expiry day, UTC. Errors name the line.
func ParseCAKeyFile(r io.Reader) (CAKeys, []Revocation, error) {
	var keys CAKeys
	var revs []Revocation
	lineOf := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), maxCAKeyLine)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if f := strings.Fields(line); f[0] == "revoke" {
			rev, err := parseRevocation(f[1:])
			if err != nil {
				return nil, nil, fmt.Errorf("emv: CA key file line %d: %w", n, err)
			}
			revs = append(revs, rev)
			continue
		}
		k, err := parseCAKeyLine(line)
		if err != nil {
			return nil, nil, fmt.Errorf("emv: CA key file line %d: %w", n, err)
		}
		id := fmt.Sprintf("%X/%02X", k.RID, k.Index)
		if first, ok := lineOf[id]; ok {
			return nil, nil, fmt.Errorf("emv: CA key file line %d: key %s already on line %d", n, id, first)
		}
		lineOf[id] = n
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("emv: CA key file: %w", err)
	}
	return keys, revs, nil
}

// parseRevocation parses the fields after "revoke": RID, index, serial.
func parseRevocation(f []string) (Revocation, error) {
	if len(f) != 3 {
		return Revocation{}, fmt.Errorf("revocation needs RID, index and serial, got %d fields", len(f))
	}
	var b [3][]byte
	for i, want := range [3]int{5, 1, 3} {
		v, err := hex.DecodeString(f[i])
		if err != nil || len(v) != want {
			return Revocation{}, fmt.Errorf("revocation %s %q is not %d hex bytes", [3]string{"RID", "index", "serial"}[i], f[i], want)
		}
		b[i] = v
	}
	return Revocation{RID: b[0], Index: b[1][0], Serial: b[2]}, nil
}

// parseCAKeyLine parses one key line of hex TLV.
func parseCAKeyLine(line string) (CAKey, error) {
	raw, err := hex.DecodeString(strings.Join(strings.Fields(line), ""))
	if err != nil {
		return CAKey{}, fmt.Errorf("not hex: %w", err)
	}
	list, err := Decode(raw)
	if err != nil {
		return CAKey{}, err
	}
	v := map[uint32][]byte{}
	for _, t := range list {
		switch t.Tag {
		case capkRID, capkIndex, capkExpiry, capkHashAlg, capkPKAlg, capkModulus, capkExponent, capkChecksum, capkRevoked:
		default:
			return CAKey{}, fmt.Errorf("unknown tag %s", TagString(t.Tag))
		}
		if _, dup := v[t.Tag]; dup {
			return CAKey{}, fmt.Errorf("tag %s twice", TagString(t.Tag))
		}
		v[t.Tag] = t.Value
	}
	for _, t := range capkRequired {
		if _, ok := v[t]; !ok {
			return CAKey{}, fmt.Errorf("tag %s missing", TagString(t))
		}
	}
	k := CAKey{
		RID:      append([]byte(nil), v[capkRID]...),
		Modulus:  append([]byte(nil), v[capkModulus]...),
		Exponent: append([]byte(nil), v[capkExponent]...),
	}
	switch {
	case len(k.RID) != 5:
		return CAKey{}, fmt.Errorf("RID (9F06) of %d bytes, want 5", len(k.RID))
	case len(v[capkIndex]) != 1:
		return CAKey{}, fmt.Errorf("index (9F22) of %d bytes, want 1", len(v[capkIndex]))
	case !bytes.Equal(v[capkHashAlg], []byte{hashSHA1}):
		return CAKey{}, fmt.Errorf("hash algorithm (DF06) %X, want 01", v[capkHashAlg])
	case !bytes.Equal(v[capkPKAlg], []byte{algRSA}):
		return CAKey{}, fmt.Errorf("public key algorithm (DF07) %X, want 01", v[capkPKAlg])
	case len(k.Modulus) < minCAModulus || len(k.Modulus) > maxModulus:
		return CAKey{}, fmt.Errorf("modulus (DF02) of %d bytes, want %d to %d", len(k.Modulus), minCAModulus, maxModulus)
	case k.Modulus[0] == 0:
		return CAKey{}, errors.New("modulus (DF02) has a leading zero byte")
	case !validExponent(k.Exponent):
		return CAKey{}, fmt.Errorf("exponent (DF04) %X, want 03 or 010001", k.Exponent)
	}
	k.Index = v[capkIndex][0]
	if k.Expiry, err = parseCAExpiry(v[capkExpiry]); err != nil {
		return CAKey{}, err
	}
	if rev, ok := v[capkRevoked]; ok {
		switch {
		case bytes.Equal(rev, []byte{0x01}):
			k.Revoked = true
		case bytes.Equal(rev, []byte{0x00}):
		default:
			return CAKey{}, fmt.Errorf("revoked flag (DF08) %X, want 00 or 01", rev)
		}
	}
	if sum := k.Checksum(); !bytes.Equal(sum, v[capkChecksum]) {
		return CAKey{}, fmt.Errorf("checksum (DF03) %X does not match the key (%X)", v[capkChecksum], sum)
	}
	return k, nil
}

// parseCAExpiry parses DF05, YYYYMMDD in ASCII digits, as the end of that
// day in UTC.
func parseCAExpiry(b []byte) (time.Time, error) {
	if len(b) != 8 {
		return time.Time{}, fmt.Errorf("expiry (DF05) of %d bytes, want 8 digits YYYYMMDD", len(b))
	}
	d, err := time.Parse("20060102", string(b))
	if err != nil || d.Format("20060102") != string(b) {
		return time.Time{}, fmt.Errorf("expiry (DF05) %q is not a date YYYYMMDD", b)
	}
	return d.Add(24*time.Hour - time.Second), nil
}

// FormatCAKeyLine formats k as a key line of a CA key file (hex TLV), with
// the checksum computed from the key and DF08 01 when it is revoked.
// ParseCAKeyFile reads it back.
func FormatCAKeyLine(k CAKey) string {
	var b []byte
	b = Append(b, capkRID, k.RID)
	b = Append(b, capkIndex, []byte{k.Index})
	b = Append(b, capkExpiry, []byte(k.Expiry.Format("20060102")))
	b = Append(b, capkHashAlg, []byte{hashSHA1})
	b = Append(b, capkPKAlg, []byte{algRSA})
	b = Append(b, capkModulus, k.Modulus)
	b = Append(b, capkExponent, k.Exponent)
	b = Append(b, capkChecksum, k.Checksum())
	if k.Revoked {
		b = Append(b, capkRevoked, []byte{0x01})
	}
	return hexUpper(b)
}
