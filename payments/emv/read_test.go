package emv_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/emv"
	"github.com/till-pos/till/payments/emv/emvcard"
)

// txn is the transaction the end-to-end tests read for.
func txn() emv.Transaction {
	return emv.Transaction{Amount: 1234, Currency: "156", Date: time.Date(2026, 3, 15, 12, 0, 0, 0, time.Local),
		UnpredictableNumber: []byte{0xA1, 0xB2, 0xC3, 0xD4}}
}

// read reads the emulated card of p with the default configuration.
func read(t *testing.T, p emvcard.Profile) (*emv.Card, error) {
	t.Helper()
	return emv.Read(context.Background(), emvcard.Transport(emvcard.New(p)), emv.DefaultConfig(), txn())
}

func TestReadProfiles(t *testing.T) {
	cases := []struct {
		name    string
		profile emvcard.Profile
		scheme  string
		masked  string
		name55  string
		seq     string
		apdus   int
	}{
		{"unionpay", emvcard.UnionPayDebit(), "unionpay", "**** **** **** 1232", "TEST/UNIONPAY", "01", 8},
		{"visa", emvcard.VisaCredit(), "visa", "**** **** **** 1111", "TEST/CARDHOLDER", "", 7},
		{"mastercard", emvcard.MastercardDebit(), "mastercard", "**** **** **** 4444", "TEST/DEBIT MASTERCARD", "00", 7},
		{"no ppse", emvcard.NoPPSE(), "visa", "**** **** **** 1111", "TEST/CARDHOLDER", "", 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card, err := read(t, c.profile)
			if err != nil {
				t.Fatal(err)
			}
			defer card.Wipe()
			if card.PAN() != c.profile.PAN || card.Expiry != c.profile.Expiry || card.Scheme != c.scheme ||
				card.Masked() != c.masked || card.CardholderName != c.name55 || card.PANSequence != c.seq {
				t.Errorf("card = %s %s %s %s %q %q", card.PAN(), card.Expiry, card.Scheme, card.Masked(), card.CardholderName, card.PANSequence)
			}
			if f55 := card.ICCDataHex(); !strings.HasPrefix(f55, "9F2608") || !strings.Contains(f55, "9F3704") {
				t.Errorf("field 55 = %s", f55)
			}
			if card.Cryptogram() != "ARQC" {
				t.Errorf("cryptogram %s", card.Cryptogram())
			}
			if tr := card.Track2(); !strings.HasPrefix(tr, c.profile.PAN+"="+c.profile.Expiry) {
				t.Errorf("track 2 = %s", tr)
			}
			if card.APDUs != c.apdus {
				t.Errorf("APDUs = %d, want %d", card.APDUs, c.apdus)
			}
			t.Logf("%s: %d APDUs, field 55 %d bytes", c.profile.Name, card.APDUs, len(card.ICCData()))
		})
	}
}

func TestReadBrokenProfiles(t *testing.T) {
	blockedOnly := emvcard.VisaCredit()
	blockedOnly.Apps[0].Blocked = true
	refused := emvcard.UnionPayDebit()
	refused.Apps[0].RefuseGPO = true
	declined := emvcard.VisaCredit()
	declined.Apps[0].CID = emv.CIDAAC
	cases := []struct {
		name    string
		profile emvcard.Profile
		key     string
	}{
		{"expired", emvcard.Expired(), emv.KeyExpired},
		{"unknown AID", emvcard.UnknownAIDOnly(), emv.KeyNotAccepted},
		{"bad TLV", emvcard.BadTLV(), emv.KeyRead},
		{"removed", emvcard.RemovedMidRead(), emv.KeyRead},
		{"blocked only", blockedOnly, emv.KeyNoApp},
		{"GPO refused", refused, emv.KeyNoApp},
		{"AAC", declined, emv.KeyDeclinedOffline},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card, err := read(t, c.profile)
			if card != nil {
				t.Fatalf("got a card: %s", card.Masked())
			}
			var me *models.Error
			if !errors.As(err, &me) || me.Key != c.key {
				t.Fatalf("error %v, want key %s", err, c.key)
			}
			t.Logf("%s: %v", c.profile.Name, err)
		})
	}
}

func TestRemovedWrapsCause(t *testing.T) {
	_, err := read(t, emvcard.RemovedMidRead())
	if !errors.Is(err, emvcard.ErrCardRemoved) {
		t.Errorf("error %v does not wrap ErrCardRemoved", err)
	}
}

func TestReadSkipsBlockedAndRefusedApps(t *testing.T) {
	visa := emvcard.VisaCredit().Apps[0]
	blocked := emvcard.UnionPayDebit().Apps[0]
	blocked.Blocked = true
	refused := emvcard.MastercardDebit().Apps[0]
	refused.RefuseGPO = true
	refused.Priority = 2
	visa.Priority = 3
	prof := emvcard.Profile{Name: "three apps (test)", Apps: []emvcard.App{visa, refused, blocked}}
	card, err := read(t, prof)
	if err != nil {
		t.Fatal(err)
	}
	// PPSE, SELECT UnionPay (6283), SELECT Mastercard, GPO (6985),
	// SELECT Visa, GPO, READ RECORD ×4 (data, then three of certificates).
	if card.Scheme != "visa" || card.APDUs != 10 {
		t.Errorf("scheme %s after %d APDUs", card.Scheme, card.APDUs)
	}
}

func TestReadChainingFaults(t *testing.T) {
	for _, base := range []emvcard.Profile{emvcard.VisaCredit(), emvcard.UnionPayDebit(), emvcard.MastercardDebit()} {
		plain, err := read(t, base)
		if err != nil {
			t.Fatal(err)
		}
		for _, fault := range []string{"61XX", "6CXX", "both"} {
			p := base
			p.ChainChunk = map[string]int{"61XX": 16, "6CXX": 0, "both": 7}[fault]
			p.WrongLe = fault != "61XX"
			card, err := read(t, p)
			if err != nil {
				t.Fatalf("%s with %s: %v", base.Name, fault, err)
			}
			if card.PAN() != plain.PAN() || card.ICCDataHex() != plain.ICCDataHex() || card.Track2() != plain.Track2() {
				t.Errorf("%s with %s read differently", base.Name, fault)
			}
			if card.APDUs <= plain.APDUs {
				t.Errorf("%s with %s: %d APDUs, no more than plain %d", base.Name, fault, card.APDUs, plain.APDUs)
			}
			t.Logf("%s with %s: %d APDUs (plain %d)", base.Name, fault, card.APDUs, plain.APDUs)
		}
	}
}

func TestReadOverLimit(t *testing.T) {
	cfg := emv.DefaultConfig()
	cfg.ContactlessLimit = 100000 // ¥1000
	tx := txn()
	tx.Amount = 100000
	_, err := emv.Read(context.Background(), emvcard.Transport(emvcard.New(emvcard.UnionPayDebit())), cfg, tx)
	var me *models.Error
	if !errors.As(err, &me) || me.Key != emv.KeyOverLimit {
		t.Fatalf("error %v, want over limit", err)
	}
	tx.Amount = 99999
	if _, err := emv.Read(context.Background(), emvcard.Transport(emvcard.New(emvcard.UnionPayDebit())), cfg, tx); err != nil {
		t.Errorf("below the limit: %v", err)
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := emv.Read(ctx, emvcard.Transport(emvcard.New(emvcard.VisaCredit())), emv.DefaultConfig(), txn())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
}

func TestReadOnlyVisaConfigured(t *testing.T) {
	cfg := emv.DefaultConfig()
	cfg.AIDs = [][]byte{emv.AIDVisa}
	_, err := emv.Read(context.Background(), emvcard.Transport(emvcard.New(emvcard.UnionPayDebit())), cfg, txn())
	var me *models.Error
	if !errors.As(err, &me) || me.Key != emv.KeyNotAccepted {
		t.Fatalf("error %v, want not accepted", err)
	}
}

func TestReadSharedChannelCounts(t *testing.T) {
	ch := emv.NewChannel(emvcard.Transport(emvcard.New(emvcard.VisaCredit())))
	for i := 0; i < 2; i++ {
		card, err := emv.Read(context.Background(), ch, emv.DefaultConfig(), txn())
		if err != nil || card.APDUs != 7 {
			t.Fatalf("read %d: %v, %d APDUs", i, err, card.APDUs)
		}
	}
	if ch.Count() != 14 {
		t.Errorf("channel count %d, want 14", ch.Count())
	}
}

func BenchmarkReadVisa(b *testing.B) {
	card := emvcard.New(emvcard.VisaCredit())
	tr := emvcard.Transport(card)
	for b.Loop() {
		c, err := emv.Read(context.Background(), tr, emv.DefaultConfig(), txn())
		if err != nil {
			b.Fatal(err)
		}
		c.Wipe()
	}
}

func BenchmarkReadUnionPay(b *testing.B) {
	tr := emvcard.Transport(emvcard.New(emvcard.UnionPayDebit()))
	for b.Loop() {
		c, err := emv.Read(context.Background(), tr, emv.DefaultConfig(), txn())
		if err != nil {
			b.Fatal(err)
		}
		c.Wipe()
	}
}
