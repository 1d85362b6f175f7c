package screens

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	gzqrcode "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/qrpay"
)

// emvObject is one data object of an EMVCo payload, as the specification
// lays it out: a two-digit ID, a two-digit length in characters, the value.
type emvObject struct{ id, value string }

// emvObjects splits s into data objects, counting lengths in characters.
// It is written from EMV QRCPS-MPM §4.7 for this test, apart from the
// package that builds the payload.
func emvObjects(t *testing.T, s string) []emvObject {
	t.Helper()
	var out []emvObject
	rest := []rune(s)
	for len(rest) > 0 {
		if len(rest) < 4 {
			t.Fatalf("truncated data object at %q", string(rest))
		}
		id, lenText := string(rest[:2]), string(rest[2:4])
		n, err := strconv.Atoi(lenText)
		if err != nil || n < 1 || n > 99 || len(rest) < 4+n {
			t.Fatalf("object %s: bad length %q in %q", id, lenText, string(rest))
		}
		out = append(out, emvObject{id, string(rest[4 : 4+n])})
		rest = rest[4+n:]
	}
	return out
}

// emvCRC is CRC-16/CCITT-FALSE (ISO/IEC 13239, polynomial 1021, initial
// FFFF) over the UTF-8 bytes of s, as four uppercase hex digits.
func emvCRC(s string) string {
	crc := uint16(0xFFFF)
	for _, b := range []byte(s) {
		for i := 7; i >= 0; i-- {
			bit := (b>>i)&1 == 1
			top := crc&0x8000 != 0
			crc <<= 1
			if top != bit {
				crc ^= 0x1021
			}
		}
	}
	return fmt.Sprintf("%04X", crc)
}

// commonCharset reports whether s is all in the common character set
// (printable ASCII, 0x20 to 0x7E).
func commonCharset(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7E {
			return false
		}
	}
	return true
}

// decodeQR reads the one QR code in img.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	hints := map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_CHARACTER_SET: "UTF-8", // the payload's encoding (EMV QRCPS-MPM §1.4.3)
		gozxing.DecodeHintType_TRY_HARDER:    true,
	}
	res, err := gzqrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return ""
	}
	return res.GetText()
}

// TestPayQRScreenCodeMeetsEMVCo reads the QR code off the pay screen, as a
// wallet's camera would, and checks each field against EMV QRCPS-MPM v1.1.
func TestPayQRScreenCodeMeetsEMVCo(t *testing.T) {
	ui := newTestUI(t, cashier)
	w := ui.Window
	o := orderOf(t, cola, 2)
	cfg := qrpay.DefaultDemoMerchant()
	// No Latin name set: the pinyin of the Chinese is used.
	cfg.MerchantNames = qrpay.MerchantNames{LocalName: "街角小店", LocalCity: "杭州"}.Filled()
	payload, err := qrpay.DynamicOrder(cfg, o.Due(), "T01-00000051", "T01")
	if err != nil {
		t.Fatal(err)
	}
	qr := &fakeQR{payload: payload, left: 90 * time.Second, await: payments.QRResult{Approved: true, Code: "00"}}
	p := NewPayQR(ui, qr, o)
	showOn(ui, p.Content())

	var shot image.Image
	qr.seen = func() { shot = w.Canvas().Capture() } // while the code is shown
	tap(t, w, "Show QR code")
	if shot == nil {
		t.Fatal("the screen was not captured while the code was shown")
	}
	if dir := os.Getenv("TILL_SCREENSHOT_DIR"); dir != "" {
		if f, err := os.Create(filepath.Join(dir, "pay_qr_emvco.png")); err == nil {
			_ = png.Encode(f, shot)
			_ = f.Close()
		}
	}
	text := decodeQR(t, shot)
	if text != payload {
		t.Fatalf("the screen's QR reads %q, want the payload %q", text, payload)
	}

	objs := emvObjects(t, text)
	byID := map[string]string{}
	for _, ob := range objs {
		if _, dup := byID[ob.id]; dup {
			t.Fatalf("object %s appears twice", ob.id)
		}
		byID[ob.id] = ob.value
	}
	// 00 first, 63 last, over everything before its value.
	if objs[0].id != "00" || objs[0].value != "01" {
		t.Fatalf("payload format indicator: %+v, want 00 = \"01\" first", objs[0])
	}
	last := objs[len(objs)-1]
	if last.id != "63" || len(last.value) != 4 {
		t.Fatalf("CRC object: %+v, want 63 last with 4 characters", last)
	}
	if want := emvCRC(text[:len(text)-4]); last.value != want {
		t.Fatalf("CRC %s, recomputed %s", last.value, want)
	}
	for id, want := range map[string]string{
		"01": "12",  // dynamic: a code for this sale only
		"53": "156", // CNY
		"54": "7.00",
		"58": "CN",
	} {
		if byID[id] != want {
			t.Errorf("object %s = %q, want %q", id, byID[id], want)
		}
	}
	if mcc := byID["52"]; len(mcc) != 4 || strings.Trim(mcc, "0123456789") != "" {
		t.Errorf("merchant category code 52 = %q, want four digits", mcc)
	}
	accounts := 0
	for _, ob := range objs {
		if n, _ := strconv.Atoi(ob.id); n >= 2 && n <= 51 {
			accounts++
		}
	}
	if accounts == 0 {
		t.Error("no merchant account information (02 to 51)")
	}
	for id, limit := range map[string]int{"59": 25, "60": 15} {
		v := byID[id]
		if n := utf8.RuneCountInString(v); n < 1 || n > limit || !commonCharset(v) {
			t.Errorf("object %s = %q: want 1 to %d characters of the common character set", id, v, limit)
		}
	}
	if byID["59"] != "JIEJIAOXIAODIAN" || byID["60"] != "HANGZHOU" {
		t.Errorf("name and city in Latin letters: %q, %q", byID["59"], byID["60"])
	}
	lang, ok := byID["64"]
	if !ok {
		t.Fatal("no language template 64")
	}
	sub := map[string]string{}
	for _, ob := range emvObjects(t, lang) {
		sub[ob.id] = ob.value
	}
	if sub["00"] != "ZH" || sub["01"] != "街角小店" || sub["02"] != "杭州" || len(sub) != 3 {
		t.Errorf("language template 64 = %q: want 00 ZH, 01 街角小店, 02 杭州", lang)
	}
	if n := utf8.RuneCountInString(sub["01"]); n > 25 {
		t.Errorf("64.01 has %d characters", n)
	}
	if n := utf8.RuneCountInString(sub["02"]); n > 15 {
		t.Errorf("64.02 has %d characters", n)
	}
	// And the package's own parser agrees.
	if _, err := qrpay.Parse(text); err != nil {
		t.Fatalf("qrpay.Parse of the screen's code: %v", err)
	}
}
