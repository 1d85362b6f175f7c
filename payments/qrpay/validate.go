package qrpay

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Character limits of EMV QRCPS-MPM values (see also MaxNameLen and
// MaxCityLen).
const (
	maxPostalLen     = 10
	maxAdditionalLen = 25
)

// objects checks p and returns its root data objects, except the CRC.
func (p Payload) objects() ([]Field, error) {
	objs, err := p.headObjects(nil)
	if err != nil {
		return nil, err
	}
	if objs, err = p.accountObjects(objs); err != nil {
		return nil, err
	}
	if objs, err = p.merchantObjects(objs); err != nil {
		return nil, err
	}
	if objs, err = p.templateObjects(objs); err != nil {
		return nil, err
	}
	if objs, err = p.otherObjects(objs); err != nil {
		return nil, err
	}
	if err := checkUnique("payload", objs); err != nil {
		return nil, err
	}
	for _, f := range objs {
		if err := checkValue(f.ID, f.Value); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// headObjects checks p's payload format indicator (00, always
// formatVersion) and point of initiation (01, when set) and appends them to
// objs.
func (p Payload) headObjects(objs []Field) ([]Field, error) {
	switch p.PayloadFormat {
	case "", formatVersion:
		objs = append(objs, Field{ID: "00", Value: formatVersion})
	default:
		return nil, fmt.Errorf("payload format %q is not %q", p.PayloadFormat, formatVersion)
	}
	switch p.Initiation {
	case "":
	case Static, Dynamic:
		objs = append(objs, Field{ID: "01", Value: p.Initiation})
	default:
		return nil, fmt.Errorf("point of initiation %q is neither %q nor %q", p.Initiation, Static, Dynamic)
	}
	return objs, nil
}

// accountObjects checks p's merchant accounts (02 to 51), at least one,
// and appends them to objs in the order given.
func (p Payload) accountObjects(objs []Field) ([]Field, error) {
	if len(p.MerchantAccounts) == 0 {
		return nil, errors.New("no merchant account information (objects 02 to 51)")
	}
	for _, acct := range p.MerchantAccounts {
		value, err := acct.encode()
		if err != nil {
			return nil, err
		}
		objs = append(objs, Field{ID: acct.ID, Value: value})
	}
	return objs, nil
}

// merchantObjects checks p's category code (52), currency (53), amount (54,
// when not zero), country (58), merchant name (59) and city (60), and postal
// code (61, when set), and appends them to objs. Name, city and postal code
// are "ans" values: the common character set only.
func (p Payload) merchantObjects(objs []Field) ([]Field, error) {
	add := func(id, value string) { objs = append(objs, Field{ID: id, Value: value}) }

	if !isDigits(p.MCC, 4) {
		return nil, fmt.Errorf("merchant category code %q is not four digits", p.MCC)
	}
	add("52", p.MCC)
	if !isDigits(p.Currency, 3) {
		return nil, fmt.Errorf("currency %q is not a three-digit ISO 4217 code", p.Currency)
	}
	add("53", p.Currency)
	if p.Amount != 0 {
		amount, err := formatAmount(p.Amount)
		if err != nil {
			return nil, err
		}
		add("54", amount)
	}
	if !isUpperLetters(p.Country, 2) {
		return nil, fmt.Errorf("country %q is not a two-letter ISO 3166 code", p.Country)
	}
	add("58", p.Country)
	if err := CheckLatin("59", p.MerchantName); err != nil {
		return nil, err
	}
	add("59", p.MerchantName)
	if err := CheckLatin("60", p.MerchantCity); err != nil {
		return nil, err
	}
	add("60", p.MerchantCity)
	if p.PostalCode != "" {
		if err := checkCommon("postal code (61)", p.PostalCode, maxPostalLen); err != nil {
			return nil, err
		}
		add("61", p.PostalCode)
	}
	return objs, nil
}

// templateObjects checks p's additional data template (62) and language
// template (64), each when set, and appends them to objs.
func (p Payload) templateObjects(objs []Field) ([]Field, error) {
	if !p.AdditionalData.IsZero() {
		value, err := p.AdditionalData.encode()
		if err != nil {
			return nil, err
		}
		objs = append(objs, Field{ID: "62", Value: value})
	}
	if !p.Language.IsZero() {
		value, err := p.Language.encode()
		if err != nil {
			return nil, err
		}
		objs = append(objs, Field{ID: "64", Value: value})
	}
	return objs, nil
}

// otherObjects appends p.Other to objs, refusing an object that has its own
// Payload field.
func (p Payload) otherObjects(objs []Field) ([]Field, error) {
	for _, f := range p.Other {
		if isModeled(f.ID) {
			return nil, fmt.Errorf("other object %q must be set through its own Payload field", f.ID)
		}
		objs = append(objs, f)
	}
	return objs, nil
}

// isModeled reports whether a root ID has its own Payload field (or is the CRC).
func isModeled(id string) bool {
	n := idNum(id)
	switch {
	case n < 0:
		return false
	case n <= 54:
		return true
	case n >= 58 && n <= 64:
		return true
	}
	return false
}

// encode checks a merchant account and returns its value.
func (a MerchantAccount) encode() (string, error) {
	n := idNum(a.ID)
	switch {
	case n >= 2 && n <= 25:
		if a.GUID != "" || len(a.Fields) > 0 {
			return "", fmt.Errorf("merchant account %s is reserved to a card network and takes only a Value", a.ID)
		}
		return a.Value, checkValue(a.ID, a.Value)
	case n >= 26 && n <= 51:
		if a.Value != "" {
			return "", fmt.Errorf("merchant account %s is a template and takes GUID and Fields, not Value", a.ID)
		}
		if a.GUID == "" {
			return "", fmt.Errorf("merchant account %s has no GUID (sub-object 00)", a.ID)
		}
		fields := append([]Field{{ID: "00", Value: a.GUID}}, a.Fields...)
		return encodeTemplate("merchant account "+a.ID, fields)
	}
	return "", fmt.Errorf("merchant account ID %q is not between 02 and 51", a.ID)
}

// encode checks template 62 and returns its value, sub-objects by ascending ID.
func (d AdditionalData) encode() (string, error) {
	var fields []Field
	named := []Field{{"01", d.BillNumber}, {"05", d.ReferenceLabel}, {"07", d.TerminalLabel}}
	for _, f := range named {
		if f.Value == "" {
			continue
		}
		if err := checkText("additional data 62."+f.ID, f.Value, 1, maxAdditionalLen); err != nil {
			return "", err
		}
		fields = append(fields, f)
	}
	for _, f := range d.Other {
		if f.ID == "01" || f.ID == "05" || f.ID == "07" {
			return "", fmt.Errorf("additional data 62.%s must be set through its own field", f.ID)
		}
		fields = append(fields, f)
	}
	sortObjects(fields, nil)
	return encodeTemplate("additional data (62)", fields)
}

// encodeTemplate encodes the sub-objects of a template after checking that
// their IDs are unique and the result fits in 99 characters.
func encodeTemplate(where string, fields []Field) (string, error) {
	if err := checkUnique(where, fields); err != nil {
		return "", err
	}
	value, err := encodeObjects(fields)
	if err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	if n := utf8.RuneCountInString(value); n > maxValueLen {
		return "", fmt.Errorf("%s: template has %d characters, at most %d fit", where, n, maxValueLen)
	}
	return value, nil
}

// checkText fails unless s is valid UTF-8 of min to max characters.
func checkText(what, s string, min, max int) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	n := utf8.RuneCountInString(s)
	if n < min || n > max {
		return fmt.Errorf("%s %q has %d characters, allowed %d to %d", what, s, n, min, max)
	}
	return nil
}

// isUpperLetters reports whether s is n ASCII capital letters.
func isUpperLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
