package qrpay

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/till-pos/till/models"
)

// Parse decodes an EMVCo merchant-presented QR payload. It checks, in this
// order, that the text starts with the payload format indicator "000201",
// that it ends with object 63 and that the CRC matches, then decodes the
// data objects (lengths in characters) and nested templates and applies
// the rules Build applies. A payload that is not an EMVCo QR fails with a
// *models.Error with KeyFormat, a damaged one with KeyCRC.
//
// Build(Parse(s)) gives back s when the amount has two decimals, the CRC is
// uppercase, sub-object 00 opens each merchant account template and
// templates 62 and 64 list their sub-objects by ascending ID; otherwise it
// gives an equivalent payload that parses to the same Payload. A payload
// with other than the common character set in its merchant name (59) or
// city (60) is refused, as Build refuses it.
func Parse(s string) (Payload, error) {
	p, err := parse(s)
	if err != nil {
		var me *models.Error
		if errors.As(err, &me) && me.Key == KeyCRC {
			return Payload{}, err
		}
		return Payload{}, qrError(KeyFormat, fmt.Errorf("qrpay: parse payload: %w", err))
	}
	return p, nil
}

// parse does the work of Parse; errors other than *models.Error are format errors.
func parse(s string) (Payload, error) {
	if !strings.HasPrefix(s, "000201") {
		return Payload{}, errors.New("does not start with payload format indicator 000201")
	}
	if !utf8.ValidString(s) {
		return Payload{}, errors.New("not valid UTF-8")
	}
	n := len(s)
	if n < 8 || s[n-8:n-4] != "6304" {
		return Payload{}, errors.New("does not end with CRC object 6304")
	}
	got := s[n-4:]
	if !isHex(got) {
		return Payload{}, fmt.Errorf("CRC %q is not four hex digits", got)
	}
	if want := crcHex(s[:n-4]); !strings.EqualFold(got, want) {
		return Payload{}, qrError(KeyCRC, fmt.Errorf("qrpay: parse payload: CRC is %s, content gives %s", got, want))
	}

	objs, err := decodeObjects(s)
	if err != nil {
		return Payload{}, err
	}
	if err := checkUnique("payload", objs); err != nil {
		return Payload{}, err
	}
	if last := objs[len(objs)-1]; last.ID != "63" || len(last.Value) != 4 {
		return Payload{}, errors.New("CRC object 63 is not the last data object")
	}
	var p Payload
	for _, f := range objs[:len(objs)-1] {
		if err := p.set(f); err != nil {
			return Payload{}, err
		}
		if f.ID != "00" {
			p.Order = append(p.Order, f.ID)
		}
	}
	// Reject what Build would reject, so every parsed payload can be rebuilt.
	if _, err := p.objects(); err != nil {
		return Payload{}, err
	}
	return p, nil
}

// set stores one root data object in p.
func (p *Payload) set(f Field) error {
	if text := p.textField(f.ID); text != nil {
		*text = f.Value
		return nil
	}
	n := idNum(f.ID)
	switch {
	case n >= 2 && n <= 25:
		p.MerchantAccounts = append(p.MerchantAccounts, MerchantAccount{ID: f.ID, Value: f.Value})
	case n >= 26 && n <= 51:
		acct, err := parseAccount(f)
		if err != nil {
			return err
		}
		p.MerchantAccounts = append(p.MerchantAccounts, acct)
	case f.ID == "54":
		return p.setAmount(f.Value)
	case f.ID == "62":
		data, err := parseAdditional(f.Value)
		if err != nil {
			return err
		}
		p.AdditionalData = data
	case f.ID == "63":
		return errors.New("CRC object 63 is not the last data object")
	case f.ID == "64":
		l, err := parseLanguage(f.Value)
		if err != nil {
			return err
		}
		p.Language = l
	default:
		p.Other = append(p.Other, f)
	}
	return nil
}

// setAmount stores the transaction amount (object 54), which may not be zero.
func (p *Payload) setAmount(value string) error {
	amount, err := parseAmount(value)
	if err != nil {
		return err
	}
	if amount == 0 {
		return errors.New("amount (54) is zero")
	}
	p.Amount = amount
	return nil
}

// textField is the field of p that holds root object id as it is (the
// payload format, initiation, category code, currency, country, merchant
// name and city, and postal code), or nil for any other object.
func (p *Payload) textField(id string) *string {
	switch id {
	case "00":
		return &p.PayloadFormat
	case "01":
		return &p.Initiation
	case "52":
		return &p.MCC
	case "53":
		return &p.Currency
	case "58":
		return &p.Country
	case "59":
		return &p.MerchantName
	case "60":
		return &p.MerchantCity
	case "61":
		return &p.PostalCode
	}
	return nil
}

// parseTemplate decodes the sub-objects of a template; IDs must be unique.
func parseTemplate(where, value string) ([]Field, error) {
	fields, err := decodeObjects(value)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if err := checkUnique(where, fields); err != nil {
		return nil, err
	}
	return fields, nil
}

// parseAccount decodes a merchant account template (IDs 26 to 51).
func parseAccount(f Field) (MerchantAccount, error) {
	fields, err := parseTemplate("merchant account "+f.ID, f.Value)
	if err != nil {
		return MerchantAccount{}, err
	}
	acct := MerchantAccount{ID: f.ID}
	for _, sub := range fields {
		if sub.ID == "00" {
			acct.GUID = sub.Value
		} else {
			acct.Fields = append(acct.Fields, sub)
		}
	}
	if acct.GUID == "" {
		return MerchantAccount{}, fmt.Errorf("merchant account %s has no GUID (sub-object 00)", f.ID)
	}
	return acct, nil
}

// parseAdditional decodes template 62; unnamed sub-objects are sorted by ID.
func parseAdditional(value string) (AdditionalData, error) {
	fields, err := parseTemplate("additional data (62)", value)
	if err != nil {
		return AdditionalData{}, err
	}
	var d AdditionalData
	for _, sub := range fields {
		switch sub.ID {
		case "01":
			d.BillNumber = sub.Value
		case "05":
			d.ReferenceLabel = sub.Value
		case "07":
			d.TerminalLabel = sub.Value
		default:
			d.Other = append(d.Other, sub)
		}
	}
	slices.SortStableFunc(d.Other, func(a, b Field) int { return strings.Compare(a.ID, b.ID) })
	return d, nil
}

// isHex reports whether s is four hex digits.
func isHex(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
