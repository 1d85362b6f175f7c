package acquirer

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

var (
	term    = Terminal{TID: "T0000001", MID: "898310012345678"}
	at      = time.Date(2026, 11, 24, 10, 30, 15, 0, time.UTC)
	testKey = func() *MACKey {
		k, _ := NewMACKey([]byte("0123456789abcdef"))
		return k
	}()
)

func sale() Request {
	return Request{MTI: MTISaleRequest, ProcCode: ProcPurchase, Amount: 1250, Currency: "156", STAN: 42,
		Time: at, EntryMode: EntryContactless, Track2: "6212345678901234=30122010000000000000",
		ICC: "9F2608C2A1B3D4E5F60718", Reference: "T01-00000042-1", Batch: 3}
}

func TestSaleRoundTripWithMAC(t *testing.T) {
	m, err := sale().Build(term)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PackSigned(m, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("0200")) {
		t.Fatalf("packed message starts %q", b[:8])
	}
	got, err := Unpack(b, testKey)
	if err != nil {
		t.Fatal(err)
	}
	// Values come back without their padding.
	for id, want := range map[int]string{3: "0", 4: "1250", 11: "000042", 22: "072", 41: term.TID,
		42: term.MID, 49: "156", 60: "000003", 62: "T01-00000042-1", 7: "1124103015"} {
		if v, _ := got.GetString(id); v != want {
			t.Errorf("field %d = %q, want %q", id, v, want)
		}
	}
	// Any changed byte breaks the MAC.
	for _, i := range []int{5, len(b) / 2, len(b) - 17} {
		bad := bytes.Clone(b)
		bad[i] ^= 0x01
		if _, err := Unpack(bad, testKey); err == nil {
			t.Errorf("flipping byte %d went unnoticed", i)
		}
	}
	// Another key does not verify.
	other, _ := NewMACKey([]byte("fedcba9876543210"))
	if _, err := Unpack(b, other); !errors.Is(err, ErrBadMAC) {
		t.Errorf("wrong key: %v", err)
	}
}

func TestSecondaryBitmapMessagesUseField128(t *testing.T) {
	m, err := Request{MTI: MTISettlementRequest, ProcCode: "920000", STAN: 7, Time: at, Batch: 3}.Build(term)
	if err != nil {
		t.Fatal(err)
	}
	m.Field(74, "12")
	m.Field(86, "123456")
	b, err := PackSigned(m, testKey)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unpack(b, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if mac, _ := got.GetString(128); len(mac) != 16 {
		t.Fatalf("field 128 = %q", mac)
	}
	if v, _ := got.GetString(86); v != "123456" {
		t.Fatalf("field 86 = %q", v)
	}
}

func TestEchoHasNoMAC(t *testing.T) {
	m, err := Echo(term, 1, at)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unpack(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.GetString(70); v != "301" {
		t.Fatalf("field 70 = %q", v)
	}
}

func TestBuildRefusesBadRequests(t *testing.T) {
	r := sale()
	r.STAN = 0
	if _, err := r.Build(term); err == nil {
		t.Error("STAN 0 accepted")
	}
	if _, err := sale().Build(Terminal{TID: "short", MID: term.MID}); err == nil {
		t.Error("short TID accepted")
	}
	r = sale()
	r.Track2 = strings.Repeat("9", 40)
	m, err := r.Build(term)
	if err == nil {
		_, err = PackSigned(m, testKey)
	}
	if err == nil {
		t.Error("40-digit track 2 accepted")
	}
}

func TestCheckResponse(t *testing.T) {
	req, _ := sale().Build(term)
	resp := func(mti string, edit func(r *Request)) *Request {
		r := sale()
		r.MTI = mti
		if edit != nil {
			edit(&r)
		}
		return &r
	}
	cases := map[string]struct {
		r  *Request
		ok bool
	}{
		"matching":      {resp(MTISaleResponse, nil), true},
		"wrong MTI":     {resp(MTIAdviceResponse, nil), false},
		"wrong STAN":    {resp(MTISaleResponse, func(r *Request) { r.STAN = 43 }), false},
		"wrong process": {resp(MTISaleResponse, func(r *Request) { r.ProcCode = ProcRefund }), false},
	}
	for name, c := range cases {
		m, err := c.r.Build(term)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckResponse(req, m); (err == nil) != c.ok {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	other, _ := sale().Build(Terminal{TID: "T0000002", MID: term.MID})
	other.MTI(MTISaleResponse)
	if CheckResponse(req, other) == nil {
		t.Error("another terminal's response accepted")
	}
}

func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, []byte("0800abc")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes()[:2], []byte{0, 7}) {
		t.Fatalf("header %x", buf.Bytes()[:2])
	}
	got, err := ReadFrame(&buf)
	if err != nil || string(got) != "0800abc" {
		t.Fatalf("read %q, %v", got, err)
	}
	for name, in := range map[string][]byte{"truncated": {0, 9, '0'}, "empty": {0, 0}, "huge": {0xff, 0xff}, "no header": {1}} {
		if _, err := ReadFrame(bytes.NewReader(in)); err == nil {
			t.Errorf("%s frame accepted", name)
		}
	}
	if WriteFrame(&buf, nil) == nil || WriteFrame(&buf, make([]byte, MaxFrame+1)) == nil {
		t.Error("bad frame written")
	}
}

func TestResponseErrors(t *testing.T) {
	if ResponseError(Approved) != nil {
		t.Fatal("approved is an error")
	}
	for _, c := range []string{"05", "51", "54", "55", "61", "91", "94", "96"} {
		var e *models.Error
		if !errors.As(ResponseError(c), &e) || e.Key != "acquirer.rc."+c || e.Fallback == "" {
			t.Errorf("code %s: %v", c, ResponseError(c))
		}
	}
	var e *models.Error
	if !errors.As(ResponseError("Q7"), &e) || e.Key != "acquirer.rc.unknown" || !strings.Contains(e.Error(), "Q7") {
		t.Errorf("unknown code: %v", ResponseError("Q7"))
	}
}

func FuzzUnpack(f *testing.F) {
	m, _ := sale().Build(term)
	signed, _ := PackSigned(m, testKey)
	echo, _ := Echo(term, 1, at)
	plain, _ := echo.Pack()
	f.Add(signed)
	f.Add(plain)
	f.Add([]byte("0210"))
	f.Add([]byte("0210FFFFFFFFFFFFFFFF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, err := Unpack(b, testKey); err == nil {
			if _, err := got.GetMTI(); err != nil {
				t.Fatalf("accepted a message without an MTI: %x", b)
			}
		}
		Unpack(b, nil)
		ReadFrame(bytes.NewReader(b))
	})
}

// Field 63 of an answer names the wallet that paid a QR payment; anything
// but a short lowercase name is ignored.
func TestResponseNamesTheWallet(t *testing.T) {
	for field63, want := range map[string]string{"alipay": "alipay", "wechat": "wechat", "": "",
		"WECHAT": "", "we chat": "", "微信": "", strings.Repeat("a", 17): "", "cup\x00": ""} {
		m := NewMessage()
		m.MTI(MTISaleResponse)
		m.Field(39, Approved)
		if field63 != "" {
			if err := m.Field(63, field63); err != nil {
				t.Fatal(err)
			}
		}
		r, err := ParseResponse(m)
		if err != nil {
			t.Fatal(err)
		}
		if r.Wallet != want {
			t.Errorf("field 63 %q: wallet %q, want %q", field63, r.Wallet, want)
		}
	}
}

// BenchmarkPackSigned and BenchmarkUnpack are where an authorization's
// time goes: each round trip packs and unpacks twice (terminal and host).
func BenchmarkPackSigned(b *testing.B) {
	key, _ := NewMACKey([]byte("0123456789abcdef"))
	for b.Loop() {
		m, _ := Request{MTI: MTISaleRequest, ProcCode: ProcPurchase, Amount: 1000, Currency: "156", STAN: 1,
			Time: time.Now(), EntryMode: EntryContactless, Reference: "bench"}.Build(term)
		if _, err := PackSigned(m, key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnpack(b *testing.B) {
	key, _ := NewMACKey([]byte("0123456789abcdef"))
	m, _ := Request{MTI: MTISaleRequest, ProcCode: ProcPurchase, Amount: 1000, Currency: "156", STAN: 1,
		Time: time.Now(), EntryMode: EntryContactless, Reference: "bench"}.Build(term)
	raw, _ := PackSigned(m, key)
	for b.Loop() {
		if _, err := Unpack(raw, key); err != nil {
			b.Fatal(err)
		}
	}
}
