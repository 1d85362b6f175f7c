package simhost

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"strconv"

	"github.com/moov-io/iso8583"

	"github.com/till-pos/till/payments/acquirer"
)

// signature files the e-signature upload of a sale (0820 with 60.3 800,
// its MAC checked already): 00 when filed, 94 when that sale's signature
// was filed before (kept as it was), 25 when no standing sale of the
// terminal has the RRN, 30 when the message is not an upload Till's way
// (h.mu held).
func (h *Host) signature(req, resp *iso8583.Message, tid string, keys *acquirer.WorkingKeys) ([]byte, error) {
	rrn, _ := req.GetString(37)
	code, why := h.checkSignature(req, tid, rrn)
	switch code {
	case acquirer.Approved:
		if h.signatures == nil {
			h.signatures = map[string][]byte{}
		}
		img, _ := req.GetString(62)
		b, _ := base64.StdEncoding.DecodeString(img)
		h.signatures[tid+"/"+rrn] = b
	default:
		h.refused("signature upload for RRN %s: %s", rrn, why)
	}
	resp.Field(39, code)
	if rrn != "" {
		resp.Field(37, rrn)
	}
	return h.sign(resp, keys)
}

// checkSignature decides an upload: its code and, when not 00, why.
func (h *Host) checkSignature(req *iso8583.Message, tid, rrn string) (code, why string) {
	f60, _ := req.GetString(60)
	if len(f60) != 11 || f60[:2] != acquirer.SignatureTxnType || f60[8:] != acquirer.NetSignatureUpload {
		return "30", fmt.Sprintf("field 60 is %q, not 07, a batch and 800", f60)
	}
	img, _ := req.GetString(62)
	if base64.StdEncoding.DecodedLen(len(img)) > acquirer.MaxSignatureImage+2 {
		return "30", "the image is too large"
	}
	b, err := base64.StdEncoding.DecodeString(img)
	if err != nil || len(b) == 0 {
		return "30", fmt.Sprintf("field 62 is not an image in base64: %v", err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return "30", fmt.Sprintf("field 62 is not a PNG: %v", err)
	}
	f55, _ := req.GetString(55)
	tags, err := acquirer.ReceiptData(f55)
	if err != nil {
		return "30", err.Error()
	}
	if len(tags[acquirer.TagDateTime]) != 7 {
		return "30", "no date and time (FF06)"
	}
	sale, ok := h.byRRN(tid, rrn)
	if !ok {
		return "25", fmt.Sprintf("no standing sale of %s has RRN %q", tid, rrn)
	}
	amount, _ := req.GetString(4)
	if amt, err := strconv.ParseInt(amount, 10, 64); err != nil || amt != sale.Amount {
		return "30", fmt.Sprintf("RRN %s was for %d, not %s", rrn, sale.Amount, amount)
	}
	if auth, ok := tags[acquirer.TagAuthCode]; ok && string(auth) != sale.Auth {
		return "30", fmt.Sprintf("RRN %s was authorized %s, not %s (FF07)", rrn, sale.Auth, auth)
	}
	if _, dup := h.signatures[tid+"/"+rrn]; dup {
		return "94", "signed already: the first signature is kept"
	}
	return acquirer.Approved, ""
}

// Signature is the image uploaded for the sale of terminal tid with rrn,
// as the terminal sent it.
func (h *Host) Signature(tid, rrn string) ([]byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b, ok := h.signatures[tid+"/"+rrn]
	return append([]byte(nil), b...), ok
}
