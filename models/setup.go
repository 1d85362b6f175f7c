package models

import (
	"crypto/x509"
	"encoding/pem"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"
)

// What a shop sets up before its first sale, beyond the settings of
// settings.go: who it is, and how its till reaches its acquirer.
const (
	SettingShopAddress = "shop_address" // on receipts and reports
	SettingTaxNumber   = "tax_number"   // the unified social credit code
	// SettingAcquirerAddr is the acquirer's HOST:PORT; SettingAcquirerCA
	// the PEM certificate of the acquirer's CA, which the link trusts alone.
	SettingAcquirerAddr = "acquirer_addr"
	SettingAcquirerCA   = "acquirer_ca"
	// SettingSetupDone is set once the first-run setup has ended.
	SettingSetupDone = "setup_done"
)

// ShopDetails are who the shop is, as receipts say.
type ShopDetails struct {
	Name, Address, TaxNumber string
}

// AcquirerLink is how the till reaches the shop's acquirer: its address,
// the CA it trusts (PEM; none only on loopback), the terminal ID and
// merchant ID the acquirer gave, and the terminal master key as the
// acquirer's two key custodians type it.
type AcquirerLink struct {
	Addr     string
	CA       []byte
	TID, MID string
	// Key1 and Key2 are the master key's components (32 hex digits each),
	// Check1 and Check2 their check values (6 hex digits), each pair typed
	// by its custodian. All four empty keep the master key loaded. They are
	// never read back.
	Key1, Check1, Key2, Check2 string
	// KeyCheck is read back in their place: the check value of the master
	// key loaded, "" when none is.
	KeyCheck string
}

// QRAccount is the shop's merchant account for its dynamic QR codes.
type QRAccount struct {
	GUID, MerchantID, MCC string
}

// Limits of what is set up.
const (
	MaxShopName    = 40
	MaxShopAddress = 80
)

// CheckShopName: the shop's name, as receipts print it.
func CheckShopName(name string) error {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxShopName {
		return invalid("error.setup.shop_name", "The shop's name must have 1 to {{.Max}} characters", map[string]any{"Max": MaxShopName})
	}
	return nil
}

// CheckShopAddress: the address, optional, as receipts print it.
func CheckShopAddress(addr string) error {
	if utf8.RuneCountInString(strings.TrimSpace(addr)) > MaxShopAddress {
		return invalid("error.setup.shop_address", "The address may have at most {{.Max}} characters", map[string]any{"Max": MaxShopAddress})
	}
	return nil
}

// uscc are the characters of a unified social credit code (GB 32100-2015),
// each worth its index; uscWeights weigh the first 17 for the check
// character.
const uscc = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var uscWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CheckTaxNumber: the shop's unified social credit code (统一社会信用代码),
// 18 characters whose last is the check character of GB 32100-2015;
// empty when the shop gives none.
func CheckTaxNumber(code string) error {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return nil
	}
	bad := invalid("error.setup.tax_number",
		"{{.Code}} is not a unified social credit code: 18 characters, digits and capital letters, the last a check character", map[string]any{"Code": code})
	if len(code) != 18 {
		return bad
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(uscc, code[i])
		if v < 0 {
			return bad
		}
		sum += v * uscWeights[i]
	}
	if code[17] != uscc[(31-sum%31)%31] {
		return bad
	}
	return nil
}

// alnum reports whether s is letters A–Z (either case) and digits only.
func alnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// CheckTerminalID: the terminal ID the acquirer gave (ISO 8583 field 41:
// 8 letters or digits).
func CheckTerminalID(tid string) error {
	if len(tid) != 8 || !alnum(tid) {
		return invalid("error.setup.tid", "The terminal ID is 8 letters or digits, as the acquirer gave it; {{.Value}} is not one", map[string]any{"Value": tid})
	}
	return nil
}

// CheckMerchantID: the merchant ID the acquirer gave (field 42: 15
// letters or digits).
func CheckMerchantID(mid string) error {
	if len(mid) != 15 || !alnum(mid) {
		return invalid("error.setup.mid", "The merchant ID is 15 letters or digits, as the acquirer gave it; {{.Value}} is not one", map[string]any{"Value": mid})
	}
	return nil
}

// CheckQRMerchantID: the merchant ID of the QR account template, 1 to 25
// letters or digits.
func CheckQRMerchantID(mid string) error {
	if mid == "" || len(mid) > 25 || !alnum(mid) {
		return invalid("error.setup.qr_mid", "The QR merchant ID is 1 to 25 letters or digits, as the acquirer gave it; {{.Value}} is not one", map[string]any{"Value": mid})
	}
	return nil
}

// CheckMCC: a merchant category code, four digits.
func CheckMCC(mcc string) error {
	if _, err := strconv.Atoi(mcc); len(mcc) != 4 || err != nil {
		return invalid("error.setup.mcc", "The merchant category code is four digits (5411 for a grocery); {{.Value}} is not one", map[string]any{"Value": mcc})
	}
	return nil
}

// CheckQRGUID: the account template's global identifier the acquirer gave
// for QR codes (an AID or a reverse domain, at most 32 characters).
func CheckQRGUID(guid string) error {
	if guid == "" || len(guid) > 32 || strings.ContainsAny(guid, " \t") {
		return invalid("error.setup.qr_guid", "The QR identifier is the AID or reverse domain the acquirer gave, at most 32 characters without spaces", nil)
	}
	return nil
}

// CheckHostAddress: the acquirer's HOST:PORT.
func CheckHostAddress(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	p, perr := strconv.Atoi(port)
	if err != nil || host == "" || perr != nil || p < 1 || p > 65535 {
		return invalid("error.setup.host", "{{.Value}} is not a host address: write it as host:port, such as pos.acquirer.cn:8583", map[string]any{"Value": addr})
	}
	return nil
}

// OnLoopback reports whether addr names this machine (localhost or a
// loopback address), where a link needs no TLS.
func OnLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckAcquirerTLS: a link to a host off this machine is TLS, trusting the
// acquirer's CA, given as PEM; a CA given must hold a certificate.
func CheckAcquirerTLS(addr string, caPEM []byte) error {
	if len(caPEM) == 0 {
		if OnLoopback(addr) {
			return nil
		}
		return invalid("error.setup.ca_needed", "The link to {{.Value}} is encrypted: add the acquirer's CA certificate (a PEM file)", map[string]any{"Value": addr})
	}
	rest := caPEM
	found := false
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return invalid("error.setup.ca_bad", "The CA file holds a certificate that cannot be read", nil)
		}
		found = true
	}
	if !found {
		return invalid("error.setup.ca_none", "The CA file is not a certificate: choose the acquirer's CA certificate in PEM form", nil)
	}
	return nil
}
