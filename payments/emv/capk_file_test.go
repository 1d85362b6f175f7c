package emv_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// testKeyFile is a CA key file with the test CA keys and a revocation.
func testKeyFile() string {
	var b strings.Builder
	b.WriteString("# test CA public keys\n\n")
	for _, k := range emvcard.TestCAKeys() {
		fmt.Fprintf(&b, "  %s  \n", emv.FormatCAKeyLine(k))
	}
	b.WriteString("revoke A000000333 F1 012345\n# end\n")
	return b.String()
}

func TestParseCAKeyFileRoundTrip(t *testing.T) {
	keys, revs, err := emv.ParseCAKeyFile(strings.NewReader(testKeyFile()))
	if err != nil {
		t.Fatal(err)
	}
	want := emvcard.TestCAKeys()
	if len(keys) != len(want) {
		t.Fatalf("%d keys, want %d", len(keys), len(want))
	}
	for i, k := range keys {
		w := want[i]
		if !sameKey(k, w) || k.Expiry.Format(time.DateOnly) != "2049-12-31" {
			t.Errorf("key %d = %X/%02X revoked %v expiry %s, want %X/%02X", i, k.RID, k.Index, k.Revoked, k.Expiry, w.RID, w.Index)
		}
		if emv.FormatCAKeyLine(k) != emv.FormatCAKeyLine(w) {
			t.Errorf("key %d does not format back", i)
		}
	}
	if len(revs) != 1 || hexOf(revs[0].RID) != "A000000333" || revs[0].Index != 0xF1 || hexOf(revs[0].Serial) != "012345" {
		t.Errorf("revocations = %+v", revs)
	}
	// The parsed table authenticates the test cards like TestCAKeys does.
	cfg := emv.DefaultConfig()
	cfg.CAKeys = keys
	if card := readODA(t, emvcard.UnionPayDebit(), cfg); !card.ODA.Passed() {
		t.Errorf("with the parsed keys: %+v", card.ODA)
	}
}

// sameKey reports whether two CA keys are equal but for the Expiry instant.
func sameKey(a, b emv.CAKey) bool {
	return bytes.Equal(a.RID, b.RID) && a.Index == b.Index && bytes.Equal(a.Modulus, b.Modulus) &&
		bytes.Equal(a.Exponent, b.Exponent) && a.Revoked == b.Revoked &&
		a.Expiry.Format("20060102") == b.Expiry.Format("20060102")
}

func TestParseCAKeyFileErrors(t *testing.T) {
	good := emv.FormatCAKeyLine(emvcard.TestCAKeys()[0])
	k := emvcard.TestCAKeys()[0]
	line := func(f func(*emv.CAKey)) string {
		c := k
		c.Modulus = append([]byte(nil), k.Modulus...)
		f(&c)
		return emv.FormatCAKeyLine(c)
	}
	// swap replaces the value of one TLV in a good line (hex, as formatted).
	swap := func(oldObj, newObj string) string {
		if !strings.Contains(good, oldObj) {
			t.Fatalf("%s not in %s", oldObj, good)
		}
		return strings.Replace(good, oldObj, newObj, 1)
	}
	sum := hexOf(k.Checksum())
	cases := []struct {
		name, file, want string
	}{
		{"bad checksum", swap("DF0314"+sum, "DF0314"+strings.Repeat("00", 20)), "line 1: checksum"},
		{"no checksum", swap("DF0314"+sum, ""), "line 1: tag DF03 missing"},
		{"exponent 5", line(func(c *emv.CAKey) { c.Exponent = []byte{0x05} }), "line 1: exponent (DF04) 05"},
		{"RID of 4 bytes", line(func(c *emv.CAKey) { c.RID = c.RID[:4] }), "line 1: RID (9F06) of 4 bytes"},
		{"short modulus", line(func(c *emv.CAKey) { c.Modulus = c.Modulus[:32] }), "line 1: modulus (DF02) of 32 bytes"},
		{"hash SHA-256", swap("DF060101", "DF060102"), "line 1: hash algorithm (DF06) 02"},
		{"algorithm 2", swap("DF070101", "DF070102"), "line 1: public key algorithm (DF07) 02"},
		{"bad date", swap("DF05083230343931323331", "DF05083230343931333331"), "line 1: expiry (DF05) \"20491331\""},
		{"unknown tag", good + "DF0901AA", "line 1: unknown tag DF09"},
		{"twice a tag", good + "9F2201F1", "line 1: tag 9F22 twice"},
		{"revoked flag 02", good + "DF080102", "line 1: revoked flag (DF08) 02"},
		{"not hex", "# keys\n" + good[:10] + "XY", "line 2: not hex"},
		{"truncated TLV", good[:len(good)-2], "line 1: tlv:"},
		{"duplicate key", "\n" + good + "\n#\n" + line(func(c *emv.CAKey) { c.Revoked = true }), "line 4: key A000000333/F1 already on line 2"},
		{"short revocation", good + "\nrevoke A000000333 F1", "line 2: revocation needs RID, index and serial"},
		{"bad serial", "revoke A000000333 F1 0123", "line 1: revocation serial \"0123\" is not 3 hex bytes"},
		{"long line", strings.Repeat("A", 5000), "token too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := emv.ParseCAKeyFile(strings.NewReader(c.file))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
	if keys, revs, err := emv.ParseCAKeyFile(strings.NewReader("# nothing\n\n")); err != nil || keys != nil || revs != nil {
		t.Errorf("empty file: %v %v %v", keys, revs, err)
	}
}

// FuzzParseCAKeyFile checks the parser never panics and that every key it
// accepts formats back to a line that parses to the same key.
func FuzzParseCAKeyFile(f *testing.F) {
	f.Add(testKeyFile())
	f.Add("revoke A000000333 F1 012345\n")
	f.Add(emv.FormatCAKeyLine(emvcard.TestCAKeys()[1]) + "DF0801")
	f.Add("9F0605A0000003339F2201F1\n#\n")
	f.Fuzz(func(t *testing.T, file string) {
		keys, _, err := emv.ParseCAKeyFile(strings.NewReader(file))
		if err != nil {
			return
		}
		for _, k := range keys {
			line := emv.FormatCAKeyLine(k)
			again, _, err := emv.ParseCAKeyFile(strings.NewReader(line))
			if err != nil || len(again) != 1 || !sameKey(again[0], k) || !again[0].Expiry.Equal(k.Expiry) {
				t.Fatalf("key %X/%02X does not round-trip: %v", k.RID, k.Index, err)
			}
		}
	})
}
