package emv_test

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// odaConfig is the default configuration with the test CA keys.
func odaConfig() emv.Config {
	cfg := emv.DefaultConfig()
	cfg.CAKeys = emvcard.TestCAKeys()
	return cfg
}

// readODA reads the card of p with cfg and returns it; a failed read fails t.
func readODA(t *testing.T, p emvcard.Profile, cfg emv.Config) *emv.Card {
	t.Helper()
	card, err := emv.Read(context.Background(), emvcard.Transport(emvcard.New(p)), cfg, txn())
	if err != nil {
		t.Fatalf("%s: read failed: %v", p.Name, err)
	}
	t.Cleanup(card.Wipe)
	return card
}

func TestFDDAOutcomes(t *testing.T) {
	expiredCA := odaConfig()
	for i := range expiredCA.CAKeys {
		expiredCA.CAKeys[i].Expiry = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	}
	revokedIssuer := odaConfig()
	revokedIssuer.RevokedIssuers = []emv.Revocation{{RID: []byte{0xA0, 0, 0, 0x03, 0x33}, Index: 0xF1, Serial: []byte{0x00, 0x01, 0x01}}}
	cases := []struct {
		name    string
		profile emvcard.Profile
		cfg     emv.Config
		outcome emv.ODAOutcome
		reason  string
		method  string
		tvr     string
	}{
		{"unionpay", emvcard.UnionPayDebit(), odaConfig(), emv.ODAPassed, "", "fDDA", "0000000000"},
		{"visa", emvcard.VisaCredit(), odaConfig(), emv.ODAPassed, "", "fDDA", "0000000000"},
		{"no ppse visa", emvcard.NoPPSE(), odaConfig(), emv.ODAPassed, "", "fDDA", "0000000000"},
		{"broken signature", emvcard.BrokenSignature(), odaConfig(), emv.ODAFailed, emv.ODAReasonSignature, "fDDA", "0800000000"},
		{"expired issuer cert", emvcard.ExpiredIssuerCert(), odaConfig(), emv.ODAFailed, emv.ODAReasonExpired, "fDDA", "0800000000"},
		{"revoked CA", emvcard.RevokedCAKey(), odaConfig(), emv.ODAFailed, emv.ODAReasonCARevoked, "fDDA", "0800000000"},
		{"unknown CA", emvcard.UnknownCAIndex(), odaConfig(), emv.ODAFailed, emv.ODAReasonUnknownCA, "fDDA", "0800000000"},
		{"no ODA", emvcard.NoODA(), odaConfig(), emv.ODANotPerformed, emv.ODAReasonNotOffered, "", "8000000000"},
		{"mastercard", emvcard.MastercardDebit(), odaConfig(), emv.ODANotPerformed, emv.ODAReasonNotOffered, "", "8000000000"},
		{"no CA table", emvcard.UnionPayDebit(), emv.DefaultConfig(), emv.ODANotPerformed, emv.ODAReasonNoKeys, "", "8000000000"},
		{"CA key expired", emvcard.UnionPayDebit(), expiredCA, emv.ODAFailed, emv.ODAReasonCAExpired, "fDDA", "0800000000"},
		{"issuer serial revoked", emvcard.UnionPayDebit(), revokedIssuer, emv.ODAFailed, emv.ODAReasonCARevoked, "fDDA", "0800000000"},
		{"other scheme's serial", emvcard.VisaCredit(), revokedIssuer, emv.ODAPassed, "", "fDDA", "0000000000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card := readODA(t, c.profile, c.cfg)
			if card.ODA.Outcome != c.outcome || card.ODA.Reason != c.reason || card.ODA.Method != c.method {
				t.Errorf("ODA = %+v, want %s %q %q", card.ODA, c.outcome, c.reason, c.method)
			}
			if card.ODA.Passed() != (c.outcome == emv.ODAPassed) {
				t.Errorf("Passed() = %v", card.ODA.Passed())
			}
			tvr := card.TVR()
			if got := hexOf(tvr[:]); got != c.tvr {
				t.Errorf("TVR = %s, want %s", got, c.tvr)
			}
			if f55 := card.ICCDataHex(); !containsTLV(f55, "9505"+c.tvr) {
				t.Errorf("field 55 %s lacks 95 %s", f55, c.tvr)
			}
			if card.PAN() != c.profile.PAN {
				t.Errorf("PAN %s, want %s", card.PAN(), c.profile.PAN)
			}
		})
	}
}

// hexOf formats b as upper-case hex.
func hexOf(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// containsTLV reports whether hex TLV data f55 contains obj.
func containsTLV(f55, obj string) bool { return strings.Contains(f55, obj) }

// replaceRecord returns p with the value of tag in its records replaced by
// f's answer, leaving the certificates as they were built.
func replaceRecord(p emvcard.Profile, tag uint32, f func([]byte) []byte) emvcard.Profile {
	app := p.Apps[0]
	recs := append([]emvcard.Record(nil), app.Records...)
	for i, r := range recs {
		list, err := emv.Decode(r.Data)
		if err != nil || len(list) != 1 {
			continue
		}
		children := append([]emv.TLV(nil), list[0].Children...)
		for j, c := range children {
			if c.Tag == tag {
				children[j] = emv.TLV{Tag: tag, Value: f(append([]byte(nil), c.Value...))}
				recs[i].Data = emvcard.Template(children...)
			}
		}
	}
	app.Records = recs
	p.Apps = []emvcard.App{app}
	return p
}

func TestFDDATamperedData(t *testing.T) {
	flip := func(b []byte) []byte { b[len(b)/2] ^= 0x10; return b }
	noCerts := emvcard.UnionPayDebit()
	noCerts.Apps[0].AFL = unhexT(t, "0801020210010200") // SFI 2 record 3 (9F46, 9F47, 9F69) unread
	cases := []struct {
		name    string
		profile emvcard.Profile
		reason  string
		tvr     string
	}{
		{"signed record changed", replaceRecord(emvcard.UnionPayDebit(), 0x5F20, func([]byte) []byte { return []byte("TEST/SOMEONE ELSE") }), emv.ODAReasonICCCert, "0800000000"},
		{"issuer certificate corrupted", replaceRecord(emvcard.UnionPayDebit(), 0x90, flip), emv.ODAReasonIssuerCert, "0800000000"},
		{"ICC certificate corrupted", replaceRecord(emvcard.VisaCredit(), 0x9F46, flip), emv.ODAReasonICCCert, "0800000000"},
		{"issuer remainder changed", replaceRecord(emvcard.VisaCredit(), 0x92, flip), emv.ODAReasonIssuerCert, "0800000000"},
		{"9F69 changed", replaceRecord(emvcard.UnionPayDebit(), 0x9F69, flip), emv.ODAReasonSignature, "0800000000"},
		{"fDDA version 00", replaceRecord(emvcard.UnionPayDebit(), 0x9F69, func(b []byte) []byte { b[0] = 0; return b }), emv.ODAReasonData, "0800000000"},
		{"tag list not 82", replaceRecord(emvcard.UnionPayDebit(), 0x9F4A, func([]byte) []byte { return []byte{0x5A} }), emv.ODAReasonData, "0800000000"},
		{"CA index 2 bytes", replaceRecord(emvcard.UnionPayDebit(), 0x8F, func([]byte) []byte { return []byte{0xF1, 0xF1} }), emv.ODAReasonData, "0800000000"},
		{"ICC certificate missing", noCerts, emv.ODAReasonData, "2800000000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card := readODA(t, c.profile, odaConfig())
			tvr := card.TVR()
			if card.ODA.Outcome != emv.ODAFailed || card.ODA.Reason != c.reason || hexOf(tvr[:]) != c.tvr {
				t.Errorf("ODA = %+v, TVR %X; want failed %s, TVR %s", card.ODA, tvr, c.reason, c.tvr)
			}
		})
	}
}

func TestFDDADependsOnTheTransaction(t *testing.T) {
	// The card signs what it was sent: the same card passes for any amount
	// and UN, since the kernel hashes the values of its own GPO.
	for _, amount := range []int64{1, 99999, 123456} {
		tx := txn()
		tx.Amount = amount
		tx.UnpredictableNumber = []byte{byte(amount), 2, 3, 4}
		card, err := emv.Read(context.Background(), emvcard.Transport(emvcard.New(emvcard.UnionPayDebit())), odaConfig(), tx)
		if err != nil {
			t.Fatal(err)
		}
		if !card.ODA.Passed() {
			t.Errorf("amount %d: %+v", amount, card.ODA)
		}
		card.Wipe()
	}
}

func TestCertificateExpiryIsTheMonthEnd(t *testing.T) {
	// The expired issuer certificate is valid to 31 December 2024.
	for _, c := range []struct {
		date time.Time
		want emv.ODAOutcome
	}{
		{time.Date(2024, 12, 31, 23, 0, 0, 0, time.Local), emv.ODAPassed},
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.Local), emv.ODAFailed},
	} {
		tx := txn()
		tx.Date = c.date
		card, err := emv.Read(context.Background(), emvcard.Transport(emvcard.New(emvcard.ExpiredIssuerCert())), odaConfig(), tx)
		if err != nil {
			t.Fatal(err)
		}
		if card.ODA.Outcome != c.want {
			t.Errorf("%s: %+v", c.date.Format(time.DateOnly), card.ODA)
		}
		card.Wipe()
	}
}

func TestSetCVMResults(t *testing.T) {
	for _, p := range []emvcard.Profile{emvcard.UnionPayDebit(), emvcard.MastercardDebit()} {
		card := readODA(t, p, odaConfig())
		before := card.ICCData()
		card.SetCVMResults([3]byte{0x1E, 0x03, 0x00}) // signature, successful
		card.SetCVMResults([3]byte{0x1F, 0x03, 0x02}) // replaced: no CVM performed
		f55 := card.ICCDataHex()
		if strings.Count(f55, "9F3403") != 1 || !strings.Contains(f55, "9F34031F0302") {
			t.Fatalf("%s: field 55 %s", p.Name, f55)
		}
		if got, want := tagsWithout(t, card.ICCData()), tagsWithout(t, before); got != want {
			t.Errorf("%s: other objects changed:\n%s\n%s", p.Name, got, want)
		}
		if got := tagOrder(t, card.ICCData()); !strings.Contains(got, " 9F34 ") || strings.Index(got, "9F34") < strings.Index(got, "9F03") {
			t.Errorf("%s: 9F34 out of place: %s", p.Name, got)
		}
	}
	var wiped emv.Card
	wiped.SetCVMResults([3]byte{1, 2, 3})
	if wiped.ICCDataHex() != "" {
		t.Error("a wiped card got ICC data")
	}
}

// tagsWithout returns the objects of field 55 data other than 9F34, as hex.
func tagsWithout(t *testing.T, f55 []byte) string {
	t.Helper()
	list, err := emv.Decode(f55)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, o := range list {
		if o.Tag != 0x9F34 {
			out = emv.Append(out, o.Tag, o.Value)
		}
	}
	return hexOf(out)
}

// tagOrder returns the tags of field 55 data, space-separated.
func tagOrder(t *testing.T, f55 []byte) string {
	t.Helper()
	list, err := emv.Decode(f55)
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, o := range list {
		tags = append(tags, emv.TagString(o.Tag))
	}
	return " " + strings.Join(tags, " ") + " "
}

// unhexT decodes hex for a test.
func unhexT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
