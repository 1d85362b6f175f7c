package emvcard

import (
	"context"
	"errors"

	"github.com/till-pos/till/payments/emv"
)

// ErrCardRemoved is returned by Transport once the card has left the field.
var ErrCardRemoved = errors.New("emvcard: card removed")

// Transport returns an in-process emv.Transport that hands each APDU to card.
func Transport(card *Card) emv.Transport { return cardTransport{card: card} }

type cardTransport struct{ card *Card }

// Transmit implements emv.Transport.
func (t cardTransport) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp := t.card.Respond(apdu)
	if resp == nil {
		return nil, ErrCardRemoved
	}
	return append([]byte(nil), resp...), nil
}
