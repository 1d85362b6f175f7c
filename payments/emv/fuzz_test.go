package emv

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/till-pos/till/models"
)

// feedTransport answers each APDU with the next length-prefixed chunk of
// data (one length byte, then that many bytes), then "card removed".
type feedTransport struct{ data []byte }

func (f *feedTransport) Transmit(context.Context, []byte) ([]byte, error) {
	if len(f.data) == 0 {
		return nil, errors.New("card removed")
	}
	n := int(f.data[0])
	f.data = f.data[1:]
	if n > len(f.data) {
		n = len(f.data)
	}
	resp := append([]byte(nil), f.data[:n]...)
	f.data = f.data[n:]
	return resp, nil
}

// feed joins hex responses into feedTransport input.
func feed(t testing.TB, responses ...string) []byte {
	var out []byte
	for _, r := range responses {
		b := unhex(t, r)
		out = append(out, byte(len(b)))
		out = append(out, b...)
	}
	return out
}

// fuzzInput is the configuration and transaction the fuzz targets read for.
func fuzzInput() (Config, Transaction) {
	cfg := DefaultConfig()
	cfg.TTQ = [4]byte{0x36, 0x00, 0x00, 0x00}
	return cfg, Transaction{Amount: 1234, Date: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), UnpredictableNumber: []byte{0x11, 0x22, 0x33, 0x44}}
}

// checkOutcome fails on results a read must never give.
func checkOutcome(t *testing.T, card *Card, err error) {
	if err != nil {
		if card != nil {
			t.Fatalf("card and error together: %v", err)
		}
		var me *models.Error
		if !errors.As(err, &me) || me.Key == "" {
			t.Fatalf("error without a key: %v", err)
		}
		return
	}
	if card == nil || len(card.PAN()) < 12 || len(card.ICCData()) == 0 {
		t.Fatalf("incomplete card %+v", card)
	}
}

// FuzzRead feeds arbitrary responses to the whole kernel.
func FuzzRead(f *testing.F) {
	f.Add(feed(f, vecPPSE+"9000", vecSelectVisa+"9000", vecGPOResponse+"9000", vecRecord+"9000"))
	f.Add(feed(f, "6A82", "6A82", "6283", "6A82", vecSelectVisa+"9000", vecGPOResponse+"9000", vecRecord+"9000"))
	f.Add(feed(f, vecMinimalPPSE+"9000", vecSelectVisa+"9000", "6985"))
	f.Add(feed(f, vecPPSE+"6110", "9000", "6C10", vecSelectVisa+"9000"))
	f.Add(feed(f, vecPPSE+"9000", vecSelectVisa+"9000", "800A198008010200100101009000", vecRecord+"9000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, tx := fuzzInput()
		card, err := Read(context.Background(), &feedTransport{data: data}, cfg, tx)
		checkOutcome(t, card, err)
	})
}

// FuzzReadRecord runs the §1.11 Visa flow with an arbitrary record answer.
func FuzzReadRecord(f *testing.F) {
	f.Add(unhex(f, vecRecord+"9000"))
	f.Add(unhex(f, "70225A084111111111111111"+"9000"))
	f.Add(unhex(f, "6A83"))
	f.Add(unhex(f, "70035A0141"+"9000"))
	f.Fuzz(func(t *testing.T, record []byte) {
		cfg, tx := fuzzInput()
		data := feed(t, vecPPSE+"9000", vecSelectVisa+"9000", vecGPOResponse+"9000")
		if len(record) > 255 {
			record = record[:255]
		}
		data = append(append(data, byte(len(record))), record...)
		card, err := Read(context.Background(), &feedTransport{data: data}, cfg, tx)
		checkOutcome(t, card, err)
	})
}
