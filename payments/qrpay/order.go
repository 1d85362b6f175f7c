package qrpay

import (
	"errors"
	"fmt"
)

// MerchantConfig is what a dynamic merchant QR needs to know about the shop.
type MerchantConfig struct {
	GUID       string // sub-object 00 of account template 26: the acquirer's AID or reverse domain
	MerchantID string // sub-object 01 of account template 26: the merchant ID the acquirer assigned
	MCC        string // merchant category code, four digits
	Name       string // merchant name, at most 25 characters
	City       string // merchant city, at most 15 characters
}

// DefaultDemoMerchant returns the merchant used in demonstrations and tests.
// Its GUID is a reverse domain of this project, not a real acquirer's, so no
// wallet treats its codes as payable.
func DefaultDemoMerchant() MerchantConfig {
	return MerchantConfig{
		GUID:       "cn.till.demo",
		MerchantID: "898310012345678",
		MCC:        "5411",
		Name:       "收银台示范店",
		City:       "上海",
	}
}

// DynamicOrder builds the one-time (dynamic, "12") payload for a sale of
// amount fen: merchant account template 26 with cfg.GUID and cfg.MerchantID,
// currency 156, country CN, and template 62 with the bill number (01) and
// terminal label (07), either of which may be empty. Failures are
// *models.Error values with KeyBuild.
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
	}
	s, err := Build(p)
	if err != nil {
		return "", fmt.Errorf("qrpay: dynamic order for bill %q: %w", billNumber, err)
	}
	return s, nil
}
