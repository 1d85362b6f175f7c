package emv

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

// vectorTransport answers the §1.11 Visa flow by command and keeps every
// response it handed out.
type vectorTransport struct {
	t        *testing.T
	answers  map[string]string
	sent     []string
	returned [][]byte
}

func newVectorTransport(t *testing.T) *vectorTransport {
	return &vectorTransport{t: t, answers: map[string]string{
		hexUpper(SelectCommand(PPSEName)): vecPPSE + "9000",
		hexUpper(SelectCommand(AIDVisa)):  vecSelectVisa + "9000",
		vecGPOCommand:                     vecGPOResponse + "9000",
		"00B2010C00":                      vecRecord + "9000",
	}}
}

func (v *vectorTransport) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	cmd := hexUpper(apdu)
	v.sent = append(v.sent, cmd)
	answer, ok := v.answers[cmd]
	if !ok {
		answer = "6D00"
	}
	resp := unhex(v.t, answer)
	v.returned = append(v.returned, resp)
	return resp, nil
}

// vectorInput is the configuration and transaction of the §1.11 vectors.
func vectorInput() (Config, Transaction) {
	cfg := DefaultConfig()
	cfg.TTQ = [4]byte{0x36, 0x00, 0x00, 0x00}
	return cfg, Transaction{
		Amount:              1234,
		Currency:            "156",
		Date:                time.Date(2026, 3, 15, 10, 30, 0, 0, time.Local),
		UnpredictableNumber: []byte{0x11, 0x22, 0x33, 0x44},
	}
}

func TestReadVectors(t *testing.T) {
	tr := newVectorTransport(t)
	cfg, tx := vectorInput()
	card, err := Read(context.Background(), tr, cfg, tx)
	if err != nil {
		t.Fatalf("Read: %v (sent %v)", err, tr.sent)
	}
	wantSent := []string{"00A404000E325041592E5359532E444446303100", "00A4040007A000000003101000", vecGPOCommand, "00B2010C00"}
	if len(tr.sent) != len(wantSent) {
		t.Fatalf("sent %v, want %v", tr.sent, wantSent)
	}
	for i := range wantSent {
		if tr.sent[i] != wantSent[i] {
			t.Errorf("APDU %d = %s, want %s", i+1, tr.sent[i], wantSent[i])
		}
	}
	checks := map[string][2]string{
		"PAN":      {card.PAN(), "4111111111111111"},
		"Masked":   {card.Masked(), "**** **** **** 1111"},
		"Expiry":   {card.Expiry, "3012"},
		"Track2":   {card.Track2(), "4111111111111111=30122010000000"},
		"Name":     {card.CardholderName, "TEST/CARDHOLDER"},
		"Label":    {card.Label, "VISA CREDIT"},
		"AID":      {card.AID, "A0000000031010"},
		"Scheme":   {card.Scheme, "visa"},
		"CTQ":      {hexUpper(card.CTQ), "0000"},
		"AIP":      {hexUpper(card.AIP), "2000"},
		"Crypto":   {card.Cryptogram(), "ARQC"},
		"Sequence": {card.PANSequence, ""},
		// TVR byte 1 80: the card's AIP has the DDA bit but it gave no 9F4B,
		// so offline data authentication was not performed.
		"Field55": {card.ICCDataHex(), "9F26080102030405060708" + "9F270180" + "9F370411223344" + "9F36020001" +
			"95058000000000" + "9A03260315" + "9C0100" + "9F0206000000001234" + "5F2A020156" + "82022000" +
			"9F1A020156" + "9F0306000000000000" + "8407A0000000031010"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if card.APDUs != 4 {
		t.Errorf("APDUs = %d, want 4", card.APDUs)
	}
	for i, r := range tr.returned {
		for _, b := range r {
			if b != 0 {
				t.Fatalf("response %d was not wiped: %X", i+1, r)
			}
		}
	}
}

func TestGPOCommandVector(t *testing.T) {
	cfg, tx := vectorInput()
	cfg, _ = cfg.withDefaults()
	tx, _ = tx.withDefaults(cfg)
	term, err := terminalData(cfg, tx)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := Decode(unhex(t, vecSelectVisa))
	pdol, _ := Find(list, 0x9F38)
	entries, err := parseDOL(pdol.Value)
	if err != nil {
		t.Fatal(err)
	}
	data, err := fillDOL(entries, func(tag uint32) ([]byte, bool) { v, ok := term[tag]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := GPOCommand(data)
	if err != nil || hexUpper(cmd) != vecGPOCommand {
		t.Errorf("GPO = %X, %v; want %s", cmd, err, vecGPOCommand)
	}
	if cmd, _ := GPOCommand(nil); hexUpper(cmd) != "80A80000028300"+"00" {
		t.Errorf("GPO without PDOL = %X", cmd)
	}
	if _, err := GPOCommand(make([]byte, 253)); err == nil {
		t.Error("oversized GPO accepted")
	}
}

func TestWipe(t *testing.T) {
	cfg, tx := vectorInput()
	card, err := Read(context.Background(), newVectorTransport(t), cfg, tx)
	if err != nil {
		t.Fatal(err)
	}
	pan, track2, icc := card.pan, card.track2, card.icc
	if len(pan) == 0 || len(track2) == 0 || len(icc) == 0 {
		t.Fatal("nothing to wipe")
	}
	card.Wipe()
	for name, b := range map[string][]byte{"pan": pan, "track2": track2, "icc": icc} {
		for _, x := range b {
			if x != 0 {
				t.Fatalf("%s not zeroed: %X", name, b)
			}
		}
	}
	if card.PAN() != "" || card.Track2() != "" || card.ICCDataHex() != "" || card.Masked() != "" {
		t.Error("wiped card still shows data")
	}
}

func TestOverLimitBeforeAnyAPDU(t *testing.T) {
	tr := newVectorTransport(t)
	cfg, tx := vectorInput()
	cfg.ContactlessLimit = 1234
	_, err := Read(context.Background(), tr, cfg, tx)
	assertKey(t, err, KeyOverLimit)
	if len(tr.sent) != 0 {
		t.Errorf("sent %v before refusing", tr.sent)
	}
	cfg.ContactlessLimit = 1235
	if _, err := Read(context.Background(), newVectorTransport(t), cfg, tx); err != nil {
		t.Errorf("below the limit: %v", err)
	}
}

func TestReadBadInput(t *testing.T) {
	cfg, tx := vectorInput()
	bad := []func(*Config, *Transaction){
		func(_ *Config, tx *Transaction) { tx.Amount = -1 },
		func(_ *Config, tx *Transaction) { tx.Amount = 1_000_000_000_000 },
		func(_ *Config, tx *Transaction) { tx.Currency = "CNY" },
		func(_ *Config, tx *Transaction) { tx.UnpredictableNumber = []byte{1} },
		func(c *Config, _ *Transaction) { c.Country = "1567" + "0" },
		func(c *Config, _ *Transaction) { c.AIDs = [][]byte{{0xA0}} },
		func(c *Config, _ *Transaction) { c.TerminalCapabilities = []byte{1} },
	}
	for i, f := range bad {
		c, x := cfg, tx
		f(&c, &x)
		if _, err := Read(context.Background(), newVectorTransport(t), c, x); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	if _, err := Read(context.Background(), nil, cfg, tx); err == nil {
		t.Error("nil transport accepted")
	}
}

func TestExpired(t *testing.T) {
	cfg, tx := vectorInput()
	tx.Date = time.Date(2030, 12, 31, 23, 59, 0, 0, time.Local)
	if _, err := Read(context.Background(), newVectorTransport(t), cfg, tx); err != nil {
		t.Errorf("last month of validity: %v", err)
	}
	tx.Date = time.Date(2031, 1, 1, 0, 0, 0, 0, time.Local)
	_, err := Read(context.Background(), newVectorTransport(t), cfg, tx)
	assertKey(t, err, KeyExpired)
}

// assertKey fails t unless err is a *models.Error with key.
func assertKey(t *testing.T, err error, key string) {
	t.Helper()
	var me *models.Error
	if !errors.As(err, &me) {
		t.Fatalf("error %v is not a *models.Error (want %s)", err, key)
	}
	if me.Key != key || me.Code != models.EINVALID || me.Fallback == "" {
		t.Fatalf("error key %q code %q (%v), want %s", me.Key, me.Code, err, key)
	}
}

func TestTrack2AndCN(t *testing.T) {
	pan, exp, err := parseTrack2(unhex(t, "4111111111111111D30122010000000F"))
	if err != nil || string(pan) != "4111111111111111" || exp != "3012" {
		t.Errorf("parseTrack2 = %s %s %v", pan, exp, err)
	}
	for _, bad := range []string{"4111111111111111", "41111111D301", "4A11D3012201"} {
		if _, _, err := parseTrack2(unhex(t, bad)); err == nil {
			t.Errorf("track 2 %s accepted", bad)
		}
	}
	if got := decodeCN(unhex(t, "378282246310005F")); string(got) != "378282246310005" {
		t.Errorf("decodeCN = %s", got)
	}
	if got := decodeCN(unhex(t, "41F1")); got != nil {
		t.Errorf("digit after padding accepted: %s", got)
	}
	c := &Card{pan: []byte("6212345678901232")}
	if c.Masked() != "**** **** **** 1232" {
		t.Errorf("Masked = %s", c.Masked())
	}
}
