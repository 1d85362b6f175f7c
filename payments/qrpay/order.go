package qrpay

import (
	"cmp"
	"errors"
	"fmt"
)

// MerchantNames are the merchant's name and city as a QR code carries
// them: in the common character set for objects 59 and 60, and in Chinese
// for the language template 64.
type MerchantNames struct {
	Name      string // object 59: Latin letters (pinyin or English), at most 25 characters
	City      string // object 60: Latin letters, at most 15 characters
	LocalName string // 64.01 in Chinese, at most 25 characters; empty leaves template 64 out
	LocalCity string // 64.02 in Chinese, at most 15 characters; optional
}

// Filled returns n ready for a QR code: an empty Name or City is made from
// LocalName or LocalCity in pinyin (Latin), or is "NA" when that gives
// nothing, and a LocalName longer than MaxNameLen characters is cut.
func (n MerchantNames) Filled() MerchantNames {
	if n.Name == "" {
		n.Name = cmp.Or(Latin(n.LocalName, MaxNameLen), notAvailable)
	}
	if n.City == "" {
		n.City = cmp.Or(Latin(n.LocalCity, MaxCityLen), notAvailable)
	}
	if r := []rune(n.LocalName); len(r) > MaxNameLen {
		n.LocalName = string(r[:MaxNameLen])
	}
	return n
}

// notAvailable stands for a name or city that cannot be written in Latin
// letters.
const notAvailable = "NA"

// Check applies the rules of a QR code to n: Name and City through
// CheckLatin, LocalName and LocalCity at most MaxNameLen and MaxCityLen
// characters. The error is a *models.Error for the person who set them.
func (n MerchantNames) Check() error {
	if err := CheckLatin("59", n.Name); err != nil {
		return err
	}
	if err := CheckLatin("60", n.City); err != nil {
		return err
	}
	if err := checkLocal(KeyLocalName, "merchant name in Chinese", n.LocalName, MaxNameLen); err != nil {
		return err
	}
	return checkLocal(KeyLocalCity, "merchant city in Chinese", n.LocalCity, MaxCityLen)
}

// language is template 64 for n: Chinese (LanguageZH) with LocalName and
// LocalCity, or empty without a LocalName.
func (n MerchantNames) language() MerchantLanguage {
	if n.LocalName == "" {
		return MerchantLanguage{}
	}
	return MerchantLanguage{Language: LanguageZH, Name: n.LocalName, City: n.LocalCity}
}

// MerchantConfig is what a dynamic merchant QR needs to know about the shop.
type MerchantConfig struct {
	GUID       string // sub-object 00 of account template 26: the acquirer's AID or reverse domain
	MerchantID string // sub-object 01 of account template 26: the merchant ID the acquirer assigned
	MCC        string // merchant category code, four digits
	MerchantNames
}

// DefaultDemoMerchant returns the merchant used in demonstrations and tests.
// Its GUID is a reverse domain of this project, not a real acquirer's, so no
// wallet treats its codes as payable.
func DefaultDemoMerchant() MerchantConfig {
	return MerchantConfig{
		GUID:       "cn.till.demo",
		MerchantID: "898310012345678",
		MCC:        "5411",
		MerchantNames: MerchantNames{
			Name:      "TILL DEMO STORE",
			City:      "SHANGHAI",
			LocalName: "收银台示范店",
			LocalCity: "上海",
		},
	}
}

// DynamicOrder builds the one-time (dynamic, "12") payload for a sale of
// amount fen: merchant account template 26 with cfg.GUID and cfg.MerchantID,
// currency 156, country CN, the merchant's name and city in Latin letters
// (59, 60), template 62 with the bill number (01) and terminal label (07),
// either of which may be empty, and, when cfg has a LocalName, template 64
// with language ZH and the name and city in Chinese. A name or city outside
// the common character set is refused, not changed: use
// MerchantNames.Filled. Failures are *models.Error values with KeyBuild.
func DynamicOrder(cfg MerchantConfig, amount int64, billNumber, terminalLabel string) (string, error) {
	if amount <= 0 {
		return "", qrError(KeyBuild, fmt.Errorf("qrpay: dynamic order: amount %d fen is not positive", amount))
	}
	if cfg.MerchantID == "" {
		return "", qrError(KeyBuild, errors.New("qrpay: dynamic order: merchant ID is empty"))
	}
	p := Payload{
		PayloadFormat: formatVersion,
		Initiation:    Dynamic,
		MerchantAccounts: []MerchantAccount{{
			ID:     "26",
			GUID:   cfg.GUID,
			Fields: []Field{{ID: "01", Value: cfg.MerchantID}},
		}},
		MCC:          cfg.MCC,
		Currency:     CurrencyCNY,
		Amount:       amount,
		Country:      CountryCN,
		MerchantName: cfg.Name,
		MerchantCity: cfg.City,
		AdditionalData: AdditionalData{
			BillNumber:    billNumber,
			TerminalLabel: terminalLabel,
		},
		Language: cfg.language(),
	}
	s, err := Build(p)
	if err != nil {
		return "", fmt.Errorf("qrpay: dynamic order for bill %q: %w", billNumber, err)
	}
	return s, nil
}
