package qrpay

import (
	"cmp"
	"fmt"
	"slices"
)

// Values of Payload.Initiation (object 01, point of initiation method).
const (
	// Static marks a code printed once and reused for many payments.
	Static = "11"
	// Dynamic marks a code made for one transaction.
	Dynamic = "12"
)

// CurrencyCNY is the ISO 4217 numeric code of the renminbi (object 53).
const CurrencyCNY = "156"

// CountryCN is the ISO 3166 code of mainland China (object 58).
const CountryCN = "CN"

// formatVersion is the only payload format indicator (object 00) defined.
const formatVersion = "01"

// MerchantAccount is merchant account information, objects 02 to 51. IDs 02
// to 25 are reserved to card networks (15 and 16 to UnionPay) and hold a
// single Value. IDs 26 to 51 are templates: sub-object 00 is the GUID of the
// network or acquirer (an AID, a UUID without hyphens or a reverse domain
// name), and Fields are the other sub-objects in order (for example 01, the
// merchant ID).
type MerchantAccount struct {
	ID     string
	GUID   string
	Fields []Field
	Value  string
}

// AdditionalData is template 62. Sub-objects the package does not name are
// kept in Other, sorted by ID.
type AdditionalData struct {
	BillNumber     string // 01
	ReferenceLabel string // 05
	TerminalLabel  string // 07
	Other          []Field
}

// IsZero reports whether d has no sub-objects, so template 62 is left out.
func (d AdditionalData) IsZero() bool {
	return d.BillNumber == "" && d.ReferenceLabel == "" && d.TerminalLabel == "" && len(d.Other) == 0
}

// Payload is an EMVCo merchant-presented QR payload.
type Payload struct {
	// PayloadFormat is object 00; it must be "01" (empty means "01").
	PayloadFormat string
	// Initiation is object 01: Static ("11"), Dynamic ("12") or empty.
	Initiation string
	// MerchantAccounts are objects 02 to 51; at least one is required.
	MerchantAccounts []MerchantAccount
	// MCC is object 52, the four-digit merchant category code.
	MCC string
	// Currency is object 53, an ISO 4217 numeric code such as CurrencyCNY.
	Currency string
	// Amount is object 54 in fen; 0 leaves the amount out so the payer's
	// app asks for it.
	Amount int64
	// Country is object 58, an ISO 3166 alpha-2 code such as CountryCN.
	Country string
	// MerchantName is object 59: at most 25 characters of the common
	// character set (see CheckLatin); a Chinese name goes in Language.
	MerchantName string
	// MerchantCity is object 60: at most 15 characters of the common
	// character set; a Chinese city goes in Language.
	MerchantCity string
	// PostalCode is object 61, optional, at most 10 characters.
	PostalCode string
	// AdditionalData is template 62, left out when empty.
	AdditionalData AdditionalData
	// Language is template 64, the merchant's name and city in the local
	// language, left out when empty.
	Language MerchantLanguage
	// Other holds root objects the package does not model (tip 55 to 57,
	// 65 to 99), each as its raw value, in the order met.
	Other []Field
	// Order lists root IDs in the order Parse met them (without 00 and 63)
	// so Build re-encodes a parsed payload to the same text. Build writes
	// the IDs it names in that order and the rest in ascending order; leave
	// it nil for ascending order. 00 always comes first and 63 last.
	Order []string
}

// Build encodes p with its CRC. It checks the rules of EMV QRCPS-MPM:
// required objects present, lengths counted in characters and at most 99,
// merchant name (at most 25 characters) and city (at most 15) in the common
// character set (CheckLatin), the language template 64 complete, amount not
// negative and at most 13 characters. A failure is a *models.Error with
// KeyBuild.
func Build(p Payload) (string, error) {
	objs, err := p.objects()
	if err != nil {
		return "", qrError(KeyBuild, fmt.Errorf("qrpay: build payload: %w", err))
	}
	sortObjects(objs, p.Order)
	body, err := encodeObjects(objs)
	if err != nil {
		return "", qrError(KeyBuild, fmt.Errorf("qrpay: build payload: %w", err))
	}
	body += "6304"
	return body + crcHex(body), nil
}

// sortObjects puts 00 first, then the IDs order names in its order, then the
// rest by ascending ID.
func sortObjects(objs []Field, order []string) {
	rank := make(map[string]int, len(order))
	for i, id := range order {
		if _, ok := rank[id]; !ok {
			rank[id] = i
		}
	}
	key := func(f Field) int {
		if f.ID == "00" {
			return -1
		}
		if r, ok := rank[f.ID]; ok {
			return r
		}
		return len(order) + idNum(f.ID)
	}
	slices.SortStableFunc(objs, func(a, b Field) int { return cmp.Compare(key(a), key(b)) })
}
