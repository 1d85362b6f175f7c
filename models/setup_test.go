package models

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

func TestSetupRules(t *testing.T) {
	ok := []error{
		CheckShopName("街角便利店"), CheckShopAddress(""), CheckShopAddress("上海市黄浦区南京东路 1 号"),
		CheckTaxNumber(""), CheckTaxNumber("91350100M000100Y43"), CheckTaxNumber("91440300708461136t"),
		CheckTerminalID("12345678"), CheckTerminalID("T0A1B2C3"), CheckMerchantID("898310012345678"),
		CheckMCC("5411"), CheckQRGUID("A000000333010101"), CheckHostAddress("pos.acquirer.cn:8583"),
		CheckHostAddress("[::1]:8583"), CheckAcquirerTLS("127.0.0.1:8583", nil), CheckAcquirerTLS("localhost:8583", nil),
	}
	for i, err := range ok {
		if err != nil {
			t.Errorf("case %d refused: %v", i, err)
		}
	}
	bad := map[string]error{
		"empty name":          CheckShopName("  "),
		"long name":           CheckShopName("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"),
		"tax number check":    CheckTaxNumber("91350100M000100Y44"),
		"tax number length":   CheckTaxNumber("91350100M000100Y4"),
		"tax number letter I": CheckTaxNumber("91350100I000100Y43"),
		"tid short":           CheckTerminalID("1234567"),
		"tid symbol":          CheckTerminalID("1234-678"),
		"mid long":            CheckMerchantID("8983100123456789"),
		"mcc letters":         CheckMCC("54A1"),
		"guid spaces":         CheckQRGUID("cn acquirer"),
		"host no port":        CheckHostAddress("pos.acquirer.cn"),
		"host bad port":       CheckHostAddress("pos.acquirer.cn:99999"),
		"no CA off loopback":  CheckAcquirerTLS("pos.acquirer.cn:8583", nil),
		"CA not a cert":       CheckAcquirerTLS("pos.acquirer.cn:8583", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")),
		"CA text":             CheckAcquirerTLS("pos.acquirer.cn:8583", []byte("hello")),
	}
	for name, err := range bad {
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := CheckAcquirerTLS("pos.acquirer.cn:8583", testCA(t)); err != nil {
		t.Errorf("a CA certificate refused: %v", err)
	}
}

// testCA is a self-signed CA certificate in PEM form.
func testCA(t *testing.T) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Acquirer CA"},
		NotBefore: time.Now(), NotAfter: time.Now().AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
