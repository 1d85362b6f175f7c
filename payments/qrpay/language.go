package qrpay

import (
	"fmt"
	"slices"
	"strings"
)

// LanguageZH is the language preference (sub-object 00 of template 64) of
// a name and city written in Chinese.
const LanguageZH = "ZH"

// MerchantLanguage is template 64, Merchant Information—Language Template:
// the merchant's name and city in another language than the common
// character set of objects 59 and 60 allows, for the payer's app to show.
// When present it holds the language (00, two letters of ISO 639 such as
// LanguageZH) and the name (01, at most 25 characters of any script), and
// may hold the city (02, at most 15). Sub-objects 03 to 99, reserved to
// EMVCo, are kept in Other, sorted by ID.
type MerchantLanguage struct {
	Language string // 00
	Name     string // 01
	City     string // 02, optional
	Other    []Field
}

// IsZero reports whether l has no sub-objects, so template 64 is left out.
func (l MerchantLanguage) IsZero() bool {
	return l.Language == "" && l.Name == "" && l.City == "" && len(l.Other) == 0
}

// encode checks template 64 and returns its value, sub-objects by ascending ID.
func (l MerchantLanguage) encode() (string, error) {
	if !isLetters(l.Language, 2) {
		return "", fmt.Errorf("language template 64.00: language %q is not two letters of ISO 639", l.Language)
	}
	if err := checkText("language template 64.01 (merchant name)", l.Name, 1, MaxNameLen); err != nil {
		return "", err
	}
	fields := []Field{{"00", l.Language}, {"01", l.Name}}
	if l.City != "" {
		if err := checkText("language template 64.02 (merchant city)", l.City, 1, MaxCityLen); err != nil {
			return "", err
		}
		fields = append(fields, Field{"02", l.City})
	}
	for _, f := range l.Other {
		if n := idNum(f.ID); n >= 0 && n <= 2 {
			return "", fmt.Errorf("language template 64.%s must be set through its own field", f.ID)
		}
		fields = append(fields, f)
	}
	sortObjects(fields, nil)
	return encodeTemplate("language template (64)", fields)
}

// parseLanguage decodes template 64; sub-objects 03 to 99 are sorted by ID.
func parseLanguage(value string) (MerchantLanguage, error) {
	fields, err := parseTemplate("language template (64)", value)
	if err != nil {
		return MerchantLanguage{}, err
	}
	var l MerchantLanguage
	for _, sub := range fields {
		switch sub.ID {
		case "00":
			l.Language = sub.Value
		case "01":
			l.Name = sub.Value
		case "02":
			l.City = sub.Value
		default:
			l.Other = append(l.Other, sub)
		}
	}
	slices.SortStableFunc(l.Other, func(a, b Field) int { return strings.Compare(a.ID, b.ID) })
	return l, nil
}

// isLetters reports whether s is n ASCII letters, either case.
func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
