package acquirer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
	"github.com/till-pos/till/payments/esign/esigntest"
)

// signedSale makes an approved sale and the upload of its signature.
func signedSale(t *testing.T, h *simhost.Host, j *models.Store, a *acquirer.Authorizer, key string, amount int64) acquirer.SignatureUpload {
	t.Helper()
	r, err := a.Sale(context.Background(), key, amount, acquirer.CardData{EntryMode: acquirer.EntryContactless, Track2: cardTrack2, ICC: cardICC})
	if err != nil || !r.Approved() {
		t.Fatalf("sale: %+v, %v", r, err)
	}
	img, w, err := esigntest.Sample().PNGWithin(acquirer.MaxSignatureImage+1, 384, 320, 256, 192)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("signature image: %d dots wide, %d bytes", w, len(img))
	batch, err := j.BatchNumber(context.Background(), "T01")
	if err != nil {
		t.Fatal(err)
	}
	return acquirer.SignatureUpload{Amount: amount, Currency: models.CNY, RRN: r.RRN, AuthCode: r.AuthCode,
		Batch: batch, At: time.Now(), MerchantName: "好邻居便利店", AID: "A000000333010101",
		AC: "0102030405060708", Image: img}
}

func TestSignatureUploadReachesTheHost(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	u := signedSale(t, h, j, a, "T01-00000001-1", 30000)
	if err := a.UploadSignature(context.Background(), u); err != nil {
		t.Fatalf("upload: %v", err)
	}
	got, ok := h.Signature(term.TID, u.RRN)
	if !ok || !bytes.Equal(got, u.Image) {
		t.Fatalf("the host has %d bytes (%v), the terminal sent %d", len(got), ok, len(u.Image))
	}
	// Sent again (its answer lost, say): the host has it already (94),
	// which is success, and keeps the first.
	again := u
	again.Image = append([]byte(nil), u.Image...)
	if err := a.UploadSignature(context.Background(), again); err != nil {
		t.Fatalf("repeated upload: %v", err)
	}
	if r := h.Refusals(); len(r) != 1 || !strings.Contains(r[0], "signed already") {
		t.Fatalf("refusals: %q", r)
	}
	if n, sum := h.Charged(); n != 1 || sum != 30000 {
		t.Fatalf("an upload moved money: %d, %d", n, sum)
	}
}

func TestSignatureUploadForAnUnknownSaleIsRefused(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	u := signedSale(t, h, j, a, "T01-00000001-1", 30000)
	u.RRN = "999999999999"
	var e *models.Error
	if err := a.UploadSignature(context.Background(), u); !errors.As(err, &e) || e.Key != "acquirer.rc.25" {
		t.Fatalf("upload for another RRN: %v", err)
	}
}

func TestSignatureUploadRefusesABadAnswerMAC(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	u := signedSale(t, h, j, a, "T01-00000001-1", 30000)
	h.SignWithWrongKey(mustKey("0123456789ABCDEF"))
	if err := a.UploadSignature(context.Background(), u); !errors.Is(err, acquirer.ErrBadMAC) {
		t.Fatalf("an answer under the wrong key: %v", err)
	}
}

func TestSignatureUploadWithABadMACIsNotFiled(t *testing.T) {
	h, j := startHost(t), newJournal(t)
	a := authorizer(t, h, j)
	u := signedSale(t, h, j, a, "T01-00000001-1", 30000) // the terminal has signed on
	m, err := u.Build(term, 900001, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := acquirer.PackSigned(m, mustKey("0123456789ABCDEF"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", h.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if err := acquirer.WriteFrame(c, b); err != nil {
		t.Fatal(err)
	}
	out, err := acquirer.ReadFrame(bufio.NewReader(c))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := acquirer.Unpack(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := resp.GetString(39); code != acquirer.CodeBadMAC {
		t.Fatalf("answer %q to a bad MAC", code)
	}
	if _, ok := h.Signature(term.TID, u.RRN); ok {
		t.Fatal("the host filed a signature whose MAC did not verify")
	}
}

func TestSignatureUploadMessage(t *testing.T) {
	at := time.Date(2025, 12, 25, 14, 30, 5, 0, time.Local)
	u := acquirer.SignatureUpload{Amount: 30000, Currency: models.CNY, RRN: "000000000123", AuthCode: "123456",
		SettlementDate: "1225", Batch: 7, At: at, MerchantName: "好邻居", AID: "A000000333010101",
		AC: "0102030405060708", Image: []byte("\x89PNG not really")}
	m, err := u.Build(term, 42, at)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{0: "0820", 4: "000000030000", 11: "000042", 15: "1225", 37: "000000000123",
		41: term.TID, 42: term.MID, 49: "156", 60: "07000007800", 62: base64.StdEncoding.EncodeToString(u.Image)}
	for id, v := range want {
		if got, _ := m.GetString(id); got != v {
			t.Errorf("field %d = %q, want %q", id, got, v)
		}
	}
	f55, _ := m.GetString(55)
	tags, err := acquirer.ReceiptData(f55)
	if err != nil {
		t.Fatal(err)
	}
	for tag, v := range map[uint32]string{
		acquirer.TagMerchantName: "\xba\xc3\xc1\xda\xbe\xd3", // 好邻居 in GBK
		acquirer.TagTxnType:      "SALE",
		acquirer.TagDateTime:     "\x20\x25\x12\x25\x14\x30\x05",
		acquirer.TagAuthCode:     "123456",
		acquirer.TagCurrency:     "156",
		acquirer.TagAID:          "\xA0\x00\x00\x03\x33\x01\x01\x01",
		acquirer.TagAC:           "\x01\x02\x03\x04\x05\x06\x07\x08",
	} {
		if got := string(tags[tag]); got != v {
			t.Errorf("tag %X = % X, want % X", tag, got, v)
		}
	}
	// Too large an image, or none, is refused before anything is sent.
	for _, n := range []int{0, acquirer.MaxSignatureImage + 1} {
		u.Image = make([]byte, n)
		if _, err := u.Build(term, 43, at); !errors.Is(err, acquirer.ErrSignatureImage) {
			t.Errorf("an image of %d bytes: %v", n, err)
		}
	}
	// The largest image fits field 62 and a frame.
	u.Image = bytes.Repeat([]byte{0xFF}, acquirer.MaxSignatureImage)
	m, err = u.Build(term, 44, at)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := acquirer.PackSigned(m, mustKey("0123456789ABCDEF")); err != nil || len(b) > acquirer.MaxFrame {
		t.Fatalf("the largest upload: %d bytes, %v", len(b), err)
	}
}

func TestReceiptDataRefusesBadTLV(t *testing.T) {
	for _, s := range []string{"zz", "FF", "FF00", "FF0005414243", "FF8000", "FF0082000100", "FF000141FF000142", "9F"} {
		if tags, err := acquirer.ReceiptData(s); err == nil {
			t.Errorf("ReceiptData(%s) = %v, want an error", s, tags)
		}
	}
	if tags, err := acquirer.ReceiptData("FF0003414243" + "5A0112" + "FF0A8181" + strings.Repeat("00", 129)); err != nil ||
		string(tags[0xFF00]) != "ABC" || len(tags[0x5A]) != 1 || len(tags[0xFF0A]) != 129 {
		t.Fatalf("ReceiptData: %v, %v", tags, err)
	}
}

func FuzzReceiptData(f *testing.F) {
	f.Add("FF0003414243FF0104534148450FF0607202512251430")
	f.Add("FF0A8103313536")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := acquirer.ReceiptData(s)
		if err != nil {
			return
		}
		n := 0
		for _, v := range tags {
			n += len(v)
		}
		if n > len(s)/2 {
			t.Fatalf("%d value bytes out of %d", n, len(s)/2)
		}
	})
}
