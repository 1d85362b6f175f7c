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
