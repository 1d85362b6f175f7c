package acquirer

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/moov-io/iso8583"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/emv"
)

// The electronic-signature (电签) upload: an 0820 whose field 60 names
// network management code 800, answered by an 0830.
const (
	MTISignatureUpload     = "0820"
	MTISignatureUploadResp = "0830"
	NetSignatureUpload     = "800"
	// SignatureTxnType is field 60.1 of the upload.
	SignatureTxnType = "07"
)

// Tags of the receipt data an upload carries in field 55 (private class,
// as Newland's terminals send them). Each is primitive, although BER would
// read FFxx as constructed.
const (
	TagMerchantName = 0xFF00 // GBK text
	TagTxnType      = 0xFF01 // ASCII, "SALE"
	TagDateTime     = 0xFF06 // YYYYMMDDhhmmss, 7 bytes BCD
	TagAuthCode     = 0xFF07 // ASCII, 6 characters
	TagCurrency     = 0xFF0A // ASCII, ISO 4217 numeric ("156")
	TagAID          = 0xFF22 // binary
	TagAC           = 0xFF23 // binary: the application cryptogram (9F26)
)

// MaxSignatureImage is the largest image an upload carries, in bytes.
// Newland's terminals refuse 900 bytes or more; in Till's ASCII spec field
// 62 carries the image in base64 within its 999 characters, which holds 747.
const MaxSignatureImage = 747

// maxMerchantName caps FF00, in GBK bytes.
const maxMerchantName = 40

// SignatureUpload is what an e-signature upload says about an approved sale.
type SignatureUpload struct {
	Amount         int64 // minor units
	Currency       models.Currency
	RRN            string    // field 37 of the sale's answer
	AuthCode       string    // field 38 of the sale's answer
	SettlementDate string    // MMDD (field 15) when the host gave one, else ""
	Batch          int       // the sale's batch (60.2)
	At             time.Time // when the sale was approved (FF06), local time
	MerchantName   string    // printed on the slip (FF00)
	AID            string    // hex, from the card (FF22); "" if none
	AC             string    // hex, the cryptogram 9F26 (FF23); "" if none
	// Image is the signature as the acquirer takes it. Newland's terminals
	// send JBIG; Till has no JBIG encoder and sends a 1-bit PNG
	// (esign.Signature.PNGWithin(MaxSignatureImage+1, ...)).
	Image []byte
}

// ErrSignatureImage means the upload's image is missing or too large.
var ErrSignatureImage = errors.New("acquirer: signature image missing or too large")

// receiptData is field 55 of u: its receipt data as TLV.
func (u SignatureUpload) receiptData() ([]byte, error) {
	var b []byte
	if u.MerchantName != "" {
		name, err := simplifiedchinese.GBK.NewEncoder().String(u.MerchantName)
		if err != nil {
			return nil, fmt.Errorf("acquirer: merchant name in GBK: %w", err)
		}
		b = emv.Append(b, TagMerchantName, []byte(truncateGBK(name, maxMerchantName)))
	}
	b = emv.Append(b, TagTxnType, []byte("SALE"))
	dt, err := hex.DecodeString(u.At.Format("20060102150405"))
	if err != nil {
		return nil, fmt.Errorf("acquirer: FF06: %w", err)
	}
	b = emv.Append(b, TagDateTime, dt)
	if u.AuthCode != "" {
		b = emv.Append(b, TagAuthCode, []byte(u.AuthCode))
	}
	if c := numericCurrency(u.Currency); c != "" {
		b = emv.Append(b, TagCurrency, []byte(c))
	}
	for _, f := range []struct {
		tag uint32
		hex string
	}{{TagAID, u.AID}, {TagAC, u.AC}} {
		if f.hex == "" {
			continue
		}
		v, err := hex.DecodeString(f.hex)
		if err != nil {
			return nil, fmt.Errorf("acquirer: tag %X: %w", f.tag, err)
		}
		b = emv.Append(b, f.tag, v)
	}
	return b, nil
}

// truncateGBK cuts GBK text to at most n bytes without splitting a
// two-byte character.
func truncateGBK(s string, n int) string {
	i := 0
	for i < len(s) {
		w := 1
		if s[i] >= 0x81 {
			w = 2
		}
		if i+w > n {
			break
		}
		i += w
	}
	return s[:i]
}

// Build makes the 0820 of u from terminal t under a new STAN: amount (4),
// STAN (11), transmission time (7, 12, 13), settlement date (15, when
// known), RRN (37), TID and MID (41, 42), currency (49), the receipt data
// as TLV in hex (55), field 60 = 60.1 "07" ‖ 60.2 batch ‖ 60.3 "800", and
// the image in base64 (62). The card number (field 2) is not sent: Till
// does not keep it. The MAC (64) is added when it is sent.
func (u SignatureUpload) Build(t Terminal, stan int, now time.Time) (*iso8583.Message, error) {
	if len(u.Image) == 0 || len(u.Image) > MaxSignatureImage {
		return nil, fmt.Errorf("%w: %d bytes", ErrSignatureImage, len(u.Image))
	}
	if len(u.RRN) != 12 {
		return nil, fmt.Errorf("acquirer: signature upload: RRN %q is not 12 characters", u.RRN)
	}
	if u.Batch < 0 || u.Batch > 999999 {
		return nil, fmt.Errorf("acquirer: signature upload: batch %d out of range", u.Batch)
	}
	m, err := Request{MTI: MTISignatureUpload, STAN: stan, Time: now, Amount: u.Amount,
		Currency: numericCurrency(u.Currency), RRN: u.RRN}.Build(t)
	if err != nil {
		return nil, err
	}
	tlv, err := u.receiptData()
	if err != nil {
		return nil, err
	}
	fields := map[int]string{
		55: hex.EncodeToString(tlv),
		60: fmt.Sprintf("%s%06d%s", SignatureTxnType, u.Batch, NetSignatureUpload),
		62: base64.StdEncoding.EncodeToString(u.Image),
	}
	if u.SettlementDate != "" {
		fields[15] = u.SettlementDate
	}
	for id, v := range fields {
		if err := m.Field(id, v); err != nil {
			return nil, fmt.Errorf("acquirer: signature upload field %d: %w", id, err)
		}
	}
	return m, nil
}

// UploadSignature sends the signature of an approved sale to the host
// (0820, 60.3 = 800) under a new STAN, holding the link like any other
// exchange. The host's 00, or 94 (it has the signature already: an earlier
// answer was lost), is success; any other answer is its ResponseError. The
// caller resends a failed upload (three times, and again before
// settlement) and prints the slip with the signature when all fail.
func (a *Authorizer) UploadSignature(ctx context.Context, u SignatureUpload) error {
	return a.hold(ctx, func() error {
		if a.Link == nil {
			return ErrUnreachable
		}
		stan, err := a.Journal.NextSTAN(ctx, a.TerminalID)
		if err != nil {
			return err
		}
		m, err := u.Build(a.Terminal, stan, time.Now())
		if err != nil {
			return err
		}
		resp, err := a.Link.Send(ctx, m)
		if err != nil {
			return fmt.Errorf("acquirer: signature upload for RRN %s: %w", u.RRN, err)
		}
		r, err := ParseResponse(resp)
		if err != nil {
			return err
		}
		if r.Code == Approved || r.Code == "94" {
			return nil
		}
		return fmt.Errorf("acquirer: signature upload for RRN %s: %w", u.RRN, r.Err())
	})
}

// ReceiptData reads field 55 of a signature upload (hex) as its tags and
// values. The FFxx tags are read as primitive; a tag of more than two
// bytes, a length beyond the data or beyond 255, or a tag given twice is
// an error, never a panic.
func ReceiptData(field55 string) (map[uint32][]byte, error) {
	b, err := hex.DecodeString(field55)
	if err != nil {
		return nil, fmt.Errorf("acquirer: receipt data: %w", err)
	}
	out := map[uint32][]byte{}
	for off := 0; off < len(b); {
		start := off
		tag := uint32(b[off])
		off++
		if tag&0x1F == 0x1F {
			if off >= len(b) || b[off]&0x80 != 0 {
				return nil, fmt.Errorf("acquirer: receipt data: tag at %d too long or cut short", start)
			}
			tag = tag<<8 | uint32(b[off])
			off++
		}
		if off >= len(b) {
			return nil, fmt.Errorf("acquirer: receipt data: tag %X at %d has no length", tag, start)
		}
		l := int(b[off])
		off++
		if l == 0x81 {
			if off >= len(b) {
				return nil, fmt.Errorf("acquirer: receipt data: length of %X cut short", tag)
			}
			l = int(b[off])
			off++
		} else if l > 0x7F {
			return nil, fmt.Errorf("acquirer: receipt data: length form %#x of %X", l, tag)
		}
		if l > len(b)-off {
			return nil, fmt.Errorf("acquirer: receipt data: %X announces %d bytes, %d left", tag, l, len(b)-off)
		}
		if _, dup := out[tag]; dup {
			return nil, fmt.Errorf("acquirer: receipt data: %X given twice", tag)
		}
		out[tag] = b[off : off+l : off+l]
		off += l
	}
	return out, nil
}
