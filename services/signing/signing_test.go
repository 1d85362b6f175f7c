package signing_test

import (
	"context"
	"errors"
	"testing"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/esign"
	"github.com/till-pos/till/payments/esign/esigntest"
	"github.com/till-pos/till/services/demo"
	"github.com/till-pos/till/services/signing"
)

func key(err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// TestOnlyASignatureOfAPaymentThatTakesOneIsKept: an empty pad, a payment
// that does not exist and a cash payment are each refused with their own
// message, and nothing is kept.
func TestOnlyASignatureOfAPaymentThatTakesOneIsKept(t *testing.T) {
	s := storetest.Open(t)
	op, err := demo.Seed(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := s.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	o := models.NewOrder(models.CNY, models.TaxInclusive)
	if _, err := o.AddProduct(*p, models.Units(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitSale(ctx, o, []models.Payment{{Tender: models.TenderCash, Status: models.PaymentApproved,
		Amount: o.Total, Tendered: o.Total}}, models.SaleContext{TerminalID: "T01", Operator: op}); err != nil {
		t.Fatal(err)
	}
	cash := o.Payments[0].ID
	g := signing.New(s, "T01")
	for _, c := range []struct {
		id   uint
		sig  esign.Signature
		want string
	}{
		{cash, esign.Signature{Width: 1000, Height: 400}, "error.signature.empty"},
		{9999, esigntest.Sample(), "error.signature.no_payment"},
		{cash, esigntest.Sample(), "error.signature.not_asked"},
	} {
		if err := g.Sign(ctx, c.id, c.sig); key(err) != c.want {
			t.Errorf("payment %d: %v, want %s", c.id, err, c.want)
		}
	}
	if sig, err := s.SignatureOf(ctx, cash); sig != nil || err != nil {
		t.Fatalf("kept: %+v %v", sig, err)
	}
}
