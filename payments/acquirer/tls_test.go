package acquirer_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
)

// testCA makes a CA and a host certificate for 127.0.0.1 signed by it.
func testCA(t *testing.T, name string) (caPEM []byte, host tls.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	hostKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	hostTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "acquirer"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	hostDER, err := x509.CreateCertificate(rand.Reader, hostTmpl, ca, &hostKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		tls.Certificate{Certificate: [][]byte{hostDER}, PrivateKey: hostKey}
}

func TestTLSWithAPinnedCA(t *testing.T) {
	caPEM, cert := testCA(t, "Till test acquirer CA")
	h, err := simhost.Start(simhost.Options{MasterKey: tmk, TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	l := dial(t, h.Addr(), acquirer.LinkOptions{PinnedCA: caPEM})
	if err := l.Echo(context.Background(), 1); err != nil {
		t.Fatalf("echo over TLS: %v", err)
	}
	if r, err := l.Authorize(context.Background(), saleOf(1000, 2, "tls-1")); err != nil || !r.Approved() {
		t.Fatalf("sale over TLS: %+v, %v", r, err)
	}
	// A host whose certificate comes from another CA is refused.
	otherCA, _ := testCA(t, "Someone else's CA")
	if l2, err := acquirer.Dial(context.Background(), h.Addr(), term, acquirer.LinkOptions{MasterKey: tmk, PinnedCA: otherCA, ConnectTimeout: 2 * time.Second}); err == nil {
		err = l2.Echo(context.Background(), 3)
		l2.Close()
		if err == nil {
			t.Fatal("a host certified by another CA was trusted")
		}
	}
	if _, err := acquirer.Dial(context.Background(), h.Addr(), term, acquirer.LinkOptions{MasterKey: tmk, PinnedCA: []byte("not PEM")}); err == nil {
		t.Fatal("a pinned CA that is not PEM was accepted")
	}
}
