package hostlink_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/esign/esigntest"
	"github.com/till-pos/till/services/hostlink"
	"github.com/till-pos/till/services/signing"
)

// signedCardSale stores a sale of n colas paid by a card verified by
// signature, approved by l's host, and returns its payment.
func signedCardSale(t *testing.T, l *hostlink.Link, s *models.Store, op models.Operator, n int64) models.Payment {
	t.Helper()
	ctx := context.Background()
	p, err := s.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(*p, models.Units(n)); err != nil {
		t.Fatal(err)
	}
	pay, err := s.StartPayment(ctx, o, models.Payment{Tender: models.TenderCard, Amount: o.Total, Scheme: "visa",
		MaskedPAN: "**** **** **** 0010", CVM: string(payments.CVMSignature)}, models.SaleContext{TerminalID: "T01", Operator: op})
	if err != nil {
		t.Fatal(err)
	}
	a, err := l.Authorizer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := a.Sale(ctx, pay.Key, pay.Amount, acquirer.CardData{EntryMode: acquirer.EntryContactless, OfflineAuthenticated: true}); err != nil || !resp.Approved() {
		t.Fatalf("card sale: %+v %v", resp, err)
	}
	return pay
}

// TestSignaturesGoToTheHostOnceAndARefusedOneGivesUp: the sync uploads the
// signatures the host is owed; while the host cannot be reached nothing is
// counted against them; one the host keeps refusing is tried
// models.SignatureUploadTries times and then given up, without holding up
// the others.
func TestSignaturesGoToTheHostOnceAndARefusedOneGivesUp(t *testing.T) {
	s, op := newStore(t)
	var logged []string
	l := hostlink.New(hostlink.Config{Store: s, TerminalID: "T01", Currency: models.CNY,
		Log: func(what string, err error) { logged = append(logged, what) }})
	t.Cleanup(l.Close)
	ctx := context.Background()
	sg := signing.New(s, "T01")

	bad := signedCardSale(t, l, s, op, 2)
	good := signedCardSale(t, l, s, op, 3)
	// The bad one's image is too large for any upload: a refusal.
	noise := make([]byte, acquirer.MaxSignatureImage+100)
	rand.Read(noise)
	if err := s.SaveSignature(ctx, &models.PaymentSignature{PaymentID: bad.ID, Strokes: esigntest.Sample().Encode(), Image: noise}); err != nil {
		t.Fatal(err)
	}
	if err := sg.Sign(ctx, good.ID, esigntest.Sample()); err != nil {
		t.Fatal(err)
	}

	// The host cannot be reached: nothing is sent, and a signature the link
	// failed is not counted a try.
	host := l.Simulator()
	host.RefuseConnections(true)
	host.CloseConnections()
	if err := l.SyncOnce(ctx); err == nil {
		t.Fatal("a sync with the host out of reach said nothing")
	}
	if sig, err := s.SignatureOf(ctx, good.ID); err != nil || sig.Uploaded() || sig.UploadTries != 0 {
		t.Fatalf("a signature counted a try while the host was out of reach: %+v %v", sig, err)
	}
	host.RefuseConnections(false)

	for range models.SignatureUploadTries + 1 {
		if err := l.SyncOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := s.SignatureOf(ctx, good.ID)
	if err != nil || !kept.Uploaded() || kept.UploadTries != 1 {
		t.Fatalf("the good signature: %+v %v", kept, err)
	}
	req, err := s.RequestByKey(ctx, "T01", good.Key)
	if err != nil {
		t.Fatal(err)
	}
	var tid string
	for _, e := range host.Ledger() {
		if e.RRN == req.RRN {
			tid = e.TID
		}
	}
	if img, ok := host.Signature(tid, req.RRN); !ok || string(img) != string(kept.Image) {
		t.Fatalf("the host holds %d bytes for RRN %s", len(img), req.RRN)
	}
	refused, err := s.SignatureOf(ctx, bad.ID)
	if err != nil || refused.Uploaded() || refused.UploadTries != models.SignatureUploadTries || refused.UploadError == "" {
		t.Fatalf("the refused signature: %+v %v", refused, err)
	}
	if owed, err := s.SignaturesToUpload(ctx); err != nil || len(owed) != 0 {
		t.Fatalf("still owed: %+v %v", owed, err)
	}
	refusals := 0 // other things may be logged too (a sign-on again after a refusal)
	for _, l := range logged {
		if strings.Contains(l, "signature of payment") {
			refusals++
		}
	}
	if refusals != models.SignatureUploadTries {
		t.Fatalf("logged %d refusals: %v", refusals, logged)
	}
}
